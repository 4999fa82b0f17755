#pragma once

#include <QWidget>

#include "helpers/json_metatype.h"

class QLabel;
class QPushButton;

namespace bonsai::ui {

// A button under the search space that replaces it with one that suits the
// objective, and a note below it saying what the
// last press did. Hidden until setOffered(true); the subclass decides when.
class SpaceFiller : public QWidget {
    Q_OBJECT
  public:
    // What the last press did ("Filled ...") or why it could not; "" before one.
    QString note() const;
    QPushButton* button() const { return m_button; }

  signals:
    // The space to put in the form; the form makes it one undoable edit.
    void spaceChosen(const Json& space);

  protected:
    SpaceFiller(const QString& label, const QString& objectName, QWidget* parent);
    // Shown or hidden; a hidden one forgets its note.
    void setOffered(bool offered);
    void setNote(const QString& text);
    // Called by a press of the button.
    virtual void fill() = 0;

  private:
    QPushButton* m_button;
    QLabel* m_note;
};

}  // namespace bonsai::ui

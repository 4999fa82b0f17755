#pragma once

#include <QWidget>

#include "helpers/json_metatype.h"

class QLabel;
class QPushButton;

namespace bonsai::ui {

// "Search space for NAS" under a fashion-mnist objective: puts in the space
// the bundled NAS examples search, the cell (an nb201-cell) and the learning
// rate on a log scale, so a first NAS study needs no typing (the form's
// starting x1 and x2 are nothing the training reads). Hidden for other kinds.
class NasSpaceFiller : public QWidget {
    Q_OBJECT
  public:
    explicit NasSpaceFiller(QWidget* parent = nullptr);

    // The objective's settings as the form holds them.
    void setObjective(const Json& objective);
    // What the last fill did ("Filled: ..."), "" before one.
    QString note() const;
    QPushButton* button() const { return m_button; }
    // The space it fills in.
    static Json nasSpace();

  signals:
    // The space to put in the form; the form makes it one undoable edit.
    void spaceChosen(const Json& space);

  private:
    QPushButton* m_button;
    QLabel* m_note;
};

}  // namespace bonsai::ui

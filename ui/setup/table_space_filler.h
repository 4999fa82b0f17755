#pragma once

#include <QWidget>

#include "helpers/json_metatype.h"

class QLabel;
class QPushButton;

namespace bonsai::ui {

// "Search space from the table" under a tabular objective: reads the table
// the objective names and offers the space spaceFromTable finds in it (one
// parameter per setting column, or the key column's), so a first study on a
// benchmark file needs no typing of its columns. Hidden for other kinds.
class TableSpaceFiller : public QWidget {
    Q_OBJECT
  public:
    explicit TableSpaceFiller(QWidget* parent = nullptr);

    // The objective's settings as the form holds them.
    void setObjective(const Json& objective);
    // What the last fill did or why it could not ("Filled ...", "Choose ...").
    QString note() const;
    QPushButton* button() const { return m_button; }

  signals:
    // The space to put in the form; the form makes it one undoable edit.
    void spaceChosen(const Json& space);

  private:
    void fill();

    Json m_objective;
    QPushButton* m_button;
    QLabel* m_note;
};

}  // namespace bonsai::ui

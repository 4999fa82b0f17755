#pragma once

#include "setup/space_filler.h"

namespace bonsai::ui {

// "Search space from the table", for a tabular objective: reads the table
// the objective names and offers the space spaceFromTable finds in it (one
// parameter per setting column, or the key column's), so a first study on a
// benchmark file needs no typing of its columns. Hidden for other kinds.
class TableSpaceFiller : public SpaceFiller {
    Q_OBJECT
  public:
    explicit TableSpaceFiller(QWidget* parent = nullptr);

    // The objective's settings as the form holds them.
    void setObjective(const Json& objective);

  private:
    void fill() override;

    Json m_objective;
};

}  // namespace bonsai::ui

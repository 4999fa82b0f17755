#pragma once

#include "setup/space_filler.h"

namespace bonsai::ui {

// "Search space for NAS", for a fashion-mnist objective: puts in the space
// the bundled NAS examples search, the cell (an nb201-cell) and the learning
// rate on a log scale, so a first NAS study needs no typing (the form's
// starting x1 and x2 are nothing the training reads). Hidden for other kinds.
class NasSpaceFiller : public SpaceFiller {
    Q_OBJECT
  public:
    explicit NasSpaceFiller(QWidget* parent = nullptr);

    // The objective's settings as the form holds them.
    void setObjective(const Json& objective);
    // The space it fills in.
    static Json nasSpace();

  private:
    void fill() override;
};

}  // namespace bonsai::ui

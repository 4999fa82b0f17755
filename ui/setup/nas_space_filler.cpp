#include "setup/nas_space_filler.h"

#include <QPushButton>

namespace bonsai::ui {

namespace {

// The learning rate's range in the bundled fashion-mnist examples.
constexpr double kLowLr = 0.02;
constexpr double kHighLr = 0.3;

}  // namespace

NasSpaceFiller::NasSpaceFiller(QWidget* parent)
    : SpaceFiller(tr("Search space for NAS"), QStringLiteral("objective.nasSpace"), parent) {
    button()->setToolTip(
        tr("Replaces the search space with a NAS-Bench-201 cell and the learning rate "
           "(%1 to %2, log scale), as the bundled fashion-mnist examples search. Add "
           "momentum, weight_decay, batch_size, epochs, channels or cells_per_stage to search "
           "them too. Undo restores the previous space.")
            .arg(kLowLr)
            .arg(kHighLr));
}

void NasSpaceFiller::setObjective(const Json& objective) {
    setOffered(objective.is_object() && objective.value("kind", "") == "fashion-mnist");
}

void NasSpaceFiller::fill() {
    setNote(tr("Filled: cell (an nb201-cell) and lr (%1 to %2, log scale). Undo restores the "
               "previous space.")
                .arg(kLowLr)
                .arg(kHighLr));
    emit spaceChosen(nasSpace());
}

Json NasSpaceFiller::nasSpace() {
    return Json::array(
        {{{"name", "cell"}, {"type", "nb201-cell"}},
         {{"name", "lr"}, {"type", "float"}, {"low", kLowLr}, {"high", kHighLr}, {"log", true}}});
}

}  // namespace bonsai::ui

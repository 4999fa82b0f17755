#pragma once

#include "objectives/objective.h"

namespace bonsai::gui {

// Every objective kind this build knows: core's, plus fashion-mnist when
// bonsai_nas is built (the same set as bonsai-cli).
ObjectiveRegistry objectiveRegistry();

}  // namespace bonsai::gui

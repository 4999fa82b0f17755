#pragma once

#include "objectives/objective.h"

namespace bonsai::app {

// Every objective kind this build knows: core's, plus fashion-mnist when
// bonsai_nas is built.
ObjectiveRegistry objectiveRegistry();

}  // namespace bonsai::app

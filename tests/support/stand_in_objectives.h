#pragma once

// fashion-mnist lives in bonsai_nas (LibTorch), which most tests do not link.
// A stand-in of that kind lets them parse NAS specs and drive the forms.

#include "objectives/builtin_objectives.h"

namespace bonsai::test {

// The built-in objectives and a "fashion-mnist" that checks the space as the
// real one does, reads any settings and returns 0 for every trial.
ObjectiveRegistry withFashionMnistStandIn();

}  // namespace bonsai::test

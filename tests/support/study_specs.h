#pragma once

// Study specs the engine tests build again and again.

#include <string>
#include <vector>

#include "util/json.h"

namespace bonsai::test {

// A study of one float x in [0, 1] whose objective runs `argv` (placeholders
// such as {x} allowed), writing its trial files under `runsDir`; seed 1.
Json commandSpec(const std::vector<std::string>& argv, const std::string& runsDir, int trials = 1,
                 double graceSeconds = 0.3);

// The same with `sh -c script`.
Json shellCommandSpec(const std::string& script, const std::string& runsDir, int trials = 1,
                      double graceSeconds = 1.0);

}  // namespace bonsai::test

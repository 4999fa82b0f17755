#include "support/study_specs.h"

namespace bonsai::test {

Json commandSpec(const std::vector<std::string>& argv, const std::string& runsDir, int trials,
                 double graceSeconds) {
    return {
        {"name", "bounded"},
        {"space", {{{"name", "x"}, {"type", "float"}, {"low", 0}, {"high", 1}}}},
        {"objective",
         {{"kind", "command"}, {"argv", argv}, {"runs_dir", runsDir}, {"grace_s", graceSeconds}}},
        {"budget", {{"trials", trials}}},
        {"seed", 1}};
}

Json shellCommandSpec(const std::string& script, const std::string& runsDir, int trials,
                      double graceSeconds) {
    return commandSpec({"sh", "-c", script}, runsDir, trials, graceSeconds);
}

}  // namespace bonsai::test

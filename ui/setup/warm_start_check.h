#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/trial.h"
#include "util/spec_error.h"

namespace bonsai {
class Database;
struct StudySpec;
}  // namespace bonsai

namespace bonsai::ui {

// Checks a spec's warm start against the open database as starting the study
// will (the named studies exist, share its objectives and parameters, and
// have a usable trial), so the Setup form marks the problem while it is
// edited instead of a dialog after Start. The form validates after every
// keystroke and every commit by a running study, so nothing is read twice:
// the last answer is kept for the same warm-start section, space and
// objectives while the source studies' trial counts stay the same, and each
// source study's trials are kept while its counts do (reading a
// 10,000-trial study takes about 70 ms, a check against an edited space
// with its trials kept about 25 ms).
class WarmStartCheck {
  public:
    explicit WarmStartCheck(std::function<Database*()> database);

    // Throws SpecError at "warm_start..." with the fix; does nothing without
    // a warm start or an open database.
    void operator()(const StudySpec& spec);

  private:
    struct KeptTrials {
        std::pair<int, int> counts{-1, -1};  // the study's trials and complete ones when read
        std::shared_ptr<const std::vector<Trial>> trials;
    };

    std::function<Database*()> m_database;
    std::string m_key;  // what the kept answer was for
    std::optional<SpecError> m_error;
    std::map<std::string, KeptTrials> m_trials;  // by database path and study id
};

}  // namespace bonsai::ui

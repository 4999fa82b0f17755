#pragma once

#include <functional>
#include <optional>
#include <string>

#include "util/spec_error.h"

namespace bonsai {
class Database;
struct StudySpec;
}  // namespace bonsai

namespace bonsai::ui {

// Checks a spec's warm start against the open database as starting the study
// will (the named studies exist, share its objectives and parameters, and
// have a usable trial), so the Setup form marks the problem while it is
// edited instead of a dialog after Start. The last answer is kept for the
// same warm-start section, space and objectives while the source studies'
// trial counts stay the same: the form validates after every edit and every
// commit by a running study, and the sources' trials need not be read again.
class WarmStartCheck {
  public:
    explicit WarmStartCheck(std::function<Database*()> database);

    // Throws SpecError at "warm_start..." with the fix; does nothing without
    // a warm start or an open database.
    void operator()(const StudySpec& spec);

  private:
    std::function<Database*()> m_database;
    std::string m_key;  // what the kept answer was for
    std::optional<SpecError> m_error;
};

}  // namespace bonsai::ui

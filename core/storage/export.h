#pragma once

#include <string>
#include <vector>

#include "storage/database.h"

namespace bonsai {

// The exact export contract shared by `bonsai-cli export` and the GUI:
// {"study": {"name", "direction", "spec"}, "trials": [{"number", "state",
//  "params", "value", "intermediate": [[step, value], ...], "started",
//  "completed", "duration_s", "attrs", "error"}]}
// Times are ISO-8601 UTC strings; missing values are null; inactive
// parameters are absent from "params".
Json exportStudyJson(const StudyRecord& study, const std::vector<Trial>& trials);

// One row per trial: number,state,value,<one column per parameter in space
// order>,duration_s. Inactive parameters and missing values are empty cells;
// fields are quoted per RFC 4180 where needed.
std::string exportStudyCsv(const StudyRecord& study, const std::vector<Trial>& trials);

std::string isoTimestamp(double secondsSinceEpoch);

}  // namespace bonsai

#pragma once

#include <optional>
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
//
// Multi-objective studies add to each trial "values" (one per objective, in
// the spec's order, null when missing) and "feasible" (null unless the trial
// is complete), and at the top level
// "pareto_front" (the numbers of the complete feasible non-dominated trials)
// and "hypervolume": {"value", "reference"} (reference in the objectives'
// own sense). Constrained single-objective studies add "feasible" per trial.
// Unconstrained single-objective exports are unchanged.
Json exportStudyJson(const StudyRecord& study, const std::vector<Trial>& trials);
// exportStudyJson as indented text. Bytes that are not UTF-8 (a command's
// stderr line in an error, say) become U+FFFD instead of failing the export.
std::string exportStudyJsonText(const StudyRecord& study, const std::vector<Trial>& trials);
// Any JSON as one line, with invalid UTF-8 replaced the same way.
std::string dumpLenient(const Json& json, int indent = -1);

// One row per trial: number,state,value,<one column per parameter in space
// order>,duration_s. Inactive parameters and missing values are empty cells;
// fields are quoted per RFC 4180 where needed. Multi-objective studies add
// one column per objective after value and "pareto","feasible" (true/false;
// feasible is empty unless complete) at the end; constrained single-objective studies add
// "feasible".
std::string exportStudyCsv(const StudyRecord& study, const std::vector<Trial>& trials);

// The names a spec's "space" lists, in its order (none for a damaged spec).
std::vector<std::string> spaceParameterNames(const Json& spec);
// The order parameters are shown in: the spec's space order, then any name a
// trial carries that the spec does not list (so nothing stored is dropped).
std::vector<std::string> parameterColumns(const StudyRecord& study,
                                          const std::vector<Trial>& trials);

std::string isoTimestamp(double secondsSinceEpoch);

// The export a file name asks for by its suffix (any case): .csv, .json, or
// an Optuna SQLite file (.db, .sqlite, .sqlite3); nullopt for any other.
enum class ExportFormat { Csv, Json, Optuna };
std::optional<ExportFormat> exportFormatOf(const std::string& path);

}  // namespace bonsai

#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/trial.h"
#include "space/search_space.h"
#include "util/json.h"

namespace bonsai {

class Database;
struct StudyRecord;
struct StudySpec;

// The spec's "warm_start" section: earlier studies whose complete trials
// become the strategy's prior observations (README, "Warm start").
//
// A spec names the studies; Study::create reads them once and stores the
// observations it took with the study's spec ("observations", "sources"), so
// a resumed study sees exactly the same priors even if the old studies grew
// or were deleted since, and `show`, the JSON export and the studio can say
// where they came from.
struct WarmStart {
    std::vector<std::string> studies;
    std::string database;  // empty: the database the study is created in
    ParamMap defaults;     // values for parameters an old study does not have
    // Set once resolved: the prior trials (numbered -N..-1, oldest first,
    // attrs["warm_start"] = {"study", "number"}) and per study how many
    // trials were taken and skipped.
    std::optional<std::vector<Trial>> observations;
    Json sources = Json::array();

    bool enabled() const { return !studies.empty(); }
};

// A point with each value in its parameter's own type (a float given as 1
// becomes 1.0, an int given as 3.0 becomes 3, a choice the choice itself).
ParamMap typedPoint(const SearchSpace& space, ParamMap point);

// Validates the section's shape against the spec's space and objectives
// (names, defaults, stored observations); the studies themselves are checked
// by resolveWarmStart, which needs the database. Throws SpecError at
// "warm_start...".
WarmStart parseWarmStart(const Json& section, const StudySpec& spec);
Json warmStartToJson(const WarmStart& warmStart);

// How a source study's trials are read: by default straight from the
// database that holds it. The studio's Setup form, which checks the warm
// start after every edit, passes one that keeps them between checks.
using WarmStartTrials =
    std::function<std::vector<Trial>(Database& source, const StudyRecord& study)>;

// Reads the named studies' complete trials into spec.warmStart.observations
// (and spec.source). Throws SpecError naming warm_start.studies[i],
// warm_start.database or warm_start.defaults and the fix: an unknown study, a
// missing or unreadable database file, another direction or other objectives,
// a parameter the old study lacks without a default, no usable trial.
void resolveWarmStart(StudySpec& spec, Database& database, const WarmStartTrials& trialsOf = {});

// Where a stored study's priors came from, for people: "100 prior trials from
// cifar10-gp (2 skipped: outside this space)"; "" without a warm start.
std::string warmStartSummary(const Json& storedSpec);

}  // namespace bonsai

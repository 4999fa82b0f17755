#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/trial.h"
#include "objectives/objective.h"
#include "pruners/pruner.h"
#include "space/search_space.h"
#include "strategies/strategy.h"
#include "study/warm_start.h"

namespace bonsai {

// The kinds a study may use. Strategies and pruners are the built-in ones
// unless others are given, so a kind defined outside the tree (a test, a
// plug-in) can run, as Optuna's create_study(sampler=...) allows. Holds
// references: the registries must outlive the call they are passed to
// (Study keeps copies of its own).
struct Registries {
    Registries(const ObjectiveRegistry& objectiveKinds,
               const StrategyRegistry& strategyKinds = StrategyRegistry::builtins(),
               const PrunerRegistry& prunerKinds = PrunerRegistry::builtins())
        : objectives(objectiveKinds), strategies(strategyKinds), pruners(prunerKinds) {}

    const ObjectiveRegistry& objectives;
    const StrategyRegistry& strategies;
    const PrunerRegistry& pruners;
};

// When to stop; any limit reached ends the study. At least one must be given.
struct Budget {
    std::optional<std::int64_t> trials;  // finished trials (complete, pruned or failed)
    std::optional<double> seconds;       // wall-clock plus simulated seconds
    std::optional<double> target;        // stop once the best value reaches this
};

// A parsed, validated study spec (version 1, documented in README).
struct StudySpec {
    std::string name;
    Direction direction = Direction::Minimize;
    // Multi-objective studies list two or more objectives here (and direction
    // is unused); empty for a single-objective study.
    std::vector<ObjectiveSpec> objectives;
    std::vector<ConstraintSpec> constraints;
    SearchSpace space;
    Json objective;  // {"kind": ...} validated by ObjectiveRegistry
    Json strategy;   // {"kind": ...} validated by a StrategyRegistry
    Json pruner;     // null when there is none
    Budget budget;
    // Points evaluated first, in order, before the strategy is asked
    // (Optuna's enqueue_trial); each holds exactly the active parameters.
    std::vector<ParamMap> enqueue;
    // Earlier studies whose complete trials the strategy starts from
    // (observations filled in by Study::create, stored with the spec).
    WarmStart warmStart;
    std::uint64_t seed = 0;
    int workers = 1;  // trials run at once (a slurm executor's max_concurrent)
    Json executor;    // null: local; else {"kind": "slurm", ...} (ExecutorSettings)
    Json source;      // the normalized spec as JSON (what is stored)
};

// Validates every section (building the strategy, objective and pruner once so
// their settings are checked too). Throws SpecError with the exact JSON path.
StudySpec parseStudySpec(const Json& spec, const Registries& registries);

// Only the objective sections of a spec (name, direction, objectives,
// constraints), validated like parseStudySpec does; everything else is left
// default (as is everything for a spec that is not an object). For readers
// of stored studies (export, show) that must work without the objective's
// library.
StudySpec parseObjectiveSections(const Json& spec);

// True for a spec an import wrote (objective kind "imported", e.g. from
// bonsai-cli import-optuna): shown and exported like any other, never run.
bool isImportedStudy(const Json& spec);

// The "budget" section of a stored spec, validated like parseStudySpec does
// (SpecError when it is missing or invalid).
Budget parseBudgetSection(const Json& spec);

// Size limits, so a huge file is refused at once instead of taking seconds
// and gigabytes (README, "Study spec").
constexpr std::uintmax_t kMaxSpecBytes = 16'000'000;
constexpr std::size_t kMaxDescriptionBytes = 100'000;

// Reads and parses a spec file; a JSON syntax error names the line and column.
// Makes the paths a spec file names relative to its own folder absolute:
// objective "file" (one or several tables) and "workdir", and
// warm_start.database. Anything else, and a spec that is no object, is left
// as it is.
void resolveRelativeSpecPaths(Json& spec, const std::string& specPath);
StudySpec loadStudySpecFile(const std::string& path, const Registries& registries);

// Parses JSON text; throws SpecError("", "line L, column C: ...") on bad syntax,
// numbers beyond a double, nesting deeper than 100 levels and text over
// kMaxSpecBytes.
Json parseJsonText(const std::string& text);

}  // namespace bonsai

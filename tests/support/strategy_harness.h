#pragma once

// Drives a strategy as the engine would, without a database: the spaces,
// factories and sequential runs that the strategy tests share, and that the
// conformance suite (tests/core/tst_strategy_conformance.cpp) runs every
// registered strategy through.

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "strategies/strategy.h"

namespace bonsai::test {

// A float on a log scale, ints (one on a log scale), a categorical, a stepped
// float that exists for two of its choices, a one-choice flag and an
// nb201-cell that exists for two values of an int.
extern const char* const kMixedSpace;
// An nb201-cell beside a log float.
extern const char* const kCellSpace;
// Nine points: an int 1..3, and a categorical of two (a and b) of which
// "a" switches on a stepped float of two values: 3 x (2 + 1) points.
extern const char* const kFiniteSpace;
constexpr int kFiniteSpacePoints = 9;

SearchSpace spaceFrom(const char* json);
std::unique_ptr<Strategy> makeStrategy(
    const SearchSpace& space, const std::string& json,
    const StrategyRegistry& registry = StrategyRegistry::builtins());

using Loss = std::function<double(const ParamMap&)>;
using Values = std::function<std::vector<double>(const ParamMap&)>;
// Completes a suggested trial: sets its value (values, for several
// objectives) and any attributes, such as the quantities constraints read.
using Evaluate = std::function<void(Trial&)>;

// What a study around the strategy looks like: objectives (two or more for a
// multi-objective study) and constraints.
struct StudyShape {
    std::span<const ObjectiveSpec> objectives = {};
    std::span<const ConstraintSpec> constraints = {};
    Direction direction = Direction::Minimize;
    std::optional<std::int64_t> budgetTrials = std::nullopt;  // the study's budget.trials
};

// Asks `strategy` for up to `count` points, each recorded as a complete trial
// with its loss before the next ask (trial n's stream is mixSeed(seed, n));
// stops early when the strategy has nothing left to propose.
std::vector<Trial> runStrategy(Strategy& strategy, const SearchSpace& space, int count,
                               std::uint64_t seed, const Loss& loss);
// The same for a multi-objective study: `values` gives every objective.
std::vector<Trial> runStrategy(Strategy& strategy, const SearchSpace& space, int count,
                               std::uint64_t seed, const Values& values, StudyShape shape);
// The same where `evaluate` completes each trial itself.
std::vector<Trial> runStrategy(Strategy& strategy, const SearchSpace& space, int count,
                               std::uint64_t seed, const Evaluate& evaluate, StudyShape shape);

// One suggestion for the trial after `trials`, with stream `rng`.
std::optional<Suggestion> suggestNext(Strategy& strategy, const SearchSpace& space,
                                      std::span<const Trial> trials, Rng& rng, std::uint64_t seed,
                                      StudyShape shape = {});

Trial completeTrial(int number, ParamMap params, double value);
Trial runningTrial(int number, ParamMap params);

// A loss that depends on every parameter (conditional ones included), so no
// part of a space goes untested; not smooth, so no strategy is favoured.
double anyLoss(const ParamMap& params);
// The value of a numeric parameter.
double numberOf(const ParamMap& params, const std::string& name);
// The least value among the trials that have one (infinity if none).
double bestValue(const std::vector<Trial>& trials);
double median(std::vector<double> values);

}  // namespace bonsai::test

#include "support/strategy_harness.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace bonsai::test {

const char* const kMixedSpace = R"([
    {"name": "lr", "type": "float", "low": 1e-4, "high": 1e-1, "log": true},
    {"name": "layers", "type": "int", "low": 1, "high": 4},
    {"name": "width", "type": "int", "low": 8, "high": 512, "log": true},
    {"name": "act", "type": "categorical", "choices": ["relu", "gelu", "tanh"]},
    {"name": "dropout", "type": "float", "low": 0, "high": 0.5, "step": 0.1,
     "when": {"param": "act", "in": ["relu", "gelu"]}},
    {"name": "flag", "type": "categorical", "choices": [true]},
    {"name": "cell", "type": "nb201-cell", "when": {"param": "layers", "in": [3, 4]}}
])";

const char* const kCellSpace = R"([
    {"name": "cell", "type": "nb201-cell"},
    {"name": "lr", "type": "float", "low": 0.01, "high": 0.5, "log": true}
])";

const char* const kFiniteSpace = R"([
    {"name": "n", "type": "int", "low": 1, "high": 3},
    {"name": "c", "type": "categorical", "choices": ["a", "b"]},
    {"name": "s", "type": "float", "low": 0, "high": 1, "step": 1,
     "when": {"param": "c", "equals": "a"}}
])";

SearchSpace spaceFrom(const char* json) {
    return SearchSpace::fromJson(Json::parse(json));
}

std::unique_ptr<Strategy> makeStrategy(const SearchSpace& space, const std::string& json,
                                       const StrategyRegistry& registry) {
    return registry.create(Json::parse(json), space);
}

std::optional<Suggestion> suggestNext(Strategy& strategy, const SearchSpace& space,
                                      std::span<const Trial> trials, Rng& rng, std::uint64_t seed,
                                      StudyShape shape) {
    SuggestContext context{space, trials,           shape.direction,  rng,
                           seed,  shape.objectives, shape.constraints};
    context.budgetTrials = shape.budgetTrials;
    return strategy.suggest(context);
}

std::vector<Trial> runStrategy(Strategy& strategy, const SearchSpace& space, int count,
                               std::uint64_t seed, const Evaluate& evaluate, StudyShape shape) {
    std::vector<Trial> trials;
    for (int n = 0; n < count; ++n) {
        Rng rng(mixSeed(seed, static_cast<std::uint64_t>(n)));
        auto suggestion = suggestNext(strategy, space, trials, rng, seed, shape);
        if (!suggestion)
            break;
        Trial trial;
        trial.number = n;
        trial.state = TrialState::Complete;
        trial.params = suggestion->params;
        trial.attrs = suggestion->attrs;
        evaluate(trial);
        trials.push_back(std::move(trial));
    }
    return trials;
}

std::vector<Trial> runStrategy(Strategy& strategy, const SearchSpace& space, int count,
                               std::uint64_t seed, const Values& values, StudyShape shape) {
    const bool multiObjective = shape.objectives.size() > 1;
    const Evaluate evaluate = [&](Trial& trial) {
        trial.values = values(trial.params);
        trial.value = trial.values.front();
        if (!multiObjective)
            trial.values.clear();
    };
    return runStrategy(strategy, space, count, seed, evaluate, shape);
}

std::vector<Trial> runStrategy(Strategy& strategy, const SearchSpace& space, int count,
                               std::uint64_t seed, const Loss& loss) {
    const Evaluate evaluate = [&](Trial& trial) { trial.value = loss(trial.params); };
    return runStrategy(strategy, space, count, seed, evaluate, {});
}

Trial completeTrial(int number, ParamMap params, double value) {
    Trial trial;
    trial.number = number;
    trial.params = std::move(params);
    trial.state = TrialState::Complete;
    trial.value = value;
    return trial;
}

Trial runningTrial(int number, ParamMap params) {
    Trial trial;
    trial.number = number;
    trial.params = std::move(params);
    trial.state = TrialState::Running;
    return trial;
}

double anyLoss(const ParamMap& params) {
    return static_cast<double>(toJson(params).dump().size() % 17);
}

double numberOf(const ParamMap& params, const std::string& name) {
    return *numericValue(params.at(name));
}

double bestValue(const std::vector<Trial>& trials) {
    double best = std::numeric_limits<double>::infinity();
    for (const Trial& trial : trials)
        if (trial.value)
            best = std::min(best, *trial.value);
    return best;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return 0.5 * (values[(values.size() - 1) / 2] + values[values.size() / 2]);
}

}  // namespace bonsai::test

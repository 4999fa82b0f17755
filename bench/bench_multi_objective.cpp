// Multi-objective strategies on ZDT1, ZDT2 (Zitzler, Deb & Thiele 2000) and
// DTLZ2 (three objectives) at an equal budget: the hypervolume of each run's
// final front against the problem's fixed reference point ((1.1, 11) for
// ZDT, (1.1, 1.1, 1.1) for DTLZ2), median (and range) over seeds, and the
// mean time per suggestion. Trials are evaluated in order, one at a time,
// straight through the Strategy interface (no storage).
//
//   bench-multi-objective [trials=100] [seeds=5] [dimensions=6] [first_seed=1] [strategy ...]
//
// Seeds first_seed .. first_seed + seeds - 1 (settings were tuned on seeds
// 101-110, so the default seeds report figures they were not tuned on).
// Strategies are spec objects; the defaults are random, gp (ParEGO) and nsga2
// with a population of 10 (ten generations in 100 trials) and distribution
// indices 5 (wider steps than the default 20, which suits so few generations).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "multi/pareto.h"
#include "objectives/test_functions.h"
#include "strategies/strategy.h"

using namespace bonsai;

namespace {

using Clock = std::chrono::steady_clock;

struct RunResult {
    double hypervolume = 0.0;
    double secondsPerSuggestion = 0.0;
};

RunResult run(const MultiObjectiveTestFunction& problem, const Json& strategySpec, int dimensions,
              int trials, std::uint64_t seed) {
    Json spaceJson = Json::array();
    for (int i = 0; i < dimensions; ++i)
        spaceJson.push_back(
            {{"name", "x" + std::to_string(i)}, {"type", "float"}, {"low", 0}, {"high", 1}});
    SearchSpace space = SearchSpace::fromJson(spaceJson);
    auto strategy = StrategyRegistry::builtins().create(strategySpec, space);
    std::vector<ObjectiveSpec> objectives;
    for (const std::string& name : problem.objectiveNames)
        objectives.push_back({name, Direction::Minimize});

    std::vector<Trial> done;
    std::vector<LossVector> points;
    double seconds = 0.0;
    for (int n = 0; n < trials; ++n) {
        Rng rng(mixSeed(seed, static_cast<std::uint64_t>(n)));
        SuggestContext context{space, done, Direction::Minimize, rng, seed, objectives};
        auto start = Clock::now();
        auto suggestion = strategy->suggest(context);
        seconds += std::chrono::duration<double>(Clock::now() - start).count();
        if (!suggestion)
            break;
        std::vector<double> x;
        for (int i = 0; i < dimensions; ++i)
            x.push_back(std::get<double>(suggestion->params.at("x" + std::to_string(i))));
        Trial trial;
        trial.number = n;
        trial.state = TrialState::Complete;
        trial.params = suggestion->params;
        trial.attrs = suggestion->attrs;
        trial.values = problem.evaluate(x);
        trial.value = trial.values.front();
        points.push_back(trial.values);
        done.push_back(std::move(trial));
    }
    return {hypervolume(points, problem.reference), seconds / std::max(1, trials)};
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// The requested dimension moved into the problem's range.
int dimensionsFor(const MultiObjectiveTestFunction& problem, int requested) {
    const int most = problem.maxDimension > 0 ? problem.maxDimension : requested;
    return std::clamp(requested, problem.minDimension, std::max(most, problem.minDimension));
}

}  // namespace

int main(int argc, char** argv) {
    const int trials = argc > 1 ? std::atoi(argv[1]) : 100;
    const int seeds = argc > 2 ? std::atoi(argv[2]) : 5;
    const int dimensions = argc > 3 ? std::atoi(argv[3]) : 6;
    const int firstSeed = argc > 4 && argv[4][0] != '{' ? std::atoi(argv[4]) : 1;
    std::vector<Json> strategies;
    for (int i = 4; i < argc; ++i)
        if (argv[i][0] == '{')
            strategies.push_back(Json::parse(argv[i]));
    if (strategies.empty())
        strategies = {Json::parse(R"({"kind": "random"})"),
                      Json::parse(R"({"kind": "nsga2", "population_size": 10, "eta": 5,
                                      "mutation_eta": 5})"),
                      Json::parse(R"({"kind": "gp"})")};
    if (trials < 2 || seeds < 1 || dimensions < 2 || firstSeed < 0) {
        std::fprintf(stderr,
                     "usage: bench-multi-objective [trials>=2] [seeds>=1] [dims>=2] "
                     "[first_seed>=0] [strategy-json ...]\n");
        return 2;
    }

    std::printf("%d trials, seeds %d-%d, %d dimensions (within each problem's range)\n", trials,
                firstSeed, firstSeed + seeds - 1, dimensions);
    for (const MultiObjectiveTestFunction& problem : multiObjectiveTestFunctions()) {
        std::string reference;
        for (double r : problem.reference) {
            char number[32];
            std::snprintf(number, sizeof number, "%g", r);
            reference += (reference.empty() ? "" : ", ") + std::string(number);
        }
        std::printf("\n%s (front: %.4f against (%s))\n", problem.name.c_str(),
                    problem.frontHypervolume, reference.c_str());
        std::printf("  %-70s %10s %10s %10s %12s\n", "strategy", "median", "min", "max",
                    "s/suggest");
        for (const Json& spec : strategies) {
            std::vector<double> volumes, times;
            for (int seed = 0; seed < seeds; ++seed) {
                RunResult r = run(problem, spec, dimensionsFor(problem, dimensions), trials,
                                  static_cast<std::uint64_t>(firstSeed + seed));
                volumes.push_back(r.hypervolume);
                times.push_back(r.secondsPerSuggestion);
            }
            std::printf("  %-70s %10.4f %10.4f %10.4f %12.4f\n", spec.dump().c_str(),
                        median(volumes), *std::min_element(volumes.begin(), volumes.end()),
                        *std::max_element(volumes.begin(), volumes.end()), median(times));
            std::fflush(stdout);
        }
    }
    return 0;
}

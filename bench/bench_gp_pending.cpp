// Asynchronous BO at cluster scale: the cost of one `gp` suggestion (the real
// strategy: fit, kriging-believer fantasies for the pending trials, LogEI
// maximization) with n complete and p pending trials in 6 dimensions, then
// the next suggestion once the first has completed. With
// executor.max_concurrent = p, every new suggestion sees about p pending.
//
// CPU seconds (see cpu_clock.h).
//
//   bench-gp-pending [n:p ...]        (default 200:0 200:100 200:1000 500:1000)
#include "cpu_clock.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "objectives/test_functions.h"
#include "strategies/strategy.h"

using namespace bonsai;

namespace {

SearchSpace space6() {
    Json params = Json::array();
    for (int i = 0; i < 6; ++i)
        params.push_back({{"name", std::string("x").append(std::to_string(i))},
                          {"type", "float"},
                          {"low", 0},
                          {"high", 1}});
    return SearchSpace::fromJson(params, "space");
}

void run(int complete, int pending) {
    const SearchSpace space = space6();
    const TestFunction& hartmann = *findTestFunction("hartmann6");
    Rng rng(42);
    std::vector<Trial> trials;
    for (int i = 0; i < complete + pending; ++i) {
        Trial trial;
        trial.number = i;
        std::vector<double> x(6);
        for (int d = 0; d < 6; ++d) {
            x[static_cast<std::size_t>(d)] = uniform01(rng);
            trial.params[std::string("x").append(std::to_string(d))] =
                x[static_cast<std::size_t>(d)];
        }
        if (i < complete) {
            trial.state = TrialState::Complete;
            trial.value = hartmann.evaluate(x);
        }
        trials.push_back(std::move(trial));
    }
    std::unique_ptr<Strategy> strategy =
        StrategyRegistry::builtins().create({{"kind", "gp"}}, space, "strategy");
    Rng suggestRng(7);
    SuggestContext context{space, trials, Direction::Minimize, suggestRng, 1};
    double start = bench::cpuSeconds();
    std::optional<Suggestion> suggestion = strategy->suggest(context);
    const double seconds = bench::cpuSeconds() - start;
    // The suggestion completes, and the next one finds its stored fit (past
    // 256 complete trials it usually keeps those hyperparameters).
    double nextSeconds = 0.0;
    bool refitted = true;
    if (suggestion) {
        Trial done;
        done.number = complete + pending;
        done.state = TrialState::Complete;
        done.params = suggestion->params;
        done.attrs = suggestion->attrs;
        std::vector<double> x(6);
        for (int d = 0; d < 6; ++d)
            x[static_cast<std::size_t>(d)] =
                std::get<double>(done.params.at(std::string("x").append(std::to_string(d))));
        done.value = hartmann.evaluate(x);
        trials.push_back(std::move(done));
        Rng nextRng(8);
        SuggestContext next{space, trials, Direction::Minimize, nextRng, 1};
        start = bench::cpuSeconds();
        std::optional<Suggestion> following = strategy->suggest(next);
        nextSeconds = bench::cpuSeconds() - start;
        refitted = following && following->attrs.value("gp_refit", true);
    }
    std::printf(
        "complete=%-5d pending=%-5d suggestion %.3f s, the next %.3f s (%s)  "
        "(gp_fantasies=%s)\n",
        complete, pending, seconds, nextSeconds, refitted ? "refits" : "stored fit",
        suggestion ? suggestion->attrs.value("gp_fantasies", Json(0)).dump().c_str() : "-");
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::pair<int, int>> cases;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto colon = arg.find(':');
        if (colon == std::string::npos) {
            std::fprintf(stderr, "usage: bench-gp-pending [complete:pending ...]\n");
            return 2;
        }
        cases.emplace_back(std::atoi(arg.substr(0, colon).c_str()),
                           std::atoi(arg.substr(colon + 1).c_str()));
    }
    if (cases.empty())
        cases = {{200, 0}, {200, 100}, {200, 1000}, {500, 1000}};
    for (auto [complete, pending] : cases)
        run(complete, pending);
    return 0;
}

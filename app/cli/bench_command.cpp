#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "arguments.h"
#include "commands.h"
#include "strategies/strategy.h"
#include "study/benchmark.h"

namespace bonsai::cli {

namespace {

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> items;
    std::stringstream stream(text);
    for (std::string item; std::getline(stream, item, ',');)
        if (!item.empty())
            items.push_back(item);
    return items;
}

}  // namespace

int benchCommand(const std::vector<std::string>& rawArgs) {
    Arguments args(rawArgs, {"strategies", "problems", "seeds", "trials", "out", "jobs", "nb201"},
                   {});
    args.expectPositionals(0, "");
    BenchmarkConfig config;
    // The NAS-Bench-201 table is never bundled: the user points at a copy.
    std::string nb201 = args.value("nb201").value_or("");
    if (const char* folder = std::getenv("BONSAI_NB201_DIR"); nb201.empty() && folder)
        nb201 = folder;
    for (const std::string& text : splitList(
             args.value("problems").value_or("branin,hartmann6,ackley:5,levy:4,rosenbrock:4")))
        config.problems.push_back(parseBenchmarkProblem(text, "--problems", nb201));
    // Multi-objective problems need strategies that handle several
    // objectives; by default those are compared when every problem is one.
    bool allMulti = std::all_of(config.problems.begin(), config.problems.end(),
                                [](const BenchmarkProblem& p) { return p.multiObjective(); });
    std::string defaultStrategies = "gp,tpe,random,sobol";
    if (allMulti && !config.problems.empty()) {
        auto kinds = StrategyRegistry::builtins().kinds();
        bool nsga2 = std::find(kinds.begin(), kinds.end(), "nsga2") != kinds.end();
        defaultStrategies = nsga2 ? "gp,nsga2,random,sobol" : "gp,random,sobol";
    }
    config.strategies = splitList(args.value("strategies").value_or(defaultStrategies));
    config.seeds = static_cast<int>(args.integer("seeds", 1).value_or(10));
    config.trials = static_cast<int>(args.integer("trials", 1).value_or(50));
    config.jobs = static_cast<int>(args.integer("jobs", 1).value_or(1));
    if (config.strategies.empty())
        throw UsageError("--strategies needs at least one strategy");
    if (config.problems.empty())
        throw UsageError("--problems needs at least one problem");

    bool terminal = isatty(STDERR_FILENO) == 1;
    auto rows = runBenchmark(config, [&](int done, int total) {
        if (terminal)
            std::fprintf(stderr, "\r\033[Kbench: %d/%d runs", done, total);
        else if (done == total || done % 10 == 0)
            std::fprintf(stderr, "bench: %d/%d runs\n", done, total);
    });
    if (terminal)
        std::fprintf(stderr, "\n");

    auto summaries = summarizeBenchmark(config, rows);
    std::printf("simple regret: median [q25, q75] over %d seeds; suggestion time: median seconds\n",
                config.seeds);
    if (std::any_of(config.problems.begin(), config.problems.end(),
                    [](const BenchmarkProblem& p) { return p.multiObjective(); }))
        std::printf(
            "multi-objective problems: regret is HV* - hypervolume (HV* the best possible)\n");
    std::printf("\n");
    std::string header = "problem        strategy  ";
    for (const auto& [trial, quartiles] : summaries.front().regretAt)
        header += "   regret@" + std::to_string(trial) +
                  std::string(27 - std::to_string(trial).size(), ' ');
    std::printf("%s suggest_s\n", header.c_str());
    for (const BenchmarkSummary& summary : summaries) {
        std::printf("%-14s %-9s ", summary.problem.c_str(), summary.strategy.c_str());
        for (const auto& [trial, q] : summary.regretAt) {
            char cell[64];
            std::snprintf(cell, sizeof cell, "%.3g [%.3g, %.3g]", q.median, q.q25, q.q75);
            std::printf(" %-35s", cell);
        }
        std::printf(" %.4f\n", summary.medianSuggestSeconds);
    }
    bool headed = false;
    for (std::size_t i = 0; i < summaries.size(); ++i) {
        const BenchmarkSummary& summary = summaries[i];
        if (summary.hypervolumeAt.empty())
            continue;
        if (!headed) {
            std::printf("\nhypervolume: median [q25, q75] over %d seeds\n", config.seeds);
            std::string line = "problem        strategy  ";
            for (const auto& [trial, quartiles] : summary.hypervolumeAt)
                line += "   hv@" + std::to_string(trial) +
                        std::string(31 - std::to_string(trial).size(), ' ');
            std::printf("%s HV*\n", line.c_str());
            headed = true;
        }
        std::printf("%-14s %-9s ", summary.problem.c_str(), summary.strategy.c_str());
        for (const auto& [trial, q] : summary.hypervolumeAt) {
            char cell[64];
            std::snprintf(cell, sizeof cell, "%.5g [%.5g, %.5g]", q.median, q.q25, q.q75);
            std::printf(" %-35s", cell);
        }
        const BenchmarkProblem& problem = config.problems[i / config.strategies.size()];
        std::printf(" %.5g\n", hypervolumeTarget(problem).best);
    }
    if (auto out = args.value("out")) {
        std::ofstream file(*out, std::ios::binary | std::ios::trunc);
        if (!file)
            throw std::runtime_error("cannot write '" + *out +
                                     "'; check the folder exists and is writable");
        file << benchmarkCsv(rows);
        std::printf("\nwrote %zu rows to %s\n", rows.size(), out->c_str());
    }
    return 0;
}

}  // namespace bonsai::cli

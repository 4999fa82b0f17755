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
    Arguments args(
        rawArgs,
        {"strategies", "problems", "seeds", "first-seed", "trials", "out", "jobs", "nb201"}, {});
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
    config.firstSeed = static_cast<int>(args.integer("first-seed", 0).value_or(0));
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
    std::printf(
        "simple regret: mean, then median [q25, q75] over %d seeds (%d to %d); suggestion time: "
        "median seconds\n",
        config.seeds, config.firstSeed, config.firstSeed + config.seeds - 1);
    if (std::any_of(config.problems.begin(), config.problems.end(),
                    [](const BenchmarkProblem& p) { return p.multiObjective(); }))
        std::printf(
            "multi-objective problems: regret is HV* - hypervolume (HV* the best possible)\n");
    std::printf("\n");
    std::size_t nameWidth = 14, strategyWidth = 9;
    for (const BenchmarkSummary& summary : summaries) {
        nameWidth = std::max(nameWidth, summary.problem.size());
        strategyWidth = std::max(strategyWidth, summary.strategy.size());
    }
    const std::string strategyTitle = "strategy" + std::string(strategyWidth - 6, ' ');
    auto cellOf = [](const BenchmarkSummary::Quartiles& q, const char* format) {
        char cell[96];
        std::snprintf(cell, sizeof cell, format, q.mean, q.median, q.q25, q.q75);
        return std::string(cell);
    };
    std::string header = "problem" + std::string(nameWidth - 6, ' ') + strategyTitle;
    for (const auto& [trial, quartiles] : summaries.front().regretAt) {
        std::string title = "regret@" + std::to_string(trial);
        header += " " + title + std::string(title.size() < 36 ? 36 - title.size() : 1, ' ');
    }
    std::printf("%s suggest_s\n", header.c_str());
    for (const BenchmarkSummary& summary : summaries) {
        std::printf("%-*s %-*s ", static_cast<int>(nameWidth), summary.problem.c_str(),
                    static_cast<int>(strategyWidth), summary.strategy.c_str());
        for (const auto& [trial, q] : summary.regretAt)
            std::printf(" %-36s", cellOf(q, "%.3g (%.3g [%.3g, %.3g])").c_str());
        std::printf(" %.4f\n", summary.medianSuggestSeconds);
    }
    bool headed = false;
    for (std::size_t i = 0; i < summaries.size(); ++i) {
        const BenchmarkSummary& summary = summaries[i];
        if (summary.hypervolumeAt.empty())
            continue;
        if (!headed) {
            std::printf(
                "\nhypervolume ratio (found / HV*): mean, then median [q25, q75] over %d "
                "seeds\n",
                config.seeds);
            std::string line = "problem" + std::string(nameWidth - 6, ' ') + strategyTitle;
            for (const auto& [trial, quartiles] : summary.hypervolumeAt) {
                std::string title = "hv_ratio@" + std::to_string(trial);
                line += " " + title + std::string(title.size() < 36 ? 36 - title.size() : 1, ' ');
            }
            std::printf("%s HV*\n", line.c_str());
            headed = true;
        }
        const BenchmarkProblem& problem = config.problems[i / config.strategies.size()];
        const double best = hypervolumeTarget(problem).best;
        std::printf("%-*s %-*s ", static_cast<int>(nameWidth), summary.problem.c_str(),
                    static_cast<int>(strategyWidth), summary.strategy.c_str());
        for (auto [trial, q] : summary.hypervolumeAt) {
            for (double* v : {&q.mean, &q.median, &q.q25, &q.q75})
                *v /= best;
            std::printf(" %-36s", cellOf(q, "%.4f (%.4f [%.4f, %.4f])").c_str());
        }
        std::printf(" %.5g\n", best);
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

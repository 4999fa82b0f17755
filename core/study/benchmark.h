#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "objectives/objective.h"

namespace bonsai {

// `bonsai-cli bench`: runs every strategy on every test problem for several
// seeds and records simple regret per trial, so strategies can be compared on
// equal budgets.
struct BenchmarkProblem {
    std::string function;  // a built-in test function
    int dimension = 0;     // "ackley:5" -> 5; fixed-dimension functions use their own
    std::string label() const;
};

// "branin", "ackley:5" -> problem; throws SpecError(path) naming the problem.
BenchmarkProblem parseBenchmarkProblem(const std::string& text, const std::string& path);

struct BenchmarkConfig {
    std::vector<std::string> strategies;  // strategy kinds, e.g. gp, tpe, random, sobol
    std::vector<BenchmarkProblem> problems;
    int seeds = 10;
    int trials = 50;
    int jobs = 1;  // runs in parallel
};

// One row per (problem, strategy, seed, trial).
struct BenchmarkRow {
    std::string problem;
    std::string strategy;
    int seed = 0;
    int trial = 0;
    double value = 0.0;
    double bestSoFar = 0.0;
    double regret = 0.0;  // bestSoFar - optimum (>= 0 up to rounding)
    double suggestSeconds = 0.0;
};

struct BenchmarkSummary {
    std::string problem;
    std::string strategy;
    struct Quartiles {
        double q25, median, q75;
    };
    std::vector<std::pair<int, Quartiles>> regretAt;  // (trial count, regret quartiles over seeds)
    double medianSuggestSeconds = 0.0;
};

// The spec of one benchmark run (also what `bench` would store).
Json benchmarkSpec(const BenchmarkProblem& problem, const std::string& strategy, int seed,
                   int trials);

// Runs everything; `progress(done, total)` is called after each run (from worker threads,
// serialized). Throws SpecError for an unknown strategy or problem before running anything.
std::vector<BenchmarkRow> runBenchmark(const BenchmarkConfig& config,
                                       const std::function<void(int, int)>& progress = {});

// Regret quartiles at trials 10, 25 and the last, and the median suggestion time.
std::vector<BenchmarkSummary> summarizeBenchmark(const BenchmarkConfig& config,
                                                 const std::vector<BenchmarkRow>& rows);

std::string benchmarkCsv(const std::vector<BenchmarkRow>& rows);

}  // namespace bonsai

#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "objectives/objective.h"

namespace bonsai {

// `bonsai-cli bench`: runs every strategy on every test problem for several
// seeds and records simple regret per trial, so strategies can be compared on
// equal budgets.
//
// Multi-objective problems record the hypervolume of the feasible Pareto set
// so far against a fixed reference point per problem, and as regret the gap
// to the best possible hypervolume (HV* - HV):
//  - zdt1, zdt2 (30 variables; "zdt1:6" for 6): f1, f2 minimized, reference
//    (1.1, 11); HV* = 1.1 * 11 - 1/3 (ZDT1) or - 2/3 (ZDT2), the area under
//    the known fronts 1 - sqrt(f1) and 1 - f1^2.
//  - dtlz2 (12 variables; "dtlz2:6" for 6): f1, f2, f3 minimized, reference
//    (1.1, 1.1, 1.1); HV* = 1.1^3 - pi/6, the cube less the unit ball's octant.
//  - nb201-params: NAS-Bench-201 cells on CIFAR-10, 12-epoch validation
//    accuracy (maximized, %) against parameters (minimized, millions), read
//    from nb201_accuracy.csv (the "tabular" objective); reference (0 %,
//    1.6 M), just past the largest cell's 1.53 M; HV* from the whole table.
//  - nb201-hw:<dataset>:<latency column>: 12-epoch validation accuracy on
//    cifar10, cifar100 or imagenet16 (maximized) against a device latency of
//    nb201_latency_hwnasbench.csv (minimized), the two tables joined on
//    arch_str; reference: the table's median accuracy and median latency;
//    HV* from the whole table.
//
// nb201:<dataset> is single-objective: 12-epoch validation accuracy on the
// dataset, maximized; regret is the table's best accuracy minus the best found.
struct BenchmarkProblem {
    std::string function;       // a built-in test function, "nb201", "nb201-hw" or "nb201-params"
    int dimension = 0;          // "ackley:5" -> 5; fixed-dimension functions use their own
    std::string table;          // nb201 problems: the path of nb201_accuracy.csv
    std::string dataset;        // nb201, nb201-hw: cifar10, cifar100 or imagenet16
    std::string latencyTable;   // nb201-hw: the path of nb201_latency_hwnasbench.csv
    std::string latencyColumn;  // nb201-hw: e.g. lat_pixel3_ms
    // nb201, nb201-hw: the accuracy column searched, e.g. cifar10_valid_acc_12ep.
    std::string accuracyColumn() const;
    std::string label() const;
    bool multiObjective() const;
};

// The NAS-Bench-201 problems' names ("nb201-params", "nb201", "nb201-hw").
std::vector<std::string> nb201BenchmarkProblems();

// "branin", "ackley:5", "zdt1:6", "nb201-params", "nb201:cifar100",
// "nb201-hw:cifar10:lat_pixel3_ms" -> problem; throws SpecError(path) naming
// the problem. nb201 problems read nb201_accuracy.csv (and nb201-hw
// nb201_latency_hwnasbench.csv) from `nb201Folder`, which must be given and
// hold them.
BenchmarkProblem parseBenchmarkProblem(const std::string& text, const std::string& path,
                                       const std::string& nb201Folder = "");

struct BenchmarkConfig {
    // Strategy kinds, e.g. gp, tpe, random, sobol; "gp/output_warping=none"
    // adds settings to the kind's spec.
    std::vector<std::string> strategies;
    std::vector<BenchmarkProblem> problems;
    int seeds = 10;
    // Seeds run: firstSeed .. firstSeed + seeds - 1 (so new seeds can be
    // studied without rerunning the ones a figure was measured on).
    int firstSeed = 0;
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
    // Multi-objective problems: value is the first objective's, bestSoFar the
    // hypervolume so far (also here) and regret HV* - hypervolume.
    std::optional<double> hypervolume;
};

struct BenchmarkSummary {
    std::string problem;
    std::string strategy;
    struct Quartiles {
        double q25, median, q75;
        double mean = 0.0;
    };
    std::vector<std::pair<int, Quartiles>> regretAt;  // (trial count, regret quartiles over seeds)
    double medianSuggestSeconds = 0.0;
    // Multi-objective problems: hypervolume quartiles at the same trial counts.
    std::vector<std::pair<int, Quartiles>> hypervolumeAt;
};

// A multi-objective problem's hypervolume reference point and best possible
// hypervolume, both as losses (every objective minimized).
struct HypervolumeTarget {
    std::vector<double> reference;
    double best = 0.0;
};
HypervolumeTarget hypervolumeTarget(const BenchmarkProblem& problem);

// The spec of one benchmark run (also what `bench` would store).
Json benchmarkSpec(const BenchmarkProblem& problem, const std::string& strategy, int seed,
                   int trials);

// Runs everything; `progress(done, total)` is called after each run (from worker threads,
// serialized). Throws SpecError for an unknown strategy or problem before running anything.
std::vector<BenchmarkRow> runBenchmark(const BenchmarkConfig& config,
                                       const std::function<void(int, int)>& progress = {});

// Regret quartiles and means at trials 10, 25, 50, 100 (those within the
// budget) and the last, and the median suggestion time.
std::vector<BenchmarkSummary> summarizeBenchmark(const BenchmarkConfig& config,
                                                 const std::vector<BenchmarkRow>& rows);

// One row per BenchmarkRow; a "hypervolume" column is added when any row has one.
std::string benchmarkCsv(const std::vector<BenchmarkRow>& rows);

}  // namespace bonsai

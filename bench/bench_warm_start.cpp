// Warm start on NAS-Bench-201 (issue 15): does a study that starts from a
// finished study on another dataset find good cells sooner?
//
// For each seed: a finished `source-trials` study on the source dataset
// (cold), then on the target dataset a warm-started study of `warm-trials`
// (warm_start: {"studies": [the source study]}) and a cold study of
// `cold-trials`, same strategy and seed. Regret is the table's best 12-epoch
// validation accuracy on the target minus the best found so far. Prints the
// mean (and median) regret over seeds of the warm start at 10, 20 and 30
// queries against the cold start at 10, 20, 30 and 100.
//
//   bench-warm-start --nb201 DIR [--seeds 10] [--strategy gp] [--source cifar10]
//                    [--target cifar100] [--source-trials 100] [--warm-trials 30]
//                    [--cold-trials 100] [--jobs 1]
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "objectives/csv_table.h"
#include "study/benchmark.h"
#include "study/study.h"
#include "util/spec_error.h"

using namespace bonsai;

namespace {

struct Options {
    std::string nb201;
    int seeds = 10;
    std::string strategy = "gp";
    std::string source = "cifar10";
    std::string target = "cifar100";
    int sourceTrials = 100;
    int warmTrials = 30;
    int coldTrials = 100;
    int jobs = 1;
};

[[noreturn]] void usage(const char* message) {
    std::fprintf(stderr,
                 "%s\nusage: bench-warm-start --nb201 DIR [--seeds N] [--strategy KIND] "
                 "[--source DATASET] [--target DATASET] [--source-trials N] [--warm-trials N] "
                 "[--cold-trials N] [--jobs N]\n",
                 message);
    std::exit(2);
}

Options parseOptions(int argc, char** argv) {
    Options out;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (i + 1 >= argc)
            usage(("missing value after " + flag).c_str());
        const std::string value = argv[++i];
        auto number = [&] {
            char* end = nullptr;
            long parsed = std::strtol(value.c_str(), &end, 10);
            if (*end || parsed < 1 || parsed > 100000)
                usage((flag + " needs a whole number >= 1 (got " + value + ")").c_str());
            return static_cast<int>(parsed);
        };
        if (flag == "--nb201")
            out.nb201 = value;
        else if (flag == "--seeds")
            out.seeds = number();
        else if (flag == "--strategy")
            out.strategy = value;
        else if (flag == "--source")
            out.source = value;
        else if (flag == "--target")
            out.target = value;
        else if (flag == "--source-trials")
            out.sourceTrials = number();
        else if (flag == "--warm-trials")
            out.warmTrials = number();
        else if (flag == "--cold-trials")
            out.coldTrials = number();
        else if (flag == "--jobs")
            out.jobs = number();
        else
            usage(("unknown option " + flag).c_str());
    }
    if (out.nb201.empty())
        usage("--nb201 DIR is required (the folder holding nb201_accuracy.csv)");
    return out;
}

// Best-so-far accuracy after each trial of a finished study.
std::vector<double> bestSoFar(const Study& study) {
    std::vector<double> out;
    double best = -INFINITY;
    for (const Trial& trial : study.trials()) {
        best = std::max(best, trial.value.value_or(-INFINITY));
        out.push_back(best);
    }
    return out;
}

struct SeedResult {
    std::vector<double> warm, cold;  // best so far per query
    double sourceBest = 0.0;
    int priors = 0;
};

SeedResult runSeed(const Options& options, const BenchmarkProblem& source,
                   const BenchmarkProblem& target, int seed) {
    ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
    Database db(":memory:");
    std::atomic<bool> stop{false};
    auto run = [&](Json spec) {
        Study study = Study::create(db, parseStudySpec(spec, objectives), objectives);
        study.run(stop);
        return study;
    };
    SeedResult out;
    Json sourceSpec = benchmarkSpec(source, options.strategy, seed, options.sourceTrials);
    sourceSpec["name"] = "source";
    Study finished = run(sourceSpec);
    out.sourceBest = bestSoFar(finished).back();

    Json warmSpec = benchmarkSpec(target, options.strategy, seed, options.warmTrials);
    warmSpec["name"] = "warm";
    warmSpec["warm_start"] = {{"studies", {"source"}}};
    Study warm = run(warmSpec);
    out.warm = bestSoFar(warm);
    out.priors = static_cast<int>(warm.spec().warmStart.observations->size());

    Json coldSpec = benchmarkSpec(target, options.strategy, seed, options.coldTrials);
    coldSpec["name"] = "cold";
    out.cold = bestSoFar(run(coldSpec));
    return out;
}

double tableBest(const BenchmarkProblem& problem) {
    auto table = CsvTable::load(problem.table);
    const std::size_t column = *table->column(problem.accuracyColumn());
    double best = -INFINITY;
    for (std::size_t row = 0; row < table->rowCount(); ++row)
        if (auto value = parseCsvNumber(table->cell(row, column)))
            best = std::max(best, *value);
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    const Options options = parseOptions(argc, argv);
    BenchmarkProblem source, target;
    try {
        source = parseBenchmarkProblem("nb201:" + options.source, "--source", options.nb201);
        target = parseBenchmarkProblem("nb201:" + options.target, "--target", options.nb201);
    } catch (const SpecError& error) {
        usage(error.what());
    }
    const double optimum = tableBest(target);

    std::vector<SeedResult> results(static_cast<std::size_t>(options.seeds));
    std::atomic<int> next{0};
    std::mutex printing;
    auto worker = [&] {
        for (int seed = next++; seed < options.seeds; seed = next++) {
            results[static_cast<std::size_t>(seed)] = runSeed(options, source, target, seed);
            std::lock_guard lock(printing);
            const SeedResult& r = results[static_cast<std::size_t>(seed)];
            std::fprintf(stderr,
                         "seed %d: source best %.3f (%d priors); warm @%d regret %.3f, "
                         "cold @%d regret %.3f\n",
                         seed, r.sourceBest, r.priors, options.warmTrials, optimum - r.warm.back(),
                         options.coldTrials, optimum - r.cold.back());
        }
    };
    std::vector<std::thread> threads;
    for (int j = 0; j < std::max(1, options.jobs); ++j)
        threads.emplace_back(worker);
    for (std::thread& thread : threads)
        thread.join();

    // Regret at `queries` over seeds: mean and median.
    auto regretAt = [&](bool warm, int queries) {
        std::vector<double> regrets;
        for (const SeedResult& r : results) {
            const std::vector<double>& best = warm ? r.warm : r.cold;
            if (best.empty() || static_cast<int>(best.size()) < queries)
                return std::pair<double, double>(NAN, NAN);
            regrets.push_back(std::max(0.0, optimum - best[static_cast<std::size_t>(queries - 1)]));
        }
        double mean = 0.0;
        for (double r : regrets)
            mean += r / static_cast<double>(regrets.size());
        std::sort(regrets.begin(), regrets.end());
        const std::size_t n = regrets.size();
        double median = n % 2 ? regrets[n / 2] : 0.5 * (regrets[n / 2 - 1] + regrets[n / 2]);
        return std::pair<double, double>(mean, median);
    };

    std::printf(
        "warm start %s -> %s, strategy %s, %d seeds; source studies of %d trials; table "
        "best %s 12-epoch validation accuracy %.3f\n\n",
        options.source.c_str(), options.target.c_str(), options.strategy.c_str(), options.seeds,
        options.sourceTrials, options.target.c_str(), optimum);
    std::printf("| start | queries | mean regret | median regret |\n|---|---|---|---|\n");
    for (int queries : {10, 20, 30, 50, 100}) {
        if (queries <= options.warmTrials) {
            auto [mean, median] = regretAt(true, queries);
            std::printf("| warm | %d | %.3f | %.3f |\n", queries, mean, median);
        }
    }
    for (int queries : {10, 20, 30, 50, 100}) {
        if (queries <= options.coldTrials) {
            auto [mean, median] = regretAt(false, queries);
            std::printf("| cold | %d | %.3f | %.3f |\n", queries, mean, median);
        }
    }
    const double warm30 = regretAt(true, std::min(30, options.warmTrials)).first;
    const double cold100 = regretAt(false, std::min(100, options.coldTrials)).first;
    std::printf("\ngoal (warm @%d mean regret <= cold @%d): %s (%.3f vs %.3f)\n",
                std::min(30, options.warmTrials), std::min(100, options.coldTrials),
                warm30 <= cold100 + 1e-9 ? "met" : "not met", warm30, cold100);
    return 0;
}

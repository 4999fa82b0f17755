#include "study/benchmark.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <mutex>
#include <sstream>
#include <thread>

#include "objectives/test_functions.h"
#include "study/study.h"

namespace bonsai {

namespace {

double quantile(std::vector<double> values, double q) {
    if (values.empty())
        return std::nan("");
    std::sort(values.begin(), values.end());
    double position = q * static_cast<double>(values.size() - 1);
    auto lower = static_cast<std::size_t>(std::floor(position));
    std::size_t upper = std::min(lower + 1, values.size() - 1);
    double fraction = position - static_cast<double>(lower);
    return values[lower] * (1.0 - fraction) + values[upper] * fraction;
}

int dimensionOf(const BenchmarkProblem& problem) {
    const TestFunction* function = findTestFunction(problem.function);
    return function->dimension ? function->dimension : problem.dimension;
}

// Runs one (problem, strategy, seed) study in memory and returns its rows.
std::vector<BenchmarkRow> runOne(const BenchmarkProblem& problem, const std::string& strategy,
                                 int seed, int trials) {
    const TestFunction& function = *findTestFunction(problem.function);
    ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
    Database database(":memory:");
    Study study = Study::create(
        database, parseStudySpec(benchmarkSpec(problem, strategy, seed, trials), objectives),
        objectives);
    std::atomic<bool> stop{false};
    study.run(stop);

    std::vector<BenchmarkRow> rows;
    double optimum = function.optimum(dimensionOf(problem));
    double best = INFINITY;
    for (const Trial& trial : study.trials()) {
        double value = trial.value.value_or(INFINITY);
        best = std::min(best, value);
        rows.push_back({problem.label(), strategy, seed, trial.number + 1, value, best,
                        std::max(0.0, best - optimum), trial.attrs.value("suggest_seconds", 0.0)});
    }
    return rows;
}

}  // namespace

std::string BenchmarkProblem::label() const {
    const TestFunction* f = findTestFunction(function);
    if (f && f->dimension)
        return function;
    return function + ":" + std::to_string(dimension);
}

BenchmarkProblem parseBenchmarkProblem(const std::string& text, const std::string& path) {
    BenchmarkProblem problem;
    auto colon = text.find(':');
    problem.function = text.substr(0, colon);
    const TestFunction* function = findTestFunction(problem.function);
    if (!function) {
        std::string message = "unknown problem '" + problem.function + "'";
        std::string suggestion = closestMatch(problem.function, testFunctionNames());
        if (!suggestion.empty())
            message += "; did you mean '" + suggestion + "'?";
        throw SpecError(path, message + " (known: " + joinNames(testFunctionNames()) + ")");
    }
    if (colon == std::string::npos) {
        if (function->dimension == 0)
            throw SpecError(
                path, problem.function + " needs a dimension, e.g. " + problem.function + ":5");
        problem.dimension = function->dimension;
        return problem;
    }
    std::string digits = text.substr(colon + 1);
    int dimension = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), dimension);
    if (error != std::errc() || end != digits.data() + digits.size() || dimension < 1 ||
        dimension > 100)
        throw SpecError(path, "'" + text + "': the dimension must be a whole number from 1 to 100");
    if (function->dimension != 0 && dimension != function->dimension)
        throw SpecError(path,
                        problem.function + " has dimension " + std::to_string(function->dimension));
    problem.dimension = dimension;
    return problem;
}

Json benchmarkSpec(const BenchmarkProblem& problem, const std::string& strategy, int seed,
                   int trials) {
    const TestFunction& function = *findTestFunction(problem.function);
    Json space = Json::array();
    for (int i = 0; i < dimensionOf(problem); ++i) {
        auto [low, high] = function.domain(i);
        space.push_back({{"name", "x" + std::to_string(i + 1)},
                         {"type", "float"},
                         {"low", low},
                         {"high", high}});
    }
    return {{"name", problem.label() + "-" + strategy + "-" + std::to_string(seed)},
            {"direction", "minimize"},
            {"objective", {{"kind", "function"}, {"function", problem.function}}},
            {"space", space},
            {"strategy", {{"kind", strategy}}},
            {"budget", {{"trials", trials}}},
            {"seed", seed}};
}

std::vector<BenchmarkRow> runBenchmark(const BenchmarkConfig& config,
                                       const std::function<void(int, int)>& progress) {
    // Validate every combination before spending time on any.
    ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
    for (const auto& problem : config.problems)
        for (const auto& strategy : config.strategies)
            parseStudySpec(benchmarkSpec(problem, strategy, 0, config.trials), objectives);

    struct Run {
        const BenchmarkProblem* problem;
        const std::string* strategy;
        int seed;
    };
    std::vector<Run> runs;
    for (const auto& problem : config.problems)
        for (const auto& strategy : config.strategies)
            for (int seed = 0; seed < config.seeds; ++seed)
                runs.push_back({&problem, &strategy, seed});

    std::vector<std::vector<BenchmarkRow>> results(runs.size());
    std::atomic<std::size_t> next{0};
    std::mutex progressMutex;
    int done = 0;
    auto worker = [&] {
        for (std::size_t i = next++; i < runs.size(); i = next++) {
            results[i] = runOne(*runs[i].problem, *runs[i].strategy, runs[i].seed, config.trials);
            std::lock_guard lock(progressMutex);
            ++done;
            if (progress)
                progress(done, static_cast<int>(runs.size()));
        }
    };
    std::vector<std::thread> threads;
    for (int j = 1; j < std::max(1, config.jobs); ++j)
        threads.emplace_back(worker);
    worker();
    for (auto& thread : threads)
        thread.join();

    std::vector<BenchmarkRow> rows;
    for (auto& result : results)
        rows.insert(rows.end(), result.begin(), result.end());
    return rows;
}

std::vector<BenchmarkSummary> summarizeBenchmark(const BenchmarkConfig& config,
                                                 const std::vector<BenchmarkRow>& rows) {
    std::vector<int> checkpoints;
    for (int t : {10, 25, config.trials})
        if (t <= config.trials &&
            std::find(checkpoints.begin(), checkpoints.end(), t) == checkpoints.end())
            checkpoints.push_back(t);

    std::vector<BenchmarkSummary> out;
    for (const auto& problem : config.problems) {
        for (const auto& strategy : config.strategies) {
            BenchmarkSummary summary{problem.label(), strategy, {}, 0.0};
            std::vector<double> suggestTimes;
            for (int checkpoint : checkpoints) {
                std::vector<double> regrets;
                for (const BenchmarkRow& row : rows)
                    if (row.problem == summary.problem && row.strategy == strategy &&
                        row.trial == checkpoint)
                        regrets.push_back(row.regret);
                summary.regretAt.push_back(
                    {checkpoint,
                     {quantile(regrets, 0.25), quantile(regrets, 0.5), quantile(regrets, 0.75)}});
            }
            for (const BenchmarkRow& row : rows)
                if (row.problem == summary.problem && row.strategy == strategy)
                    suggestTimes.push_back(row.suggestSeconds);
            summary.medianSuggestSeconds = quantile(suggestTimes, 0.5);
            out.push_back(std::move(summary));
        }
    }
    return out;
}

std::string benchmarkCsv(const std::vector<BenchmarkRow>& rows) {
    std::ostringstream out;
    out.precision(17);
    out << "problem,strategy,seed,trial,value,best_so_far,regret,suggest_seconds\n";
    for (const BenchmarkRow& row : rows)
        out << row.problem << ',' << row.strategy << ',' << row.seed << ',' << row.trial << ','
            << row.value << ',' << row.bestSoFar << ',' << row.regret << ',' << row.suggestSeconds
            << '\n';
    return out.str();
}

}  // namespace bonsai

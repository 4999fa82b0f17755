#include "study/benchmark.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <thread>

#include "multi/pareto.h"
#include "objectives/csv_table.h"
#include "objectives/test_functions.h"
#include "study/multi_objective.h"
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

// The NAS-Bench-201 problem: 12-epoch CIFAR-10 validation accuracy against
// parameter count, both columns of nb201_accuracy.csv.
const char* kNb201Params = "nb201-params";
const char* kNb201File = "nb201_accuracy.csv";
const char* kNb201Accuracy = "cifar10_valid_acc_12ep";
const char* kNb201Size = "params_M";
constexpr double kNb201AccuracyReference = 0.0;  // %
constexpr double kNb201SizeReference = 1.6;      // M; the largest cell has 1.53
constexpr double kZdtReference[2] = {1.1, 11.0};
constexpr int kZdtDefaultDimension = 30;

int dimensionOf(const BenchmarkProblem& problem) {
    const TestFunction* function = findTestFunction(problem.function);
    return function && function->dimension ? function->dimension : problem.dimension;
}

std::vector<std::string> knownProblems() {
    std::vector<std::string> names = testFunctionNames();
    for (const std::string& name : multiObjectiveTestFunctionNames())
        names.push_back(name);
    for (const std::string& name : nb201BenchmarkProblems())
        names.push_back(name);
    return names;
}

std::vector<BenchmarkRow> multiObjectiveRows(const BenchmarkProblem& problem,
                                             const std::string& strategy, int seed,
                                             const Study& study) {
    const double best = hypervolumeTarget(problem).best;
    const std::vector<Trial>& trials = study.trials();
    std::vector<BenchmarkRow> rows;
    for (std::size_t k = 0; k < trials.size(); ++k) {
        const Trial& trial = trials[k];
        double volume = studyHypervolume(std::span(trials.data(), k + 1), study.spec());
        rows.push_back({problem.label(), strategy, seed, trial.number + 1,
                        trial.value.value_or(INFINITY), volume, std::max(0.0, best - volume),
                        trial.attrs.value("suggest_seconds", 0.0), volume});
    }
    return rows;
}

// Runs one (problem, strategy, seed) study in memory and returns its rows.
std::vector<BenchmarkRow> runOne(const BenchmarkProblem& problem, const std::string& strategy,
                                 int seed, int trials) {
    ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
    Database database(":memory:");
    Study study = Study::create(
        database, parseStudySpec(benchmarkSpec(problem, strategy, seed, trials), objectives),
        objectives);
    std::atomic<bool> stop{false};
    study.run(stop);
    if (problem.multiObjective())
        return multiObjectiveRows(problem, strategy, seed, study);

    const TestFunction& function = *findTestFunction(problem.function);
    std::vector<BenchmarkRow> rows;
    double optimum = function.optimum(dimensionOf(problem));
    double best = INFINITY;
    for (const Trial& trial : study.trials()) {
        double value = trial.value.value_or(INFINITY);
        best = std::min(best, value);
        rows.push_back({problem.label(), strategy, seed, trial.number + 1, value, best,
                        std::max(0.0, best - optimum), trial.attrs.value("suggest_seconds", 0.0),
                        std::nullopt});
    }
    return rows;
}

}  // namespace

std::string BenchmarkProblem::label() const {
    const TestFunction* f = findTestFunction(function);
    if ((f && f->dimension) || function == kNb201Params)
        return function;
    return function + ":" + std::to_string(dimension);
}

bool BenchmarkProblem::multiObjective() const {
    return findMultiObjectiveTestFunction(function) || function == kNb201Params;
}

std::vector<std::string> nb201BenchmarkProblems() {
    return {kNb201Params};
}

BenchmarkProblem parseBenchmarkProblem(const std::string& text, const std::string& path,
                                       const std::string& nb201Folder) {
    BenchmarkProblem problem;
    auto colon = text.find(':');
    problem.function = text.substr(0, colon);
    if (problem.function == kNb201Params) {
        if (colon != std::string::npos)
            throw SpecError(path, problem.function + " takes no dimension (got '" + text + "')");
        if (nb201Folder.empty())
            throw SpecError(path, problem.function +
                                      " needs the NAS-Bench-201 table: pass --nb201 FOLDER (the "
                                      "folder holding " +
                                      kNb201File + ") or set BONSAI_NB201_DIR");
        problem.table = (std::filesystem::path(nb201Folder) / kNb201File).string();
        if (!std::filesystem::is_regular_file(problem.table))
            throw SpecError(path, problem.function + " needs " + problem.table +
                                      ", which does not exist; point --nb201 at the folder "
                                      "holding " +
                                      kNb201File);
        return problem;
    }
    if (const MultiObjectiveTestFunction* multi =
            findMultiObjectiveTestFunction(problem.function)) {
        problem.dimension = kZdtDefaultDimension;
        if (colon == std::string::npos)
            return problem;
        std::string digits = text.substr(colon + 1);
        auto [end, error] =
            std::from_chars(digits.data(), digits.data() + digits.size(), problem.dimension);
        if (error != std::errc() || end != digits.data() + digits.size() ||
            problem.dimension < multi->minDimension || problem.dimension > 100)
            throw SpecError(path, "'" + text + "': the dimension must be a whole number from " +
                                      std::to_string(multi->minDimension) + " to 100");
        return problem;
    }
    const TestFunction* function = findTestFunction(problem.function);
    if (!function) {
        std::string message = "unknown problem '" + problem.function + "'";
        std::string suggestion = closestMatch(problem.function, knownProblems());
        if (!suggestion.empty())
            message += "; did you mean '" + suggestion + "'?";
        throw SpecError(path, message + " (known: " + joinNames(knownProblems()) + ")");
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

HypervolumeTarget hypervolumeTarget(const BenchmarkProblem& problem) {
    if (const MultiObjectiveTestFunction* multi = findMultiObjectiveTestFunction(problem.function))
        return {{kZdtReference[0], kZdtReference[1]},
                kZdtReference[0] * kZdtReference[1] - multi->frontArea};
    if (problem.function != kNb201Params)
        throw std::invalid_argument(problem.label() + " is not a multi-objective problem");
    // The whole table's hypervolume: what a search that saw every cell gets.
    std::shared_ptr<const CsvTable> table = CsvTable::load(problem.table);
    auto accuracy = table->column(kNb201Accuracy), size = table->column(kNb201Size);
    if (!accuracy || !size)
        throw std::runtime_error(problem.table + " has no " + kNb201Accuracy + " or " + kNb201Size +
                                 " column; is it nb201_accuracy.csv?");
    std::vector<LossVector> points;
    for (std::size_t row = 0; row < table->rowCount(); ++row) {
        auto a = parseCsvNumber(table->cell(row, *accuracy));
        auto p = parseCsvNumber(table->cell(row, *size));
        if (a && p)
            points.push_back({-*a, *p});
    }
    LossVector reference = {-kNb201AccuracyReference, kNb201SizeReference};
    return {reference, hypervolume(points, reference)};
}

Json benchmarkSpec(const BenchmarkProblem& problem, const std::string& strategy, int seed,
                   int trials) {
    const std::string name = problem.label() + "-" + strategy + "-" + std::to_string(seed);
    if (problem.function == kNb201Params) {
        return {{"name", name},
                {"objective",
                 {{"kind", "tabular"},
                  {"file", problem.table},
                  {"key", "arch_str"},
                  {"metric", kNb201Accuracy},
                  {"report", {kNb201Size}}}},
                {"objectives",
                 {{{"name", "accuracy"},
                   {"direction", "maximize"},
                   {"reference", kNb201AccuracyReference}},
                  {{"name", kNb201Size},
                   {"direction", "minimize"},
                   {"reference", kNb201SizeReference}}}},
                {"space", {{{"name", "cell"}, {"type", "nb201-cell"}}}},
                {"strategy", {{"kind", strategy}}},
                {"budget", {{"trials", trials}}},
                {"seed", seed}};
    }
    if (const MultiObjectiveTestFunction* multi =
            findMultiObjectiveTestFunction(problem.function)) {
        Json space = Json::array();
        for (int i = 0; i < problem.dimension; ++i)
            space.push_back({{"name", "x" + std::to_string(i + 1)},
                             {"type", "float"},
                             {"low", multi->domain.first},
                             {"high", multi->domain.second}});
        Json objectives = Json::array();
        for (std::size_t i = 0; i < multi->objectiveNames.size(); ++i)
            objectives.push_back({{"name", multi->objectiveNames[i]},
                                  {"direction", "minimize"},
                                  {"reference", kZdtReference[i]}});
        return {{"name", name},
                {"objective", {{"kind", "function"}, {"function", problem.function}}},
                {"objectives", objectives},
                {"space", space},
                {"strategy", {{"kind", strategy}}},
                {"budget", {{"trials", trials}}},
                {"seed", seed}};
    }
    const TestFunction& function = *findTestFunction(problem.function);
    Json space = Json::array();
    for (int i = 0; i < dimensionOf(problem); ++i) {
        auto [low, high] = function.domain(i);
        space.push_back({{"name", "x" + std::to_string(i + 1)},
                         {"type", "float"},
                         {"low", low},
                         {"high", high}});
    }
    return {{"name", name},
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
            BenchmarkSummary summary{problem.label(), strategy, {}, 0.0, {}};
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
            if (problem.multiObjective()) {
                for (int checkpoint : checkpoints) {
                    std::vector<double> volumes;
                    for (const BenchmarkRow& row : rows)
                        if (row.problem == summary.problem && row.strategy == strategy &&
                            row.trial == checkpoint && row.hypervolume)
                            volumes.push_back(*row.hypervolume);
                    summary.hypervolumeAt.push_back(
                        {checkpoint,
                         {quantile(volumes, 0.25), quantile(volumes, 0.5),
                          quantile(volumes, 0.75)}});
                }
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
    const bool volumes = std::any_of(rows.begin(), rows.end(),
                                     [](const BenchmarkRow& row) { return row.hypervolume; });
    out << "problem,strategy,seed,trial,value,best_so_far,regret,suggest_seconds"
        << (volumes ? ",hypervolume\n" : "\n");
    for (const BenchmarkRow& row : rows) {
        out << row.problem << ',' << row.strategy << ',' << row.seed << ',' << row.trial << ','
            << row.value << ',' << row.bestSoFar << ',' << row.regret << ',' << row.suggestSeconds;
        if (volumes) {
            out << ',';
            if (row.hypervolume)
                out << *row.hypervolume;
        }
        out << '\n';
    }
    return out.str();
}

}  // namespace bonsai

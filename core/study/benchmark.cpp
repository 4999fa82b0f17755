#include "study/benchmark.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <mutex>
#include <numeric>
#include <sstream>
#include <thread>
#include <unordered_map>

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

double mean(const std::vector<double>& values) {
    if (values.empty())
        return std::nan("");
    return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

// The NAS-Bench-201 problem: 12-epoch CIFAR-10 validation accuracy against
// parameter count, both columns of nb201_accuracy.csv.
const char* kNb201Params = "nb201-params";
const char* kNb201File = "nb201_accuracy.csv";
const char* kNb201Accuracy = "cifar10_valid_acc_12ep";
const char* kNb201Size = "params_M";
constexpr double kNb201AccuracyReference = 0.0;  // %
constexpr double kNb201SizeReference = 1.6;      // M; the largest cell has 1.53
// nb201:<dataset> and nb201-hw:<dataset>:<latency column>.
const char* kNb201 = "nb201";
const char* kNb201Hw = "nb201-hw";
const char* kNb201LatencyFile = "nb201_latency_hwnasbench.csv";
const char* kNb201Key = "arch_str";
const char* kNb201HwObjective = "nb201-hw-bench";
const std::vector<std::string> kNb201Datasets = {"cifar10", "cifar100", "imagenet16"};

int dimensionOf(const BenchmarkProblem& problem) {
    const TestFunction* function = findTestFunction(problem.function);
    return function && function->dimension ? function->dimension : problem.dimension;
}

bool isNb201Problem(const std::string& function) {
    return function == kNb201Params || function == kNb201 || function == kNb201Hw;
}

// A numeric column of a table; a missing column or a non-number names the file.
std::vector<double> numberColumn(const CsvTable& table, const std::string& file,
                                 const std::string& name) {
    auto column = table.column(name);
    if (!column)
        throw std::runtime_error(file + " has no column '" + name +
                                 "' (columns: " + joinNames(table.header()) + ")");
    std::vector<double> out(table.rowCount());
    for (std::size_t row = 0; row < table.rowCount(); ++row) {
        auto number = parseCsvNumber(table.cell(row, *column));
        if (!number)
            throw std::runtime_error(file + ", line " + std::to_string(table.line(row)) +
                                     ": column '" + name + "' is not a number");
        out[row] = *number;
    }
    return out;
}

// "gp" -> {"kind": "gp"}; "gp/output_warping=none/initial_trials=20" adds
// settings, each value read as JSON when it parses (numbers, true) and as a
// string otherwise, so that variants of a strategy compare side by side.
Json strategySpec(const std::string& text) {
    Json spec = Json::object();
    std::size_t start = 0;
    for (bool first = true;; first = false) {
        const std::size_t end = text.find('/', start);
        const std::string part = text.substr(start, end == std::string::npos ? end : end - start);
        if (first) {
            spec["kind"] = part;
        } else {
            const std::size_t equals = part.find('=');
            if (equals == std::string::npos || equals == 0)
                throw SpecError(
                    "--strategies",
                    "'" + text + "': write kind/setting=value/... (got '" + part + "')");
            const std::string value = part.substr(equals + 1);
            Json parsed = Json::parse(value, nullptr, false);
            spec[part.substr(0, equals)] = parsed.is_discarded() ? Json(value) : parsed;
        }
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    return spec;
}

double median(std::vector<double> values) {
    return quantile(std::move(values), 0.5);
}

// The accuracy and latency tables of an nb201-hw problem joined on arch_str:
// one (accuracy, latency) per cell string. The bench joins them itself so
// that the problem runs whatever the tabular objective supports.
struct JoinedNb201 {
    std::unordered_map<std::string, std::pair<double, double>> byCell;
    double medianAccuracy = 0.0;
    double medianLatency = 0.0;
};

JoinedNb201 joinNb201(const std::string& accuracyFile, const std::string& accuracyColumn,
                      const std::string& latencyFile, const std::string& latencyColumn) {
    std::shared_ptr<const CsvTable> accuracy = CsvTable::load(accuracyFile);
    std::shared_ptr<const CsvTable> latency = CsvTable::load(latencyFile);
    auto accuracyKey = accuracy->column(kNb201Key), latencyKey = latency->column(kNb201Key);
    if (!accuracyKey || !latencyKey)
        throw std::runtime_error(std::string("both tables need an '") + kNb201Key +
                                 "' column to be joined on");
    const std::vector<double> accuracies = numberColumn(*accuracy, accuracyFile, accuracyColumn);
    const std::vector<double> latencies = numberColumn(*latency, latencyFile, latencyColumn);
    std::unordered_map<std::string, double> latencyOf;
    for (std::size_t row = 0; row < latency->rowCount(); ++row)
        latencyOf[latency->cell(row, *latencyKey)] = latencies[row];
    JoinedNb201 joined;
    std::vector<double> joinedAccuracy, joinedLatency;
    for (std::size_t row = 0; row < accuracy->rowCount(); ++row) {
        const std::string& cell = accuracy->cell(row, *accuracyKey);
        auto found = latencyOf.find(cell);
        if (found == latencyOf.end())
            continue;
        joined.byCell[cell] = {accuracies[row], found->second};
        joinedAccuracy.push_back(accuracies[row]);
        joinedLatency.push_back(found->second);
    }
    if (joined.byCell.empty())
        throw std::runtime_error(accuracyFile + " and " + latencyFile +
                                 " have no arch_str in common");
    joined.medianAccuracy = median(joinedAccuracy);
    joined.medianLatency = median(joinedLatency);
    return joined;
}

JoinedNb201 joinNb201(const BenchmarkProblem& problem) {
    return joinNb201(problem.table, problem.accuracyColumn(), problem.latencyTable,
                     problem.latencyColumn);
}

// {"kind": "nb201-hw-bench", "accuracy_file", "accuracy", "latency_file",
// "latency"}: a cell's accuracy (returned) and its latency (the attribute
// named like the latency column), registered only in the bench's own
// objective registry.
class JoinedNb201Objective final : public Objective {
  public:
    explicit JoinedNb201Objective(JsonReader& settings) {
        const std::string accuracyFile = settings.requireString("accuracy_file");
        const std::string accuracyColumn = settings.requireString("accuracy");
        const std::string latencyFile = settings.requireString("latency_file");
        m_latencyName = settings.requireString("latency");
        m_joined = joinNb201(accuracyFile, accuracyColumn, latencyFile, m_latencyName);
    }

    double evaluate(const ParamMap& params, TrialContext& context) override {
        auto cell = params.find("cell");
        if (cell == params.end() || !std::holds_alternative<std::string>(cell->second))
            throw std::runtime_error("nb201-hw needs the nb201-cell parameter 'cell'");
        auto found = m_joined.byCell.find(std::get<std::string>(cell->second));
        if (found == m_joined.byCell.end())
            throw std::runtime_error("no row for cell '" + std::get<std::string>(cell->second) +
                                     "' in the joined tables");
        context.setAttribute(m_latencyName, found->second.second);
        return found->second.first;
    }

  private:
    std::string m_latencyName;
    JoinedNb201 m_joined;
};

ObjectiveRegistry benchmarkObjectives() {
    ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
    objectives.add(kNb201HwObjective, [](JsonReader& settings, const SearchSpace&) {
        return std::make_unique<JoinedNb201Objective>(settings);
    });
    return objectives;
}

// The best value of the nb201 problem's accuracy column over the whole table.
double nb201BestAccuracy(const BenchmarkProblem& problem) {
    std::vector<double> accuracy =
        numberColumn(*CsvTable::load(problem.table), problem.table, problem.accuracyColumn());
    return *std::max_element(accuracy.begin(), accuracy.end());
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
    ObjectiveRegistry objectives = benchmarkObjectives();
    Database database(":memory:");
    Study study = Study::create(
        database, parseStudySpec(benchmarkSpec(problem, strategy, seed, trials), objectives),
        objectives);
    std::atomic<bool> stop{false};
    study.run(stop);
    if (problem.multiObjective())
        return multiObjectiveRows(problem, strategy, seed, study);

    std::vector<BenchmarkRow> rows;
    if (problem.function == kNb201) {  // maximized accuracy
        const double optimum = nb201BestAccuracy(problem);
        double best = -INFINITY;
        for (const Trial& trial : study.trials()) {
            double value = trial.value.value_or(-INFINITY);
            best = std::max(best, value);
            rows.push_back({problem.label(), strategy, seed, trial.number + 1, value, best,
                            std::max(0.0, optimum - best),
                            trial.attrs.value("suggest_seconds", 0.0), std::nullopt});
        }
        return rows;
    }
    const TestFunction& function = *findTestFunction(problem.function);
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
    if (function == kNb201)
        return function + ":" + dataset;
    if (function == kNb201Hw)
        return function + ":" + dataset + ":" + latencyColumn;
    return function + ":" + std::to_string(dimension);
}

std::string BenchmarkProblem::accuracyColumn() const {
    return dataset + "_valid_acc_12ep";
}

bool BenchmarkProblem::multiObjective() const {
    return findMultiObjectiveTestFunction(function) || function == kNb201Params ||
           function == kNb201Hw;
}

std::vector<std::string> nb201BenchmarkProblems() {
    return {kNb201Params, kNb201, kNb201Hw};
}

BenchmarkProblem parseBenchmarkProblem(const std::string& text, const std::string& path,
                                       const std::string& nb201Folder) {
    BenchmarkProblem problem;
    auto colon = text.find(':');
    problem.function = text.substr(0, colon);
    if (isNb201Problem(problem.function)) {
        std::vector<std::string> parts;  // after the name
        for (std::size_t start = colon; start != std::string::npos;) {
            std::size_t end = text.find(':', start + 1);
            parts.push_back(
                text.substr(start + 1, end == std::string::npos ? end : end - start - 1));
            start = end;
        }
        const std::size_t wanted = problem.function == kNb201Params ? 0
                                   : problem.function == kNb201     ? 1
                                                                    : 2;
        const char* form = problem.function == kNb201Params ? "nb201-params"
                           : problem.function == kNb201     ? "nb201:<dataset>"
                                                            : "nb201-hw:<dataset>:<latency column>";
        if (parts.size() != wanted)
            throw SpecError(path, "'" + text + "': write " + form +
                                      " (datasets: " + joinNames(kNb201Datasets) + ")");
        if (wanted > 0) {
            problem.dataset = parts[0];
            if (std::find(kNb201Datasets.begin(), kNb201Datasets.end(), problem.dataset) ==
                kNb201Datasets.end())
                throw SpecError(path, "'" + text + "': unknown dataset '" + problem.dataset +
                                          "' (known: " + joinNames(kNb201Datasets) + ")");
        }
        if (nb201Folder.empty())
            throw SpecError(path, problem.function +
                                      " needs the NAS-Bench-201 table: pass --nb201 FOLDER (the "
                                      "folder holding " +
                                      kNb201File + ") or set BONSAI_NB201_DIR");
        auto require = [&](const char* file) {
            std::string full = (std::filesystem::path(nb201Folder) / file).string();
            if (!std::filesystem::is_regular_file(full))
                throw SpecError(path, problem.function + " needs " + full +
                                          ", which does not exist; point --nb201 at the folder "
                                          "holding " +
                                          file);
            return full;
        };
        problem.table = require(kNb201File);
        if (problem.function == kNb201Hw) {
            problem.latencyTable = require(kNb201LatencyFile);
            problem.latencyColumn = parts[1];
            std::shared_ptr<const CsvTable> latency = CsvTable::load(problem.latencyTable);
            if (!latency->column(problem.latencyColumn) ||
                problem.latencyColumn.rfind("lat_", 0) != 0) {
                std::vector<std::string> columns;
                for (const std::string& name : latency->header())
                    if (name.rfind("lat_", 0) == 0)
                        columns.push_back(name);
                throw SpecError(path, "'" + text + "': no latency column '" +
                                          problem.latencyColumn + "' in " + kNb201LatencyFile +
                                          " (known: " + joinNames(columns) + ")");
            }
        }
        return problem;
    }
    if (const MultiObjectiveTestFunction* multi =
            findMultiObjectiveTestFunction(problem.function)) {
        problem.dimension = multi->paperDimension;
        if (colon == std::string::npos)
            return problem;
        std::string digits = text.substr(colon + 1);
        auto [end, error] =
            std::from_chars(digits.data(), digits.data() + digits.size(), problem.dimension);
        if (error != std::errc() || end != digits.data() + digits.size() ||
            !multi->takesDimension(problem.dimension) || problem.dimension > 100) {
            const int most = multi->maxDimension > 0 ? multi->maxDimension : 100;
            throw SpecError(path, "'" + text + "': " +
                                      (most == multi->minDimension
                                           ? problem.function + " takes exactly " +
                                                 std::to_string(most) + " variables"
                                           : "the dimension must be a whole number from " +
                                                 std::to_string(multi->minDimension) + " to " +
                                                 std::to_string(most)));
        }
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
        return {multi->reference, multi->frontHypervolume};
    if (problem.function == kNb201Hw) {
        JoinedNb201 joined = joinNb201(problem);
        std::vector<LossVector> points;
        for (const auto& [cell, values] : joined.byCell)
            points.push_back({-values.first, values.second});
        LossVector reference = {-joined.medianAccuracy, joined.medianLatency};
        return {reference, hypervolume(points, reference)};
    }
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
    if (problem.function == kNb201) {
        return {{"name", name},
                {"direction", "maximize"},
                {"objective",
                 {{"kind", "tabular"},
                  {"file", problem.table},
                  {"key", kNb201Key},
                  {"metric", problem.accuracyColumn()}}},
                {"space", {{{"name", "cell"}, {"type", "nb201-cell"}}}},
                {"strategy", strategySpec(strategy)},
                {"budget", {{"trials", trials}}},
                {"seed", seed}};
    }
    if (problem.function == kNb201Hw) {
        const HypervolumeTarget target = hypervolumeTarget(problem);
        return {{"name", name},
                {"objective",
                 {{"kind", kNb201HwObjective},
                  {"accuracy_file", problem.table},
                  {"accuracy", problem.accuracyColumn()},
                  {"latency_file", problem.latencyTable},
                  {"latency", problem.latencyColumn}}},
                {"objectives",
                 {{{"name", "accuracy"},
                   {"direction", "maximize"},
                   {"reference", -target.reference[0]}},
                  {{"name", problem.latencyColumn},
                   {"direction", "minimize"},
                   {"reference", target.reference[1]}}}},
                {"space", {{{"name", "cell"}, {"type", "nb201-cell"}}}},
                {"strategy", strategySpec(strategy)},
                {"budget", {{"trials", trials}}},
                {"seed", seed}};
    }
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
                {"strategy", strategySpec(strategy)},
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
                                  {"reference", multi->reference[i]}});
        return {{"name", name},
                {"objective", {{"kind", "function"}, {"function", problem.function}}},
                {"objectives", objectives},
                {"space", space},
                {"strategy", strategySpec(strategy)},
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
            {"strategy", strategySpec(strategy)},
            {"budget", {{"trials", trials}}},
            {"seed", seed}};
}

std::vector<BenchmarkRow> runBenchmark(const BenchmarkConfig& config,
                                       const std::function<void(int, int)>& progress) {
    // Validate every combination before spending time on any.
    ObjectiveRegistry objectives = benchmarkObjectives();
    for (const auto& problem : config.problems)
        for (const auto& strategy : config.strategies) {
            try {
                parseStudySpec(benchmarkSpec(problem, strategy, 0, config.trials), objectives);
            } catch (const SpecError& error) {
                // The user wrote the strategy in --strategies, not in a spec.
                if (error.path().rfind("strategy", 0) != 0)
                    throw;
                throw SpecError("--strategies",
                                "'" + strategy + "' (" + error.path() + "): " + error.message());
            }
        }

    struct Run {
        const BenchmarkProblem* problem;
        const std::string* strategy;
        int seed;
    };
    std::vector<Run> runs;
    for (const auto& problem : config.problems)
        for (const auto& strategy : config.strategies)
            for (int seed = config.firstSeed; seed < config.firstSeed + config.seeds; ++seed)
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
    for (int t : {10, 25, 50, 100, config.trials})
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
                summary.regretAt.push_back({checkpoint,
                                            {quantile(regrets, 0.25), quantile(regrets, 0.5),
                                             quantile(regrets, 0.75), mean(regrets)}});
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
                         {quantile(volumes, 0.25), quantile(volumes, 0.5), quantile(volumes, 0.75),
                          mean(volumes)}});
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

// Multi-objective studies in the engine: objective values read from trial
// attributes (or the returned value), failures that name the missing
// objective, values stored and reloaded, constraints that keep infeasible
// trials from being best, and the Pareto set and hypervolume of a study.
#include <QTemporaryDir>
#include <QtTest>

#include "objectives/test_functions.h"
#include "study/benchmark.h"
#include "study/multi_objective.h"
#include "study/study.h"
#include "support/spec_errors.h"

using namespace bonsai;

namespace {

// Returns x + y and sets "size" = 10 x and "speed" = y (numbers), plus
// "label" (a string) for the bad-attribute case.
class TwoAttributes final : public Objective {
  public:
    double evaluate(const ParamMap& params, TrialContext& context) override {
        double x = std::get<double>(params.at("x"));
        double y = std::get<double>(params.at("y"));
        context.setAttribute("size", 10 * x);
        context.setAttribute("speed", y);
        context.setAttribute("label", "fast");
        return x + y;
    }
};

ObjectiveRegistry registry() {
    ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
    objectives.add("two-attributes", [](JsonReader&, const SearchSpace&) {
        return std::make_unique<TwoAttributes>();
    });
    return objectives;
}

Json spec(const char* name, const char* objectives, const char* constraints = "[]") {
    Json out = Json::parse(R"({
        "objective": {"kind": "two-attributes"},
        "space": [{"name": "x", "type": "float", "low": 0, "high": 1},
                  {"name": "y", "type": "float", "low": 0, "high": 1}],
        "strategy": {"kind": "random"},
        "budget": {"trials": 12},
        "seed": 5
    })");
    out["name"] = name;
    out["objectives"] = Json::parse(objectives);
    out["constraints"] = Json::parse(constraints);
    return out;
}

Trial completeTrial(int number, std::vector<double> values, Json attrs = Json::object()) {
    Trial trial;
    trial.number = number;
    trial.state = TrialState::Complete;
    trial.values = std::move(values);
    if (!trial.values.empty())
        trial.value = trial.values.front();
    trial.attrs = std::move(attrs);
    return trial;
}

}  // namespace

class MultiObjectiveTest : public QObject {
    Q_OBJECT

  private slots:
    void valuesComeFromAttributesThenTheReturnedValue() {
        ObjectiveRegistry objectives = registry();
        Database db(":memory:");
        // "sum" is no attribute: it takes the returned value x + y.
        Study study =
            Study::create(db,
                          parseStudySpec(spec("s", R"([{"name": "size", "direction": "maximize"},
                                          {"name": "sum", "direction": "minimize"},
                                          {"name": "speed", "direction": "minimize"}])"),
                                         objectives),
                          objectives);
        std::atomic<bool> stop{false};
        study.run(stop);
        QCOMPARE(study.trials().size(), std::size_t{12});
        for (const Trial& trial : study.trials()) {
            QCOMPARE(trial.state, TrialState::Complete);
            double x = std::get<double>(trial.params.at("x"));
            double y = std::get<double>(trial.params.at("y"));
            QCOMPARE(trial.values, (std::vector<double>{10 * x, x + y, y}));
            QCOMPARE(*trial.value, trial.values[0]);
        }
        QVERIFY(!study.best());  // several objectives: a Pareto set, no single best
        QVERIFY(!paretoTrials(study.trials(), study.spec()).empty());
    }

    void aMissingObjectiveFailsTheTrialAndSaysWhy() {
        ObjectiveRegistry objectives = registry();
        Database db(":memory:");
        // "latency" is no attribute, and the returned value went to "sum".
        Study study =
            Study::create(db,
                          parseStudySpec(spec("s", R"([{"name": "sum", "direction": "minimize"},
                                          {"name": "latency", "direction": "minimize"}])"),
                                         objectives),
                          objectives);
        std::atomic<bool> stop{false};
        study.run(stop);
        for (const Trial& trial : study.trials()) {
            QCOMPARE(trial.state, TrialState::Failed);
            QVERIFY(trial.values.empty());
            QString error = QString::fromStdString(trial.error);
            QVERIFY2(error.startsWith("objective 'latency': no trial attribute of that name "
                                      "(attributes: "),
                     qPrintable(error));
            QVERIFY2(error.contains("label, ") && error.contains("size") &&
                         error.contains("speed") &&
                         error.endsWith("the returned value is objective 'sum'; set the "
                                        "attribute, or name the objective after one"),
                     qPrintable(error));
        }
    }

    void aNonNumericAttributeFailsTheTrial() {
        Trial trial;
        trial.attrs = {{"label", "fast"}, {"size", 3.0}};
        std::vector<ObjectiveSpec> objectives = {{"size", Direction::Minimize, {}},
                                                 {"label", Direction::Minimize, {}}};
        QCOMPARE(fillObjectiveValues(trial, 1.0, objectives),
                 std::string("objective 'label': trial attribute 'label' is \"fast\", not a "
                             "number"));
        QVERIFY(trial.values.empty());
        // The returned value is only needed when an objective has no attribute.
        objectives[1].name = "other";
        QCOMPARE(fillObjectiveValues(trial, NAN, objectives),
                 std::string("objective 'other': no trial attribute of that name, and the "
                             "objective returned NaN (attributes: label, size)"));
        QCOMPARE(fillObjectiveValues(trial, 2.0, objectives), std::string());
        QCOMPARE(trial.values, (std::vector<double>{3.0, 2.0}));
        trial.attrs["size"] = INFINITY;
        QCOMPARE(fillObjectiveValues(trial, 2.0, objectives),
                 std::string("objective 'size': trial attribute 'size' is infinity"));
    }

    void valuesSurviveReopening() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("mo.db").toStdString();
        ObjectiveRegistry objectives = registry();
        std::vector<Trial> before;
        {
            Database db(path);
            Study study = Study::create(
                db,
                parseStudySpec(spec("s", R"([{"name": "size", "direction": "maximize"},
                                              {"name": "speed", "direction": "minimize"}])",
                                    R"([{"name": "size", "max": 5}])"),
                               objectives),
                objectives);
            std::atomic<bool> stop{false};
            study.run(stop);
            before = study.trials();
        }
        Database db(path);
        Study study = Study::open(db, "s", objectives);
        QCOMPARE(study.spec().objectives.size(), std::size_t{2});
        QCOMPARE(study.spec().constraints.size(), std::size_t{1});
        QCOMPARE(study.trials().size(), before.size());
        for (std::size_t i = 0; i < before.size(); ++i) {
            QCOMPARE(study.trials()[i].values.size(), std::size_t{2});
            QCOMPARE(study.trials()[i].values, before[i].values);
        }
        QCOMPARE(studyHypervolume(study.trials(), study.spec()),
                 studyHypervolume(before, study.spec()));
        // A resumed study goes on with the same objectives.
        study.extendTrialBudget(3);
        std::atomic<bool> stop{false};
        study.run(stop);
        QCOMPARE(study.trials().size(), before.size() + 3);
        QCOMPARE(study.trials().back().values.size(), std::size_t{2});
    }

    void infeasibleTrialsAreNeverBest() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Json json = Json::parse(R"({
            "name": "c", "direction": "minimize",
            "objective": {"kind": "function", "function": "branin"},
            "space": [{"name": "x1", "type": "float", "low": -5, "high": 10},
                      {"name": "x2", "type": "float", "low": 0, "high": 15}],
            "constraints": [{"name": "width", "max": 2}],
            "budget": {"trials": 5}
        })");
        StudySpec spec = parseStudySpec(json, objectives);
        std::vector<Trial> trials = {
            completeTrial(0, {}, {{"width", 5.0}}),  // best value, infeasible
            completeTrial(1, {}, {{"width", 1.0}}),
            completeTrial(2, {}, {}),                // no width: infeasible
            completeTrial(3, {}, {{"width", 2.0}}),  // on the bound: feasible
        };
        trials[0].value = 0.1;
        trials[1].value = 3.0;
        trials[2].value = 0.2;
        trials[3].value = 2.5;
        QCOMPARE(bestTrial(trials, spec.direction)->number, 0);  // ignoring constraints
        QCOMPARE(bestTrial(trials, spec)->number, 3);
        QVERIFY(!isFeasible(trials[0], spec));
        QVERIFY(!isFeasible(trials[2], spec));
        QVERIFY(isFeasible(trials[3], spec));
        trials[3].attrs["width"] = 2.5;
        QCOMPARE(bestTrial(trials, spec)->number, 1);
        trials[1].attrs["width"] = 9.0;
        trials[3].attrs["width"] = 9.0;
        QVERIFY(!bestTrial(trials, spec));  // nothing feasible: no best
        QVERIFY(!bestFeasibleTrial(trials, spec));
        trials[3].attrs["width"] = 2.0;
        QCOMPARE(bestFeasibleTrial(trials, spec)->number, 3);  // as bestTrial(trials, spec)
    }

    // What the studio's cell card and GP plots centre on: never a trial that
    // breaks a constraint, and with several objectives the chosen one's best.
    void theBestFeasibleTrialOfEachObjective() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        StudySpec spec = parseStudySpec(Json::parse(R"({
            "name": "hw", "objective": {"kind": "function", "function": "zdt1"},
            "space": [{"name": "x1", "type": "float", "low": 0, "high": 1},
                      {"name": "x2", "type": "float", "low": 0, "high": 1}],
            "objectives": [{"name": "accuracy", "direction": "maximize"},
                           {"name": "latency", "direction": "minimize"}],
            "constraints": [{"name": "latency", "max": 8}],
            "budget": {"trials": 5}
        })"),
                                        objectives);
        auto scored = [](int number, double accuracy, double latency) {
            Trial trial = completeTrial(number, {}, {});
            trial.value = accuracy;
            trial.values = {accuracy, latency};
            return trial;
        };
        std::vector<Trial> trials = {scored(0, 84.0, 14.5), scored(1, 80.7, 6.0),
                                     scored(2, 73.5, 1.1), scored(3, 80.7, 5.0)};
        trials.push_back(Trial{});  // a running trial counts for nothing
        trials.back().number = 4;
        QCOMPARE(bestTrial(trials, Direction::Maximize)->number, 0);  // too slow
        QCOMPARE(bestFeasibleTrial(trials, spec)->number, 1);         // the earliest of a tie
        QCOMPARE(bestFeasibleTrial(trials, spec, 1)->number, 2);
        QVERIFY(!bestFeasibleTrial(trials, spec, 2));  // no third objective
        for (Trial& trial : trials)
            trial.values = {trial.values.empty() ? 0.0 : trial.values[0], 9.0};
        QVERIFY(!bestFeasibleTrial(trials, spec));  // every one too slow
    }

    void zdt1RunsAsAMultiObjectiveFunction() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Json json = Json::parse(R"({
            "name": "zdt", "objective": {"kind": "function", "function": "zdt1"},
            "objectives": [{"name": "f1", "direction": "minimize", "reference": 1.1},
                           {"name": "f2", "direction": "minimize", "reference": 11}],
            "strategy": {"kind": "sobol"}, "budget": {"trials": 16}, "seed": 1,
            "space": [{"name": "x1", "type": "float", "low": 0, "high": 1},
                      {"name": "x2", "type": "float", "low": 0, "high": 1},
                      {"name": "x3", "type": "float", "low": 0, "high": 1}]
        })");
        Database db(":memory:");
        Study study = Study::create(db, parseStudySpec(json, objectives), objectives);
        std::atomic<bool> stop{false};
        study.run(stop);
        const MultiObjectiveTestFunction& zdt1 = *findMultiObjectiveTestFunction("zdt1");
        for (const Trial& trial : study.trials()) {
            QCOMPARE(trial.state, TrialState::Complete);
            std::vector<double> x;
            for (const char* name : {"x1", "x2", "x3"})
                x.push_back(std::get<double>(trial.params.at(name)));
            QCOMPARE(trial.values, zdt1.evaluate(x));
            QCOMPARE(trial.attrs["f2"].get<double>(), trial.values[1]);
        }
        double volume = studyHypervolume(study.trials(), study.spec());
        // Positive, and below the volume of the true front: the box 1.1 x 11
        // minus the area above the front, the integral of 1 - sqrt(f1) over
        // [0, 1], 1/3.
        QVERIFY(volume > 0.0 && volume < 1.1 * 11 - 1.0 / 3.0);

        // The function objective checks its domain and dimension.
        json["space"][0]["low"] = -1;
        QCOMPARE(test::specErrorMessage([&] { parseStudySpec(json, objectives); }),
                 std::string("objective.function: zdt1 is defined on [0, 1]; space[0] ('x1') "
                             "goes from -1 to 1"));
        json["space"] = Json::parse(R"([{"name": "x1", "type": "float", "low": 0, "high": 1}])");
        QCOMPARE(test::specErrorMessage([&] { parseStudySpec(json, objectives); }),
                 std::string("objective.function: zdt1 needs at least 2 parameters but the "
                             "space has 1"));
        json["objective"]["function"] = "branin-currin";
        json["space"] = Json::parse(R"([{"name": "x1", "type": "float", "low": 0, "high": 1},
                                        {"name": "x2", "type": "float", "low": 0, "high": 1},
                                        {"name": "x3", "type": "float", "low": 0, "high": 1}])");
        QCOMPARE(test::specErrorMessage([&] { parseStudySpec(json, objectives); }),
                 std::string("objective.function: branin-currin needs exactly 2 parameters but "
                             "the space has 3"));
    }

    void benchmarkRecordsHypervolumeOnZdt() {
        BenchmarkProblem zdt1 = parseBenchmarkProblem("zdt1", "--problems");
        QCOMPARE(zdt1.dimension, 30);  // the paper's
        QCOMPARE(zdt1.label(), std::string("zdt1:30"));
        QVERIFY(zdt1.multiObjective());
        QVERIFY(!parseBenchmarkProblem("branin", "--problems").multiObjective());
        HypervolumeTarget target = hypervolumeTarget(zdt1);
        QCOMPARE(target.reference, (std::vector<double>{1.1, 11.0}));
        QCOMPARE(target.best, 1.1 * 11.0 - 1.0 / 3.0);
        QCOMPARE(hypervolumeTarget(parseBenchmarkProblem("zdt2:4", "p")).best,
                 1.1 * 11.0 - 2.0 / 3.0);
        BenchmarkProblem braninCurrin = parseBenchmarkProblem("branin-currin", "--problems");
        QCOMPARE(braninCurrin.dimension, 2);
        QCOMPARE(hypervolumeTarget(braninCurrin).reference, (std::vector<double>{18.0, 6.0}));
        BONSAI_EXPECT_SPEC_ERROR_STARTS(parseBenchmarkProblem("branin-currin:3", "--problems"),
                                        "--problems: 'branin-currin:3': branin-currin takes "
                                        "exactly 2 variables");
        BONSAI_EXPECT_SPEC_ERROR_STARTS(parseBenchmarkProblem("zdt1:1", "--problems"),
                                        "--problems: 'zdt1:1': the dimension must be a whole "
                                        "number from 2 to 100");
        BONSAI_EXPECT_SPEC_ERROR_STARTS(parseBenchmarkProblem("nb201-params", "--problems"),
                                        "--problems: nb201-params needs the "
                                        "NAS-Bench-201 table: pass --nb201 FOLDER");

        BenchmarkConfig config;
        config.strategies = {"random", "sobol"};
        config.problems = {parseBenchmarkProblem("zdt1:4", "p")};
        config.seeds = 2;
        config.trials = 12;
        std::vector<BenchmarkRow> rows = runBenchmark(config);
        QCOMPARE(rows.size(), std::size_t{2 * 2 * 12});
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const BenchmarkRow& row = rows[i];
            QVERIFY(row.hypervolume);
            QCOMPARE(row.bestSoFar, *row.hypervolume);
            QCOMPARE(row.regret, std::max(0.0, target.best - *row.hypervolume));
            if (row.trial > 1)  // never falls as trials are added
                QVERIFY(*row.hypervolume >= *rows[i - 1].hypervolume);
        }
        // Each run's last hypervolume is what the study helpers compute.
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Database db(":memory:");
        Study study = Study::create(
            db, parseStudySpec(benchmarkSpec(config.problems[0], "random", 0, 12), objectives),
            objectives);
        std::atomic<bool> stop{false};
        study.run(stop);
        QCOMPARE(*rows[11].hypervolume, studyHypervolume(study.trials(), study.spec()));

        std::vector<BenchmarkSummary> summaries = summarizeBenchmark(config, rows);
        QCOMPARE(summaries.size(), std::size_t{2});
        QCOMPARE(summaries[0].hypervolumeAt.size(), std::size_t{2});  // trials 10 and 12
        QCOMPARE(summaries[0].hypervolumeAt[1].first, 12);
        std::string csv = benchmarkCsv(rows);
        QVERIFY(csv.starts_with(
            "problem,strategy,seed,trial,value,best_so_far,regret,suggest_seconds,hypervolume\n"));
        // Single-objective benchmarks keep their columns.
        config.problems = {parseBenchmarkProblem("branin", "p")};
        config.seeds = 1;
        config.trials = 3;
        QVERIFY(benchmarkCsv(runBenchmark(config))
                    .starts_with("problem,strategy,seed,trial,value,best_so_far,regret,"
                                 "suggest_seconds\nbranin,"));
    }

    void nb201ProblemsAreParsedWithClearMessages() {
        auto message = [](const std::string& text, const std::string& folder) {
            auto error =
                test::specErrorFrom([&] { parseBenchmarkProblem(text, "--problems", folder); });
            return error ? std::string(error->what()) : std::string("accepted");
        };
        QCOMPARE(message("nb201", "/nowhere"),
                 std::string("--problems: 'nb201': write nb201:<dataset> (datasets: cifar10, "
                             "cifar100, imagenet16)"));
        QCOMPARE(message("nb201:mnist", "/nowhere"),
                 std::string("--problems: 'nb201:mnist': unknown dataset 'mnist' (known: "
                             "cifar10, cifar100, imagenet16)"));
        QVERIFY(message("nb201-hw:cifar10", "/nowhere")
                    .starts_with("--problems: 'nb201-hw:cifar10': write "
                                 "nb201-hw:<dataset>:<latency column>"));
        QVERIFY(message("nb201:cifar100", "")
                    .starts_with(
                        "--problems: nb201 needs the NAS-Bench-201 table: pass --nb201 FOLDER"));
        QVERIFY(message("nb201:cifar100", "/nowhere")
                    .starts_with("--problems: nb201 needs /nowhere/nb201_accuracy.csv, which does "
                                 "not exist"));
    }

    void nb201ProblemsOnTheRealTables() {
        const std::string folder = BONSAI_SHARED_DATA_DIR "/nb201";
        if (!QFile::exists(QString::fromStdString(folder + "/nb201_latency_hwnasbench.csv")))
            QSKIP("the NAS-Bench-201 tables are not in ../shared/data/nb201");
        BenchmarkProblem single = parseBenchmarkProblem("nb201:cifar100", "p", folder);
        QVERIFY(!single.multiObjective());
        QCOMPARE(single.label(), std::string("nb201:cifar100"));
        QCOMPARE(single.accuracyColumn(), std::string("cifar100_valid_acc_12ep"));
        BenchmarkProblem hw = parseBenchmarkProblem("nb201-hw:cifar10:lat_pixel3_ms", "p", folder);
        QVERIFY(hw.multiObjective());
        QCOMPARE(hw.label(), std::string("nb201-hw:cifar10:lat_pixel3_ms"));
        try {
            parseBenchmarkProblem("nb201-hw:cifar10:lat_gpu_ms", "p", folder);
            QFAIL("accepted");
        } catch (const SpecError& error) {
            QVERIFY2(QString(error.what()).contains("no latency column 'lat_gpu_ms'") &&
                         QString(error.what()).contains("lat_fpga_ms, lat_eyeriss_ms"),
                     error.what());
        }
        // The reference is the medians: the true front's hypervolume is
        // positive and below the box of the best accuracy and the fastest cell.
        HypervolumeTarget target = hypervolumeTarget(hw);
        QVERIFY(target.best > 0);
        QVERIFY(target.best < (84.892 + target.reference[0]) * (target.reference[1] - 0.003277));

        BenchmarkConfig config;
        config.strategies = {"random"};
        config.problems = {single, hw};
        config.seeds = 2;
        config.trials = 6;
        std::vector<BenchmarkRow> rows = runBenchmark(config);
        QCOMPARE(rows.size(), std::size_t{2 * 2 * 6});
        for (const BenchmarkRow& row : rows) {
            if (row.problem == single.label()) {
                // Regret: 61.32 (the table's best) minus the best found.
                QVERIFY(!row.hypervolume);
                QVERIFY(std::fabs(row.regret - (61.32 - row.bestSoFar)) < 1e-9);
                QVERIFY(row.value > 0 && row.value <= 61.32);
            } else {
                QVERIFY(row.hypervolume && *row.hypervolume <= target.best * (1 + 1e-12));
            }
        }
        std::vector<BenchmarkSummary> summaries = summarizeBenchmark(config, rows);
        QCOMPARE(summaries[0].regretAt.back().first, 6);
        const double mean = (rows[5].regret + rows[11].regret) / 2;
        QVERIFY(std::fabs(summaries[0].regretAt.back().second.mean - mean) < 1e-12);
    }

    void benchmarkOnTheNb201Table() {
        const std::string folder = BONSAI_SHARED_DATA_DIR "/nb201";
        if (!QFile::exists(QString::fromStdString(folder + "/nb201_accuracy.csv")))
            QSKIP("the NAS-Bench-201 table is not in ../shared/data/nb201");
        BenchmarkProblem problem = parseBenchmarkProblem("nb201-params", "p", folder);
        QVERIFY(problem.multiObjective());
        HypervolumeTarget target = hypervolumeTarget(problem);
        QCOMPARE(target.reference, (std::vector<double>{0.0, 1.6}));
        // At most the box of the best accuracy (84.892 %) times 1.6 M, at
        // least what the best cell alone dominates.
        QVERIFY(target.best < 84.892 * 1.6);
        QVERIFY(target.best > 84.892 * (1.6 - 1.531546));
        BenchmarkConfig config;
        config.strategies = {"random"};
        config.problems = {problem};
        config.seeds = 1;
        config.trials = 8;
        std::vector<BenchmarkRow> rows = runBenchmark(config);
        QCOMPARE(rows.size(), std::size_t{8});
        QVERIFY(*rows.back().hypervolume > 0.0 && *rows.back().hypervolume <= target.best);
    }

    void aCommandsNamedValuesAreItsObjectives() {
        // {"values": {...}} from an external program: each name becomes a
        // trial attribute, which the objectives read.
        QTemporaryDir runs;
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Json json = Json::parse(R"({
            "name": "cmd-mo",
            "objectives": [{"name": "accuracy", "direction": "maximize"},
                           {"name": "latency_ms", "direction": "minimize"}],
            "constraints": [{"name": "latency_ms", "max": 2}],
            "space": [{"name": "x", "type": "float", "low": 0, "high": 1}],
            "strategy": {"kind": "random"}, "budget": {"trials": 6}, "seed": 2
        })");
        json["objective"] = {{"kind", "command"},
                             {"argv",
                              {"sh", "-c",
                               "awk 'BEGIN { printf \"{\\\"values\\\": {\\\"accuracy\\\": %.10f, "
                               "\\\"latency_ms\\\": %.10f}}\\n\", {x} * 100, {x} * 4 }'"}},
                             {"runs_dir", runs.path().toStdString()}};
        Database db(":memory:");
        Study study = Study::create(db, parseStudySpec(json, objectives), objectives);
        std::atomic<bool> stop{false};
        study.run(stop);
        int feasible = 0;
        for (const Trial& trial : study.trials()) {
            QVERIFY2(trial.state == TrialState::Complete, trial.error.c_str());
            double x = std::get<double>(trial.params.at("x"));
            QCOMPARE(trial.values.size(), std::size_t{2});
            QVERIFY(std::abs(trial.values[0] - 100 * x) < 1e-6);
            QVERIFY(std::abs(trial.values[1] - 4 * x) < 1e-6);
            feasible += isFeasible(trial, study.spec());
        }
        // Accuracy and latency both grow with x, so every feasible trial
        // (latency <= 2, x <= 0.5) trades one for the other: all are on the
        // front, and no infeasible one is.
        QVERIFY(feasible > 0 && feasible < 6);
        std::vector<Trial> front = paretoTrials(study.trials(), study.spec());
        QCOMPARE(static_cast<int>(front.size()), feasible);
        for (const Trial& trial : front)
            QVERIFY(trial.values[1] <= 2.0);
    }

    void studyListingsRespectObjectivesAndConstraints() {
        ObjectiveRegistry objectives = registry();
        Database db(":memory:");
        Json constrained = spec("single", "[]", R"([{"name": "size", "min": 5}])");
        constrained.erase("objectives");
        constrained["direction"] = "minimize";
        Study single = Study::create(db, parseStudySpec(constrained, objectives), objectives);
        Study multi = Study::create(
            db,
            parseStudySpec(spec("multi", R"([{"name": "size", "direction": "maximize"},
                                              {"name": "speed", "direction": "minimize"}])"),
                           objectives),
            objectives);
        std::atomic<bool> stop{false};
        single.run(stop);
        multi.run(stop);
        auto best = single.best();
        QVERIFY(best);
        QVERIFY(best->attrs["size"].get<double>() >= 5);
        // The unconstrained minimum of x + y lies elsewhere (x < 0.5).
        QVERIFY(bestTrial(single.trials(), Direction::Minimize)->number != best->number);
        std::vector<StudySummary> summaries = db.listStudies();
        QCOMPARE(summaries.size(), std::size_t{2});
        QCOMPARE(summaries[0].bestValue, best->value);
        QVERIFY(!summaries[1].bestValue);
    }

    void paretoSetAndHypervolumeOfAKnownStudy() {
        ObjectiveRegistry objectives = registry();
        StudySpec known =
            parseStudySpec(spec("p", R"([{"name": "size", "direction": "minimize", "reference": 4},
                          {"name": "speed", "direction": "maximize", "reference": 0}])",
                                R"([{"name": "speed", "max": 5}])"),
                           objectives);
        std::vector<Trial> trials = {
            completeTrial(0, {1, 1}),
            completeTrial(1, {2, 3}),
            completeTrial(2, {3, 2}),  // dominated by trial 1
            completeTrial(3, {0.5, 0.5}),
            completeTrial(4, {0, 10}),  // would dominate all, but speed > 5
            completeTrial(5, {1, 1}),   // a duplicate of trial 0: kept
        };
        Trial failed;
        failed.number = 6;
        failed.state = TrialState::Failed;
        trials.push_back(failed);
        Trial running = completeTrial(7, {0, 4});
        running.state = TrialState::Running;
        trials.push_back(running);

        std::vector<int> front;
        for (const Trial& trial : paretoTrials(trials, known))
            front.push_back(trial.number);
        QCOMPARE(front, (std::vector<int>{0, 1, 3, 5}));
        QCOMPARE(paretoTrialIndices(trials, known), (std::vector<std::size_t>{0, 1, 3, 5}));
        // Losses (0.5,-0.5), (1,-1), (2,-3) against (4, 0):
        // 3.5*0.5 + 3*0.5 + 2*2 = 7.25.
        QCOMPARE(hypervolumeReference(trials, known), (LossVector{4, 0}));
        QCOMPARE(studyHypervolume(trials, known), 7.25);

        // Without given references the point is derived from the complete
        // feasible trials: losses x in [0.5, 3], y in [-3, -0.5].
        StudySpec derived = known;
        derived.objectives[0].reference.reset();
        derived.objectives[1].reference.reset();
        LossVector reference = hypervolumeReference(trials, derived);
        QCOMPARE(reference, (LossVector{3.25, -0.25}));
        QCOMPARE(referenceInUserSense(reference, derived), (std::vector<double>{3.25, 0.25}));
        // 2.75*0.25 + 2.25*0.5 + 1.25*2
        QCOMPARE(studyHypervolume(trials, derived), 0.6875 + 1.125 + 2.5);
        // One given, one derived.
        derived.objectives[1].reference = 0.0;
        QCOMPARE(hypervolumeReference(trials, derived), (LossVector{3.25, 0}));
        // No scored trials: no derived reference, zero volume.
        QCOMPARE(hypervolumeReference({}, derived), LossVector{});
        QCOMPARE(studyHypervolume({}, derived), 0.0);
    }
};

QTEST_GUILESS_MAIN(MultiObjectiveTest)
#include "tst_multi_objective.moc"

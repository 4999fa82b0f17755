// The gp strategy as a study sees it: a Sobol initial design, then model-based
// suggestions that are legal, reproducible, aware of pending trials, never
// repeated while the space has room, and better than random search.
#include <QtTest>

#include <array>
#include <functional>
#include <numeric>
#include <set>

#include "gp/surrogate.h"
#include "insight/gp_insight.h"
#include "space/nb201_cell.h"
#include "strategies/gp_strategy.h"
#include "strategies/strategy.h"
#include "study/study.h"
#include "support/spec_errors.h"
#include "support/strategy_harness.h"

using namespace bonsai;

namespace {

// Runs a study in memory and returns its trials.
std::vector<Trial> runStudy(const Json& spec) {
    ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
    Database db(":memory:");
    Study study = Study::create(db, parseStudySpec(spec, objectives), objectives);
    std::atomic<bool> stop{false};
    study.run(stop);
    return study.trials();
}

Json braninSpec(const char* strategy, int seed, int trials) {
    return {{"name", "branin"},
            {"objective", {{"kind", "function"}, {"function", "branin"}}},
            {"space", Json::parse(R"([{"name": "x1", "type": "float", "low": -5, "high": 10},
                                      {"name": "x2", "type": "float", "low": 0, "high": 15}])")},
            {"strategy", Json::parse(strategy)},
            {"budget", {{"trials", trials}}},
            {"seed", seed}};
}

// A loss on one nb201 cell "cell": minus the sum over its edges of each
// operation's weight (none, skip, conv1x1, conv3x3, avg pool).
std::function<double(const ParamMap&)> cellLoss(std::array<double, 5> weights) {
    return [weights](const ParamMap& p) {
        const Nb201Cell cell = Nb201Cell::parse(std::get<std::string>(p.at("cell")));
        double loss = 0;
        for (int op : cell.ops)
            loss -= weights[static_cast<std::size_t>(op)];
        return loss;
    };
}

// Edges on which trial n's cell differs from its incumbent's.
int edgesFromIncumbent(const std::vector<Trial>& trials, std::size_t n) {
    const int incumbent = trials[n].attrs["incumbent_trial"].get<int>();
    const Nb201Cell a = Nb201Cell::parse(std::get<std::string>(trials[n].params.at("cell")));
    const Nb201Cell b = Nb201Cell::parse(
        std::get<std::string>(trials[static_cast<std::size_t>(incumbent)].params.at("cell")));
    int differing = 0;
    for (std::size_t e = 0; e < static_cast<std::size_t>(Nb201Cell::kEdges); ++e)
        differing += a.ops[e] != b.ops[e];
    return differing;
}

// Eight gp trials on a 2-D quadratic (seed 9), then one more suggestion as
// a study would ask for it: the setting of the tests on what a trial that
// is not complete (running, pruned) does to the next suggestion.
struct QuadraticRun {
    SearchSpace space = test::spaceFrom(R"([{"name": "x1", "type": "float", "low": -5, "high": 10},
                            {"name": "x2", "type": "float", "low": 0, "high": 15}])");
    std::unique_ptr<Strategy> strategy =
        StrategyRegistry::builtins().create(Json::parse(R"({"kind": "gp"})"), space);
    std::vector<Trial> trials = test::runStrategy(*strategy, space, 8, 9, [](const ParamMap& p) {
        return std::pow(std::get<double>(p.at("x1")) - 2, 2) +
               std::pow(std::get<double>(p.at("x2")) - 3, 2);
    });

    // The suggestion for trial 8.
    ParamMap suggestNext() {
        Rng rng(mixSeed(9, 8));
        SuggestContext context{space, trials, Direction::Minimize, rng, 9};
        return strategy->suggest(context)->params;
    }
    // Trial 8 at `params` in `state`.
    static Trial trialAt(const ParamMap& params, TrialState state) {
        Trial trial;
        trial.number = 8;
        trial.state = state;
        trial.params = params;
        return trial;
    }
    // The next suggestion with the trials as they are now.
    std::optional<Suggestion> suggestAfter() {
        Rng rng(mixSeed(9, 8));
        SuggestContext context{space, trials, Direction::Minimize, rng, 9};
        return strategy->suggest(context);
    }
};

}  // namespace

class GpStrategyTest : public QObject {
    Q_OBJECT

  private slots:
    void startsWithSobolThenUsesTheModel() {
        std::vector<Trial> trials =
            runStudy(braninSpec(R"({"kind": "gp", "initial_trials": 6})", 1, 10));
        for (int n = 0; n < 6; ++n)
            QCOMPARE(trials[n].attrs["design"].get<std::string>(), std::string("sobol"));
        for (int n = 6; n < 10; ++n) {
            QVERIFY(trials[n].attrs.contains("acquisition"));
            QCOMPARE(trials[n].attrs["acquisition_function"].get<std::string>(),
                     std::string("logei"));
            QVERIFY(trials[n].attrs["gp_theta"].is_array());
            QVERIFY(trials[n].attrs["gp_hyperparameters"].is_object());
        }
    }

    void theDefaultInitialDesignIsMaxOfFiveAndDPlusOne() {
        std::vector<Trial> trials = runStudy(braninSpec(R"({"kind": "gp"})", 1, 7));
        QVERIFY(trials[4].attrs.contains("design"));
        QVERIFY(trials[5].attrs.contains("acquisition"));
    }

    void theDefaultInitialDesignCountsEachCategoricalsFreeLevels_data() {
        QTest::addColumn<QString>("space");
        QTest::addColumn<int>("initial");
        QTest::newRow("two floats: at least 5")
            << R"([{"name": "a", "type": "float", "low": 0, "high": 1},
               {"name": "b", "type": "int", "low": 0, "high": 9}])"
            << 5;
        QTest::newRow("eight floats: d + 1")
            << R"([{"name": "a", "type": "float", "low": 0, "high": 1},
               {"name": "b", "type": "float", "low": 0, "high": 1}, {"name": "c", "type": "float", "low": 0, "high": 1},
               {"name": "d", "type": "float", "low": 0, "high": 1}, {"name": "e", "type": "float", "low": 0, "high": 1},
               {"name": "f", "type": "float", "low": 0, "high": 1}, {"name": "g", "type": "float", "low": 0, "high": 1},
               {"name": "h", "type": "float", "low": 0, "high": 1}])"
            << 9;
        QTest::newRow("a 7-way categorical and a float: 1 + 6 + 1")
            << R"([{"name": "c", "type": "categorical", "choices": [1, 2, 3, 4, 5, 6, 7]},
                   {"name": "x", "type": "float", "low": 0, "high": 1}])"
            << 8;
        QTest::newRow("an nb201 cell: 1 + 6 edges x 4")
            << R"([{"name": "cell", "type": "nb201-cell"}])" << 25;
        QTest::newRow("two cells: capped") << R"([{"name": "a", "type": "nb201-cell"},
               {"name": "b", "type": "nb201-cell"}])"
                                           << kMaxDefaultInitialTrials;
    }

    void theDefaultInitialDesignCountsEachCategoricalsFreeLevels() {
        QFETCH(QString, space);
        QFETCH(int, initial);
        const std::string json = space.toStdString();
        const SearchSpace s = test::spaceFrom(json.c_str());
        QCOMPARE(gpDefaultInitialTrials(s), initial);
        QCOMPARE(gpInitialTrials(Json::parse(R"({"kind": "gp"})"), s), initial);
        QCOMPARE(gpInitialTrials(Json::parse(R"({"kind": "gp", "initial_trials": 3})"), s), 3);
        // A trial budget caps it at a quarter (but 5): 100 trials leave it.
        QCOMPARE(gpDefaultInitialTrials(s, 100), initial);
        QCOMPARE(gpDefaultInitialTrials(s, 32), std::min(initial, 8));
        QCOMPARE(gpDefaultInitialTrials(s, 12), 5);
        // Multi-objective studies count one per coordinate: max(5, d + 1).
        QCOMPARE(gpDefaultInitialTrials(s, std::nullopt, true),
                 std::clamp(s.dimensionCount() + 1, 5, kMaxDefaultInitialTrials));
        // The strategy follows the same rule: Sobol points, then the model.
        auto strategy = StrategyRegistry::builtins().create(Json::parse(R"({"kind": "gp"})"), s);
        auto trials = test::runStrategy(*strategy, s, initial + 1, 4, [](const ParamMap& p) {
            return static_cast<double>(toJson(p).dump().size());
        });
        QVERIFY(trials[static_cast<std::size_t>(initial) - 1].attrs.contains("design"));
        QVERIFY(trials[static_cast<std::size_t>(initial)].attrs.contains("acquisition"));
    }

    void isReproducibleFromTheSeed() {
        auto a = runStudy(braninSpec(R"({"kind": "gp", "acquisition": "ei"})", 3, 14));
        auto b = runStudy(braninSpec(R"({"kind": "gp", "acquisition": "ei"})", 3, 14));
        for (std::size_t i = 0; i < a.size(); ++i)
            QVERIFY(a[i].params == b[i].params);
    }

    void everyAcquisitionAndKernelRuns_data() {
        QTest::addColumn<QString>("strategy");
        for (const char* acquisition : {"logei", "ei", "pi", "ucb"})
            for (const char* kernel : {"matern52", "rbf"})
                QTest::newRow(qPrintable(QString("%1/%2").arg(acquisition, kernel)))
                    << QString(
                           R"({"kind": "gp", "kernel": "%1", "acquisition": "%2", "beta": 3.0})")
                           .arg(kernel, acquisition);
    }

    void everyAcquisitionAndKernelRuns() {
        QFETCH(QString, strategy);
        auto trials = runStudy(braninSpec(qPrintable(strategy), 2, 12));
        QCOMPARE(static_cast<int>(trials.size()), 12);
        for (const Trial& t : trials)
            QCOMPARE(t.state, TrialState::Complete);
    }

    void beatsRandomSearchOnBranin() {
        // Median best value over 5 seeds at 25 trials; the optimum is 0.398.
        std::vector<double> gp, random;
        for (int seed = 0; seed < 5; ++seed) {
            gp.push_back(test::bestValue(runStudy(braninSpec(R"({"kind": "gp"})", seed, 25))));
            random.push_back(
                test::bestValue(runStudy(braninSpec(R"({"kind": "random"})", seed, 25))));
        }
        std::sort(gp.begin(), gp.end());
        std::sort(random.begin(), random.end());
        QVERIFY2(gp[2] < 0.6 && gp[2] < random[2],
                 qPrintable(QString("gp %1, random %2").arg(gp[2]).arg(random[2])));
    }

    void proposesLegalPointsOnMixedConditionalAndCellSpaces() {
        SearchSpace s = test::spaceFrom(R"([
            {"name": "lr", "type": "float", "low": 1e-4, "high": 1e-1, "log": true},
            {"name": "layers", "type": "int", "low": 1, "high": 300},
            {"name": "act", "type": "categorical", "choices": ["relu", "gelu", "tanh"]},
            {"name": "drop", "type": "float", "low": 0, "high": 0.5, "step": 0.1, "when": {"param": "act", "equals": "relu"}},
            {"name": "cell", "type": "nb201-cell"}
        ])");
        auto strategy = StrategyRegistry::builtins().create(
            Json::parse(R"({"kind": "gp", "initial_trials": 5})"), s);
        auto trials = test::runStrategy(*strategy, s, 15, 9, [](const ParamMap& p) {
            return std::log10(std::get<double>(p.at("lr"))) +
                   (p.count("drop") ? std::get<double>(p.at("drop")) : 1.0);
        });
        QCOMPARE(static_cast<int>(trials.size()), 15);
        for (const Trial& t : trials)
            s.validate(t.params, "trial");
    }

    void neverRepeatsAPointAndEndsWhenAFiniteSpaceIsUsedUp() {
        SearchSpace s = test::spaceFrom(R"([
            {"name": "a", "type": "categorical", "choices": ["x", "y", "z"]},
            {"name": "n", "type": "int", "low": 1, "high": 3}
        ])");
        auto strategy = StrategyRegistry::builtins().create(
            Json::parse(R"({"kind": "gp", "initial_trials": 2})"), s);
        auto trials = test::runStrategy(*strategy, s, 20, 9, [](const ParamMap& p) {
            return static_cast<double>(std::get<std::int64_t>(p.at("n")));
        });
        QCOMPARE(static_cast<int>(trials.size()), 9);
        std::set<std::string> seen;
        for (const Trial& t : trials)
            QVERIFY(seen.insert(toJson(t.params).dump()).second);
    }

    void pendingTrialsMakeConcurrentSuggestionsDiffer() {
        QuadraticRun run;
        const ParamMap first = run.suggestNext();
        run.trials.push_back(run.trialAt(first, TrialState::Running));
        const auto second = run.suggestAfter();
        QVERIFY(second->params != first);
        QCOMPARE(second->attrs["gp_fantasies"].get<int>(), 1);
    }

    // A pruned trial counts as the worst observation so far. Ignored, it
    // left the model unchanged and the next suggestion on a continuous space
    // was the point just pruned, again and again (a pruned study's gp ran 12
    // trials in a row at one point).
    void aPrunedPointIsNotSuggestedAgain() {
        QuadraticRun run;
        const ParamMap first = run.suggestNext();
        Trial pruned = run.trialAt(first, TrialState::Pruned);
        pruned.intermediate = {{1, 50.0}};
        run.trials.push_back(pruned);
        const auto second = run.suggestAfter();
        const double moved =
            std::hypot(test::numberOf(second->params, "x1") - test::numberOf(first, "x1"),
                       test::numberOf(second->params, "x2") - test::numberOf(first, "x2"));
        QVERIFY2(moved > 0.05, qPrintable(QString("moved %1").arg(moved)));
        QCOMPARE(second->attrs["gp_pruned_as_worst"].get<int>(), 1);
        QCOMPARE(second->attrs["gp_observations"].get<int>(), 9);

        // The rows: a pruned trial joins the observations at the worst loss.
        SurrogateData data = gather(run.space, run.trials, Direction::Minimize);
        const double worst = data.y.maxCoeff();
        QCOMPARE(addPrunedAsWorst(data, run.space, run.trials), std::size_t{1});
        QCOMPARE(data.X.rows(), Eigen::Index{9});
        QCOMPARE(data.y[8], worst);
        QCOMPARE(data.observed.back()->number, 8);
        SurrogateData none;
        QCOMPARE(addPrunedAsWorst(none, run.space, run.trials),
                 std::size_t{0});  // nothing to be worst of
    }

    void unknownSettingsAreRejected() {
        SearchSpace s = test::spaceFrom(R"([{"name": "x", "type": "float", "low": 0, "high": 1}])");
        auto error = [&](const char* json) {
            auto e = test::specErrorFrom(
                [&] { StrategyRegistry::builtins().create(Json::parse(json), s); });
            return e ? std::string(e->what()) : std::string();
        };
        QCOMPARE(error(R"({"kind": "gp", "exploit_last": 1.5})"),
                 std::string("strategy.exploit_last: must be between 0 and 1 (got 1.5)"));
        QCOMPARE(error(R"({"kind": "gp", "kernel": "matern32"})"),
                 std::string("strategy.kernel: unknown kernel 'matern32'; did you mean 'matern52'? "
                             "(known: matern52, rbf)"));
        QVERIFY(error(R"({"kind": "gp", "acquisition": "eii"})")
                    .find("strategy.acquisition: unknown acquisition 'eii'; did you mean") == 0);
        QCOMPARE(error(R"({"kind": "gp", "beta": 0})"),
                 std::string("strategy.beta: must be > 0 (got 0)"));
        QCOMPARE(error(R"({"kind": "gp", "initial_trials": 0})"),
                 std::string("strategy.initial_trials: must be between 1 and 100000 (got 0)"));
        QVERIFY2(error(R"({"kind": "gp", "cell_paths": "yes"})").find("strategy.cell_paths") == 0,
                 error(R"({"kind": "gp", "cell_paths": "yes"})").c_str());
        QCOMPARE(error(R"({"kind": "gp", "escape_after": -1})"),
                 std::string("strategy.escape_after: must be between 0 and 100000 (got -1); 0 "
                             "never skips"));
        QCOMPARE(error(R"({"kind": "gp", "local_radius": 4})"),
                 std::string("strategy.local_radius: must be between 1 and 3 (got 4)"));
        QCOMPARE(error(R"({"kind": "gp", "local_centres": 0})"),
                 std::string("strategy.local_centres: must be between 1 and 100 (got 0)"));
        QCOMPARE(QString::fromStdString(error(R"({"kind": "gp", "isomorphic_cells": "one"})")),
                 QString(R"(strategy.isomorphic_cells: must be "auto", "same" or "distinct" )"
                         R"((got "one"))"));
        QCOMPARE(error(R"({"kind": "gp", "local_every": -1})"),
                 std::string("strategy.local_every: must be between 0 and 100000 (got -1); 0 turns "
                             "the local moves off"));
    }

    void everyOtherCellSuggestionIsOneEdgeFromTheIncumbent() {
        // On an all-discrete space (one nb201 cell), even trial counts search
        // the incumbent's one-edge neighbourhood with local_radius and
        // local_centres 1; local_every 0 never searches locally.
        SearchSpace s = test::spaceFrom(R"([{"name": "cell", "type": "nb201-cell"}])");
        auto convs = cellLoss({0.0, 0.0, 0.5, 1.0, 0.0});
        auto strategy = StrategyRegistry::builtins().create(
            Json::parse(
                R"({"kind": "gp", "initial_trials": 7, "local_radius": 1, "local_centres": 1})"),
            s);
        auto trials = test::runStrategy(*strategy, s, 24, 9, convs);
        int local = 0;
        for (std::size_t n = 7; n < trials.size(); ++n) {
            const bool isLocal = trials[n].attrs.value("local_search", false);
            QCOMPARE(isLocal, n % 2 == 0);
            if (!isLocal)
                continue;
            ++local;
            QCOMPARE(edgesFromIncumbent(trials, n), 1);
        }
        QVERIFY(local >= 8);
        auto never = StrategyRegistry::builtins().create(
            Json::parse(R"({"kind": "gp", "local_every": 0})"), s);
        for (const Trial& t : test::runStrategy(*never, s, 12, 9, convs))
            QVERIFY(!t.attrs.contains("local_search"));
    }

    // exploit_last: 1 until the last fifth of a 100-trial budget, then the
    // trials left over 20; never below the floor; 1 without a budget or at 0.
    void theVarianceScaleFallsOverTheBudgetsLastPart() {
        QCOMPARE(gpVarianceScale(100, 0, 0.2), 1.0);
        QCOMPARE(gpVarianceScale(100, 80, 0.2), 1.0);
        QCOMPARE(gpVarianceScale(100, 81, 0.2), 0.95);
        QCOMPARE(gpVarianceScale(100, 90, 0.2), 0.5);
        QCOMPARE(gpVarianceScale(100, 99, 0.2), 0.05);
        QCOMPARE(gpVarianceScale(1000, 999, 0.2), kMinVarianceScale);
        QCOMPARE(gpVarianceScale(100, 150, 0.2), kMinVarianceScale);  // past a raised budget
        QCOMPARE(gpVarianceScale(std::nullopt, 99, 0.2), 1.0);
        QCOMPARE(gpVarianceScale(100, 99, 0.0), 1.0);
        QCOMPARE(gpVarianceScale(10, 5, 1.0), 0.5);
    }

    // exploit_last (off by default with one objective): the suggestions of
    // the last fifth of a trial budget see the posterior variance shrink
    // with the trials left, and say by how much; constrained studies too.
    // Without a budget, or at 0, the acquisition sees the model as it is.
    void theLastFifthOfTheBudgetExploits() {
        SearchSpace s = test::spaceFrom(R"([{"name": "x", "type": "float", "low": 0, "high": 1},
                                            {"name": "y", "type": "float", "low": 0, "high": 1}])");
        const test::Values values = [](const ParamMap& p) {
            const double x = test::numberOf(p, "x"), y = test::numberOf(p, "y");
            return std::vector<double>{(x - 0.3) * (x - 0.3) + (y - 0.6) * (y - 0.6)};
        };
        const std::vector<ObjectiveSpec> one = {{"loss", Direction::Minimize}};
        const std::vector<ConstraintSpec> capped = {{"loss", std::nullopt, 0.5}};
        auto scales = [&](const char* spec, test::StudyShape shape) {
            auto strategy = StrategyRegistry::builtins().create(Json::parse(spec), s);
            std::vector<double> out;
            for (const Trial& t : test::runStrategy(*strategy, s, 20, 4, values, shape))
                out.push_back(t.attrs.value("acquisition_variance_scale", 1.0));
            return out;
        };
        std::vector<double> expected(20, 1.0);
        expected[17] = 0.75;
        expected[18] = 0.5;
        expected[19] = 0.25;
        const std::vector<double> none(20, 1.0);
        const char* gp = R"({"kind": "gp", "initial_trials": 5, "exploit_last": 0.2})";
        QVERIFY(scales(gp, {.objectives = one, .budgetTrials = 20}) == expected);
        QVERIFY(scales(gp, {.objectives = one, .constraints = capped, .budgetTrials = 20}) ==
                expected);
        QVERIFY(scales(gp, {.objectives = one}) == none);
        QVERIFY(scales(R"({"kind": "gp", "initial_trials": 5})",
                       {.objectives = one, .budgetTrials = 20}) == none);
        // ParEGO (several objectives) exploits by default.
        const std::vector<ObjectiveSpec> two = {{"loss", Direction::Minimize},
                                                {"other", Direction::Minimize}};
        const test::Values both = [&](const ParamMap& p) {
            return std::vector<double>{values(p)[0], test::numberOf(p, "x")};
        };
        auto strategy = StrategyRegistry::builtins().create(
            Json::parse(R"({"kind": "gp", "initial_trials": 5, "acquisition": "parego"})"), s);
        std::vector<double> parego;
        for (const Trial& t :
             test::runStrategy(*strategy, s, 20, 4, both, {.objectives = two, .budgetTrials = 20}))
            parego.push_back(t.attrs.value("acquisition_variance_scale", 1.0));
        QVERIFY(parego == expected);
        // So does EHVI, the default with two objectives, unless told not to.
        bool allEhvi = true;
        auto ehviScales = [&](const char* spec) {
            auto ehvi = StrategyRegistry::builtins().create(Json::parse(spec), s);
            std::vector<double> out;
            for (const Trial& t : test::runStrategy(*ehvi, s, 20, 4, both,
                                                    {.objectives = two, .budgetTrials = 20})) {
                if (t.number >= 5)
                    allEhvi = allEhvi && t.attrs.value("acquisition_function", "") == "ehvi";
                out.push_back(t.attrs.value("acquisition_variance_scale", 1.0));
            }
            return out;
        };
        QVERIFY(ehviScales(R"({"kind": "gp", "initial_trials": 5})") == expected);
        QVERIFY(ehviScales(R"({"kind": "gp", "initial_trials": 5, "exploit_last": 0})") == none);
        QVERIFY(allEhvi);
    }

    void escapeTurnsSkipTheOldIncumbentsRadiusTwoBall() {
        // With escape_after 4, a global suggestion made while the incumbent
        // is more than 4 trials old is marked `escape` and lies at least
        // three edges from it; 40 trials leave the incumbent stale often.
        SearchSpace s = test::spaceFrom(R"([{"name": "cell", "type": "nb201-cell"}])");
        auto loss = cellLoss({0.0, 0.3, 0.0, 1.0, 0.0});
        auto strategy = StrategyRegistry::builtins().create(
            Json::parse(R"({"kind": "gp", "escape_after": 4})"), s);
        auto trials = test::runStrategy(*strategy, s, 40, 5, loss);
        int escapes = 0;
        for (std::size_t n = 7; n < trials.size(); ++n) {
            if (!trials[n].attrs.value("escape", false))
                continue;
            ++escapes;
            QVERIFY(!trials[n].attrs.value("local_search", false));
            const int incumbent = trials[n].attrs["incumbent_trial"].get<int>();
            QVERIFY(static_cast<int>(n) - incumbent > 4);
            const int differing = edgesFromIncumbent(trials, n);
            QVERIFY2(
                differing >= 3,
                qPrintable(QString("trial %1: %2 edges from the incumbent").arg(n).arg(differing)));
        }
        QVERIFY(escapes > 0);
        // Off by default.
        auto plain = StrategyRegistry::builtins().create(Json::parse(R"({"kind": "gp"})"), s);
        for (const Trial& t : test::runStrategy(*plain, s, 40, 5, loss))
            QVERIFY(!t.attrs.contains("escape"));
    }

    void localTurnsSearchTwoEditsAroundTheFiveBestTrialsByDefault() {
        // By default (local_radius 2, local_centres 5) each local turn's cell
        // is at most two edits from one of the five best trials before it,
        // and some are more than one edit from the incumbent (never so with
        // local_radius and local_centres 1, see
        // everyOtherCellSuggestionIsOneEdgeFromTheIncumbent).
        SearchSpace s = test::spaceFrom(R"([{"name": "cell", "type": "nb201-cell"}])");
        // Operations add up, plus a rugged term per cell (as NAS-Bench-201's
        // accuracies have), so good cells are not only the incumbent's neighbours.
        auto additive = cellLoss({0.0, 0.3, 0.5, 1.0, 0.0});
        auto loss = [additive](const ParamMap& p) {
            const std::string cell = std::get<std::string>(p.at("cell"));
            std::uint32_t h = 2166136261u;  // FNV-1a: the same on every platform
            for (char c : cell)
                h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
            return additive(p) + 1.5 * (h % 1000) / 1000.0;
        };
        auto strategy = StrategyRegistry::builtins().create(
            Json::parse(R"({"kind": "gp", "initial_trials": 7})"), s);
        auto trials = test::runStrategy(*strategy, s, 40, 4, loss);
        auto cellOf = [&](std::size_t n) {
            return Nb201Cell::parse(std::get<std::string>(trials[n].params.at("cell")));
        };
        int local = 0, beyondOne = 0;
        for (std::size_t n = 7; n < trials.size(); ++n) {
            if (!trials[n].attrs.value("local_search", false))
                continue;
            ++local;
            std::vector<std::size_t> order(n);
            std::iota(order.begin(), order.end(), std::size_t{0});
            std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
                return *trials[a].value < *trials[b].value;
            });
            int nearest = 99;
            for (std::size_t k = 0; k < 5; ++k) {
                int differing = 0;
                for (std::size_t e = 0; e < static_cast<std::size_t>(Nb201Cell::kEdges); ++e)
                    differing += cellOf(n).ops[e] != cellOf(order[k]).ops[e];
                nearest = std::min(nearest, differing);
            }
            QVERIFY2(
                nearest >= 1 && nearest <= 2,
                qPrintable(QString("trial %1: %2 edges from the best five").arg(n).arg(nearest)));
            beyondOne += edgesFromIncumbent(trials, n) > 1;
        }
        QVERIFY(local >= 10);
        QVERIFY2(beyondOne > 0, "every wider local turn stayed one edge from the incumbent");
    }

    // The additive term is on by default where it won (cells, alone or
    // beside a number; choices alone: bench/NB201_LOG.md), off where it lost
    // (choices beside ints, no cell); the spec decides when it says.
    void theAdditiveTermIsOnByDefaultForCellsAndCategoricalSpaces() {
        const SearchSpace cells = test::spaceFrom(R"([{"name": "cell", "type": "nb201-cell"},
                                                      {"name": "opt", "type": "categorical",
                                                       "choices": ["sgd", "adam"]}])");
        const SearchSpace cellAndInt = test::spaceFrom(R"([{"name": "cell", "type": "nb201-cell"},
                                                      {"name": "width", "type": "int",
                                                       "low": 1, "high": 8}])");
        const SearchSpace choiceAndInt = test::spaceFrom(R"([{"name": "opt",
                                                       "type": "categorical",
                                                       "choices": ["sgd", "adam", "rmsprop"]},
                                                      {"name": "width", "type": "int",
                                                       "low": 1, "high": 8}])");
        auto additive = [](const char* strategy, const SearchSpace& space) {
            return gpModelChoice(Json::parse(strategy), space).surrogate.additive;
        };
        QVERIFY(additive(R"({"kind": "gp"})", cells));
        QVERIFY(additive(R"({"kind": "gp"})", cellAndInt));
        QVERIFY(!additive(R"({"kind": "gp"})", choiceAndInt));
        QVERIFY(additive(R"({"kind": "gp", "additive": true})", choiceAndInt));
        QVERIFY(!additive(R"({"kind": "gp", "additive": false})", cells));
        // The strategy fits what gpModelChoice says: the stored fit holds an
        // additive scale for each categorical coordinate (6 edges, 1 choice),
        // none for the int, and none at all for a choice beside an int.
        auto thetaSize = [](const SearchSpace& space) {
            auto strategy = StrategyRegistry::builtins().create(
                Json::parse(R"({"kind": "gp", "initial_trials": 5})"), space);
            auto trials = test::runStrategy(*strategy, space, 8, 3, test::anyLoss);
            return trials.back().attrs["gp_theta"].size();
        };
        QCOMPARE(thetaSize(cells), std::size_t(1 + 7 + 7 + 1));
        QCOMPARE(thetaSize(cellAndInt), std::size_t(1 + 7 + 6 + 1));
        QCOMPARE(thetaSize(choiceAndInt), std::size_t(1 + 2 + 1));
    }

    void cellPathFeaturesFollowEachCellsCoordinates() {
        // A float first, then two cells: each cell's paths of two or more
        // edges, on its own coordinates (1..6 and 7..12).
        SearchSpace s = test::spaceFrom(R"([{"name": "x", "type": "float", "low": 0, "high": 1},
                                            {"name": "a", "type": "nb201-cell"},
                                            {"name": "b", "type": "nb201-cell"}])");
        const JointInputs expected{{1, 5}, {2, 6}, {1, 3, 6}, {7, 11}, {8, 12}, {7, 9, 12}};
        QCOMPARE(cellPathInputs(s), expected);
        // The outputscale, 13 lengthscales, 6 of the paths, and an additive
        // scale for each of the 12 edges and 6 paths.
        QCOMPARE(makeSurrogateKernel({.cellPaths = true}, s)->paramCount(),
                 Eigen::Index(1 + 13 + 6 + 18));
        QCOMPARE(makeSurrogateKernel({.cellPaths = false, .additive = false}, s)->paramCount(),
                 Eigen::Index(1 + 13));
        QVERIFY(cellPathInputs(
                    test::spaceFrom(R"([{"name": "x", "type": "float", "low": 0, "high": 1}])"))
                    .empty());
    }

    // NAS-Bench-201 reports one accuracy for the cells it counts as one
    // architecture, while an unused convolution still costs latency. With
    // isomorphic_cells auto (the default) the GP follows the evidence: a loss
    // of the cell's function makes isomorphic cells one input, a loss of
    // every operation keeps them apart.
    void isomorphicCellsAreOneInputOnlyForALossOfTheFunction() {
        SearchSpace s = test::spaceFrom(R"([{"name": "cell", "type": "nb201-cell"}])");
        const std::array<double, 5> weights{0.0, 0.3, 1.0, 2.0, 0.6};
        auto additive = [&](const Nb201Cell& cell) {
            double loss = 0;
            for (int op : cell.ops)
                loss -= weights[static_cast<std::size_t>(op)];
            return loss;
        };
        // 25 cells with an unused operation, each with the form of its class
        // (the same function without it), and 20 cells that are their form.
        std::vector<Nb201Cell> cells;
        int pairs = 0, forms = 0;
        for (int index = 7; index < Nb201Cell::kCount && (pairs < 25 || forms < 20); index += 97) {
            const Nb201Cell cell = Nb201Cell::fromIndex(index);
            if (cell.functionalForm() == cell) {
                if (forms++ < 20)
                    cells.push_back(cell);
            } else if (pairs++ < 25) {
                cells.push_back(cell);
                cells.push_back(cell.functionalForm());
            }
        }
        QCOMPARE(cells.size(), std::size_t{70});
        SurrogateData ofFunction, ofEveryOperation;
        ofFunction.X.resize(static_cast<Eigen::Index>(cells.size()), s.dimensionCount());
        ofFunction.y.resize(ofFunction.X.rows());
        ofEveryOperation = ofFunction;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            const auto row = static_cast<Eigen::Index>(i);
            ofFunction.X.row(row) = s.encode({{"cell", cells[i].toString()}}).transpose();
            ofFunction.y[row] = additive(cells[i].functionalForm());
            ofEveryOperation.X.row(row) = ofFunction.X.row(row);
            ofEveryOperation.y[row] = additive(cells[i]);
        }
        auto sameCells = [&](const SurrogateData& data, IsomorphicCells cells) {
            Rng rng(3);
            return fitSurrogate({.cells = cells}, s, data, {}, &rng).kernel().mapsInputs();
        };
        QVERIFY(sameCells(ofFunction, IsomorphicCells::Auto));
        QVERIFY(!sameCells(ofEveryOperation, IsomorphicCells::Auto));
        QVERIFY(sameCells(ofEveryOperation, IsomorphicCells::Same));
        QVERIFY(!sameCells(ofFunction, IsomorphicCells::Distinct));
    }

    // Each model-based suggestion on a cell space says which model it used.
    void cellSuggestionsRecordHowTheyTreatIsomorphicCells() {
        SearchSpace s = test::spaceFrom(R"([{"name": "cell", "type": "nb201-cell"}])");
        auto convs = cellLoss({0.0, 0.0, 1.0, 1.0, 0.0});
        for (const char* setting : {"same", "distinct"}) {
            auto strategy = StrategyRegistry::builtins().create(
                {{"kind", "gp"}, {"initial_trials", 7}, {"isomorphic_cells", setting}}, s);
            auto trials = test::runStrategy(*strategy, s, 10, 3, convs);
            QCOMPARE(trials.back().attrs["gp_isomorphic_cells"].get<std::string>(),
                     std::string(setting));
        }
        SearchSpace numbers =
            test::spaceFrom(R"([{"name": "x", "type": "float", "low": 0, "high": 1}])");
        auto strategy =
            StrategyRegistry::builtins().create(Json::parse(R"({"kind": "gp"})"), numbers);
        auto trials = test::runStrategy(*strategy, numbers, 8, 3, [](const ParamMap& p) {
            return std::get<double>(p.at("x"));
        });
        QVERIFY(!trials.back().attrs.contains("gp_isomorphic_cells"));
    }

    void cellSuggestionsStoreThePathLengthscalesWhenAsked() {
        SearchSpace s = test::spaceFrom(R"([{"name": "cell", "type": "nb201-cell"}])");
        auto convs = cellLoss({0.0, 0.0, 0.0, 1.0, 0.0});
        // 1 output scale + 6 edges + 3 paths + their 9 additive scales +
        // noise; without paths (the default) 1 + 6 + 6 + 1.
        for (const auto& [json, size] :
             {std::pair{R"({"kind": "gp", "initial_trials": 7, "cell_paths": true})", 20},
              std::pair{R"({"kind": "gp", "initial_trials": 7})", 14}}) {
            auto strategy = StrategyRegistry::builtins().create(Json::parse(json), s);
            auto trials = test::runStrategy(*strategy, s, 10, 3, convs);
            QCOMPARE(static_cast<int>(trials.back().attrs["gp_theta"].size()), size);
            QCOMPARE(
                trials.back().attrs["gp_hyperparameters"].contains("log_lengthscale_joint_0_2_5"),
                size == 20);
        }
    }

    void thePosteriorSliceGoesThroughTheIncumbent() {
        auto trials = runStudy(braninSpec(R"({"kind": "gp", "initial_trials": 6})", 4, 20));
        SearchSpace s = test::spaceFrom(R"([{"name": "x1", "type": "float", "low": -5, "high": 10},
                                  {"name": "x2", "type": "float", "low": 0, "high": 15}])");
        auto slice = gpPosteriorSlice(s, Json::parse(R"({"kind": "gp", "initial_trials": 6})"),
                                      Direction::Minimize, trials, "x1", 50);
        QVERIFY(slice.has_value());
        QCOMPARE(static_cast<int>(slice->x.size()), 50);
        QCOMPARE(slice->x.front(), -5.0);
        QCOMPARE(slice->x.back(), 10.0);
        QCOMPARE(slice->observedX.size(), std::size_t{20});
        auto best = bestTrial(trials, Direction::Minimize);
        QCOMPARE(slice->incumbentTrial, best->number);
        // Near the incumbent's own x1 the mean is close to its observed value.
        double x1 = std::get<double>(best->params.at("x1"));
        std::size_t nearest = 0;
        for (std::size_t i = 0; i < slice->x.size(); ++i)
            if (std::abs(slice->x[i] - x1) < std::abs(slice->x[nearest] - x1))
                nearest = i;
        QVERIFY2(std::abs(slice->median[nearest] - *best->value) < 3.0,
                 qPrintable(QString::number(slice->median[nearest])));
        for (std::size_t i = 0; i < slice->x.size(); ++i)
            QVERIFY(slice->lower[i] <= slice->median[i] && slice->median[i] <= slice->upper[i]);
        QVERIFY(!gpPosteriorSlice(s, Json::object(), Direction::Minimize, trials, "nope", 10));

        // A named incumbent (a constrained study's best feasible trial): the
        // slice holds x2 at its value and improvement is measured from it.
        const Trial& other = trials[3].number == best->number ? trials[4] : trials[3];
        auto through = gpPosteriorSlice(s, Json::parse(R"({"kind": "gp", "initial_trials": 6})"),
                                        Direction::Minimize, trials, "x1", 50, 0, other.number);
        QVERIFY(through.has_value());
        QCOMPARE(through->incumbentTrial, other.number);
        QVERIFY(through->acquisition != slice->acquisition);
        // A number that is no complete trial falls back to the best one.
        auto unknown = gpPosteriorSlice(s, Json::parse(R"({"kind": "gp", "initial_trials": 6})"),
                                        Direction::Minimize, trials, "x1", 50, 0, 999);
        QCOMPARE(unknown->incumbentTrial, best->number);

        // With the variance the acquisition sees shrunk (exploit_last's last
        // trials), LogEI, which grows with the variance, is lower everywhere
        // but where the posterior is certain; a scale of 1 changes nothing.
        auto same = gpPosteriorSlice(s, Json::parse(R"({"kind": "gp", "initial_trials": 6})"),
                                     Direction::Minimize, trials, "x1", 50, 0, std::nullopt, 1.0);
        QCOMPARE(same->acquisition, slice->acquisition);
        auto exploiting =
            gpPosteriorSlice(s, Json::parse(R"({"kind": "gp", "initial_trials": 6})"),
                             Direction::Minimize, trials, "x1", 50, 0, std::nullopt, 0.25);
        QCOMPARE(exploiting->median, slice->median);
        int lower = 0;
        for (std::size_t i = 0; i < slice->acquisition.size(); ++i) {
            QVERIFY(exploiting->acquisition[i] <= slice->acquisition[i] + 1e-12);
            lower += exploiting->acquisition[i] < slice->acquisition[i] - 1e-6;
        }
        QVERIFY2(lower > 40, qPrintable(QString::number(lower)));
    }

    void aCategoricalSliceHasOnePointPerChoice() {
        Json spec = {
            {"name", "cat"},
            {"objective", {{"kind", "function"}, {"function", "branin"}}},
            {"space", Json::parse(R"([{"name": "x1", "type": "float", "low": -5, "high": 10},
                                               {"name": "x2", "type": "int", "low": 0, "high": 15}])")},
            {"strategy", {{"kind", "random"}}},
            {"budget", {{"trials", 12}}}};
        auto trials = runStudy(spec);
        SearchSpace s = SearchSpace::fromJson(spec["space"]);
        auto slice = gpPosteriorSlice(s, spec["strategy"], Direction::Minimize, trials, "x2", 100);
        QVERIFY(slice.has_value());
        QCOMPARE(static_cast<int>(slice->x.size()), 16);
        QCOMPARE(slice->x[3], 3.0);
    }

    void relevanceIsTheShareOfInverseSquaredLengthscales() {
        // Stored hyperparameters are used as they are (no refit, as no
        // output warping is chosen): lengthscales 0.5 and 2 give weights 4
        // and 0.25, so shares 4/4.25 and 0.25/4.25.
        SearchSpace s = test::spaceFrom(R"([{"name": "a", "type": "float", "low": 0, "high": 1},
                                  {"name": "b", "type": "float", "low": 0, "high": 1}])");
        std::vector<Trial> trials;
        for (int n = 0; n < 6; ++n) {
            Trial t;
            t.number = n;
            t.state = TrialState::Complete;
            t.params = {{"a", 0.15 * n}, {"b", 0.9 - 0.1 * n}};
            t.value = (0.15 * n - 0.4) * (0.15 * n - 0.4);
            trials.push_back(t);
        }
        trials.back().attrs["gp_theta"] = {0.0, std::log(0.5), std::log(2.0), std::log(1e-3)};
        const Json gp = Json::parse(R"({"kind": "gp", "output_warping": "none"})");
        auto relevance = gpParameterRelevance(s, gp, Direction::Minimize, trials);
        QVERIFY(relevance);
        QCOMPARE(relevance->params, (std::vector<std::string>{"a", "b"}));
        QVERIFY(std::abs(relevance->relevance[0] - 4.0 / 4.25) < 1e-9);
        QVERIFY(std::abs(relevance->relevance[1] - 0.25 / 4.25) < 1e-9);
        QVERIFY(std::abs(relevance->lengthscale[1] - 2.0) < 1e-9);
        QCOMPARE(relevance->observations, 6);
        trials.resize(1);
        QVERIFY(!gpParameterRelevance(s, gp, Direction::Minimize, trials));
    }

    void aCellsPathFeaturesCountForItsRelevance() {
        // A float and a cell; stored lengthscales: x 1, every edge 1, the
        // three paths 0.5 (weight 4 each). Cell: 6 + 12 of 19; x: 1 of 19.
        // Without the additive term, the sensitivities are in proportion to
        // 1 / l^2.
        SearchSpace s = test::spaceFrom(R"([{"name": "x", "type": "float", "low": 0, "high": 1},
                                            {"name": "cell", "type": "nb201-cell"}])");
        std::vector<Trial> trials;
        const char* cells[] = {
            "|none~0|+|skip_connect~0|nor_conv_1x1~1|+|nor_conv_3x3~0|avg_pool_3x3~1|none~2|",
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|"
            "nor_conv_3x3~2|",
            "|skip_connect~0|+|none~0|avg_pool_3x3~1|+|nor_conv_1x1~0|none~1|skip_connect~2|"};
        for (int n = 0; n < 3; ++n) {
            Trial t;
            t.number = n;
            t.state = TrialState::Complete;
            t.params = {{"x", 0.3 * n}, {"cell", std::string(cells[n])}};
            t.value = static_cast<double>(n % 2);
            trials.push_back(t);
        }
        Json theta = Json::array({0.0});
        for (int i = 0; i < 7; ++i)
            theta.push_back(0.0);
        for (int g = 0; g < 3; ++g)
            theta.push_back(std::log(0.5));
        theta.push_back(std::log(1e-3));
        trials.back().attrs["gp_theta"] = theta;
        auto relevance = gpParameterRelevance(
            s,
            Json::parse(
                R"({"kind": "gp", "cell_paths": true, "additive": false, "output_warping": "none"})"),
            Direction::Minimize, trials);
        QVERIFY(relevance);
        QVERIFY(std::abs(relevance->relevance[0] - 1.0 / 19.0) < 1e-9);
        QVERIFY(std::abs(relevance->relevance[1] - 18.0 / 19.0) < 1e-9);
        QCOMPARE(relevance->coordinateRelevance.size(), std::size_t(7));
        QVERIFY(std::abs(relevance->coordinateRelevance[1] - 1.0 / 19.0) < 1e-9);
    }

    void thePosteriorSliceModelsTheLossesAsTheStrategyDid() {
        // Rosenbrock's losses span decades, so the gp strategy models them
        // through an output warping: the slice fits the same warping (the
        // one the last suggestion stored for the trials before it) and maps
        // the GP's ±2σ band back, lopsided, with the median inside it.
        const char* gp = R"({"kind": "gp", "initial_trials": 6})";
        Json spec = braninSpec(gp, 2, 16);
        spec["objective"]["function"] = "rosenbrock";
        const auto trials = runStudy(spec);
        const std::string stored = trials.back().attrs.value("gp_output_warping", "");
        QVERIFY2(stored.rfind("log", 0) == 0 || stored.rfind("yeo-johnson", 0) == 0,
                 stored.c_str());
        SearchSpace s = SearchSpace::fromJson(spec["space"]);
        const std::vector<Trial> before(trials.begin(), trials.end() - 1);
        auto slice = gpPosteriorSlice(s, Json::parse(gp), Direction::Minimize, before, "x1", 40);
        QVERIFY(slice);
        QCOMPARE(slice->outputWarping, stored);
        bool lopsided = false;
        for (std::size_t i = 0; i < slice->x.size(); ++i) {
            QVERIFY(slice->lower[i] < slice->median[i] && slice->median[i] < slice->upper[i]);
            lopsided = lopsided || slice->upper[i] - slice->median[i] >
                                       2 * (slice->median[i] - slice->lower[i]);
        }
        QVERIFY(lopsided);
        // The acquisition improves on the incumbent in the GP's units: LogEI
        // is finite along the slice.
        for (double a : slice->acquisition)
            QVERIFY(std::isfinite(a));

        // Unwarped (`output_warping: none`): the band is the mean ± 2σ.
        auto plain = gpPosteriorSlice(s, Json::parse(R"({"kind": "gp", "output_warping": "none"})"),
                                      Direction::Minimize, before, "x1", 40);
        QVERIFY(plain && plain->outputWarping.empty());
        for (std::size_t i = 0; i < plain->x.size(); ++i)
            QVERIFY(std::abs((plain->upper[i] - plain->median[i]) -
                             (plain->median[i] - plain->lower[i])) <
                    1e-9 * std::max(1.0, plain->upper[i] - plain->lower[i]));
        // Ranks: the GP's scores map back into the observed losses' range.
        auto ranks = gpPosteriorSlice(s, Json::parse(R"({"kind": "gp", "output_warping": "rank"})"),
                                      Direction::Minimize, before, "x1", 40);
        QVERIFY(ranks);
        QCOMPARE(ranks->outputWarping, std::string("rank"));
        double lowest = INFINITY, highest = -INFINITY;
        for (const Trial& t : before) {
            lowest = std::min(lowest, *t.value);
            highest = std::max(highest, *t.value);
        }
        for (std::size_t i = 0; i < ranks->x.size(); ++i)
            QVERIFY(ranks->lower[i] >= lowest && ranks->upper[i] <= highest);
    }

    void thePosteriorGridSpansTheEncodingAndKeepsTheSense() {
        SearchSpace s = test::spaceFrom(
            R"([{"name": "lr", "type": "float", "low": 0.001, "high": 1, "log": true},
                                  {"name": "n", "type": "int", "low": 2, "high": 5},
                                  {"name": "c", "type": "categorical", "choices": ["p", "q"]}])");
        std::vector<Trial> trials;
        for (int k = 0; k < 8; ++k) {
            Trial t;
            t.number = k;
            t.state = TrialState::Complete;
            t.params = {{"lr", std::pow(10.0, -3.0 + 0.4 * k)},
                        {"n", std::int64_t(2 + k % 4)},
                        {"c", std::string(k % 2 ? "p" : "q")}};
            t.value = 10.0 - k;  // maximized: trial 0 worst, trial 7 best
            trials.push_back(t);
        }
        auto grid = gpPosteriorGrid(s, Json::object(), Direction::Maximize, trials, "lr", "n", 6);
        QVERIFY(grid);
        QCOMPARE(grid->median.size(), std::size_t{36});
        QVERIFY(grid->xLog);
        QCOMPARE(grid->xLow, 0.001);
        QCOMPARE(grid->xHigh, 1.0);
        QCOMPARE(grid->yLow, 1.5);  // ints extend half a step past their ends
        QCOMPARE(grid->yHigh, 5.5);
        QCOMPARE(grid->incumbentTrial, 0);
        QCOMPARE(grid->observedValue.size(), std::size_t{8});
        // Means are in the user's sense: around the observed values, not their negation.
        for (double m : grid->median)
            QVERIFY2(m > 0 && m < 15, qPrintable(QString::number(m)));
        QVERIFY(!gpPosteriorGrid(s, Json::object(), Direction::Maximize, trials, "lr", "lr", 6));
        QVERIFY(!gpPosteriorGrid(s, Json::object(), Direction::Maximize, trials, "lr", "n", 1));
        QVERIFY(!gpPosteriorGrid(s, Json::object(), Direction::Maximize, trials, "lr", "none", 6));
        // An edge is only for a cell.
        QVERIFY(!gpPosteriorGrid(s, Json::object(), Direction::Maximize, trials, "lr",
                                 GridAxis("n", 2), 6));

        // A categorical axis: one cell per choice at its index, whatever the
        // resolution; the dots sit on their choice.
        auto choices =
            gpPosteriorGrid(s, Json::object(), Direction::Maximize, trials, "lr", "c", 6);
        QVERIFY(choices);
        QCOMPARE(choices->columns, 6);
        QCOMPARE(choices->rows, 2);
        QCOMPARE(choices->median.size(), std::size_t{12});
        QVERIFY(choices->yLabels == (std::vector<std::string>{"p", "q"}));
        QVERIFY(choices->xLabels.empty());
        QCOMPARE(choices->yLow, -0.5);
        QCOMPARE(choices->yHigh, 1.5);
        for (std::size_t i = 0; i < choices->observedY.size(); ++i)
            QCOMPARE(choices->observedY[i], choices->observedTrial[i] % 2 ? 0.0 : 1.0);
    }

    // Two edges of a cell make a 5 x 5 map of operations. Its row through the
    // incumbent's operation on the y edge is the GP slice along the x edge
    // (the same fit, the same points), which checks the grid's encoding.
    void aGridOverTwoCellEdgesIsTheSliceRowByRow() {
        SearchSpace s = test::spaceFrom(R"([{"name": "cell", "type": "nb201-cell"}])");
        std::vector<Trial> trials;
        for (int k = 0; k < 14; ++k) {
            Trial t;
            t.number = k;
            t.state = TrialState::Complete;
            const Nb201Cell cell = Nb201Cell::fromIndex((k * 7919 + 13) % Nb201Cell::kCount);
            t.params = {{"cell", cell.toString()}};
            // Conv3x3 (op 3) on edge 0 and skip (op 1) on edge 5 pay.
            t.value = 50.0 + 8.0 * (cell.ops[0] == 3) + 5.0 * (cell.ops[5] == 1) + 0.1 * k;
            trials.push_back(t);
        }
        auto grid = gpPosteriorGrid(s, Json::object(), Direction::Maximize, trials,
                                    GridAxis("cell", 0), GridAxis("cell", 5));
        QVERIFY(grid);
        QCOMPARE(grid->columns, Nb201Cell::kOperations);
        QCOMPARE(grid->rows, Nb201Cell::kOperations);
        QCOMPARE(grid->edgeX, 0);
        QCOMPARE(grid->edgeY, 5);
        QCOMPARE(grid->xLabels.size(), std::size_t{5});
        QCOMPARE(grid->xLabels[3], std::string("nor_conv_3x3"));
        QCOMPARE(grid->xLow, -0.5);
        QCOMPARE(grid->xHigh, 4.5);
        QCOMPARE(grid->observedX.size(), trials.size());
        for (std::size_t i = 0; i < grid->observedX.size(); ++i) {
            const Nb201Cell cell = Nb201Cell::parse(std::get<std::string>(
                trials[static_cast<std::size_t>(grid->observedTrial[i])].params.at("cell")));
            QCOMPARE(grid->observedX[i], double(cell.ops[0]));
            QCOMPARE(grid->observedY[i], double(cell.ops[5]));
        }
        const Trial& best = trials[static_cast<std::size_t>(grid->incumbentTrial)];
        const int row = Nb201Cell::parse(std::get<std::string>(best.params.at("cell"))).ops[5];
        auto slice =
            gpPosteriorSlice(s, Json::object(), Direction::Maximize, trials, "cell", 100, 0);
        QVERIFY(slice);
        QCOMPARE(slice->median.size(), std::size_t{5});
        for (int op = 0; op < Nb201Cell::kOperations; ++op)
            QVERIFY2(std::abs(grid->median[static_cast<std::size_t>(row * 5 + op)] -
                              slice->median[static_cast<std::size_t>(op)]) < 1e-9,
                     qPrintable(QString("op %1: %2 against %3")
                                    .arg(op)
                                    .arg(grid->median[static_cast<std::size_t>(row * 5 + op)])
                                    .arg(slice->median[static_cast<std::size_t>(op)])));
        // Axes picked from the fit's own relevance give the same grid, and the
        // picker sees what gpParameterRelevance reports; picking none gives none.
        std::optional<ParameterRelevance> seen;
        auto picked = gpPosteriorGrid(
            s, Json::object(), Direction::Maximize, trials,
            [&seen](const ParameterRelevance& relevance) {
                seen = relevance;
                return std::optional(std::pair{GridAxis("cell", 0), GridAxis("cell", 5)});
            });
        QVERIFY(picked && seen);
        QVERIFY(picked->median == grid->median);
        QVERIFY(seen->coordinateRelevance ==
                gpParameterRelevance(s, Json::object(), Direction::Maximize, trials)
                    ->coordinateRelevance);
        QVERIFY(!gpPosteriorGrid(s, Json::object(), Direction::Maximize, trials,
                                 [](const ParameterRelevance&) {
                                     return std::optional<std::pair<GridAxis, GridAxis>>();
                                 }));
        // The same edge twice, an edge out of range, a cell without an edge.
        QVERIFY(!gpPosteriorGrid(s, Json::object(), Direction::Maximize, trials,
                                 GridAxis("cell", 2), GridAxis("cell", 2)));
        QVERIFY(!gpPosteriorGrid(s, Json::object(), Direction::Maximize, trials,
                                 GridAxis("cell", 0), GridAxis("cell", 6)));
        QVERIFY(!gpPosteriorGrid(s, Json::object(), Direction::Maximize, trials, "cell",
                                 GridAxis("cell", 1)));
    }
};

QTEST_APPLESS_MAIN(GpStrategyTest)
#include "tst_gp_strategy.moc"

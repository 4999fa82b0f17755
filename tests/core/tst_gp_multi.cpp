// The gp strategy in multi-objective and constrained studies: ParEGO
// scalarizations with reproducible weights, and the acquisition weighted by
// the probability of feasibility (checked against the normal CDF), which
// steers suggestions out of infeasible regions and keeps infeasible trials
// from being the incumbent.
#include <QtTest>

#include <cmath>
#include <functional>

#include "acquisition/feasibility.h"
#include "acquisition/normal.h"
#include "gp/kernel.h"
#include "strategies/strategy.h"
#include "support/strategy_harness.h"

using namespace bonsai;

namespace {

const char* kLine = R"([{"name": "x", "type": "float", "low": 0, "high": 1}])";

const std::vector<ObjectiveSpec> kTwoObjectives = {{"f1", Direction::Minimize},
                                                   {"f2", Direction::Maximize}};

double x(const Trial& t) {
    return std::get<double>(t.params.at("x"));
}

// Loss x (best at 0); the attribute c = x must be at least 0.6.
void lineWithFloor(Trial& t) {
    t.value = x(t);
    t.attrs["c"] = x(t);
}

const char* kSquare = R"([{"name": "a", "type": "float", "low": 0, "high": 1},
                          {"name": "b", "type": "float", "low": 0, "high": 1}])";

// Two objectives on kSquare: f1 = a + b^2 (minimized), f2 = -(1 - a)^2 - b
// (maximized); they trade a against each other.
void tradeOffOnTheSquare(Trial& t) {
    double a = std::get<double>(t.params.at("a")), b = std::get<double>(t.params.at("b"));
    t.values = {a + b * b, -(1 - a) * (1 - a) - b};
    t.value = t.values.front();
}

Trial lineTrial(int number, double at) {
    Trial t;
    t.number = number;
    t.state = TrialState::Complete;
    t.params = {{"x", at}};
    lineWithFloor(t);
    return t;
}

}  // namespace

class GpMultiTest : public QObject {
    Q_OBJECT

  private slots:
    void logNormalCdfMatchesHighPrecisionValues() {
        // log Phi(z) from mpmath at 30 digits.
        const std::vector<std::pair<double, double>> cases = {
            {0.0, -0.69314718055994531},  {1.96, -0.025315649164282115},
            {-1.0, -1.8410216450092635},  {-10.0, -53.231285150512471},
            {-40.0, -804.60844201375379}, {-100.0, -5005.5242086942051}};
        for (auto [z, expected] : cases)
            QVERIFY2(std::fabs(logNormalCdf(z) - expected) < 1e-12 * std::max(1.0, -expected),
                     qPrintable(QString("z = %1: %2").arg(z).arg(logNormalCdf(z), 0, 'g', 17)));
    }

    void probabilityWithinBoundsMatchesTheNormalCdf() {
        // P(-1 <= q <= 1) for a unit normal: Phi(1) - Phi(-1).
        QVERIFY(std::fabs(std::exp(logProbabilityWithin(0, 1, -1.0, 1.0).value) -
                          0.6826894921370859) < 1e-14);
        // One-sided, scaled: q ~ N(1, 4), q <= 2: Phi(0.5).
        QVERIFY(std::fabs(std::exp(logProbabilityWithin(1, 4, std::nullopt, 2.0).value) -
                          0.6914624612740131) < 1e-14);
        // Lower bound only: q >= 2 for N(0, 1) is Phi(-2).
        QVERIFY(std::fabs(std::exp(logProbabilityWithin(0, 1, 2.0, std::nullopt).value) -
                          normalCdf(-2.0)) < 1e-15);
        // Both bounds in the upper tail, where Phi(b) - Phi(a) would cancel.
        QVERIFY(std::fabs(logProbabilityWithin(0, 1, 2.0, 3.0).value - -3.8443534263342056) <
                1e-12);
        QVERIFY(std::fabs(logProbabilityWithin(0, 1, 8.0, 9.0).value - -35.013618593437148) <
                1e-10);
        // No bounds: certain.
        QCOMPARE(logProbabilityWithin(3, 2, std::nullopt, std::nullopt).value, 0.0);
    }

    void probabilityWithinBoundsHasAnalyticDerivatives() {
        struct Case {
            double mean, variance;
            std::optional<double> low, high;
        };
        for (const Case& c : {Case{0.3, 0.7, -1.0, 1.0}, Case{1.0, 4.0, std::nullopt, 2.0},
                              Case{-0.5, 0.2, 0.4, std::nullopt}, Case{0.0, 1.0, 2.0, 3.0},
                              Case{0.0, 1.0, std::nullopt, -6.0}}) {
            LogFeasibility f = logProbabilityWithin(c.mean, c.variance, c.low, c.high);
            const double h = 1e-6;
            double dMean = (logProbabilityWithin(c.mean + h, c.variance, c.low, c.high).value -
                            logProbabilityWithin(c.mean - h, c.variance, c.low, c.high).value) /
                           (2 * h);
            double dVar = (logProbabilityWithin(c.mean, c.variance + h, c.low, c.high).value -
                           logProbabilityWithin(c.mean, c.variance - h, c.low, c.high).value) /
                          (2 * h);
            QVERIFY2(std::fabs(f.dMean - dMean) < 1e-6 * std::max(1.0, std::fabs(dMean)),
                     qPrintable(QString("%1 vs %2").arg(f.dMean).arg(dMean)));
            QVERIFY2(std::fabs(f.dVariance - dVar) < 1e-6 * std::max(1.0, std::fabs(dVar)),
                     qPrintable(QString("%1 vs %2").arg(f.dVariance).arg(dVar)));
        }
    }

    void theWeightedTargetsGradientMatchesFiniteDifferences() {
        Eigen::MatrixXd X(5, 2);
        X << 0.1, 0.2, 0.4, 0.9, 0.7, 0.3, 0.9, 0.8, 0.5, 0.5;
        Eigen::VectorXd y(5), c(5);
        y << 1.0, 0.3, 0.8, 0.2, 0.5;
        c << 0.2, 1.5, 0.4, 1.9, 0.9;
        InputKinds kinds = {InputKind::continuous(), InputKind::continuous()};
        GaussianProcess gp(makeKernel("matern52", kinds));
        gp.setData(X, y);
        GaussianProcess constraintGp(makeKernel("matern52", kinds));
        constraintGp.setData(X, c);
        std::vector<FeasibilityModel> models = {{constraintGp, std::nullopt, 1.0}};
        auto logei = makeAcquisition("logei");
        auto ei = makeAcquisition("ei");
        // A variance scale (exploit_last) reaches the acquisition, not PoF.
        for (const auto& target :
             {FeasibilityWeightedTarget(logei.get(), gp, 0.2, models, true),
              FeasibilityWeightedTarget(ei.get(), gp, 0.2, models, false),
              FeasibilityWeightedTarget(nullptr, gp, 0.0, models, true),
              FeasibilityWeightedTarget(logei.get(), gp, 0.2, models, true, 0.3),
              FeasibilityWeightedTarget(ei.get(), gp, 0.2, models, false, 0.3)}) {
            Eigen::VectorXd at(2), gradient;
            at << 0.33, 0.61;
            double value = target.valueAndGradient(at, gradient);
            QVERIFY(std::fabs(value - target.values(at.transpose())[0]) < 1e-10);
            for (int d = 0; d < 2; ++d) {
                Eigen::VectorXd plus = at, minus = at;
                plus[d] += 1e-6;
                minus[d] -= 1e-6;
                double numeric =
                    (target.values(plus.transpose())[0] - target.values(minus.transpose())[0]) /
                    2e-6;
                QVERIFY2(
                    std::fabs(gradient[d] - numeric) < 1e-5 * std::max(1.0, std::fabs(numeric)),
                    qPrintable(QString("%1 vs %2").arg(gradient[d]).arg(numeric)));
            }
        }
        const FeasibilityWeightedTarget sharp(ei.get(), gp, 0.2, models, false, 0.3);
        Eigen::MatrixXd at(1, 2);
        at << 0.33, 0.61;
        const Prediction p = gp.predict(at.row(0).transpose());
        const double pof = std::exp(sharp.logFeasibility(at)[0]);
        QVERIFY(std::fabs(sharp.values(at)[0] -
                          ei->evaluate(p.mean, 0.3 * p.variance, 0.2).value * pof) < 1e-12);
    }

    void pareGoProposesLegalPointsWithWeightsOnTheSimplex() {
        SearchSpace s = test::spaceFrom(R"([
            {"name": "lr", "type": "float", "low": 1e-4, "high": 1e-1, "log": true},
            {"name": "layers", "type": "int", "low": 1, "high": 4},
            {"name": "act", "type": "categorical", "choices": ["relu", "tanh"]},
            {"name": "dropout", "type": "float", "low": 0, "high": 0.5,
             "when": {"param": "act", "equals": "relu"}}])");
        auto strategy = test::makeStrategy(
            s, R"({"kind": "gp", "acquisition": "parego", "initial_trials": 5})");
        auto evaluate = [](Trial& t) {
            double lr = std::log10(std::get<double>(t.params.at("lr")));
            double layers = static_cast<double>(std::get<std::int64_t>(t.params.at("layers")));
            t.values = {(lr + 2.5) * (lr + 2.5) + layers, layers * 0.3 - lr};
            t.value = t.values.front();
        };
        auto trials = test::runStrategy(*strategy, s, 14, 4, evaluate, {kTwoObjectives});
        QCOMPARE(static_cast<int>(trials.size()), 14);
        for (const Trial& t : trials) {
            s.validate(t.params, "trial");
            if (t.number < 5) {
                QVERIFY(!t.attrs.contains("parego_weights"));
                continue;
            }
            const Json& w = t.attrs["parego_weights"];
            QCOMPARE(static_cast<int>(w.size()), 2);
            QVERIFY(w[0].get<double>() >= 0 && w[1].get<double>() >= 0);
            QVERIFY(std::fabs(w[0].get<double>() + w[1].get<double>() - 1.0) < 1e-12);
            QVERIFY(t.attrs.contains("acquisition"));
            QVERIFY(!t.attrs.contains("probability_feasible"));
        }
        // Each suggestion draws its own weights.
        QVERIFY(trials[5].attrs["parego_weights"] != trials[6].attrs["parego_weights"]);
    }

    void pareGoWeightsAndPointsAreReproducible() {
        SearchSpace s = test::spaceFrom(kSquare);
        auto evaluate = tradeOffOnTheSquare;
        const char* parego = R"({"kind": "gp", "acquisition": "parego"})";
        auto first =
            test::runStrategy(*test::makeStrategy(s, parego), s, 9, 4, evaluate, {kTwoObjectives});
        auto again =
            test::runStrategy(*test::makeStrategy(s, parego), s, 9, 4, evaluate, {kTwoObjectives});
        auto other =
            test::runStrategy(*test::makeStrategy(s, parego), s, 9, 5, evaluate, {kTwoObjectives});
        for (int n = 5; n < 9; ++n) {
            QCOMPARE(first[n].attrs["parego_weights"], again[n].attrs["parego_weights"]);
            QCOMPARE(toJson(first[n].params), toJson(again[n].params));
        }
        QVERIFY(first[8].attrs["parego_weights"] != other[8].attrs["parego_weights"]);
    }

    void feasibilityPushesSuggestionsOutOfTheInfeasibleRegion() {
        // Minimize x on [0, 1] subject to x >= 0.6: unconstrained, the GP
        // heads for 0; constrained, it must stay at the boundary 0.6, where
        // improvement and feasibility trade off.
        SearchSpace s = test::spaceFrom(kLine);
        std::vector<ConstraintSpec> floor = {{"c", 0.6, std::nullopt}};
        auto constrained =
            test::runStrategy(*test::makeStrategy(s, R"({"kind": "gp", "initial_trials": 4})"), s,
                              16, 4, lineWithFloor, {{}, floor});
        auto free =
            test::runStrategy(*test::makeStrategy(s, R"({"kind": "gp", "initial_trials": 4})"), s,
                              16, 4, lineWithFloor, {});
        int nearBoundary = 0, nearZero = 0;
        double bestFeasible = INFINITY;
        for (int n = 4; n < 16; ++n) {
            const Trial& t = constrained[static_cast<std::size_t>(n)];
            nearBoundary += std::fabs(x(t) - 0.6) < 0.05;
            if (x(t) >= 0.6)
                bestFeasible = std::min(bestFeasible, x(t));
            QVERIFY(t.attrs.contains("probability_feasible"));
            double pof = t.attrs["probability_feasible"].get<double>();
            QVERIFY(pof > 0.0 && pof <= 1.0);
            nearZero += x(free[static_cast<std::size_t>(n)]) < 0.1;
        }
        QVERIFY2(nearBoundary >= 10, qPrintable(QString::number(nearBoundary)));
        QVERIFY2(bestFeasible < 0.65, qPrintable(QString::number(bestFeasible)));
        QVERIFY2(nearZero >= 10, qPrintable(QString::number(nearZero)));
        // At the boundary the constraint model is unsure, PoF near a half.
        double pof = constrained.back().attrs["probability_feasible"].get<double>();
        QVERIFY2(pof > 0.2 && pof < 0.8, qPrintable(QString::number(pof)));
    }

    void pareGoAndConstraintsOnAnObjectiveCombine_data() {
        QTest::addColumn<QString>("strategy");
        QTest::newRow("parego")
            << R"({"kind": "gp", "acquisition": "parego", "initial_trials": 5})";
        QTest::newRow("ei") << R"({"kind": "gp", "acquisition": "ei", "initial_trials": 5})";
        QTest::newRow("ehvi (default)") << R"({"kind": "gp", "initial_trials": 5})";
    }

    void pareGoAndConstraintsOnAnObjectiveCombine() {
        // f1 = a (minimized) must stay <= 0.4; f2 = -(a - 1)^2 - b is
        // maximized. The front trades a against b = 1, but only a <= 0.4 counts.
        QFETCH(QString, strategy);
        SearchSpace s = test::spaceFrom(R"([{"name": "a", "type": "float", "low": 0, "high": 1},
                                  {"name": "b", "type": "float", "low": 0, "high": 1}])");
        std::vector<ConstraintSpec> cap = {{"f1", std::nullopt, 0.4}};
        auto evaluate = [](Trial& t) {
            double a = std::get<double>(t.params.at("a"));
            double b = std::get<double>(t.params.at("b"));
            t.values = {a, -(a - 1) * (a - 1) - b};
            t.value = t.values.front();
        };
        auto trials = test::runStrategy(*test::makeStrategy(s, qPrintable(strategy)), s, 17, 4,
                                        evaluate, {kTwoObjectives, cap});
        int feasible = 0;
        for (int n = 5; n < 17; ++n) {
            const Trial& t = trials[static_cast<std::size_t>(n)];
            if (strategy.contains("acquisition"))
                QVERIFY(t.attrs.contains("parego_weights"));
            else
                QCOMPARE(t.attrs["acquisition_function"].get<std::string>(), std::string("ehvi"));
            QVERIFY(t.attrs.contains("probability_feasible"));
            if (strategy.contains("\"ei\""))
                QVERIFY(t.attrs["acquisition"].get<double>() >= 0.0);
            feasible += std::get<double>(t.params.at("a")) <= 0.4 + 0.02;
        }
        QVERIFY2(feasible >= 11, qPrintable(QString::number(feasible)));
    }

    void aPrunedPointIsNotSuggestedAgain_data() {
        QTest::addColumn<QString>("strategy");
        QTest::newRow("ehvi (default)") << R"({"kind": "gp", "initial_trials": 5})";
        QTest::newRow("parego")
            << R"({"kind": "gp", "acquisition": "parego", "initial_trials": 5})";
    }

    // As with one objective (tst_gp_strategy), a pruned trial counts as the
    // worst observation so far, on every objective. Left out, it kept its
    // promise and the next suggestion came back to the point just pruned.
    void aPrunedPointIsNotSuggestedAgain() {
        QFETCH(QString, strategy);
        SearchSpace s = test::spaceFrom(kSquare);
        auto evaluate = tradeOffOnTheSquare;
        auto gp = test::makeStrategy(s, qPrintable(strategy));
        std::vector<Trial> trials = test::runStrategy(*gp, s, 9, 4, evaluate, {kTwoObjectives});
        Rng rng(mixSeed(4, 9));
        const ParamMap first = test::suggestNext(*gp, s, trials, rng, 4, {kTwoObjectives})->params;
        Trial pruned;
        pruned.number = 9;
        pruned.state = TrialState::Pruned;
        pruned.params = first;
        pruned.intermediate = {{1, 2.0}};
        trials.push_back(pruned);
        Rng again(mixSeed(4, 9));
        auto second = test::suggestNext(*gp, s, trials, again, 4, {kTwoObjectives});
        const double moved =
            std::hypot(test::numberOf(second->params, "a") - test::numberOf(first, "a"),
                       test::numberOf(second->params, "b") - test::numberOf(first, "b"));
        QVERIFY2(moved > 0.05, qPrintable(QString("moved %1").arg(moved)));
        QCOMPARE(second->attrs["gp_pruned_as_worst"].get<int>(), 1);
        QCOMPARE(second->attrs["gp_observations"].get<int>(), 10);
    }

    void theIncumbentIsTheBestFeasibleTrial() {
        SearchSpace s = test::spaceFrom(kLine);
        std::vector<Trial> trials = {lineTrial(0, 0.1), lineTrial(1, 0.7), lineTrial(2, 0.9),
                                     lineTrial(3, 0.3), lineTrial(4, 0.8)};
        std::vector<ConstraintSpec> floor = {{"c", 0.6, std::nullopt}};
        auto strategy = test::makeStrategy(s, R"({"kind": "gp", "initial_trials": 3})");
        Rng rng(3);
        SuggestContext constrained{s, trials, Direction::Minimize, rng, 3, {}, floor};
        auto suggestion = strategy->suggest(constrained);
        QCOMPARE(suggestion->attrs["incumbent_trial"].get<int>(), 1);
        QCOMPARE(suggestion->attrs["acquisition_function"].get<std::string>(),
                 std::string("logei"));
        SuggestContext free{s, trials, Direction::Minimize, rng, 3};
        QCOMPARE(strategy->suggest(free)->attrs["incumbent_trial"].get<int>(), 0);
    }

    void withoutAFeasibleTrialOnlyFeasibilityCounts() {
        SearchSpace s = test::spaceFrom(kLine);
        std::vector<Trial> trials = {lineTrial(0, 0.1), lineTrial(1, 0.2), lineTrial(2, 0.3),
                                     lineTrial(3, 0.15)};
        std::vector<ConstraintSpec> floor = {{"c", 0.6, std::nullopt}};
        auto strategy = test::makeStrategy(s, R"({"kind": "gp", "initial_trials": 3})");
        Rng rng(8);
        SuggestContext context{s, trials, Direction::Minimize, rng, 8, {}, floor};
        auto suggestion = strategy->suggest(context);
        QCOMPARE(suggestion->attrs["acquisition_function"].get<std::string>(), std::string("pof"));
        QVERIFY(!suggestion->attrs.contains("incumbent_trial"));
        // The most probably feasible point lies beyond the observed infeasible
        // ones, on the side where the quantity grows.
        const double at = std::get<double>(suggestion->params.at("x"));
        QVERIFY2(at > 0.4, qPrintable(QString::number(at)));
    }

    void ucbFallsBackToLogEiUnderConstraints() {
        SearchSpace s = test::spaceFrom(kLine);
        std::vector<Trial> trials = {lineTrial(0, 0.1), lineTrial(1, 0.7), lineTrial(2, 0.9)};
        std::vector<ConstraintSpec> floor = {{"c", 0.6, std::nullopt}};
        auto strategy =
            test::makeStrategy(s, R"({"kind": "gp", "acquisition": "ucb", "initial_trials": 3})");
        Rng rng(2);
        SuggestContext context{s, trials, Direction::Minimize, rng, 2, {}, floor};
        QCOMPARE(strategy->suggest(context)->attrs["acquisition_function"].get<std::string>(),
                 std::string("logei"));
    }
};

QTEST_APPLESS_MAIN(GpMultiTest)
#include "tst_gp_multi.moc"

// Expected hypervolume improvement of two and three objectives: closed-form
// cases, the added hypervolume against core's own hypervolume, a Monte Carlo
// estimate, analytic derivatives, the constrained target, and the gp
// strategy that uses it.
#include <QtTest>

#include <cmath>
#include <random>

#include "acquisition/ehvi.h"
#include "acquisition/maximizer.h"
#include "gp/kernel.h"
#include "multi/pareto.h"
#include "space/nb201_cell.h"
#include "strategies/strategy.h"
#include "support/gradient_check.h"
#include "support/strategy_harness.h"

using namespace bonsai;
using Point = ExpectedHypervolumeImprovement::Point;

class EhviTest : public QObject {
    Q_OBJECT

  private slots:
    void theFrontDropsDominatedAndOutsidePoints() {
        ExpectedHypervolumeImprovement ehvi({{1, 3}, {2, 2}, {2.5, 2.5}, {3, 1}, {5, 0}, {0, 5}},
                                            {4, 4});
        QCOMPARE(ehvi.front().size(), std::size_t{3});  // (2.5, 2.5) dominated, two outside
        QCOMPARE(ehvi.front()[0], (Point{1, 3}));
        QCOMPARE(ehvi.front()[2], (Point{3, 1}));
        // Staircase area: (2-1)(4-3) + (3-2)(4-2) + (4-3)(4-1) = 1 + 2 + 3.
        QCOMPARE(ehvi.hypervolume(), 6.0);
    }

    void improvementIsTheAddedArea() {
        ExpectedHypervolumeImprovement ehvi({{1, 3}, {2, 2}, {3, 1}}, {4, 4});
        QCOMPARE(ehvi.improvement({0, 0}), 16.0 - 6.0);  // dominates everything
        QCOMPARE(ehvi.improvement({2, 2}), 0.0);         // on the front
        QCOMPARE(ehvi.improvement({5, 0}), 0.0);         // outside the box
        QCOMPARE(ehvi.improvement({1.5, 2.5}), 0.25);    // one notch of the staircase
        QCOMPARE(ehvi.improvement({0.5, 3.5}), 0.5 * 0.5 + 0.0);
        // Empty front: the box between the point and the reference.
        ExpectedHypervolumeImprovement empty({}, {4, 4});
        QCOMPARE(empty.improvement({1, 2}), 3.0 * 2.0);
    }

    void closedFormCases() {
        // Empty front: EHVI = E[(r1 - y1)+] E[(r2 - y2)+] = s1 h(z1) s2 h(z2).
        ExpectedHypervolumeImprovement empty({}, {0, 0});
        const auto h = [](double z) {
            return std::exp(-0.5 * z * z) / std::sqrt(2 * M_PI) +
                   z * 0.5 * std::erfc(-z / std::sqrt(2.0));
        };
        auto v = empty.evaluate({0, 0}, {1, 1});
        QVERIFY(std::fabs(v.value - h(0) * h(0)) < 1e-14);  // 1 / (2 pi)
        QVERIFY(std::fabs(v.value - 1.0 / (2 * M_PI)) < 1e-14);
        v = empty.evaluate({-1, 0.5}, {4, 0.25});
        QVERIFY(std::fabs(v.value - 2 * h(0.5) * 0.5 * h(-1.0)) < 1e-14);
        // Noise-free posterior: EHVI is the improvement of the mean.
        ExpectedHypervolumeImprovement ehvi({{1, 3}, {2, 2}, {3, 1}}, {4, 4});
        v = ehvi.evaluate({1.5, 2.5}, {1e-20, 1e-20});
        QVERIFY(std::fabs(v.value - 0.25) < 1e-9);
        v = ehvi.evaluate({0, 0}, {0, 0});
        QVERIFY(std::fabs(v.value - 10.0) < 1e-9);
    }

    void matchesMonteCarlo_data() {
        QTest::addColumn<double>("m1");
        QTest::addColumn<double>("m2");
        QTest::addColumn<double>("s1");
        QTest::addColumn<double>("s2");
        QTest::newRow("on the front") << 2.0 << 2.0 << 0.5 << 0.7;
        QTest::newRow("behind") << 3.5 << 3.5 << 1.0 << 0.3;
        QTest::newRow("ahead") << 0.5 << 0.8 << 0.4 << 1.5;
        QTest::newRow("outside") << 5.0 << 0.5 << 0.8 << 0.8;
    }

    void matchesMonteCarlo() {
        QFETCH(double, m1);
        QFETCH(double, m2);
        QFETCH(double, s1);
        QFETCH(double, s2);
        ExpectedHypervolumeImprovement ehvi({{1, 3}, {2, 2}, {3, 1}, {0.5, 3.7}}, {4, 4});
        std::mt19937_64 rng(17);
        std::normal_distribution<double> normal(0.0, 1.0);
        const int samples = 400000;
        double sum = 0, sumSquares = 0;
        for (int i = 0; i < samples; ++i) {
            double hvi = ehvi.improvement({m1 + s1 * normal(rng), m2 + s2 * normal(rng)});
            sum += hvi;
            sumSquares += hvi * hvi;
        }
        const double mean = sum / samples;
        const double standardError = std::sqrt((sumSquares / samples - mean * mean) / samples);
        const double exact = ehvi.evaluate({m1, m2}, {s1 * s1, s2 * s2}).value;
        QVERIFY2(
            std::fabs(exact - mean) <= 4 * standardError + 1e-12,
            qPrintable(
                QString("exact %1, Monte Carlo %2 +- %3").arg(exact).arg(mean).arg(standardError)));
    }

    // The screening path (value(), no derivatives) gives exactly the number
    // evaluate() gives: suggestions must not depend on which one ran.
    void valueIsEvaluatesValue() {
        ExpectedHypervolumeImprovement ehvi({{1, 3}, {2, 2}, {3, 1}}, {4, 4});
        ExpectedHypervolumeImprovement empty({}, {4, 4});
        std::mt19937_64 rng(3);
        std::uniform_real_distribution<double> u(-2.0, 6.0);
        std::uniform_real_distribution<double> logVariance(-30.0, 3.0);
        for (int i = 0; i < 2000; ++i) {
            const Point mean{u(rng), u(rng)};
            const Point variance{std::exp(logVariance(rng)),
                                 i % 7 == 0 ? 0.0 : std::exp(logVariance(rng))};
            for (const auto* e : {&ehvi, &empty})
                QVERIFY(e->value(mean, variance) == e->evaluate(mean, variance).value);
        }
    }

    void derivativesMatchFiniteDifferences() {
        ExpectedHypervolumeImprovement ehvi({{1, 3}, {2, 2}, {3, 1}}, {4, 4});
        const Point mean{1.7, 2.4}, variance{0.3, 0.8};
        const auto v = ehvi.evaluate(mean, variance);
        const double e = 1e-6;
        for (int j = 0; j < 2; ++j) {
            Point up = mean, down = mean;
            up[j] += e;
            down[j] -= e;
            double numeric =
                (ehvi.evaluate(up, variance).value - ehvi.evaluate(down, variance).value) / (2 * e);
            QVERIFY2(std::fabs(numeric - v.dMean[j]) < 1e-7, qPrintable(QString::number(j)));
            Point vUp = variance, vDown = variance;
            vUp[j] += e;
            vDown[j] -= e;
            numeric = (ehvi.evaluate(mean, vUp).value - ehvi.evaluate(mean, vDown).value) / (2 * e);
            QVERIFY2(std::fabs(numeric - v.dVariance[j]) < 1e-7, qPrintable(QString::number(j)));
        }
    }

    // With two objectives the undominated region is the staircase's k + 1
    // strips; with three, the (k + 1)^2 columns over the first two losses.
    void cellsAreStripsInTwoDimensionsAndColumnsInThree() {
        QCOMPARE(ExpectedHypervolumeImprovement({{1, 3}, {2, 2}, {3, 1}}, {4, 4}).cellCount(),
                 std::size_t{4});
        const ExpectedHypervolumeImprovement three({{1, 2, 3}, {2, 3, 1}, {3, 1, 2}}, {4, 4, 4});
        QCOMPARE(three.front().size(), std::size_t{3});
        QCOMPARE(three.cellCount(), std::size_t{16});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 ExpectedHypervolumeImprovement({{1.0}}, {2.0}));
    }

    // Three objectives, by hand: one point (1, 1, 1) under the reference
    // (2, 2, 2) dominates the unit cube; a second point (0, 1.5, 1.5) adds
    // the slab 1 x 0.5 x 0.5 = 0.25 beside it. A point dominated by the
    // front adds nothing, one that dominates everything adds the rest of
    // the box down to itself.
    void threeObjectiveVolumesByHand() {
        const ExpectedHypervolumeImprovement one({{1, 1, 1}, {1.5, 1.5, 1.5}}, {2, 2, 2});
        QCOMPARE(one.front().size(), std::size_t{1});
        QCOMPARE(one.hypervolume(), 1.0);
        QCOMPARE(one.improvement(std::vector<double>{0, 1.5, 1.5}), 0.25);
        QCOMPARE(one.improvement(std::vector<double>{1.2, 1.1, 1.9}), 0.0);
        QCOMPARE(one.improvement(std::vector<double>{0, 0, 0}), 8.0 - 1.0);
        const ExpectedHypervolumeImprovement two({{1, 1, 1}, {0, 1.5, 1.5}}, {2, 2, 2});
        QCOMPARE(two.hypervolume(), 1.25);
        const ExpectedHypervolumeImprovement empty({}, {2, 2, 2});
        QCOMPARE(empty.improvement(std::vector<double>{1, 0.5, 1.5}), 1.0 * 1.5 * 0.5);
    }

    // On random three-objective fronts, the improvement of a point is what
    // core's own hypervolume (a separate sweep) gains when it joins, and the
    // front's hypervolume is core's.
    void threeObjectiveImprovementIsTheAddedHypervolume() {
        std::mt19937_64 rng(5);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        const LossVector reference{1.1, 1.2, 1.05};
        for (int round = 0; round < 40; ++round) {
            std::vector<LossVector> points;
            const int n = 1 + round % 15;
            for (int i = 0; i < n; ++i) {
                // Near the sphere's octant, so most points are on the front.
                LossVector p{u(rng), u(rng), u(rng)};
                const double norm = std::sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
                for (double& c : p)
                    c = c / norm * (0.9 + 0.2 * u(rng));
                points.push_back(p);
            }
            const ExpectedHypervolumeImprovement ehvi(points, reference);
            const double before = hypervolume(points, reference);
            QVERIFY(std::fabs(ehvi.hypervolume() - before) < 1e-12);
            for (int k = 0; k < 20; ++k) {
                const LossVector y{1.2 * u(rng), 1.2 * u(rng), 1.2 * u(rng)};
                std::vector<LossVector> joined = points;
                joined.push_back(y);
                const double added = hypervolume(joined, reference) - before;
                QVERIFY2(std::fabs(ehvi.improvement(y) - added) < 1e-12,
                         qPrintable(QString("round %1: %2 against %3")
                                        .arg(round)
                                        .arg(ehvi.improvement(y))
                                        .arg(added)));
            }
        }
    }

    // Closed forms in three dimensions: with an empty front EHVI is the
    // product of the three partial expectations; a noise-free posterior
    // gives the improvement of its mean.
    void threeObjectiveClosedForms() {
        const auto h = [](double z) {
            return std::exp(-0.5 * z * z) / std::sqrt(2 * M_PI) +
                   z * 0.5 * std::erfc(-z / std::sqrt(2.0));
        };
        const ExpectedHypervolumeImprovement empty({}, {0, 0, 0});
        const auto v =
            empty.evaluate(std::vector<double>{-1, 0.5, 0}, std::vector<double>{4, 0.25, 1});
        QVERIFY(std::fabs(v.value - 2 * h(0.5) * 0.5 * h(-1.0) * h(0.0)) < 1e-14);
        const ExpectedHypervolumeImprovement ehvi({{1, 1, 1}, {0, 1.5, 1.5}}, {2, 2, 2});
        const std::vector<double> tiny(3, 1e-20);
        QVERIFY(std::fabs(ehvi.evaluate(std::vector<double>{0.5, 0.5, 0.5}, tiny).value -
                          ehvi.improvement(std::vector<double>{0.5, 0.5, 0.5})) < 1e-9);
    }

    void threeObjectivesMatchMonteCarlo() {
        const ExpectedHypervolumeImprovement ehvi(
            {{0.2, 0.9, 0.6}, {0.5, 0.5, 0.5}, {0.9, 0.2, 0.4}, {0.3, 0.4, 0.95}}, {1, 1, 1});
        std::mt19937_64 rng(23);
        std::normal_distribution<double> normal(0.0, 1.0);
        for (const auto& [mean, sigma] :
             {std::pair{std::vector<double>{0.5, 0.5, 0.5}, std::vector<double>{0.2, 0.3, 0.1}},
              std::pair{std::vector<double>{0.3, 0.7, 0.2}, std::vector<double>{0.4, 0.1, 0.3}},
              std::pair{std::vector<double>{1.2, 0.1, 0.1}, std::vector<double>{0.3, 0.3, 0.3}}}) {
            const int samples = 300000;
            double sum = 0, sumSquares = 0;
            for (int i = 0; i < samples; ++i) {
                const std::vector<double> y{mean[0] + sigma[0] * normal(rng),
                                            mean[1] + sigma[1] * normal(rng),
                                            mean[2] + sigma[2] * normal(rng)};
                const double hvi = ehvi.improvement(y);
                sum += hvi;
                sumSquares += hvi * hvi;
            }
            const double estimate = sum / samples;
            const double standardError =
                std::sqrt((sumSquares / samples - estimate * estimate) / samples);
            const std::vector<double> variance{sigma[0] * sigma[0], sigma[1] * sigma[1],
                                               sigma[2] * sigma[2]};
            const double exact = ehvi.evaluate(mean, variance).value;
            QVERIFY(exact > 0);
            QVERIFY2(std::fabs(exact - estimate) <= 4 * standardError + 1e-12,
                     qPrintable(QString("exact %1, Monte Carlo %2 +- %3")
                                    .arg(exact)
                                    .arg(estimate)
                                    .arg(standardError)));
            QCOMPARE(ehvi.value(mean, variance), exact);
        }
    }

    void threeObjectiveDerivativesMatchFiniteDifferences() {
        const ExpectedHypervolumeImprovement ehvi(
            {{0.2, 0.9, 0.6}, {0.5, 0.5, 0.5}, {0.9, 0.2, 0.4}}, {1, 1, 1});
        const std::vector<double> mean{0.45, 0.6, 0.35}, variance{0.04, 0.09, 0.02};
        const auto v = ehvi.evaluate(mean, variance);
        const double e = 1e-6;
        for (std::size_t j = 0; j < 3; ++j) {
            std::vector<double> up = mean, down = mean;
            up[j] += e;
            down[j] -= e;
            double numeric =
                (ehvi.evaluate(up, variance).value - ehvi.evaluate(down, variance).value) / (2 * e);
            QVERIFY2(std::fabs(numeric - v.dMean[j]) < 1e-7, qPrintable(QString::number(j)));
            std::vector<double> vUp = variance, vDown = variance;
            vUp[j] += e;
            vDown[j] -= e;
            numeric = (ehvi.evaluate(mean, vUp).value - ehvi.evaluate(mean, vDown).value) / (2 * e);
            QVERIFY2(std::fabs(numeric - v.dVariance[j]) < 1e-7, qPrintable(QString::number(j)));
        }
    }

    // EHVI grows with each loss's variance (the added hypervolume is convex
    // in each loss), so at the GPs' variance bounds it bounds the target; and
    // the maximizer, which then skips points, finds the point scoring every
    // point finds. Constrained targets have no bounds.
    void theTargetsBoundsBoundIt() {
        const InputKinds kinds(4, InputKind::categorical(4));
        std::mt19937_64 gen(12);
        std::uniform_int_distribution<int> level(0, 3);
        Eigen::MatrixXd X(25, 4);
        for (Eigen::Index r = 0; r < X.rows(); ++r)
            for (Eigen::Index j = 0; j < 4; ++j)
                X(r, j) = kinds[0].centreOf(level(gen));
        Eigen::VectorXd f1(25), f2(25);
        std::vector<Point> observed;
        for (Eigen::Index r = 0; r < 25; ++r) {
            f1[r] = std::sin(3 * X(r, 0)) + X(r, 1) - X(r, 2) * X(r, 3);
            f2[r] = std::cos(2 * X(r, 1)) - X(r, 0) + 0.5 * X(r, 3);
            observed.push_back({f1[r], f2[r]});
        }
        std::vector<GaussianProcess> models(2, GaussianProcess(makeKernel("matern52", kinds)));
        models[0].setData(X, f1);
        models[1].setData(X, f2);
        const std::vector<FeasibilityModel> none;
        EhviTarget target(models, ExpectedHypervolumeImprovement(observed, {2.5, 2.5}), none);
        Eigen::MatrixXd all(256, 4);
        for (Eigen::Index code = 0; code < 256; ++code)
            for (Eigen::Index j = 0; j < 4; ++j)
                all(code, j) = kinds[0].centreOf(static_cast<int>((code >> (2 * j)) & 3));
        const std::optional<Eigen::VectorXd> bounds = target.upperBounds(all);
        QVERIFY(bounds.has_value());
        const Eigen::VectorXd exact = target.values(all);
        for (Eigen::Index r = 0; r < all.rows(); ++r)
            QVERIFY2((*bounds)[r] >= exact[r] * (1.0 - 1e-12),
                     qPrintable(QString("row %1: %2 < %3").arg(r).arg((*bounds)[r]).arg(exact[r])));
        Rng rng(2);
        const MaximizerResult r = AcquisitionMaximizer(kinds).maximize(target, rng, X);
        Eigen::Index best = -1;
        for (Eigen::Index i = 0; i < all.rows(); ++i) {
            bool taken = false;
            for (Eigen::Index t = 0; t < X.rows(); ++t)
                taken = taken || all.row(i) == X.row(t);
            if (!taken && (best < 0 || exact[i] > exact[best]))
                best = i;
        }
        QCOMPARE(r.x, Eigen::VectorXd(all.row(best).transpose()));
        QVERIFY(r.evaluations < 256);
        GaussianProcess c(makeKernel("matern52", kinds));
        c.setData(X, f1 + f2);
        const std::vector<FeasibilityModel> constrained = {{c, std::nullopt, 1.0}};
        EhviTarget withConstraint(models, ExpectedHypervolumeImprovement(observed, {2.5, 2.5}),
                                  constrained);
        QVERIFY(!withConstraint.upperBounds(all).has_value());
        // Whether there are bounds does not depend on the rows (the maximizer
        // asks with none first).
        const std::optional<Eigen::VectorXd> noRows = target.upperBounds(Eigen::MatrixXd(0, 4));
        QVERIFY(noRows.has_value());
        QCOMPARE(noRows->size(), Eigen::Index{0});
        QVERIFY(!withConstraint.upperBounds(Eigen::MatrixXd(0, 4)).has_value());
    }

    void theTargetsGradientMatchesFiniteDifferences() {
        Eigen::MatrixXd X(6, 2);
        X << 0.1, 0.2, 0.4, 0.9, 0.7, 0.3, 0.9, 0.8, 0.5, 0.5, 0.2, 0.7;
        Eigen::VectorXd f1(6), f2(6), c(6);
        f1 << 1.0, 0.3, 0.8, 0.2, 0.5, 0.6;
        f2 << 0.1, 0.9, 0.4, 1.0, 0.5, 0.3;
        c << 0.2, 1.5, 0.4, 1.9, 0.9, 0.1;
        InputKinds kinds = {InputKind::continuous(), InputKind::continuous()};
        std::vector<GaussianProcess> gps(2, GaussianProcess(makeKernel("matern52", kinds)));
        GaussianProcess constraint(makeKernel("matern52", kinds));
        gps[0].setData(X, f1);
        gps[1].setData(X, f2);
        constraint.setData(X, c);
        std::vector<Point> observed;
        for (int i = 0; i < 6; ++i)
            observed.push_back({f1[i], f2[i]});
        const std::vector<FeasibilityModel> none, bounded = {{constraint, std::nullopt, 1.0}};
        for (const auto* models : {&none, &bounded})
            for (double varianceScale : {1.0, 0.25}) {
                EhviTarget target(gps, ExpectedHypervolumeImprovement(observed, {1.2, 1.2}),
                                  *models, varianceScale);
                Eigen::VectorXd at(2), gradient;
                at << 0.33, 0.61;
                const double value = target.valueAndGradient(at, gradient);
                QVERIFY(value > 0);
                QVERIFY(std::fabs(value - target.values(at.transpose())[0]) < 1e-12);
                const QString mismatch = test::checkGradient(
                    [&](const Eigen::VectorXd& x) { return target.values(x.transpose())[0]; }, at,
                    gradient, 1e-6, 1e-5, "input");
                QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
            }
    }

    // A variance scale is EHVI of the same means with scaled variances: less
    // for a point whose gain is uncertain, and the bounds still bound it.
    void aVarianceScaleIsWhatEhviSees() {
        Eigen::MatrixXd X(6, 2);
        X << 0.1, 0.2, 0.4, 0.9, 0.7, 0.3, 0.9, 0.8, 0.5, 0.5, 0.2, 0.7;
        Eigen::VectorXd f1(6), f2(6);
        f1 << 1.0, 0.3, 0.8, 0.2, 0.5, 0.6;
        f2 << 0.1, 0.9, 0.4, 1.0, 0.5, 0.3;
        const InputKinds kinds = {InputKind::continuous(), InputKind::continuous()};
        std::vector<GaussianProcess> gps(2, GaussianProcess(makeKernel("matern52", kinds)));
        gps[0].setData(X, f1);
        gps[1].setData(X, f2);
        std::vector<Point> observed;
        for (int i = 0; i < 6; ++i)
            observed.push_back({f1[i], f2[i]});
        const ExpectedHypervolumeImprovement ehvi(observed, {1.2, 1.2});
        const std::vector<FeasibilityModel> none;
        const EhviTarget plain(gps, ehvi, none), sharp(gps, ehvi, none, 0.25);
        Eigen::MatrixXd at(3, 2);
        at << 0.33, 0.61, 0.05, 0.95, 0.6, 0.1;
        const BatchPrediction p1 = gps[0].predictMany(at), p2 = gps[1].predictMany(at);
        const Eigen::VectorXd plainValues = plain.values(at), sharpValues = sharp.values(at);
        for (Eigen::Index r = 0; r < at.rows(); ++r) {
            const Point mean = {p1.mean[r], p2.mean[r]};
            QVERIFY(std::fabs(plainValues[r] - ehvi.value(mean, {p1.variance[r], p2.variance[r]})) <
                    1e-12);
            QVERIFY(std::fabs(sharpValues[r] - ehvi.value(mean, {0.25 * p1.variance[r],
                                                                 0.25 * p2.variance[r]})) < 1e-12);
            QVERIFY(sharpValues[r] < plainValues[r]);
            QVERIFY((*sharp.upperBounds(at))[r] >= sharpValues[r] * (1.0 - 1e-12));
        }
    }

    void theGpStrategyUsesEhviForTwoObjectives() {
        SearchSpace s = SearchSpace::fromJson(
            Json::parse(R"([{"name": "a", "type": "float", "low": 0, "high": 1},
                            {"name": "b", "type": "float", "low": 0, "high": 1}])"));
        const std::vector<ObjectiveSpec> objectives = {{"f1", Direction::Minimize, 1.1},
                                                       {"f2", Direction::Minimize, 1.1}};
        auto run = [&](const char* spec) {
            auto strategy = StrategyRegistry::builtins().create(Json::parse(spec), s);
            std::vector<Trial> trials;
            for (int n = 0; n < 14; ++n) {
                Rng rng(mixSeed(3, static_cast<std::uint64_t>(n)));
                SuggestContext context{s, trials, Direction::Minimize, rng, 3, objectives, {}};
                auto suggestion = strategy->suggest(context);
                Trial t;
                t.number = n;
                t.state = TrialState::Complete;
                t.params = suggestion->params;
                t.attrs = suggestion->attrs;
                const double a = std::get<double>(t.params.at("a"));
                const double b = std::get<double>(t.params.at("b"));
                t.values = {a, (1 + 4 * b) * (1 - std::sqrt(a / (1 + 4 * b)))};  // ZDT1-like
                t.value = t.values.front();
                trials.push_back(t);
            }
            return trials;
        };
        auto ehvi = run(R"({"kind": "gp", "initial_trials": 6})");
        for (int n = 6; n < 14; ++n) {
            QCOMPARE(ehvi[n].attrs["acquisition_function"].get<std::string>(), std::string("ehvi"));
            QVERIFY(ehvi[n].attrs.contains("gp_theta_0") && ehvi[n].attrs.contains("gp_theta_1"));
            QVERIFY(ehvi[n].attrs["acquisition"].get<double>() >= 0.0);
            QVERIFY(!ehvi[n].attrs.contains("parego_weights"));
        }
        // EHVI pushes b to 0 (the front of this problem): most suggestions
        // after the design are near it.
        int nearFront = 0;
        for (int n = 6; n < 14; ++n)
            nearFront += std::get<double>(ehvi[n].params.at("b")) < 0.1;
        QVERIFY2(nearFront >= 5, qPrintable(QString::number(nearFront)));
        // ParEGO stays available.
        auto parego = run(R"({"kind": "gp", "initial_trials": 6, "acquisition": "parego"})");
        QVERIFY(parego[8].attrs.contains("parego_weights"));
        auto again = run(R"({"kind": "gp", "initial_trials": 6})");
        QCOMPARE(toJson(again[13].params), toJson(ehvi[13].params));
    }

    // EHVI that stops adding to the front hands one suggestion to ParEGO: on
    // a continuous space, after five trials in a row off the front, the next
    // suggestion is a ParEGO turn, its LogEI kept apart from the study's
    // EHVI values. A front member among the last five, an all-discrete space
    // or "parego_after": 0 keep EHVI.
    void aStalledEhviTakesAParegoTurn() {
        const std::vector<ObjectiveSpec> objectives = {{"f1", Direction::Minimize, 1.1},
                                                       {"f2", Direction::Minimize, 11.0}};
        // Trial 4 reaches (0, 1) and dominates every other trial.
        auto history = [](int count, bool integers) {
            std::vector<Trial> trials;
            for (int n = 0; n < count; ++n) {
                ParamMap params;
                if (integers)
                    params = {{"a", std::int64_t{n % 5}}, {"b", std::int64_t{n}}};
                else
                    params = {{"a", 0.05 + (n % 5) / 5.0}, {"b", 0.5 + 0.04 * n}};
                Trial trial = test::completeTrial(n, params, 0.0);
                trial.values = n == 4 ? std::vector<double>{0.0, 1.0}
                                      : std::vector<double>{0.5 + 0.01 * n, 6 + 0.1 * n};
                trial.value = trial.values.front();
                trials.push_back(trial);
            }
            return trials;
        };
        const SearchSpace continuous = SearchSpace::fromJson(
            Json::parse(R"([{"name": "a", "type": "float", "low": 0, "high": 1},
                            {"name": "b", "type": "float", "low": 0, "high": 1}])"));
        const SearchSpace discrete = SearchSpace::fromJson(
            Json::parse(R"([{"name": "a", "type": "int", "low": 0, "high": 10},
                            {"name": "b", "type": "int", "low": 0, "high": 10}])"));
        auto next = [&](const SearchSpace& space, const char* spec, int count, bool integers) {
            auto strategy = test::makeStrategy(space, spec);
            Rng rng(7);
            const std::vector<Trial> trials = history(count, integers);
            return test::suggestNext(*strategy, space, trials, rng, 7, test::StudyShape{objectives})
                ->attrs;
        };
        const char* gp = R"({"kind": "gp", "initial_trials": 4})";
        const Json turn = next(continuous, gp, 10, false);  // trials 5-9 off the front
        QVERIFY(turn.value("parego_turn", false));
        QVERIFY(turn.contains("parego_weights") && turn.contains("parego_acquisition"));
        QVERIFY(!turn.contains("acquisition"));
        QCOMPARE(turn["acquisition_function"].get<std::string>(), std::string("logei"));

        QCOMPARE(next(continuous, gp, 9, false)["acquisition_function"].get<std::string>(),
                 std::string("ehvi"));  // only trials 5-8 off it
        QCOMPARE(next(discrete, gp, 10, true)["acquisition_function"].get<std::string>(),
                 std::string("ehvi"));
        QCOMPARE(next(continuous, R"({"kind": "gp", "initial_trials": 4, "parego_after": 0})", 10,
                      false)["acquisition_function"]
                     .get<std::string>(),
                 std::string("ehvi"));
    }

    // Three objectives with reference points (DTLZ2's sphere octant on three
    // inputs): by default gp runs the three-objective EHVI on the plain
    // losses, one GP per objective, and suggests points near the front;
    // "parego" still picks ParEGO, as does the default without reference
    // points, and four objectives fall back to it.
    void theGpStrategyRunsEhviOnThreeObjectives() {
        SearchSpace s = SearchSpace::fromJson(
            Json::parse(R"([{"name": "a", "type": "float", "low": 0, "high": 1},
                            {"name": "b", "type": "float", "low": 0, "high": 1},
                            {"name": "c", "type": "float", "low": 0, "high": 1}])"));
        const std::vector<ObjectiveSpec> three = {{"f1", Direction::Minimize, 1.1},
                                                  {"f2", Direction::Minimize, 1.1},
                                                  {"f3", Direction::Minimize, 1.1}};
        auto values = [](const ParamMap& p) {
            const double a = std::get<double>(p.at("a")) * M_PI / 2;
            const double b = std::get<double>(p.at("b")) * M_PI / 2;
            const double c = std::get<double>(p.at("c"));
            const double g = 1 + 4 * (c - 0.5) * (c - 0.5);
            return std::vector<double>{g * std::cos(a) * std::cos(b), g * std::cos(a) * std::sin(b),
                                       g * std::sin(a)};
        };
        auto strategy = test::makeStrategy(s, R"({"kind": "gp", "initial_trials": 8})");
        const std::vector<Trial> trials =
            test::runStrategy(*strategy, s, 20, 4, values, test::StudyShape{three});
        int nearFront = 0;
        for (std::size_t n = 8; n < trials.size(); ++n) {
            const Json& attrs = trials[n].attrs;
            QCOMPARE(attrs["acquisition_function"].get<std::string>(), std::string("ehvi"));
            for (const char* theta : {"gp_theta_0", "gp_theta_1", "gp_theta_2"})
                QVERIFY(attrs.contains(theta));
            for (const char* warping :
                 {"gp_output_warping_0", "gp_output_warping_1", "gp_output_warping_2"})
                QVERIFY(!attrs.contains(warping));
            QCOMPARE(attrs["ehvi_reference"].size(), std::size_t{3});
            QVERIFY(attrs["acquisition"].get<double>() >= 0.0);
            QVERIFY(!attrs.contains("parego_weights"));
            nearFront += std::fabs(std::get<double>(trials[n].params.at("c")) - 0.5) < 0.15;
        }
        // The front is c = 0.5: half the suggestions after the design or more
        // are near it (random points: 30%).
        QVERIFY2(nearFront >= 6, qPrintable(QString::number(nearFront)));

        auto parego = test::makeStrategy(s, R"({"kind": "gp", "acquisition": "parego",
                                                "initial_trials": 6})");
        QVERIFY(test::runStrategy(*parego, s, 8, 4, values, test::StudyShape{three})
                    .back()
                    .attrs.contains("parego_weights"));
        // Without reference points the default is ParEGO; "ehvi" still runs EHVI.
        const std::vector<ObjectiveSpec> unreferenced = {
            {"f1", Direction::Minimize}, {"f2", Direction::Minimize}, {"f3", Direction::Minimize}};
        auto plain = test::makeStrategy(s, R"({"kind": "gp", "initial_trials": 6})");
        QVERIFY(test::runStrategy(*plain, s, 8, 4, values, test::StudyShape{unreferenced})
                    .back()
                    .attrs.contains("parego_weights"));
        auto asked = test::makeStrategy(s, R"({"kind": "gp", "acquisition": "ehvi",
                                               "initial_trials": 6})");
        QCOMPARE(test::runStrategy(*asked, s, 8, 4, values, test::StudyShape{unreferenced})
                     .back()
                     .attrs["acquisition_function"]
                     .get<std::string>(),
                 std::string("ehvi"));
        const std::vector<ObjectiveSpec> four = {
            three[0], three[1], three[2], {"f4", Direction::Minimize, 2.0}};
        auto many = test::makeStrategy(s, R"({"kind": "gp", "acquisition": "ehvi",
                                              "initial_trials": 6})");
        const std::vector<Trial> more = test::runStrategy(
            *many, s, 8, 4,
            [&](const ParamMap& p) {
                std::vector<double> v = values(p);
                v.push_back(v[0] + v[1]);
                return v;
            },
            test::StudyShape{four});
        QVERIFY(more.back().attrs.contains("parego_weights"));
    }

    void everyOtherCellSuggestionIsOneEdgeFromTheFront() {
        // Two objectives on one nb201 cell: even trial counts take the best
        // EHVI among the cells one edge from any member of the observed
        // front; local_every 0 never does.
        SearchSpace s = test::spaceFrom(R"([{"name": "cell", "type": "nb201-cell"}])");
        const std::vector<ObjectiveSpec> objectives = {{"error", Direction::Minimize, 0.0},
                                                       {"cost", Direction::Minimize, 6.0}};
        auto values = [](const ParamMap& p) {
            const Nb201Cell cell = Nb201Cell::parse(std::get<std::string>(p.at("cell")));
            double error = 0, cost = 0;
            for (std::size_t e = 0; e < cell.ops.size(); ++e) {
                const int op = cell.ops[e];
                error -= (op == 3 ? 1.0 : op == 2 ? 0.6 : 0.0) * (1.0 + 0.1 * double(e));
                cost += op == 3 ? 1.0 : op == 2 ? 0.3 : 0.0;
            }
            return std::vector<double>{error, cost};
        };
        auto edgesApart = [](const Trial& a, const Trial& b) {
            const Nb201Cell x = Nb201Cell::parse(std::get<std::string>(a.params.at("cell")));
            const Nb201Cell y = Nb201Cell::parse(std::get<std::string>(b.params.at("cell")));
            int differing = 0;
            for (std::size_t e = 0; e < x.ops.size(); ++e)
                differing += x.ops[e] != y.ops[e];
            return differing;
        };
        const test::StudyShape shape{objectives};
        auto strategy = test::makeStrategy(s, R"({"kind": "gp", "initial_trials": 7})");
        const std::vector<Trial> trials = test::runStrategy(*strategy, s, 24, 5, values, shape);
        QCOMPARE(trials.size(), std::size_t(24));
        int local = 0;
        for (std::size_t n = 7; n < trials.size(); ++n) {
            QCOMPARE(trials[n].attrs["acquisition_function"].get<std::string>(),
                     std::string("ehvi"));
            const bool isLocal = trials[n].attrs.value("local_search", false);
            if (!isLocal)
                continue;
            QCOMPARE(n % 2, std::size_t(0));
            ++local;
            // Some earlier trial that no earlier trial dominates is one edge away.
            bool besideTheFront = false;
            for (std::size_t i = 0; i < n; ++i) {
                bool dominated = false;
                for (std::size_t j = 0; j < n; ++j)
                    dominated = dominated || (trials[j].values[0] <= trials[i].values[0] &&
                                              trials[j].values[1] <= trials[i].values[1] &&
                                              trials[j].values != trials[i].values);
                besideTheFront =
                    besideTheFront || (!dominated && edgesApart(trials[n], trials[i]) == 1);
            }
            QVERIFY2(besideTheFront, qPrintable(QString("trial %1").arg(n)));
        }
        QVERIFY2(local >= 6, qPrintable(QString::number(local)));
        auto never = test::makeStrategy(s, R"({"kind": "gp", "local_every": 0})");
        for (const Trial& t : test::runStrategy(*never, s, 14, 5, values, shape))
            QVERIFY(!t.attrs.contains("local_search"));
    }

    void eachObjectiveDecidesWhetherIsomorphicCellsAreOneInput() {
        // Hardware-aware NAS in miniature: an error that depends on the cell's
        // function (its isomorphism class's form) and a cost that every
        // operation adds to, used or not. Each objective's GP picks its own
        // view of isomorphic cells.
        SearchSpace s = test::spaceFrom(R"([{"name": "cell", "type": "nb201-cell"}])");
        const std::vector<ObjectiveSpec> objectives = {{"error", Direction::Minimize, 0.0},
                                                       {"cost", Direction::Minimize, 6.0}};
        auto values = [](const ParamMap& p) {
            const Nb201Cell cell = Nb201Cell::parse(std::get<std::string>(p.at("cell")));
            const Nb201Cell form = cell.functionalForm();
            double error = 0, cost = 0;
            for (std::size_t e = 0; e < cell.ops.size(); ++e) {
                error -= form.ops[e] == 3 ? 1.0 : form.ops[e] == 2 ? 0.6 : 0.0;
                cost += cell.ops[e] == 3 ? 1.0 : cell.ops[e] == 2 ? 0.3 : 0.0;
            }
            return std::vector<double>{error, cost};
        };
        const test::StudyShape shape{objectives};
        auto strategy = test::makeStrategy(s, R"({"kind": "gp", "initial_trials": 7})");
        const std::vector<Trial> trials = test::runStrategy(*strategy, s, 40, 5, values, shape);
        QCOMPARE(trials.back().attrs["gp_isomorphic_cells_0"].get<std::string>(),
                 std::string("same"));
        QCOMPARE(trials.back().attrs["gp_isomorphic_cells_1"].get<std::string>(),
                 std::string("distinct"));
    }

    void ehviWarpsHeavyTailedLosses() {
        // A loss spanning orders of magnitude (Rosenbrock-like in its first
        // input) is modelled warped, as a single objective's is: the trial
        // names its transform and EHVI runs on the warped front and
        // reference. output_warping "none" keeps the plain losses.
        SearchSpace s = SearchSpace::fromJson(
            Json::parse(R"([{"name": "a", "type": "float", "low": -2, "high": 2},
                            {"name": "b", "type": "float", "low": -1, "high": 3}])"));
        const std::vector<ObjectiveSpec> objectives = {{"f1", Direction::Minimize, 3000.0},
                                                       {"f2", Direction::Minimize, 4.0}};
        auto values = [](const ParamMap& p) {
            const double a = std::get<double>(p.at("a"));
            const double b = std::get<double>(p.at("b"));
            return std::vector<double>{(1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a),
                                       (a + 1) * (a + 1)};
        };
        const test::StudyShape shape{objectives};
        auto warped = test::makeStrategy(s, R"({"kind": "gp"})");
        const std::vector<Trial> trials = test::runStrategy(*warped, s, 32, 7, values, shape);
        int named = 0;
        for (const Trial& t : trials) {
            if (!t.attrs.contains("gp_output_warping_0"))
                continue;
            ++named;
            QCOMPARE(t.attrs["acquisition_function"].get<std::string>(), std::string("ehvi"));
            QVERIFY(std::isfinite(t.attrs["acquisition"].get<double>()));
            // The stored reference stays in the losses' own units.
            QCOMPARE(t.attrs["ehvi_reference"][0].get<double>(), 3000.0);
        }
        QVERIFY2(named >= 5, qPrintable(QString::number(named)));
        auto plain = test::makeStrategy(s, R"({"kind": "gp", "output_warping": "none"})");
        for (const Trial& t : test::runStrategy(*plain, s, 16, 7, values, shape))
            QVERIFY(!t.attrs.contains("gp_output_warping_0") &&
                    !t.attrs.contains("gp_output_warping_1"));
    }
};

QTEST_APPLESS_MAIN(EhviTest)
#include "tst_ehvi.moc"

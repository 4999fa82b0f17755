#include <QtTest>

#include "core/gp_test_data.h"

#include <cmath>
#include <random>
#include <set>
#include <stdexcept>

#include <boost/math/special_functions/erf.hpp>
#include <boost/multiprecision/cpp_bin_float.hpp>

#include "acquisition/acquisition.h"
#include "acquisition/maximizer.h"
#include "acquisition/normal.h"
#include "gp/gaussian_process.h"
#include "support/gradient_check.h"

using namespace bonsai;
using namespace bonsai::testdata;
using Eigen::MatrixXd;
using Eigen::VectorXd;
using Big = boost::multiprecision::cpp_bin_float_50;

namespace {

// log h(z) and Phi(z) / h(z) at 50 digits, straight from the definitions.
Big bigPhi(const Big& z) {
    return boost::math::erfc(-z / boost::multiprecision::sqrt(Big(2))) / 2;
}
Big bigPdf(const Big& z) {
    return boost::multiprecision::exp(-z * z / 2) /
           boost::multiprecision::sqrt(2 * boost::math::constants::pi<Big>());
}
Big bigH(const Big& z) {
    return bigPdf(z) + z * bigPhi(z);
}

VectorXd bumpy(const MatrixXd& X) {
    VectorXd y(X.rows());
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        double s = 0.0;
        for (Eigen::Index j = 0; j < X.cols(); ++j)
            s += std::cos(5.0 * X(i, j) + j);
        y[i] = s;
    }
    return y;
}

// A test target with a known maximum.
class FunctionTarget : public AcquisitionTarget {
  public:
    using Fn = std::function<double(const VectorXd&, VectorXd*)>;
    explicit FunctionTarget(Fn fn) : m_fn(std::move(fn)) {}
    VectorXd values(const MatrixXd& X) const override {
        VectorXd v(X.rows());
        for (Eigen::Index i = 0; i < X.rows(); ++i)
            v[i] = m_fn(X.row(i).transpose(), nullptr);
        return v;
    }
    double valueAndGradient(const VectorXd& x, VectorXd& g) const override { return m_fn(x, &g); }

  private:
    Fn m_fn;
};

// Another target's values without its upper bounds: the maximizer then
// screens every point exactly.
class UnboundedTarget : public AcquisitionTarget {
  public:
    explicit UnboundedTarget(const AcquisitionTarget& inner) : m_inner(inner) {}
    VectorXd values(const MatrixXd& X) const override { return m_inner.values(X); }
    double valueAndGradient(const VectorXd& x, VectorXd& g) const override {
        return m_inner.valueAndGradient(x, g);
    }

  private:
    const AcquisitionTarget& m_inner;
};

}  // namespace

class TestAcquisition : public QObject {
    Q_OBJECT

  private slots:
    void factoryKnowsItsAcquisitions() {
        for (const std::string& name : acquisitionNames()) {
            QCOMPARE(QString::fromStdString(makeAcquisition(name)->name()),
                     QString::fromStdString(name));
        }
        try {
            makeAcquisition("kg");
            QFAIL("unknown acquisition accepted");
        } catch (const std::invalid_argument& e) {
            const QString message = e.what();
            QVERIFY2(
                message.contains("'kg'") && message.contains("logei") && message.contains("ucb"),
                e.what());
        }
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeAcquisition("ucb", {-1.0}));
    }

    void erfcxMatchesDefinition() {
        for (double x : {0.0, 0.3, 1.0, 3.0, 10.0, 25.9, 26.0, 26.1, 40.0, 1e3, 1e4}) {
            const Big bx(x);
            const Big ref = boost::multiprecision::exp(bx * bx) * boost::math::erfc(bx);
            const double rel = std::fabs(static_cast<double>((Big(erfcx(x)) - ref) / ref));
            QVERIFY2(rel < 1e-13, qPrintable(QString("x=%1 rel %2").arg(x).arg(rel)));
        }
    }

    void logHMatchesHighPrecision_data() {
        QTest::addColumn<double>("z");
        for (double z : {8.0, 2.0, 0.5, 0.0, -0.5, -0.999, -1.0, -1.001, -2.0, -5.0, -9.999, -10.0,
                         -10.001, -15.0, -40.0, -100.0, -1e3, -1e4}) {
            QTest::addRow("z=%g", z) << z;
        }
    }

    // log h(z) and its slope Phi/h, against 50-digit arithmetic on every branch.
    void logHMatchesHighPrecision() {
        QFETCH(double, z);
        const Big bz(z);
        const Big h = bigH(bz);
        const double ref = static_cast<double>(boost::multiprecision::log(h));
        const double got = logExpectedImprovementH(z);
        QVERIFY2(std::fabs(got - ref) <= 1e-13 * std::max(1.0, std::fabs(ref)),
                 qPrintable(QString("log h: %1 vs %2").arg(got, 0, 'g', 17).arg(ref, 0, 'g', 17)));
        const double slopeRef = static_cast<double>(bigPhi(bz) / h);
        const double slope = logExpectedImprovementHSlope(z);
        QVERIFY2(std::fabs(slope - slopeRef) <= 1e-12 * std::max(1.0, std::fabs(slopeRef)),
                 qPrintable(
                     QString("slope: %1 vs %2").arg(slope, 0, 'g', 17).arg(slopeRef, 0, 'g', 17)));
    }

    void expectedImprovementMatchesMonteCarlo_data() {
        QTest::addColumn<double>("mu");
        QTest::addColumn<double>("sigma");
        QTest::addColumn<double>("best");
        QTest::newRow("at the incumbent") << 0.0 << 1.0 << 0.0;
        QTest::newRow("z = 2") << -1.0 << 0.5 << 0.0;
        QTest::newRow("z = -1") << 1.0 << 1.0 << 0.0;
        QTest::newRow("z = -2.5") << 5.0 << 2.0 << 0.0;
        QTest::newRow("small scale") << 0.5e-6 << 0.1e-6 << 0.3e-6;
        QTest::newRow("large scale") << 3e9 << 2e9 << 1e9;
    }

    // EI = E[max(best - f, 0)], f ~ N(mu, sigma^2); PI = P(f < best).
    void expectedImprovementMatchesMonteCarlo() {
        QFETCH(double, mu);
        QFETCH(double, sigma);
        QFETCH(double, best);
        std::mt19937_64 rng(12345);
        std::normal_distribution<double> normal(0.0, 1.0);
        const int samples = 1000000;
        double sum = 0.0, sumSq = 0.0;
        int below = 0;
        for (int i = 0; i < samples; ++i) {
            const double f = mu + sigma * normal(rng);
            const double imp = std::max(best - f, 0.0);
            sum += imp;
            sumSq += imp * imp;
            below += f < best;
        }
        const double mc = sum / samples;
        const double se = std::sqrt((sumSq / samples - mc * mc) / samples);
        const double ei = ExpectedImprovement().evaluate(mu, sigma * sigma, best).value;
        const double logEi = LogExpectedImprovement().evaluate(mu, sigma * sigma, best).value;
        QVERIFY2(std::fabs(ei - mc) < 5.0 * se + 1e-300,
                 qPrintable(QString("EI %1 vs MC %2 +- %3").arg(ei).arg(mc).arg(se)));
        QVERIFY2(std::fabs(std::exp(logEi) - mc) < 5.0 * se + 1e-300,
                 qPrintable(
                     QString("exp(logEI) %1 vs MC %2 +- %3").arg(std::exp(logEi)).arg(mc).arg(se)));
        QVERIFY(std::fabs(std::exp(logEi) - ei) < 1e-12 * ei);
        const double pi = ProbabilityOfImprovement().evaluate(mu, sigma * sigma, best).value;
        const double p = static_cast<double>(below) / samples;
        QVERIFY(std::fabs(pi - p) < 5.0 * std::sqrt(p * (1.0 - p) / samples) + 1e-6);
    }

    // Far below the incumbent EI underflows to exactly 0 while LogEI stays
    // finite and follows the asymptote log sigma - z^2/2 - log(2 pi)/2 - 2 log|z|.
    void logEiStaysFiniteWhereEiUnderflows() {
        const double sigma = 0.5;
        for (double z : {-40.0, -100.0, -1e4}) {
            const double mu = -z * sigma;  // best = 0
            QCOMPARE(ExpectedImprovement().evaluate(mu, sigma * sigma, 0.0).value, 0.0);
            const AcquisitionValue a = LogExpectedImprovement().evaluate(mu, sigma * sigma, 0.0);
            QVERIFY(std::isfinite(a.value) && std::isfinite(a.dMean) && std::isfinite(a.dVariance));
            const double asymptote =
                std::log(sigma) - 0.5 * z * z - 0.5 * std::log(2.0 * M_PI) - 2.0 * std::log(-z);
            // next term of the series: log(1 - 3 / z^2) ~ -3 / z^2
            QVERIFY2(std::fabs(a.value - asymptote) < 3.5 / (z * z),
                     qPrintable(
                         QString("%1 vs %2").arg(a.value, 0, 'g', 17).arg(asymptote, 0, 'g', 17)));
            QVERIFY(a.dMean < 0.0);  // a lower mean is still better
        }
    }

    void partialDerivatives_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<double>("mu");
        QTest::addColumn<double>("variance");
        for (const char* name : {"logei", "ei", "pi", "ucb"}) {
            QTest::addRow("%s near", name) << QString(name) << 0.3 << 0.4;
            QTest::addRow("%s below", name) << QString(name) << -1.0 << 0.09;
            QTest::addRow("%s far above", name) << QString(name) << 6.0 << 0.25;
        }
        QTest::addRow("logei very far above") << QString("logei") << 30.0 << 0.25;
    }

    // dValue/dMean and dValue/dVariance against central differences (best = 0).
    void partialDerivatives() {
        QFETCH(QString, name);
        QFETCH(double, mu);
        QFETCH(double, variance);
        const auto acq = makeAcquisition(name.toStdString(), {1.5});
        const AcquisitionValue a = acq->evaluate(mu, variance, 0.0);
        // (mean, variance) as a point, so both partials are one gradient check.
        const QString mismatch = test::checkGradient(
            [&](const VectorXd& at) { return acq->evaluate(at[0], at[1], 0.0).value; },
            Eigen::Vector2d(mu, variance), Eigen::Vector2d(a.dMean, a.dVariance), 1e-6, 1e-6,
            "d/d(mean, variance)");
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    }

    void gradientThroughModel_data() {
        QTest::addColumn<QString>("name");
        for (const std::string& n : acquisitionNames())
            QTest::newRow(n.c_str()) << QString::fromStdString(n);
    }

    // d acquisition / dx through the GP posterior, against central differences
    // on the continuous inputs of a mixed space.
    void gradientThroughModel() {
        QFETCH(QString, name);
        const InputKinds inputs{InputKind::continuous(), InputKind::categorical(3),
                                InputKind::continuous(), InputKind::ordinal(4)};
        std::mt19937_64 rng(77);
        GaussianProcess gp(makeKernel("matern52", inputs));
        const MatrixXd X = randomPoints(25, 4, rng);
        const VectorXd y = 50.0 * bumpy(X);
        gp.setData(X, y);
        Rng fitRng(1);
        gp.fit(fitRng);
        const auto acq = makeAcquisition(name.toStdString());
        const double best = y.minCoeff();
        for (int trial = 0; trial < 5; ++trial) {
            const VectorXd x = randomPoints(1, 4, rng).row(0).transpose();
            VectorXd g;
            const double v = acq->valueAndGradient(gp, x, best, g);
            QVERIFY(std::fabs(v - acq->value(gp, x, best)) < 1e-12 * (1.0 + std::fabs(v)));
            QVERIFY(std::fabs(v - acq->values(gp, x.transpose(), best)[0]) <
                    1e-12 * (1.0 + std::fabs(v)));
            // Inputs 0 and 2 are continuous.
            const QString mismatch = test::checkGradient(
                [&](const VectorXd& at) { return acq->value(gp, at, best); }, x, g, 1e-6, 1e-5,
                "input", [](Eigen::Index i) { return i != 0 && i != 2; });
            QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
            QCOMPARE(g[1], 0.0);
            // A variance scale is the acquisition of the scaled variance, and
            // its gradient chains through the scale.
            const double scale = 0.3;
            const Prediction p = gp.predict(x);
            VectorXd gs;
            const double vs = acq->valueAndGradient(gp, x, best, gs, scale);
            QVERIFY(std::fabs(vs - acq->evaluate(p.mean, scale * p.variance, best).value) <
                    1e-9 * (1.0 + std::fabs(vs)));
            QVERIFY(std::fabs(vs - acq->values(gp, x.transpose(), best, scale)[0]) <
                    1e-12 * (1.0 + std::fabs(vs)));
            const QString scaledMismatch = test::checkGradient(
                [&](const VectorXd& at) { return acq->values(gp, at.transpose(), best, scale)[0]; },
                x, gs, 1e-6, 1e-5, "input", [](Eigen::Index i) { return i != 0 && i != 2; });
            QVERIFY2(scaledMismatch.isEmpty(), qPrintable(scaledMismatch));
        }
    }

    void ucbIsLowerConfidenceBoundNegated() {
        const UpperConfidenceBound ucb(4.0);
        QCOMPARE(ucb.evaluate(3.0, 0.25, 0.0).value, -3.0 + 2.0 * 0.5);
    }

    void maximizerFindsContinuousMaximum() {
        const InputKinds inputs(3, InputKind::continuous());
        const VectorXd c = (VectorXd(3) << 0.3, 0.71, 0.05).finished();
        FunctionTarget target([&](const VectorXd& x, VectorXd* g) {
            if (g)
                *g = -2.0 * (x - c);
            return -(x - c).squaredNorm();
        });
        AcquisitionMaximizer maximizer(inputs);
        Rng rng(3);
        const MaximizerResult r = maximizer.maximize(target, rng);
        QVERIFY2((r.x - c).cwiseAbs().maxCoeff() < 1e-5,
                 qPrintable(QString::number((r.x - c).norm())));
        QVERIFY(r.value > -1e-9);
        QVERIFY(!r.onlyExcluded);
    }

    void maximizerRespectsBounds() {
        // The maximum lies outside the cube: the answer is on its boundary.
        const InputKinds inputs(2, InputKind::continuous());
        FunctionTarget target([](const VectorXd& x, VectorXd* g) {
            if (g)
                *g = (VectorXd(2) << 1.0, -1.0).finished();
            return x[0] - x[1];
        });
        Rng rng(4);
        const MaximizerResult r = AcquisitionMaximizer(inputs).maximize(target, rng);
        QVERIFY(std::fabs(r.x[0] - 1.0) < 1e-9 && std::fabs(r.x[1]) < 1e-9);
    }

    void maximizerHandlesDiscreteInputs() {
        // Continuous x0 peaks at 0.4; categorical x1 (5 levels) best at level 3,
        // with level 0 second; ordinal x2 (8 levels) peaks at level 6.
        const InputKinds inputs{InputKind::continuous(), InputKind::categorical(5),
                                InputKind::ordinal(8)};
        const double bonus[] = {0.8, 0.0, 0.1, 1.0, 0.2};
        FunctionTarget target([&](const VectorXd& x, VectorXd* g) {
            const int cat = inputs[1].levelOf(x[1]);
            const int ord = inputs[2].levelOf(x[2]);
            if (g)
                *g = (VectorXd(3) << -2.0 * (x[0] - 0.4), 0.0, 0.0).finished();
            return -(x[0] - 0.4) * (x[0] - 0.4) + bonus[cat] - 0.05 * (ord - 6) * (ord - 6);
        });
        AcquisitionMaximizer maximizer(inputs);
        Rng rng(5);
        const MaximizerResult r = maximizer.maximize(target, rng);
        QVERIFY(std::fabs(r.x[0] - 0.4) < 1e-5);
        QCOMPARE(r.x[1], inputs[1].centreOf(3));
        QCOMPARE(r.x[2], inputs[2].centreOf(6));

        // Excluding the best discrete combination's region: every point with
        // x0 = 0.4, level 3, level 6 is excluded, so the answer moves.
        MatrixXd exclude = r.x.transpose();
        const MaximizerResult r2 = maximizer.maximize(target, rng, exclude);
        QVERIFY((r2.x - r.x).cwiseAbs().maxCoeff() > 0.0);
        QVERIFY(!r2.onlyExcluded);
    }

    void maximizerNeverReturnsExcludedDiscretePoints() {
        const InputKinds inputs{InputKind::categorical(3), InputKind::ordinal(3)};
        auto value = [&](const VectorXd& x) {
            const int a = inputs[0].levelOf(x[0]), b = inputs[1].levelOf(x[1]);
            return 10.0 * a + b;  // best (2, 2), then (2, 1), (2, 0), (1, 2) ...
        };
        FunctionTarget target([&](const VectorXd& x, VectorXd* g) {
            if (g)
                *g = VectorXd::Zero(2);
            return value(x);
        });
        AcquisitionMaximizer maximizer(inputs);
        auto point = [&](int a, int b) {
            return (VectorXd(2) << inputs[0].centreOf(a), inputs[1].centreOf(b)).finished();
        };
        Rng rng(6);
        MatrixXd exclude(2, 2);
        exclude.row(0) = point(2, 2).transpose();
        exclude.row(1) = point(2, 1).transpose();
        MaximizerResult r = maximizer.maximize(target, rng, exclude);
        QCOMPARE(r.x, point(2, 0));
        QVERIFY(!r.onlyExcluded);

        // All but one excluded: that one is returned.
        MatrixXd allButOne(8, 2);
        int row = 0;
        for (int a = 0; a < 3; ++a) {
            for (int b = 0; b < 3; ++b) {
                if (a == 0 && b == 1)
                    continue;
                allButOne.row(row++) = point(a, b).transpose();
            }
        }
        // Excluded points given off-centre are snapped before comparison.
        allButOne(0, 0) += 0.1;
        r = maximizer.maximize(target, rng, allButOne);
        QCOMPARE(r.x, point(0, 1));
        QVERIFY(!r.onlyExcluded);

        // Everything excluded: the best point, flagged.
        MatrixXd all(9, 2);
        for (int a = 0; a < 3; ++a) {
            for (int b = 0; b < 3; ++b)
                all.row(3 * a + b) = point(a, b).transpose();
        }
        r = maximizer.maximize(target, rng, all);
        QVERIFY(r.onlyExcluded);
        QCOMPARE(r.x, point(2, 2));
    }

    void maximizerFallsBackToEnumeration() {
        // Sobol screening of a 4000-point space with 16 candidates will not
        // hit the single non-excluded point; enumeration must.
        const InputKinds inputs{InputKind::categorical(20), InputKind::categorical(20),
                                InputKind::ordinal(10)};
        FunctionTarget target([&](const VectorXd& x, VectorXd* g) {
            if (g)
                *g = VectorXd::Zero(3);
            return x.sum();
        });
        MatrixXd exclude(3999, 3);
        const VectorXd keep =
            (VectorXd(3) << inputs[0].centreOf(7), inputs[1].centreOf(3), inputs[2].centreOf(0))
                .finished();
        int row = 0;
        for (int a = 0; a < 20; ++a) {
            for (int b = 0; b < 20; ++b) {
                for (int c = 0; c < 10; ++c) {
                    const VectorXd p = (VectorXd(3) << inputs[0].centreOf(a), inputs[1].centreOf(b),
                                        inputs[2].centreOf(c))
                                           .finished();
                    if (p != keep)
                        exclude.row(row++) = p.transpose();
                }
            }
        }
        MaximizerOptions options;
        options.candidates = 16;
        options.exhaustiveLimit = 0;  // the fallback, not the up-front enumeration
        Rng rng(8);
        const MaximizerResult r =
            AcquisitionMaximizer(inputs, {}, options).maximize(target, rng, exclude);
        QCOMPARE(r.x, keep);
        QVERIFY(!r.onlyExcluded);
    }

    void maximizerIsExactOnSmallFiniteSpaces() {
        // Six 5-level categorical inputs (the NAS-Bench-201 cell): a smooth
        // bowl around level 0 everywhere, and one isolated needle far from it
        // that no local move from the bowl reaches. Only scoring every point
        // finds the needle.
        const InputKinds inputs(6, InputKind::categorical(5));
        const int needle[6] = {4, 2, 3, 1, 4, 3};
        FunctionTarget target([&](const VectorXd& x, VectorXd* g) {
            if (g)
                *g = VectorXd::Zero(6);
            int zeros = 0, hits = 0;
            for (int j = 0; j < 6; ++j) {
                const int level = inputs[static_cast<std::size_t>(j)].levelOf(x[j]);
                zeros += level == 0;
                hits += level == needle[j];
            }
            return hits == 6 ? 100.0 : static_cast<double>(zeros);
        });
        VectorXd needlePoint(6);
        for (int j = 0; j < 6; ++j)
            needlePoint[j] = inputs[static_cast<std::size_t>(j)].centreOf(needle[j]);
        Rng rng(4);
        MaximizerResult r = AcquisitionMaximizer(inputs).maximize(target, rng);
        QCOMPARE(r.x, needlePoint);
        QCOMPARE(r.value, 100.0);
        QCOMPARE(r.evaluations, 15625);
        // Excluded, the needle gives way to the bowl's best point.
        r = AcquisitionMaximizer(inputs).maximize(target, rng, needlePoint.transpose());
        QCOMPARE(r.x, VectorXd::Constant(6, inputs[0].centreOf(0)));
        QVERIFY(!r.onlyExcluded);
        // Without enumeration the screened search misses it (which is why
        // finite spaces are enumerated).
        MaximizerOptions options;
        options.exhaustiveLimit = 0;
        r = AcquisitionMaximizer(inputs, {}, options).maximize(target, rng);
        QCOMPARE(r.value, 6.0);
    }

    // On a finite space a target with upper bounds (LogEI, EI, UCB through a
    // GP) has most points skipped, and the maximizer must still return the
    // point and value that scoring every point returns, with excluded points
    // and short and long lengthscales.
    void boundedScreeningFindsTheExhaustiveMaximum_data() {
        QTest::addColumn<QString>("acquisition");
        QTest::addColumn<double>("lengthscale");
        QTest::addColumn<double>("varianceScale");
        for (const QString name : {"logei", "ei", "ucb", "pi"})
            for (double lengthscale : {0.3, 1.0, 5.0})
                for (double varianceScale : {1.0, 0.25})
                    QTest::newRow(qPrintable(
                        QString("%1 l=%2 s=%3").arg(name).arg(lengthscale).arg(varianceScale)))
                        << name << lengthscale << varianceScale;
    }

    void boundedScreeningFindsTheExhaustiveMaximum() {
        QFETCH(QString, acquisition);
        QFETCH(double, lengthscale);
        QFETCH(double, varianceScale);
        const InputKinds inputs(5, InputKind::categorical(4));
        GaussianProcess gp(makeKernel("matern52", inputs));
        std::mt19937_64 gen(11);
        std::uniform_int_distribution<int> level(0, 3);
        MatrixXd X(30, 5);
        for (Eigen::Index r = 0; r < X.rows(); ++r)
            for (Eigen::Index j = 0; j < 5; ++j)
                X(r, j) = inputs[0].centreOf(level(gen));
        gp.setData(X, bumpy(X));
        VectorXd theta = gp.defaultHyperparameters();
        theta.segment(1, 5).setConstant(std::log(lengthscale));
        gp.setHyperparameters(theta);
        const std::unique_ptr<Acquisition> a = makeAcquisition(acquisition.toStdString());
        const BoundAcquisition target(*a, gp, bumpy(X).minCoeff(), varianceScale);
        const UnboundedTarget exhaustive(target);
        // The bounds bound.
        MatrixXd all(1024, 5);
        for (Eigen::Index code = 0; code < all.rows(); ++code)
            for (Eigen::Index j = 0; j < 5; ++j)
                all(code, j) = inputs[0].centreOf(static_cast<int>((code >> (2 * j)) & 3));
        const std::optional<VectorXd> bounds = target.upperBounds(all);
        QCOMPARE(bounds.has_value(), a->increasesWithVariance());
        QCOMPARE(target.upperBounds(MatrixXd(0, 5)).has_value(), bounds.has_value());
        if (bounds) {
            const VectorXd exact = target.values(all);
            for (Eigen::Index r = 0; r < all.rows(); ++r)
                QVERIFY2((*bounds)[r] >= exact[r] - 1e-12 * (1.0 + std::fabs(exact[r])),
                         qPrintable(QString("row %1: bound %2 < value %3")
                                        .arg(r)
                                        .arg((*bounds)[r])
                                        .arg(exact[r])));
        }
        for (const MatrixXd& excluded : {MatrixXd(0, 5), X}) {
            Rng rng(1), rngExhaustive(1);
            const AcquisitionMaximizer maximizer(inputs);
            const MaximizerResult r = maximizer.maximize(target, rng, excluded);
            const MaximizerResult e = maximizer.maximize(exhaustive, rngExhaustive, excluded);
            QCOMPARE(r.x, e.x);
            // Exact values of fewer rows at once: equal up to round-off.
            QVERIFY(std::fabs(r.value - e.value) <= 1e-12 * (1.0 + std::fabs(e.value)));
            QCOMPARE(r.onlyExcluded, e.onlyExcluded);
            QCOMPARE(e.evaluations, 1024);
            // The bounds prune at the model's own variance; a shrunk one
            // (exploit_last) flattens EI towards 0, where they may not.
            if (bounds && varianceScale == 1.0)
                QVERIFY2(r.evaluations < e.evaluations, qPrintable(QString::number(r.evaluations)));
        }
    }

    void neighbourhoodSearchStaysOneMoveAway() {
        // The same needle as above: the global maximizer finds it, the
        // neighbourhood of a centre three moves away must not; it returns the
        // best point one move from the centre that is not excluded.
        const InputKinds inputs{InputKind::categorical(5), InputKind::categorical(5),
                                InputKind::ordinal(4)};
        FunctionTarget target([&](const VectorXd& x, VectorXd* g) {
            if (g)
                *g = VectorXd::Zero(3);
            const int a = inputs[0].levelOf(x[0]), b = inputs[1].levelOf(x[1]),
                      c = inputs[2].levelOf(x[2]);
            if (a == 4 && b == 4 && c == 3)
                return 100.0;  // the needle, three moves from the centre
            return 10.0 * a + b + 0.1 * c;
        });
        auto point = [&](int a, int b, int c) {
            return (VectorXd(3) << inputs[0].centreOf(a), inputs[1].centreOf(b),
                    inputs[2].centreOf(c))
                .finished();
        };
        const VectorXd centre = point(1, 1, 0);
        const AcquisitionMaximizer maximizer(inputs);
        auto r = maximizer.maximizeNeighbourhood(target, centre);
        QVERIFY(r.has_value());
        QCOMPARE(r->x, point(4, 1, 0));  // a -> 4 is the best single move
        QCOMPARE(r->value, 41.0);
        // 4 + 4 + 3 neighbours (an ordinal input moves to any other level).
        QCOMPARE(r->evaluations, 11);
        // Excluded (taken), the best single move gives way to the next one.
        r = maximizer.maximizeNeighbourhood(target, centre, point(4, 1, 0).transpose());
        QCOMPARE(r->x, point(3, 1, 0));
        // Every neighbour excluded: nothing to propose, the caller searches globally.
        MatrixXd all(11, 3);
        int row = 0;
        for (int a = 0; a < 5; ++a)
            if (a != 1)
                all.row(row++) = point(a, 1, 0).transpose();
        for (int b = 0; b < 5; ++b)
            if (b != 1)
                all.row(row++) = point(1, b, 0).transpose();
        for (int c = 1; c < 4; ++c)
            all.row(row++) = point(1, 1, c).transpose();
        QVERIFY(!maximizer.maximizeNeighbourhood(target, centre, all).has_value());
        Rng rng(3);
        QCOMPARE(maximizer.maximize(target, rng).value, 100.0);
    }

    void maximizerAppliesSnapper() {
        // A conditional input: x1 only matters when categorical x0 is level 1;
        // otherwise the canonical point imputes x1 = 0.5.
        const InputKinds inputs{InputKind::categorical(2), InputKind::continuous()};
        Snapper snapper = [&](const VectorXd& x) {
            VectorXd y = x;
            if (inputs[0].levelOf(x[0]) == 0)
                y[1] = 0.5;
            return y;
        };
        std::set<std::pair<double, double>> seen;
        FunctionTarget target([&](const VectorXd& x, VectorXd* g) {
            if (g)
                *g = (VectorXd(2) << 0.0, -2.0 * (x[1] - 0.9)).finished();
            if (!g)
                seen.insert({x[0], x[1]});
            return inputs[0].levelOf(x[0]) == 0 ? 0.5 : 0.6 - (x[1] - 0.9) * (x[1] - 0.9);
        });
        Rng rng(9);
        const MaximizerResult r = AcquisitionMaximizer(inputs, snapper).maximize(target, rng);
        QCOMPARE(r.x[0], 0.75);
        QVERIFY(std::fabs(r.x[1] - 0.9) < 1e-5);
        for (const auto& [a, b] : seen) {
            if (a < 0.5)
                QCOMPARE(b, 0.5);  // every screened point was canonical
        }
    }

    void maximizerIsReproducible() {
        const InputKinds inputs{InputKind::continuous(), InputKind::categorical(4),
                                InputKind::continuous()};
        std::mt19937_64 data(10);
        GaussianProcess gp(makeKernel("matern52", inputs));
        const MatrixXd X = randomPoints(20, 3, data);
        const VectorXd y = bumpy(X);
        gp.setData(X, y);
        Rng fitRng(1);
        gp.fit(fitRng);
        const auto acq = makeAcquisition("logei");
        const BoundAcquisition target(*acq, gp, y.minCoeff());
        AcquisitionMaximizer maximizer(inputs);
        Rng a(42), b(42);
        const MaximizerResult ra = maximizer.maximize(target, a, X);
        const MaximizerResult rb = maximizer.maximize(target, b, X);
        QCOMPARE(ra.x, rb.x);
        QCOMPARE(ra.value, rb.value);
    }

    // LogEI on a 1-d GP: the maximizer agrees with a dense grid.
    void maximizerMatchesGridOnLogEi() {
        const InputKinds inputs{InputKind::continuous()};
        GaussianProcess gp(makeKernel("matern52", inputs));
        const MatrixXd X = (MatrixXd(5, 1) << 0.05, 0.3, 0.42, 0.7, 0.95).finished();
        const VectorXd y = bumpy(X);
        gp.setData(X, y);
        Rng fitRng(2);
        gp.fit(fitRng);
        const auto acq = makeAcquisition("logei");
        const BoundAcquisition target(*acq, gp, y.minCoeff());
        Rng rng(11);
        const MaximizerResult r = AcquisitionMaximizer(inputs).maximize(target, rng, X);
        const int grid = 20001;
        MatrixXd G(grid, 1);
        for (int i = 0; i < grid; ++i)
            G(i, 0) = static_cast<double>(i) / (grid - 1);
        const VectorXd v = target.values(G);
        QVERIFY2(r.value >= v.maxCoeff() - 1e-6,
                 qPrintable(QString("%1 vs grid %2").arg(r.value).arg(v.maxCoeff())));
    }
};

QTEST_APPLESS_MAIN(TestAcquisition)
#include "tst_acquisition.moc"

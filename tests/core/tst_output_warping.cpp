// Output warping of the GP's losses: the transforms, their inverses and log
// derivatives, the evidence that chooses among them, and the gp strategy
// setting that turns it on.
#include <QtTest>

#include <cmath>
#include <functional>
#include <limits>

#include "gp/kernel.h"
#include "gp/output_warping.h"
#include "strategies/strategy.h"
#include "support/spec_errors.h"
#include "support/strategy_harness.h"

using namespace bonsai;

namespace {

// `count` trials of the gp strategy `spec` on the one-float space `s`.
std::vector<Trial> drive(const char* spec, const SearchSpace& s, int count, std::uint64_t seed,
                         const std::function<double(double)>& value) {
    auto strategy = test::makeStrategy(s, spec);
    return test::runStrategy(*strategy, s, count, seed,
                             [&](const ParamMap& p) { return value(test::numberOf(p, "x")); });
}

}  // namespace

class OutputWarpingTest : public QObject {
    Q_OBJECT

  private slots:
    void gaussianRanksKeepTheOrderAndShareTies() {
        // n = 4, ranks 0..3 -> Phi^-1(1/8), Phi^-1(3/8), ...; the tie of the
        // two 5s takes the mean rank 1.5 -> Phi^-1(1/2) = 0.
        const Eigen::VectorXd y = (Eigen::VectorXd(4) << 5.0, -100.0, 5.0, 1e6).finished();
        const Eigen::VectorXd z = gaussianRanks(y);
        QCOMPARE(z.size(), Eigen::Index(4));
        QVERIFY(std::fabs(z[0]) < 1e-12);
        QCOMPARE(z[0], z[2]);
        const double q18 = -1.1503493803760079;  // Phi^-1(1/8)
        QVERIFY(std::fabs(z[1] - q18) < 1e-9);
        QVERIFY(std::fabs(z[3] + q18) < 1e-9);
        // Only the order matters: a monotone map of y gives the same z.
        const Eigen::VectorXd cubed = y.array().cube();
        QVERIFY((gaussianRanks(cubed) - z).cwiseAbs().maxCoeff() < 1e-15);
        QCOMPARE(gaussianRanks(Eigen::VectorXd()).size(), Eigen::Index(0));
        QCOMPARE(gaussianRanks(Eigen::VectorXd::Constant(1, 3.0))[0], 0.0);
    }

    void yeoJohnsonMatchesItsDefinition() {
        // Hand-computed: x = (y - 1) / 2.
        const OutputWarping half = OutputWarping::yeoJohnson(0.5, 1.0, 2.0);
        QVERIFY(std::fabs(half.apply(7.0) - (std::sqrt(4.0) - 1.0) / 0.5) < 1e-14);  // x = 3
        QVERIFY(std::fabs(half.apply(-5.0) - (-(std::pow(4.0, 1.5) - 1.0) / 1.5)) < 1e-14);
        const OutputWarping zero = OutputWarping::yeoJohnson(0.0, 0.0, 1.0);
        QVERIFY(std::fabs(zero.apply(std::exp(1.0) - 1.0) - 1.0) < 1e-14);  // log(x + 1)
        QVERIFY(std::fabs(zero.apply(-3.0) - (-(16.0 - 1.0) / 2.0)) < 1e-14);
        // lambda = 1 is the identity (of the standardized value).
        const OutputWarping one = OutputWarping::yeoJohnson(1.0, 0.0, 1.0);
        for (double y : {-2.5, 0.0, 0.7, 11.0})
            QVERIFY(std::fabs(one.apply(y) - y) < 1e-14);
        QCOMPARE(OutputWarping::log(0.1, 2.0, 4.0).apply(2.0), std::log(0.1));
        QCOMPARE(OutputWarping::identity().apply(3.5), 3.5);
    }

    void inversesAndDerivatives_data() {
        QTest::addColumn<int>("which");
        for (int i = 0; i < 9; ++i)
            QTest::newRow(qPrintable(QString::number(i))) << i;
    }

    void inversesAndDerivatives() {
        QFETCH(int, which);
        const OutputWarping warpings[] = {OutputWarping::identity(),
                                          OutputWarping::yeoJohnson(0.5, 1.0, 2.0),
                                          OutputWarping::yeoJohnson(0.0, -1.0, 0.5),
                                          OutputWarping::yeoJohnson(-0.5, 3.0, 1.5),
                                          OutputWarping::yeoJohnson(2.0, 0.0, 1.0),
                                          OutputWarping::yeoJohnson(1.3, 0.2, 3.0),
                                          OutputWarping::log(0.01, -2.0, 1.0),
                                          OutputWarping::log(1.0, 5.0, 10.0),
                                          OutputWarping::log(0.0001, -2.0, 1.0)};
        const OutputWarping& w = warpings[which];
        double previous = -INFINITY;
        for (double y : {-1.9, -1.0, -0.3, 0.0, 0.4, 1.0, 2.5, 7.0, 40.0}) {
            const double z = w.apply(y);
            QVERIFY2(std::isfinite(z), qPrintable(QString::number(y)));
            QVERIFY(z > previous);  // increasing
            previous = z;
            QVERIFY2(std::fabs(w.inverse(z) - y) < 1e-9 * std::max(1.0, std::fabs(y)),
                     qPrintable(QString("%1 -> %2 -> %3").arg(y).arg(z).arg(w.inverse(z))));
            const double e = 1e-6 * std::max(1.0, std::fabs(y));
            const double slope = (w.apply(y + e) - w.apply(y - e)) / (2 * e);
            QVERIFY2(
                std::fabs(std::log(slope) - w.logDerivative(y)) < 1e-6,
                qPrintable(
                    QString("%1: %2 vs %3").arg(y).arg(std::log(slope)).arg(w.logDerivative(y))));
        }
    }

    void inversesPastABoundedRangeAreInfinite() {
        // YJ with lambda = -0.5 maps [0, inf) onto [0, 2): a GP band reaching
        // z = 2.5 is an unbounded loss, not the power of a negative base
        // (which gave a finite, smaller value before).
        const OutputWarping bounded = OutputWarping::yeoJohnson(-0.5, 0.0, 1.0);
        QCOMPARE(bounded.inverse(2.5), std::numeric_limits<double>::infinity());
        QCOMPARE(bounded.inverse(2.0), std::numeric_limits<double>::infinity());
        QVERIFY(bounded.inverse(1.99) > 1e4 && std::isfinite(bounded.inverse(1.99)));
        // lambda = 3: the negative side is bounded below by -1 / (3 - 2) = -1.
        const OutputWarping below = OutputWarping::yeoJohnson(3.0, 0.0, 1.0);
        QCOMPARE(below.inverse(-1.5), -std::numeric_limits<double>::infinity());
        QVERIFY(std::isfinite(below.inverse(-0.99)));
    }

    void rankQuantilesInterpolateTheObservedLosses() {
        // The normal scores of y's ranks map back onto y: exactly at the
        // observed scores, linearly between them, clamped beyond the ends.
        const Eigen::VectorXd y = (Eigen::VectorXd(4) << 10.0, 1.0, 1e4, 100.0).finished();
        const Eigen::VectorXd z = gaussianRanks(y);
        const RankQuantiles back(y);
        for (Eigen::Index i = 0; i < y.size(); ++i)
            QVERIFY(std::fabs(back(z[i]) - y[i]) < 1e-9 * y[i]);
        // Halfway between the scores of 10 and 100 (symmetric: 0) is 55.
        QVERIFY(std::fabs(back(0.0) - 55.0) < 1e-9);
        QCOMPARE(back(-5.0), 1.0);
        QCOMPARE(back(5.0), 1e4);
        // Ties share a score and map back to their value.
        const Eigen::VectorXd tied = (Eigen::VectorXd(3) << 2.0, 2.0, 7.0).finished();
        const RankQuantiles tiedBack(tied);
        QCOMPARE(tiedBack(gaussianRanks(tied)[0]), 2.0);
    }

    void evidenceIncludesTheJacobian() {
        // Scaling y by c multiplies its density by c^-n: with a linear
        // warping the evidence must change by exactly -n log c.
        Eigen::VectorXd y(4);
        y << 1.0, 2.0, 4.0, 8.0;
        const OutputWarping identity = OutputWarping::identity();
        const OutputWarping scaled = OutputWarping::yeoJohnson(1.0, 0.0, 0.5);  // z = 2 y
        // The GP's standardized data (and so its fitted objective) is the same
        // for y and 2 y; only the standard deviations differ.
        const double base = warpedEvidence(identity, y, -3.0, 2.0);
        const double other = warpedEvidence(scaled, y, -3.0, 4.0);
        QVERIFY(std::fabs((base - other)) < 1e-12);
        QVERIFY(std::fabs(base - (-3.0 - 4.0 * std::log(2.0))) < 1e-12);
    }

    void candidatesStartWithTheIdentity() {
        Eigen::VectorXd y(5);
        y << 3.0, 100.0, 1e4, 0.5, 20.0;
        auto candidates = outputWarpingCandidates(y);
        QCOMPARE(candidates.size(), std::size_t{9});
        QCOMPARE(candidates.front().kind(), OutputWarping::Kind::Identity);
        for (const OutputWarping& w : candidates)
            QVERIFY(w.apply(y).allFinite());
    }

    void aHeavyTailedLossPicksACompressingWarping() {
        // Losses exp(8 x) over a line span three orders of magnitude: the log
        // family explains them with a smooth GP far better than the identity.
        const int n = 14;
        Eigen::MatrixXd X(n, 1);
        Eigen::VectorXd y(n);
        for (int i = 0; i < n; ++i) {
            X(i, 0) = (i + 0.5) / n;
            y[i] = std::exp(8.0 * X(i, 0));
        }
        GaussianProcess gp(makeKernel("matern52", {InputKind::continuous()}));
        Rng rng(3);
        WarpedFit fit = fitWithOutputWarping(gp, X, y, rng);
        QVERIFY2(fit.warping.kind() != OutputWarping::Kind::Identity,
                 fit.warping.describe().c_str());
        // A smooth quadratic stays unwarped or close to it: check the chosen
        // evidence beats the identity's, whatever is chosen.
        for (int i = 0; i < n; ++i)
            y[i] = (X(i, 0) - 0.3) * (X(i, 0) - 0.3);
        WarpedFit smooth = fitWithOutputWarping(gp, X, y, rng);
        GaussianProcess plain(gp);
        plain.setData(X, y);
        const double identityEvidence = warpedEvidence(OutputWarping::identity(), y,
                                                       plain.fit(rng).objective, plain.outputStd());
        QVERIFY(smooth.evidence >= identityEvidence - 1e-6);
    }

    void smallSamplesKeepTheIdentityUnlessTheEvidenceIsStrong() {
        // Six to eight points of an Ackley-like plateau with a funnel: some
        // transform often edges out the identity by less than the margin,
        // and then the identity must be kept; whatever is chosen beats the
        // identity by at least the margin.
        GaussianProcess gp(
            makeKernel("matern52", {InputKind::continuous(), InputKind::continuous()}));
        int keptByTheMargin = 0;
        for (std::uint64_t seed = 0; seed < 60; ++seed) {
            Rng draw(seed);
            const int n = 6 + static_cast<int>(seed % 3);
            Eigen::MatrixXd X(n, 2);
            Eigen::VectorXd y(n);
            for (int i = 0; i < n; ++i) {
                X(i, 0) = uniform01(draw);
                X(i, 1) = uniform01(draw);
                const double r = std::hypot(X(i, 0) - 0.5, X(i, 1) - 0.5);
                y[i] = 20.0 - 20.0 * std::exp(-2.0 * r) + std::cos(30.0 * X(i, 0));
            }
            auto fitted = [&](double margin) {
                Rng rng(seed);
                return fitWithOutputWarping(gp, X, y, rng, {}, margin);
            };
            const WarpedFit identity = fitted(std::numeric_limits<double>::infinity());
            QCOMPARE(identity.warping.kind(), OutputWarping::Kind::Identity);
            const WarpedFit best = fitted(0.0);
            const WarpedFit chosen = fitted(kOutputWarpingMargin);
            const double gain = best.evidence - identity.evidence;
            if (best.warping.kind() != OutputWarping::Kind::Identity && gain > 0 &&
                gain <= kOutputWarpingMargin) {
                ++keptByTheMargin;
                QCOMPARE(chosen.warping.kind(), OutputWarping::Kind::Identity);
            }
            if (chosen.warping.kind() != OutputWarping::Kind::Identity)
                QVERIFY(chosen.evidence > identity.evidence + kOutputWarpingMargin);
        }
        QVERIFY2(keptByTheMargin > 0, "no sample had a challenger within the margin");
    }

    void theGpStrategySettingIsChecked() {
        SearchSpace s = SearchSpace::fromJson(
            Json::parse(R"([{"name": "x", "type": "float", "low": 0, "high": 1}])"));
        BONSAI_EXPECT_SPEC_ERROR(StrategyRegistry::builtins().create(
                                     Json::parse(R"({"kind": "gp", "output_warping": "log"})"), s),
                                 "strategy.output_warping: must be \"auto\"");
        // On by default: suggestions say which transform they used.
        const std::vector<Trial> trials =
            drive(R"({"kind": "gp"})", s, 8, 1, [](double x) { return std::exp(10 * x); });
        QVERIFY(trials.back().attrs.contains("gp_output_warping"));
        auto off = StrategyRegistry::builtins().create(
            Json::parse(R"({"kind": "gp", "output_warping": "none"})"), s);
        Rng rng(mixSeed(1, 8));
        SuggestContext context{s, trials, Direction::Minimize, rng, 1};
        QVERIFY(!off->suggest(context)->attrs.contains("gp_output_warping"));
    }

    void rankWarpingSuggestsTheSameForAnyMonotoneMapOfTheLosses() {
        // `rank` keeps only the order of the losses: a run on f and a run on
        // exp(8 f) with the same seeds suggest the same points, and each
        // suggestion says so. `none` models the values, so there they part.
        SearchSpace s = SearchSpace::fromJson(
            Json::parse(R"([{"name": "x", "type": "float", "low": 0, "high": 1}])"));
        auto run = [&](const char* spec, bool stretched) {
            return drive(spec, s, 10, 2, [stretched](double x) {
                const double f = std::sin(9 * x) + 0.5 * x;
                return stretched ? std::exp(8 * f) : f;
            });
        };
        const auto plain = run(R"({"kind": "gp", "output_warping": "rank"})", false);
        const auto stretched = run(R"({"kind": "gp", "output_warping": "rank"})", true);
        for (std::size_t n = 0; n < plain.size(); ++n)
            QCOMPARE(std::get<double>(plain[n].params.at("x")),
                     std::get<double>(stretched[n].params.at("x")));
        QCOMPARE(plain.back().attrs.value("gp_output_warping", ""), std::string("rank"));
        const auto rawPlain = run(R"({"kind": "gp", "output_warping": "none"})", false);
        const auto rawStretched = run(R"({"kind": "gp", "output_warping": "none"})", true);
        bool parted = false;
        for (std::size_t n = 0; n < rawPlain.size(); ++n)
            parted = parted || std::get<double>(rawPlain[n].params.at("x")) !=
                                   std::get<double>(rawStretched[n].params.at("x"));
        QVERIFY(parted);
    }
};

QTEST_APPLESS_MAIN(OutputWarpingTest)
#include "tst_output_warping.moc"

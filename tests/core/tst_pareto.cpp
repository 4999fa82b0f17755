// Pareto dominance, fronts, ranks, crowding and hypervolume against
// hand-computed cases, and the fast hypervolume paths against
// inclusion-exclusion on random small sets (with ties and duplicates).
#include <QtTest>

#include <cmath>
#include <limits>
#include <random>

#include "multi/pareto.h"

using namespace bonsai;

namespace {

// Inclusion-exclusion over every non-empty subset: the volume of the union
// of the boxes [p, reference] is the alternating sum of the volumes of their
// intersections, each the box [componentwise max, reference]. Exponential,
// obviously correct, independent of the code under test.
double bruteForceHypervolume(const std::vector<LossVector>& points, const LossVector& reference) {
    const std::size_t n = points.size(), d = reference.size();
    double total = 0.0;
    for (unsigned mask = 1; mask < (1u << n); ++mask) {
        LossVector corner(d, -std::numeric_limits<double>::infinity());
        int members = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (!(mask & (1u << i)))
                continue;
            ++members;
            for (std::size_t k = 0; k < d; ++k)
                corner[k] = std::max(corner[k], points[i][k]);
        }
        double volume = 1.0;
        for (std::size_t k = 0; k < d; ++k)
            volume *= std::max(0.0, reference[k] - corner[k]);
        total += members % 2 == 1 ? volume : -volume;
    }
    return total;
}

// Ranks by the definition: peel off the non-dominated set again and again.
std::vector<int> ranksByPeeling(const std::vector<LossVector>& points) {
    std::vector<int> ranks(points.size(), -1);
    std::size_t left = points.size();
    for (int rank = 0; left > 0; ++rank) {
        std::vector<std::size_t> thisFront;
        for (std::size_t i = 0; i < points.size(); ++i) {
            if (ranks[i] != -1)
                continue;
            bool dominated = false;
            for (std::size_t j = 0; j < points.size() && !dominated; ++j)
                dominated = ranks[j] == -1 && dominates(points[j], points[i]);
            if (!dominated)
                thisFront.push_back(i);
        }
        for (std::size_t i : thisFront)
            ranks[i] = rank;
        left -= thisFront.size();
    }
    return ranks;
}

// Random points on a coarse grid so that ties and duplicates are common.
std::vector<LossVector> randomPoints(std::mt19937& rng, std::size_t n, std::size_t d, bool coarse) {
    std::uniform_int_distribution<int> level(0, 4);
    std::uniform_real_distribution<double> uniform(0.0, 5.0);
    std::vector<LossVector> points(n, LossVector(d));
    for (LossVector& p : points)
        for (double& x : p)
            x = coarse ? level(rng) : uniform(rng);
    return points;
}

const double inf = std::numeric_limits<double>::infinity();

}  // namespace

class ParetoTest : public QObject {
    Q_OBJECT

  private slots:
    void dominanceNeedsOneStrictImprovement() {
        QVERIFY(dominates({1, 2}, {1, 3}));
        QVERIFY(dominates({0, 0, 0}, {1, 1, 1}));
        QVERIFY(!dominates({1, 2}, {1, 2}));  // equal: neither dominates
        QVERIFY(!dominates({1, 3}, {1, 2}));
        QVERIFY(!dominates({1, 3}, {2, 2}));  // a trade-off
        QVERIFY(!dominates({2, 2}, {1, 3}));
        QVERIFY(!dominates({NAN, 0}, {1, 1}));
        QVERIFY(!dominates({0, 0}, {NAN, 1}));
    }

    void frontKeepsDuplicatesAndDropsTiesThatLose() {
        std::vector<LossVector> points = {{1, 3}, {2, 2}, {2, 2}, {3, 3}, {3, 1}, {1, 3.5}};
        // (3,3) loses to (2,2); (1,3.5) ties (1,3) in x and loses in y.
        QCOMPARE(paretoFront(points), (std::vector<std::size_t>{0, 1, 2, 4}));
        QCOMPARE(paretoFront({}), std::vector<std::size_t>{});
        QCOMPARE(paretoFront({{5, 5}}), std::vector<std::size_t>{0});
        QCOMPARE(paretoFront({{1, 1}, {1, 1}}), (std::vector<std::size_t>{0, 1}));
        // One dimension: every copy of the minimum.
        QCOMPARE(paretoFront({{3}, {1}, {2}, {1}}), (std::vector<std::size_t>{1, 3}));
    }

    void frontRejectsMixedDimensions() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, paretoFront({{1, 2}, {1, 2, 3}}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, hypervolume({{1, 2}}, {3, 3, 3}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, hypervolume({}, {}));
    }

    void ranksOfAHandMadeSet() {
        std::vector<LossVector> points = {{1, 3}, {2, 2}, {3, 3}, {3, 1}, {1, 3.5}, {4, 4}, {2, 2}};
        QCOMPARE(nonDominatedRanks(points), (std::vector<int>{0, 0, 1, 0, 1, 2, 0}));
        QCOMPARE(nonDominatedRanks({}), std::vector<int>{});
        // A chain: each point dominated by all before it.
        QCOMPARE(nonDominatedRanks({{3, 3}, {1, 1}, {2, 2}}), (std::vector<int>{2, 0, 1}));
    }

    void ranksMatchRepeatedPeeling() {
        std::mt19937 rng(7);
        for (int round = 0; round < 200; ++round) {
            std::size_t d = 2 + round % 3;
            std::size_t n = 1 + round % 40;
            std::vector<LossVector> points = randomPoints(rng, n, d, round % 2 == 0);
            std::vector<int> ranks = nonDominatedRanks(points);
            QCOMPARE(ranks, ranksByPeeling(points));
            std::vector<std::size_t> front;
            for (std::size_t i = 0; i < n; ++i)
                if (ranks[i] == 0)
                    front.push_back(i);
            QCOMPARE(paretoFront(points), front);
        }
    }

    void frontOfLargeCloudsMatchesTheDefinition() {
        // Big enough that the pivots' pre-filter drops most points, with
        // NaN and infinite coordinates (a NaN point is never dominated, an
        // infinite one can be) and duplicates of front points.
        std::mt19937 rng(11);
        std::uniform_int_distribution<int> pick(0, 99);
        for (int round = 0; round < 12; ++round) {
            const std::size_t d = 1 + round % 4;
            std::vector<LossVector> points = randomPoints(rng, 1500, d, round % 3 == 0);
            for (LossVector& p : points) {
                const int roll = pick(rng);
                if (roll == 0)
                    p[0] = NAN;
                else if (roll == 1)
                    p[d - 1] = inf;
                else if (roll == 2)
                    p[0] = -inf;
            }
            points.push_back(points[static_cast<std::size_t>(pick(rng))]);
            std::vector<std::size_t> expected;
            for (std::size_t i = 0; i < points.size(); ++i)
                if (std::none_of(points.begin(), points.end(),
                                 [&](const LossVector& q) { return dominates(q, points[i]); }))
                    expected.push_back(i);
            QCOMPARE(paretoFront(points), expected);
        }
        // Only NaN points: nothing to pivot on, all of them on the front.
        QCOMPARE(paretoFront({{NAN, 1}, {2, NAN}}), (std::vector<std::size_t>{0, 1}));
    }

    void crowdingOfAHandMadeFront() {
        // Objective 0 sorted 0,1,3,4 (range 4), objective 1 sorted 0,1,2,4.
        // (1,2): (3-0)/4 + (4-1)/4 = 1.5; (3,1): (4-1)/4 + (2-0)/4 = 1.25.
        std::vector<double> d = crowdingDistances({{0, 4}, {1, 2}, {3, 1}, {4, 0}});
        QCOMPARE(d[0], inf);
        QCOMPARE(d[1], 1.5);
        QCOMPARE(d[2], 1.25);
        QCOMPARE(d[3], inf);
        QCOMPARE(crowdingDistances({{1, 2}, {2, 1}}), (std::vector<double>{inf, inf}));
        QCOMPARE(crowdingDistances({}), std::vector<double>{});
        // A coordinate where all agree has no ends and adds nothing.
        QCOMPARE(crowdingDistances({{0, 7}, {1, 7}, {4, 7}}), (std::vector<double>{inf, 1.0, inf}));
    }

    void hypervolumeTwoDimensionsByHand() {
        // Staircase under (1,3), (2,2), (3,1) up to (4,4): 1*1 + 1*2 + 1*3.
        QCOMPARE(hypervolume({{1, 3}, {2, 2}, {3, 1}}, {4, 4}), 6.0);
        // A duplicate, a dominated point, points outside or on the reference's
        // boundary change nothing.
        QCOMPARE(
            hypervolume({{1, 3}, {2, 2}, {2, 2}, {3, 3}, {3, 1}, {5, 0}, {4, 0}, {0, 4}}, {4, 4}),
            6.0);
        // A tie in x: (1,2) beats (1,3).
        QCOMPARE(hypervolume({{1, 3}, {1, 2}}, {4, 4}), 6.0);
        QCOMPARE(hypervolume({{1, 1}}, {2, 3}), 2.0);
        QCOMPARE(hypervolume({}, {2, 3}), 0.0);
        QCOMPARE(hypervolume({{5, 5}}, {2, 3}), 0.0);
        QCOMPARE(hypervolume({{NAN, 0}}, {2, 3}), 0.0);
        QCOMPARE(hypervolume({{3}, {1}}, {5}), 4.0);
    }

    void hypervolumeThreeAndFourDimensionsByHand() {
        QCOMPARE(hypervolume({{0, 0, 0}}, {1, 2, 3}), 6.0);
        // Boxes of 4 and 2 overlapping in the unit cube [1,2]^3.
        QCOMPARE(hypervolume({{0, 0, 1}, {1, 1, 0}}, {2, 2, 2}), 5.0);
        QCOMPARE(hypervolume({{0, 0, 1}, {1, 1, 0}, {1, 1, 0}, {1, 1, 1}}, {2, 2, 2}), 5.0);
        QCOMPARE(hypervolume({{0, 0, 0, 0}}, {1, 2, 3, 4}), 24.0);
        // 4-D: 2*2*2*1 + 1*1*1*2 - 1*1*1*1 = 9.
        QCOMPARE(hypervolume({{0, 0, 0, 1}, {1, 1, 1, 0}}, {2, 2, 2, 2}), 9.0);
    }

    void hypervolumeMatchesInclusionExclusion_data() {
        QTest::addColumn<int>("dimension");
        QTest::addColumn<bool>("coarse");
        for (int d : {2, 3, 4, 5}) {
            QTest::newRow(qPrintable(QString("%1-D coarse").arg(d))) << d << true;
            QTest::newRow(qPrintable(QString("%1-D continuous").arg(d))) << d << false;
        }
    }

    void hypervolumeMatchesInclusionExclusion() {
        QFETCH(int, dimension);
        QFETCH(bool, coarse);
        std::mt19937 rng(1000 + dimension * 2 + coarse);
        LossVector reference(dimension, 4.5);  // some coordinates fall outside
        for (int round = 0; round < 60; ++round) {
            std::size_t n = 1 + round % 10;
            std::vector<LossVector> points = randomPoints(rng, n, dimension, coarse);
            // Only points strictly inside count; inclusion-exclusion clips the
            // others to zero-volume boxes only when they are outside in one
            // coordinate, which is exactly the same set.
            double expected = bruteForceHypervolume(points, reference);
            double actual = hypervolume(points, reference);
            QVERIFY2(
                std::abs(actual - expected) <= 1e-9 * std::max(1.0, expected),
                qPrintable(QString("round %1: %2 vs %3").arg(round).arg(actual).arg(expected)));
        }
    }

    void hypervolumeIsFastEnoughForLargeFronts() {
        // 2000 points on a concave 3-D front: the sweep is O(n log n).
        std::mt19937 rng(3);
        std::normal_distribution<double> normal;
        std::vector<LossVector> points;
        for (int i = 0; i < 2000; ++i) {
            LossVector p = {std::abs(normal(rng)), std::abs(normal(rng)), std::abs(normal(rng))};
            double norm = std::sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
            for (double& x : p)
                x /= norm;
            points.push_back(p);
        }
        double volume = hypervolume(points, {1, 1, 1});
        // The unit cube minus the positive octant of the unit ball, pi/6,
        // approached from below by a finite sample.
        QVERIFY(volume > 0.0 && volume < 1.0 - M_PI / 6.0);
        QVERIFY(volume > 0.9 * (1.0 - M_PI / 6.0));
    }

    void largeFourDimensionalSetsReduceToThreeDimensions() {
        // A constant last coordinate c makes the 4-D volume the 3-D one times
        // (reference - c): an exact check on a set too big for brute force.
        std::mt19937 rng(5);
        std::normal_distribution<double> normal;
        std::vector<LossVector> points3, points4;
        for (int i = 0; i < 800; ++i) {
            LossVector p = {std::abs(normal(rng)), std::abs(normal(rng)), std::abs(normal(rng))};
            double norm = std::sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
            for (double& x : p)
                x /= norm;
            points3.push_back(p);
            p.push_back(0.25);
            points4.push_back(p);
        }
        double volume3 = hypervolume(points3, {1, 1, 1});
        QVERIFY(std::abs(hypervolume(points4, {1, 1, 1, 2}) - volume3 * 1.75) < 1e-9);
        // Mixed last coordinates (the sphere in 4-D): within the unit box
        // minus the ball's positive orthant, pi^2/32.
        std::vector<LossVector> sphere;
        for (int i = 0; i < 800; ++i) {
            LossVector p(4);
            double norm = 0.0;
            for (double& x : p) {
                x = std::abs(normal(rng));
                norm += x * x;
            }
            for (double& x : p)
                x /= std::sqrt(norm);
            sphere.push_back(p);
        }
        double volume4 = hypervolume(sphere, {1, 1, 1, 1});
        QVERIFY(volume4 > 0.8 * (1.0 - M_PI * M_PI / 32.0) && volume4 < 1.0 - M_PI * M_PI / 32.0);
    }

    void derivedReferenceAddsATenthOfTheRange() {
        QCOMPARE(deriveReferencePoint({{0, 10}, {2, 10}}), (LossVector{2.2, 11.0}));
        QCOMPARE(deriveReferencePoint({{-1, 5}, {1, 3}, {0, 4}}), (LossVector{1.2, 5.2}));
        QCOMPARE(deriveReferencePoint({}), LossVector{});
        // Every point is strictly inside the derived reference.
        std::vector<LossVector> points = {{1, 3}, {2, 2}, {3, 1}};
        QVERIFY(hypervolume(points, deriveReferencePoint(points)) > 0.0);
        QCOMPARE(deriveReferencePoint({{1, inf}, {3, 2}}), (LossVector{3.2, 3.0}));
    }
};

QTEST_GUILESS_MAIN(ParetoTest)
#include "tst_pareto.moc"

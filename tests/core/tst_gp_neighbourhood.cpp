// The gp strategy's widened neighbourhood turn: the Hamming balls it lists
// and the exact maximum of an acquisition over several of them.
#include <QtTest>

#include <set>

#include "strategies/gp_neighbourhood.h"
#include "util/random.h"

using namespace bonsai;

namespace {

// A fixed value per point: a hash of its levels, so the argmax is arbitrary.
class TableTarget final : public AcquisitionTarget {
  public:
    explicit TableTarget(InputKinds kinds) : m_kinds(std::move(kinds)) {}
    double at(const Eigen::VectorXd& x) const {
        std::uint64_t h = 1469598103934665603ull;
        for (Eigen::Index i = 0; i < x.size(); ++i)
            h = (h ^ static_cast<std::uint64_t>(m_kinds[static_cast<std::size_t>(i)].levelOf(x[i]) +
                                                1)) *
                1099511628211ull;
        return static_cast<double>(h % 100003) / 100003.0;
    }
    Eigen::VectorXd values(const Eigen::MatrixXd& X) const override {
        Eigen::VectorXd v(X.rows());
        for (Eigen::Index r = 0; r < X.rows(); ++r)
            v[r] = at(X.row(r).transpose());
        return v;
    }
    double valueAndGradient(const Eigen::VectorXd& x, Eigen::VectorXd& gradient) const override {
        gradient = Eigen::VectorXd::Zero(x.size());
        return at(x);
    }

  private:
    InputKinds m_kinds;
};

std::vector<int> levels(const InputKinds& kinds, const Eigen::VectorXd& x) {
    std::vector<int> out;
    for (Eigen::Index i = 0; i < x.size(); ++i)
        out.push_back(kinds[static_cast<std::size_t>(i)].levelOf(x[i]));
    return out;
}

int distance(const InputKinds& kinds, const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
    int d = 0;
    for (Eigen::Index i = 0; i < a.size(); ++i)
        d += kinds[static_cast<std::size_t>(i)].levelOf(a[i]) !=
             kinds[static_cast<std::size_t>(i)].levelOf(b[i]);
    return d;
}

Eigen::VectorXd pointOf(const InputKinds& kinds, const std::vector<int>& level) {
    Eigen::VectorXd x(static_cast<Eigen::Index>(kinds.size()));
    for (std::size_t i = 0; i < kinds.size(); ++i)
        x[static_cast<Eigen::Index>(i)] = kinds[i].centreOf(level[i]);
    return x;
}

}  // namespace

class GpNeighbourhoodTest : public QObject {
    Q_OBJECT

  private slots:
    void ballsHoldEveryPointWithinTheRadiusOnce_data() {
        QTest::addColumn<int>("radius");
        QTest::addColumn<int>("size");
        // Inputs with 5, 5, 3 and 4 levels: m = 4, 4, 2, 3.
        QTest::newRow("radius 1") << 1 << 4 + 4 + 2 + 3;
        QTest::newRow("radius 2") << 2 << 13 + (16 + 8 + 12 + 8 + 12 + 6);
        QTest::newRow("radius 3") << 3 << 75 + (32 + 48 + 24 + 24);
    }
    void ballsHoldEveryPointWithinTheRadiusOnce() {
        QFETCH(int, radius);
        QFETCH(int, size);
        const InputKinds kinds = {InputKind::categorical(5), InputKind::categorical(5),
                                  InputKind::ordinal(3), InputKind::categorical(4)};
        const Eigen::VectorXd centre = pointOf(kinds, {1, 4, 0, 2});
        const std::vector<Eigen::VectorXd> ball = discreteBall(kinds, centre, radius, {});
        QCOMPARE(static_cast<int>(ball.size()), size);
        std::set<std::vector<int>> seen;
        for (const Eigen::VectorXd& x : ball) {
            const int d = distance(kinds, x, centre);
            QVERIFY(d >= 1 && d <= radius);
            QVERIFY(seen.insert(levels(kinds, x)).second);
            for (Eigen::Index i = 0; i < x.size(); ++i)  // bin centres
                QCOMPARE(x[i], kinds[static_cast<std::size_t>(i)].snap(x[i]));
        }
    }

    void ballsNeedAllDiscreteInputsAndAListableSize() {
        const Eigen::VectorXd centre = Eigen::VectorXd::Constant(2, 0.3);
        QVERIFY(discreteBall({InputKind::categorical(5), InputKind::continuous()}, centre, 1, {})
                    .empty());
        const InputKinds cells(6, InputKind::categorical(5));
        const Eigen::VectorXd cell = Eigen::VectorXd::Constant(6, 0.1);
        QCOMPARE(discreteBall(cells, cell, 2, {}).size(), std::size_t{24 + 15 * 16});
        QVERIFY(discreteBall(cells, cell, 2, {}, 200.0).empty());
    }

    void ballsMaximizeExactlyOverTheirUnionLessTheExcluded() {
        // Brute force over all 5^4 points: the best value among points within
        // the radius of some centre, not excluded and not a centre.
        const InputKinds kinds(4, InputKind::categorical(5));
        const TableTarget target(kinds);
        Rng rng(7);
        for (int round = 0; round < 20; ++round) {
            const int radius = 1 + round % 2;
            Eigen::MatrixXd centres(1 + round % 3, 4);
            for (Eigen::Index r = 0; r < centres.rows(); ++r)
                for (Eigen::Index c = 0; c < 4; ++c)
                    centres(r, c) = kinds[0].centreOf(static_cast<int>(uniform01(rng) * 5));
            Eigen::MatrixXd exclude(12, 4);
            for (Eigen::Index r = 0; r < exclude.rows(); ++r)
                for (Eigen::Index c = 0; c < 4; ++c)  // off-centre: the maximizer snaps
                    exclude(r, c) = (static_cast<int>(uniform01(rng) * 5) + 0.2) / 5.0;
            std::set<std::vector<int>> excluded;
            for (Eigen::Index r = 0; r < exclude.rows(); ++r)
                excluded.insert(levels(kinds, exclude.row(r).transpose()));
            std::optional<double> best;
            for (int p = 0; p < 625; ++p) {
                const Eigen::VectorXd x = pointOf(kinds, {p % 5, p / 5 % 5, p / 25 % 5, p / 125});
                int nearest = 99;
                for (Eigen::Index r = 0; r < centres.rows(); ++r)
                    nearest = std::min(nearest, distance(kinds, x, centres.row(r).transpose()));
                if (nearest < 1 || nearest > radius || excluded.count(levels(kinds, x)))
                    continue;
                if (!best || target.at(x) > *best)
                    best = target.at(x);
            }
            const auto found = maximizeDiscreteBalls(target, AcquisitionMaximizer(kinds), centres,
                                                     radius, exclude);
            QCOMPARE(found.has_value(), best.has_value());
            if (!found)
                continue;
            QCOMPARE(found->value, *best);
            QCOMPARE(target.at(found->x), *best);
            QVERIFY(!excluded.count(levels(kinds, found->x)));
        }
        // Every point of the ball excluded: nothing.
        const Eigen::MatrixXd centre = pointOf(kinds, {0, 0, 0, 0}).transpose();
        std::vector<Eigen::VectorXd> ball = discreteBall(kinds, centre.row(0).transpose(), 1, {});
        Eigen::MatrixXd all(static_cast<Eigen::Index>(ball.size()), 4);
        for (Eigen::Index r = 0; r < all.rows(); ++r)
            all.row(r) = ball[static_cast<std::size_t>(r)].transpose();
        QVERIFY(!maximizeDiscreteBalls(target, AcquisitionMaximizer(kinds), centre, 1, all));
    }
};

QTEST_APPLESS_MAIN(GpNeighbourhoodTest)
#include "tst_gp_neighbourhood.moc"

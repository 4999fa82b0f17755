#include <QtTest>

#include "core/gp_test_data.h"

#include <array>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "gp/kernel.h"
#include "support/gradient_check.h"

using namespace bonsai;
using namespace bonsai::testdata;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

// Every third input categorical with 3 levels, every fifth ordinal, when mixed.
VectorXd randomParams(const Kernel& k, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> u(-1.0, 0.5);
    VectorXd theta(k.paramCount());
    for (Eigen::Index i = 0; i < theta.size(); ++i)
        theta[i] = u(rng);
    return theta;
}

// Joint inputs over the categorical inputs: every pair of consecutive ones
// and all of them together.
JointInputs jointsOf(const InputKinds& inputs) {
    std::vector<int> categorical;
    for (std::size_t i = 0; i < inputs.size(); ++i)
        if (inputs[i].isCategorical())
            categorical.push_back(static_cast<int>(i));
    JointInputs joints;
    for (std::size_t j = 1; j < categorical.size(); ++j)
        joints.push_back({categorical[j - 1], categorical[j]});
    joints.push_back(categorical);
    return joints;
}

}  // namespace

class TestGpKernels : public QObject {
    Q_OBJECT

  private slots:
    void factoryKnowsItsKernels() {
        const InputKinds inputs{InputKind::continuous()};
        QCOMPARE(QString::fromStdString(makeKernel("matern52", inputs)->name()),
                 QString("matern52"));
        QCOMPARE(QString::fromStdString(makeKernel("rbf", inputs)->name()), QString("rbf"));
        try {
            makeKernel("matern32", inputs);
            QFAIL("unknown kernel accepted");
        } catch (const std::invalid_argument& e) {
            const QString message = e.what();
            QVERIFY2(message.contains("matern32") && message.contains("matern52") &&
                         message.contains("rbf"),
                     e.what());
        }
    }

    void rejectsWrongParameterCount() {
        RbfKernel k({InputKind::continuous(), InputKind::continuous()});
        QCOMPARE(k.paramCount(), Eigen::Index(3));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, k.setParams(VectorXd::Zero(2)));
    }

    void rbfValueByHand() {
        RbfKernel k({InputKind::continuous()});
        k.setParams((VectorXd(2) << std::log(2.0), std::log(0.5)).finished());
        // q = (0.5 / 0.5)^2 = 1  ->  2 exp(-1/2)
        QVERIFY(std::fabs(k.value(VectorXd::Constant(1, 0.2), VectorXd::Constant(1, 0.7)) -
                          2.0 * std::exp(-0.5)) < 1e-14);
        QVERIFY(std::fabs(k.value(VectorXd::Constant(1, 0.3), VectorXd::Constant(1, 0.3)) - 2.0) <
                1e-14);
    }

    void matern52ValueByHand() {
        Matern52Kernel k({InputKind::continuous(), InputKind::continuous()});
        k.setParams((VectorXd(3) << std::log(1.5), std::log(0.5), std::log(2.0)).finished());
        // d^2 = (0.3 / 0.5)^2 + (0.8 / 2)^2 = 0.36 + 0.16 = 0.52, r = sqrt(5 * 0.52)
        const double r = std::sqrt(5.0 * 0.52);
        const double expected = 1.5 * (1.0 + r + r * r / 3.0) * std::exp(-r);
        const VectorXd a = (VectorXd(2) << 0.1, 0.9).finished();
        const VectorXd b = (VectorXd(2) << 0.4, 0.1).finished();
        QVERIFY(std::fabs(k.value(a, b) - expected) < 1e-14);
        QVERIFY(std::fabs(k.value(b, a) - expected) < 1e-14);
    }

    void categoricalOverlapByHand() {
        // One continuous input (l = 1) and one categorical input with 3 levels (l = 0.5).
        RbfKernel k({InputKind::continuous(), InputKind::categorical(3)});
        k.setParams((VectorXd(3) << 0.0, 0.0, std::log(0.5)).finished());
        const VectorXd a = (VectorXd(2) << 0.1, 0.1).finished();   // level 0
        const VectorXd b = (VectorXd(2) << 0.4, 0.9).finished();   // level 2
        const VectorXd c = (VectorXd(2) << 0.4, 0.25).finished();  // level 0
        // mismatch: exp(-0.09 / 2) * exp(-1 / (2 * 0.25))
        QVERIFY(std::fabs(k.value(a, b) - std::exp(-0.045) * std::exp(-2.0)) < 1e-14);
        // same level, whatever the distance between the codes
        QVERIFY(std::fabs(k.value(a, c) - std::exp(-0.045)) < 1e-14);
        // u = 1 is the last level, not a fourth one
        const VectorXd top = (VectorXd(2) << 0.4, 1.0).finished();
        QVERIFY(std::fabs(k.value(b, top) - 1.0) < 1e-14);
    }

    // The additive term adds the scale a_j of every categorical feature j on
    // which the two points agree; continuous inputs do not enter it, and a
    // kernel without a categorical input has no such term (nor its scales).
    void additiveTermByHand() {
        const InputKinds inputs{InputKind::continuous(), InputKind::categorical(3),
                                InputKind::categorical(3)};
        RbfKernel k(inputs, {}, true);
        QVERIFY(k.hasAdditiveTerm());
        QCOMPARE(k.paramCount(), Eigen::Index(6));
        QCOMPARE(QString::fromStdString(k.paramNames()[4]), QString("log_additive_scale_1"));
        QCOMPARE(QString::fromStdString(k.paramNames()[5]), QString("log_additive_scale_2"));
        // s2 = 1, every lengthscale 1, a_1 = 2, a_2 = 0.5.
        k.setParams((VectorXd(6) << 0.0, 0.0, 0.0, 0.0, std::log(2.0), std::log(0.5)).finished());
        const VectorXd a = (VectorXd(3) << 0.1, 0.1, 0.1).finished();  // levels 0, 0
        const VectorXd b = (VectorXd(3) << 0.4, 0.9, 0.1).finished();  // levels 2, 0
        const VectorXd c = (VectorXd(3) << 0.4, 0.9, 0.9).finished();  // levels 2, 2
        // Feature 1 differs: exp(-0.09 / 2) exp(-1 / 2) + a_2.
        QVERIFY(std::fabs(k.value(a, b) - (std::exp(-0.045 - 0.5) + 0.5)) < 1e-14);
        // Both differ: the additive term is 0.
        QVERIFY(std::fabs(k.value(a, c) - std::exp(-0.045 - 1.0)) < 1e-14);
        QCOMPARE(k.diagonal(), 3.5);
        QVERIFY(std::fabs(k.value(a, a) - 3.5) < 1e-14);
        QCOMPARE(k.lengthscales().size(), Eigen::Index(3));
        QVERIFY((k.lengthscales().array() == 1.0).all());
        // Sensitivities: s2 / (2 l^2), plus a_j on the categorical features.
        QVERIFY((k.featureSensitivities() - Eigen::Vector3d(0.5, 2.5, 1.0)).norm() < 1e-14);

        RbfKernel continuous({InputKind::continuous(), InputKind::ordinal(4)}, {}, true);
        QVERIFY(!continuous.hasAdditiveTerm());
        QCOMPARE(continuous.paramCount(), Eigen::Index(3));
    }

    // Joint inputs (NAS-Bench-201 path features): two cells differing in
    // edge 4 only also differ in the path 0 -> 1 -> 3 = (edge 0, edge 4),
    // not in (1, 5) nor (0, 2, 5).
    void jointInputsByHand() {
        const InputKinds edges(6, InputKind::categorical(5));
        const JointInputs paths{{0, 4}, {1, 5}, {0, 2, 5}};
        RbfKernel k(edges, paths);
        QCOMPARE(k.featureCount(), Eigen::Index(9));
        QCOMPARE(k.paramCount(), Eigen::Index(10));
        // s2 = 2; edge lengthscales 1; path lengthscales 0.5, 1, 2 (weights 4, 1, 1/4).
        VectorXd theta = VectorXd::Zero(10);
        theta[0] = std::log(2.0);
        theta[7] = std::log(0.5);
        theta[9] = std::log(2.0);
        k.setParams(theta);
        auto cell = [](std::initializer_list<int> ops) {
            VectorXd u(6);
            int e = 0;
            for (int op : ops)
                u[e++] = (op + 0.5) / 5.0;
            return u;
        };
        const VectorXd a = cell({3, 3, 3, 1, 2, 3});
        const VectorXd b = cell({3, 3, 3, 1, 0, 3});  // edge 4
        const VectorXd c = cell({3, 3, 1, 1, 2, 3});  // edge 2
        const VectorXd d = cell({3, 1, 3, 1, 2, 1});  // edges 1 and 5
        // b: edge 4 (1) + path (0, 4) (4)
        QVERIFY(std::fabs(k.value(a, b) - 2.0 * std::exp(-(1.0 + 4.0) / 2.0)) < 1e-14);
        // c: edge 2 (1) + path (0, 2, 5) (1/4)
        QVERIFY(std::fabs(k.value(a, c) - 2.0 * std::exp(-(1.0 + 0.25) / 2.0)) < 1e-14);
        // d: edges 1, 5 (2) + path (1, 5) (1) + path (0, 2, 5) (1/4), each path once
        QVERIFY(std::fabs(k.value(a, d) - 2.0 * std::exp(-(2.0 + 1.0 + 0.25) / 2.0)) < 1e-14);
        // The pairwise columns the fit uses hold the same mismatches.
        MatrixXd X(4, 6);
        X << a.transpose(), b.transpose(), c.transpose(), d.transpose();
        QVERIFY((k.matrix(X) - k.cross(X, X)).cwiseAbs().maxCoeff() < 1e-14);
        const PairwiseDistances pairs = k.pairwise(X);
        QCOMPARE(pairs.squared.cols(), Eigen::Index(9));
        QCOMPARE(pairs.squared(0, 6), 1.0);  // pair (b, a): path (0, 4)
        QCOMPARE(pairs.squared(0, 7), 0.0);
        QCOMPARE(pairs.squared(2, 7), 1.0);  // pair (d, a): path (1, 5)
        QCOMPARE(pairs.squared(2, 8), 1.0);
        QCOMPARE(QString::fromStdString(k.paramNames().back()),
                 QString("log_lengthscale_joint_0_2_5"));
    }

    void rejectsJointOfNonCategoricalInputs() {
        const InputKinds inputs{InputKind::continuous(), InputKind::categorical(3)};
        try {
            RbfKernel k(inputs, {{0, 1}});
            QFAIL("a continuous input was accepted in a joint input");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains("joint input 0"), e.what());
        }
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RbfKernel(inputs, {{1, 2}}));
    }

    // Without continuous inputs the cross matrix skips the profile (it is
    // f(0) everywhere) and adds per-level mismatch columns, or, with at least
    // 4 entries per mismatch pattern (here 2^6 patterns: 30 x 40 points),
    // looks each entry up by its pattern: either way it must be
    // s2 exp(-sum_j w_j [a_j != b_j] / 2) over inputs and joint inputs,
    // and agree with the pairwise matrix the fit uses (by pattern from 70
    // points on: 2,415 pairs).
    void categoricalCrossMatchesTheOverlapDefinition_data() {
        QTest::addColumn<int>("rowsA");
        QTest::addColumn<int>("rowsB");
        QTest::addRow("per entry") << 7 << 11;
        QTest::addRow("by mismatch pattern") << 30 << 40;
    }

    void categoricalCrossMatchesTheOverlapDefinition() {
        QFETCH(int, rowsA);
        QFETCH(int, rowsB);
        const InputKinds inputs{InputKind::categorical(5), InputKind::categorical(1),
                                InputKind::categorical(3), InputKind::categorical(5)};
        const JointInputs joints{{0, 3}, {0, 2, 3}};
        std::mt19937_64 rng(5);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        for (const auto& [name, additive] : std::vector<std::pair<std::string, bool>>{
                 {"matern52", false}, {"rbf", false}, {"matern52", true}}) {
            std::unique_ptr<Kernel> k = makeKernel(name, inputs, joints, additive);
            const VectorXd theta = randomParams(*k, rng);
            k->setParams(theta);
            const MatrixXd A = randomPoints(rowsA, 4, rng);
            const MatrixXd B = randomPoints(rowsB, 4, rng);
            const MatrixXd K = k->cross(A, B);
            QCOMPARE(K.rows(), Eigen::Index(rowsA));
            QCOMPARE(K.cols(), Eigen::Index(rowsB));
            auto level = [&](double x, int i) { return inputs[std::size_t(i)].levelOf(x); };
            for (Eigen::Index a = 0; a < A.rows(); ++a) {
                for (Eigen::Index b = 0; b < B.rows(); ++b) {
                    double q = 0.0;
                    std::array<bool, 6> differs{};
                    for (int i = 0; i < 4; ++i)
                        if (level(A(a, i), i) != level(B(b, i), i)) {
                            q += std::exp(-2.0 * theta[1 + i]);
                            differs[static_cast<std::size_t>(i)] = true;
                        }
                    for (std::size_t g = 0; g < joints.size(); ++g) {
                        bool jointDiffers = false;
                        for (int member : joints[g])
                            jointDiffers = jointDiffers || level(A(a, member), member) !=
                                                               level(B(b, member), member);
                        if (jointDiffers) {
                            q += std::exp(-2.0 * theta[5 + static_cast<Eigen::Index>(g)]);
                            differs[4 + g] = true;
                        }
                    }
                    // 4 inputs and 2 joint inputs, all categorical: with the
                    // additive term, theta[7 + j] is log a_j of feature j.
                    double expected = std::exp(theta[0]) * std::exp(-0.5 * q);
                    for (int j = 0; additive && j < 6; ++j)
                        if (!differs[j])
                            expected += std::exp(theta[7 + j]);
                    QVERIFY2(std::fabs(K(a, b) - expected) < 1e-14 * expected,
                             qPrintable(QString("%1%2 at (%3, %4)")
                                            .arg(name.c_str())
                                            .arg(additive ? " additive" : "")
                                            .arg(a)
                                            .arg(b)));
                }
            }
            MatrixXd X(A.rows() + B.rows(), 4);
            X << A, B;
            QVERIFY((k->matrix(X) - k->cross(X, X)).cwiseAbs().maxCoeff() < 1e-14);
            // The fit's pairs carry their mismatch masks.
            const PairwiseDistances pairs = k->pairwise(X);
            QCOMPARE(pairs.patterns.size(), pairs.squared.rows());
            for (Eigen::Index p = 0; p < pairs.squared.rows(); ++p)
                for (Eigen::Index j = 0; j < pairs.squared.cols(); ++j)
                    QCOMPARE((pairs.patterns[p] >> j) & 1, pairs.squared(p, j) != 0.0 ? 1 : 0);
        }
    }

    void matrixMatchesCross() {
        std::mt19937_64 rng(7);
        Matern52Kernel k(makeInputs(4, true));
        k.setParams(randomParams(k, rng));
        const MatrixXd X = randomPoints(9, 4, rng);
        QVERIFY((k.matrix(X) - k.cross(X, X)).cwiseAbs().maxCoeff() < 1e-14);
    }

    // An input map (the gp's isomorphic cells as one input) applies before
    // every comparison: each kernel quantity is the unmapped kernel's at the
    // mapped points, and a copy keeps the map.
    void anInputMapAppliesBeforeEveryComparison() {
        std::mt19937_64 rng(11);
        const InputKinds inputs = makeInputs(7, true);  // inputs 1 and 4 categorical
        auto copyLevel = [](const MatrixXd& X) {        // input 4 takes input 1's level
            MatrixXd out = X;
            out.col(4) = X.col(1);
            return out;
        };
        Matern52Kernel plain(inputs);
        plain.setParams(randomParams(plain, rng));
        Matern52Kernel mapped = plain;
        mapped.setInputMap(copyLevel);
        const std::unique_ptr<Kernel> copy = mapped.clone();
        const MatrixXd A = randomPoints(8, 7, rng), B = randomPoints(5, 7, rng);
        const double tolerance = 1e-13;
        QVERIFY((mapped.cross(A, B) - plain.cross(copyLevel(A), copyLevel(B))).norm() < tolerance);
        QVERIFY((copy->cross(A, B) - plain.cross(copyLevel(A), copyLevel(B))).norm() < tolerance);
        QVERIFY((mapped.matrix(A) - plain.matrix(copyLevel(A))).norm() < tolerance);
        const VectorXd a = A.row(0).transpose();
        QVERIFY((mapped.crossGradient(a, B) -
                 plain.crossGradient(copyLevel(A).row(0).transpose(), copyLevel(B)))
                    .norm() < tolerance);
        // The map changes something here: the mapped kernel is not the plain one.
        QVERIFY((mapped.cross(A, B) - plain.cross(A, B)).norm() > 1e-3);
    }

    void hyperparameterGradient_data() {
        QTest::addColumn<QString>("kernel");
        QTest::addColumn<int>("dim");
        QTest::addColumn<bool>("mixed");
        QTest::addColumn<bool>("joints");
        QTest::addColumn<bool>("additive");
        for (const char* name : {"matern52", "rbf"}) {
            for (int d : {1, 2, 5, 10}) {
                QTest::addRow("%s d=%d continuous", name, d)
                    << QString(name) << d << false << false << false;
                if (d > 1)
                    QTest::addRow("%s d=%d mixed", name, d)
                        << QString(name) << d << true << false << false;
                if (d >= 5) {
                    QTest::addRow("%s d=%d mixed joints", name, d)
                        << QString(name) << d << true << true << false;
                    QTest::addRow("%s d=%d mixed additive", name, d)
                        << QString(name) << d << true << false << true;
                    QTest::addRow("%s d=%d mixed joints additive", name, d)
                        << QString(name) << d << true << true << true;
                }
            }
            // Every input categorical: the pairs' values by mismatch pattern.
            QTest::addRow("%s categorical", name) << QString(name) << 0 << true << false << false;
            QTest::addRow("%s categorical joints", name)
                << QString(name) << 0 << true << true << false;
            QTest::addRow("%s categorical additive", name)
                << QString(name) << 0 << true << false << true;
            QTest::addRow("%s categorical joints additive", name)
                << QString(name) << 0 << true << true << true;
        }
    }

    // dK/dtheta_p against central differences, and the contraction the
    // likelihood uses against sum(W .* dK/dtheta_p).
    void hyperparameterGradient() {
        QFETCH(QString, kernel);
        QFETCH(int, dim);
        QFETCH(bool, mixed);
        QFETCH(bool, joints);
        QFETCH(bool, additive);
        std::mt19937_64 rng(1000 + dim);
        // dim 0: three categorical inputs (2^3 or, with joints, 2^6 mismatch
        // patterns, so 36 or 276 pairs take the pattern path).
        const InputKinds inputs =
            dim > 0 ? makeInputs(dim, mixed)
                    : InputKinds{InputKind::categorical(3), InputKind::categorical(2),
                                 InputKind::categorical(4)};
        auto k = makeKernel(kernel.toStdString(), inputs, joints ? jointsOf(inputs) : JointInputs{},
                            additive);
        const VectorXd theta = randomParams(*k, rng);
        k->setParams(theta);
        const int n = dim > 0 ? 8 : joints ? 24 : 9;
        const MatrixXd X = randomPoints(n, static_cast<int>(inputs.size()), rng);
        const std::vector<MatrixXd> grads = k->matrixGradients(X);
        QCOMPARE(static_cast<Eigen::Index>(grads.size()), k->paramCount());

        MatrixXd W = randomPoints(n, n, rng).array() - 0.5;
        W = (W + W.transpose()).eval();
        const VectorXd contraction = k->gradientContraction(
            k->pairwise(X), 2.0 * PairwiseDistances::packLower(W), W.trace());

        auto matrixAt = [&](const VectorXd& params) {
            k->setParams(params);
            return MatrixXd(k->matrix(X));
        };
        for (Eigen::Index p = 0; p < k->paramCount(); ++p) {
            const MatrixXd fd = test::centralDifference(matrixAt, theta, p);
            const double err = (fd - grads[static_cast<std::size_t>(p)]).cwiseAbs().maxCoeff();
            QVERIFY2(err < 1e-7, qPrintable(QString("param %1: error %2").arg(p).arg(err)));
            const double viaW = (W.array() * grads[static_cast<std::size_t>(p)].array()).sum();
            QVERIFY2(std::fabs(viaW - contraction[p]) < 1e-10 * (1.0 + std::fabs(viaW)),
                     qPrintable(
                         QString("contraction %1: %2 vs %3").arg(p).arg(contraction[p]).arg(viaW)));
        }
        k->setParams(theta);
    }

    void inputGradient_data() { hyperparameterGradient_data(); }

    // d k(x, B_j) / dx against central differences on the non-categorical inputs.
    void inputGradient() {
        QFETCH(QString, kernel);
        QFETCH(int, dim);
        QFETCH(bool, mixed);
        QFETCH(bool, joints);
        QFETCH(bool, additive);
        std::mt19937_64 rng(2000 + dim);
        auto k = makeKernel(kernel.toStdString(), makeInputs(dim, mixed),
                            joints ? jointsOf(makeInputs(dim, mixed)) : JointInputs{}, additive);
        k->setParams(randomParams(*k, rng));
        const MatrixXd B = randomPoints(7, dim, rng);
        const VectorXd x = randomPoints(1, dim, rng).row(0).transpose();
        const MatrixXd J = k->crossGradient(x, B);
        QCOMPARE(J.rows(), Eigen::Index(dim));
        QCOMPARE(J.cols(), B.rows());
        auto crossAt = [&](const VectorXd& at) { return MatrixXd(k->cross(at.transpose(), B)); };
        for (int i = 0; i < dim; ++i) {
            if (k->inputs()[static_cast<std::size_t>(i)].isCategorical()) {
                QVERIFY(J.row(i).isZero());
                continue;
            }
            const MatrixXd fd = test::centralDifference(crossAt, x, i);
            const double err = (fd.row(0) - J.row(i)).cwiseAbs().maxCoeff();
            QVERIFY2(err < 1e-7, qPrintable(QString("input %1: error %2").arg(i).arg(err)));
        }
    }

    void matern52GradientAtZeroDistance() {
        // r = 0 is where a naive dk/dr / r would divide by zero.
        Matern52Kernel k({InputKind::continuous()});
        const MatrixXd X = MatrixXd::Constant(2, 1, 0.4);
        for (const MatrixXd& g : k.matrixGradients(X))
            QVERIFY(g.allFinite());
        QVERIFY(k.crossGradient(VectorXd::Constant(1, 0.4), X).allFinite());
        QVERIFY(k.crossGradient(VectorXd::Constant(1, 0.4), X).isZero());
    }
};

QTEST_APPLESS_MAIN(TestGpKernels)
#include "tst_gp_kernels.moc"

// Every built-in test function reaches its documented optimum at its
// documented minimizer, and nothing in its domain goes below it.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>

#include "objectives/test_functions.h"

using namespace bonsai;

class TestFunctionsTest : public QObject {
    Q_OBJECT

  private slots:
    void optimumIsReachedAtTheMinimizer_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("dimension");
        QTest::newRow("branin") << "branin" << 2;
        QTest::newRow("hartmann3") << "hartmann3" << 3;
        QTest::newRow("hartmann6") << "hartmann6" << 6;
        for (int d : {1, 2, 5, 10}) {
            for (const char* name : {"ackley", "rosenbrock", "levy", "styblinski-tang"})
                QTest::newRow(qPrintable(QString("%1:%2").arg(name).arg(d))) << name << d;
        }
    }

    void optimumIsReachedAtTheMinimizer() {
        QFETCH(QString, name);
        QFETCH(int, dimension);
        const TestFunction* function = findTestFunction(name.toStdString());
        QVERIFY(function);
        double optimum = function->optimum(dimension);
        std::vector<double> x = function->minimizer(dimension);
        QCOMPARE(static_cast<int>(x.size()), dimension);
        // Published minimizers are rounded to ~6 digits.
        QVERIFY2(
            std::abs(function->evaluate(x) - optimum) < 1e-4 * std::max(1.0, std::abs(optimum)),
            qPrintable(QString("f(x*) = %1, optimum %2")
                           .arg(function->evaluate(x), 0, 'g', 12)
                           .arg(optimum)));
    }

    void nothingInTheDomainBeatsTheOptimum_data() { optimumIsReachedAtTheMinimizer_data(); }

    void nothingInTheDomainBeatsTheOptimum() {
        QFETCH(QString, name);
        QFETCH(int, dimension);
        const TestFunction* function = findTestFunction(name.toStdString());
        std::mt19937_64 rng(7);
        double optimum = function->optimum(dimension);
        for (int sample = 0; sample < 20000; ++sample) {
            std::vector<double> x;
            for (int i = 0; i < dimension; ++i) {
                auto [low, high] = function->domain(i);
                x.push_back(std::uniform_real_distribution<double>(low, high)(rng));
            }
            QVERIFY(function->evaluate(x) >= optimum - 1e-9);
        }
    }

    void braninHasThreeGlobalMinima() {
        const TestFunction* branin = findTestFunction("branin");
        for (auto x : {std::vector<double>{-M_PI, 12.275}, {M_PI, 2.275}, {9.42478, 2.475}})
            QVERIFY(std::abs(branin->evaluate(x) - 0.397887) < 1e-5);
    }

    void unknownNamesAreNotFound() {
        QVERIFY(findTestFunction("branin2") == nullptr);
        QVERIFY(findTestFunction("zdt1") == nullptr);  // not a single-objective function
        QVERIFY(findMultiObjectiveTestFunction("zdt3") == nullptr);
        QVERIFY(findMultiObjectiveTestFunction("branin") == nullptr);  // single-objective
    }

    // On the Pareto front (x2 = ... = xn = 0, so g = 1): f1 = x1 and
    // ZDT1 f2 = 1 - sqrt(f1), ZDT2 f2 = 1 - f1^2, in every dimension.
    void zdtFrontsFollowTheirClosedForms() {
        const MultiObjectiveTestFunction* zdt1 = findMultiObjectiveTestFunction("zdt1");
        const MultiObjectiveTestFunction* zdt2 = findMultiObjectiveTestFunction("zdt2");
        QVERIFY(zdt1 && zdt2);
        QCOMPARE(zdt1->objectiveNames, (std::vector<std::string>{"f1", "f2"}));
        for (int n : {2, 6, 30}) {
            for (double x1 : {0.0, 0.04, 0.25, 0.5, 0.81, 1.0}) {
                std::vector<double> x(static_cast<std::size_t>(n), 0.0);
                x[0] = x1;
                std::vector<double> f = zdt1->evaluate(x);
                QCOMPARE(f.size(), std::size_t{2});
                QCOMPARE(f[0], x1);
                QCOMPARE(f[1], 1.0 - std::sqrt(x1));
                QCOMPARE(zdt1->frontGap(f) + 1.0, 1.0);
                f = zdt2->evaluate(x);
                QCOMPARE(f[0], x1);
                QCOMPARE(f[1], 1.0 - x1 * x1);
                QCOMPARE(zdt2->frontGap(f) + 1.0, 1.0);
            }
        }
        // The front's hypervolume within the reference (1.1, 11): the box
        // less the integral of the front (midpoint rule, 1e5 steps).
        for (const auto& [function, front] :
             {std::pair{zdt1, +[](double f1) { return 1.0 - std::sqrt(f1); }},
              std::pair{zdt2, +[](double f1) { return 1.0 - f1 * f1; }}}) {
            QCOMPARE(function->reference, (std::vector<double>{1.1, 11.0}));
            double area = 0.0;
            const int steps = 100000;
            for (int i = 0; i < steps; ++i)
                area += front((i + 0.5) / steps) / steps;
            QVERIFY(std::abs(1.1 * 11.0 - area - function->frontHypervolume) < 1e-6);
        }
        // Hand-computed points on the front: sqrt(0.25) = 0.5, 0.5^2 = 0.25.
        QCOMPARE(zdt1->evaluate({0.25, 0.0, 0.0})[1], 0.5);
        QCOMPARE(zdt2->evaluate({0.5, 0.0, 0.0})[1], 0.75);
    }

    // Off the front, n = 3, x = (0.25, 0.5, 0.5): g = 1 + 9/2 * 1 = 5.5;
    // ZDT1 f2 = 5.5 (1 - sqrt(0.25/5.5)) = 5.5 - sqrt(1.375) = 4.32739606...;
    // ZDT2 f2 = 5.5 (1 - (0.25/5.5)^2) = 5.5 - 1/88 = 5.48863636...
    void zdtOffTheFrontByHand() {
        std::vector<double> x = {0.25, 0.5, 0.5};
        std::vector<double> f = findMultiObjectiveTestFunction("zdt1")->evaluate(x);
        QCOMPARE(f[0], 0.25);
        QVERIFY(std::abs(f[1] - 4.3273960600) < 1e-9);
        f = findMultiObjectiveTestFunction("zdt2")->evaluate(x);
        QVERIFY(std::abs(f[1] - 5.4886363636) < 1e-9);
    }

    // DTLZ2: x3..xn = 0.5 puts the point on the unit sphere, at the angles
    // x1 pi/2 and x2 pi/2; elsewhere its norm is 1 + g.
    void dtlz2ByHand() {
        const MultiObjectiveTestFunction* dtlz2 = findMultiObjectiveTestFunction("dtlz2");
        QVERIFY(dtlz2);
        QCOMPARE(dtlz2->objectiveNames, (std::vector<std::string>{"f1", "f2", "f3"}));
        QCOMPARE(dtlz2->minDimension, 3);
        std::vector<double> f = dtlz2->evaluate({0.0, 0.0, 0.5, 0.5});
        QCOMPARE(f, (std::vector<double>{1.0, 0.0, 0.0}));
        f = dtlz2->evaluate({1.0 / 3.0, 0.5, 0.5});  // 30 degrees up, 45 around
        QVERIFY(std::abs(f[0] - std::sqrt(3.0) / 2 / std::sqrt(2.0)) < 1e-12);
        QVERIFY(std::abs(f[1] - f[0]) < 1e-12);
        QVERIFY(std::abs(f[2] - 0.5) < 1e-12);
        QVERIFY(std::abs(dtlz2->frontGap(f)) < 1e-12);
        f = dtlz2->evaluate({0.2, 0.7, 1.0, 0.0});  // g = 0.25 + 0.25
        QVERIFY(std::abs(dtlz2->frontGap(f) - 0.5) < 1e-12);
        // The front's hypervolume within (1.1, 1.1, 1.1), against a Monte
        // Carlo count of the cube's points at norm 1 or more.
        QCOMPARE(dtlz2->reference, (std::vector<double>{1.1, 1.1, 1.1}));
        std::mt19937_64 rng(3);
        std::uniform_real_distribution<double> u(0.0, 1.1);
        const int samples = 400000;
        int dominated = 0;
        for (int i = 0; i < samples; ++i) {
            const double a = u(rng), b = u(rng), c = u(rng);
            dominated += a * a + b * b + c * c >= 1.0;
        }
        const double estimate = 1.331 * dominated / samples;
        QVERIFY2(std::abs(estimate - dtlz2->frontHypervolume) < 0.005,
                 qPrintable(QString("%1 against %2").arg(estimate).arg(dtlz2->frontHypervolume)));
    }

    // Branin-Currin at hand-computed points: x = (0.5, 0.5) is Branin at
    // (2.5, 7.5) and Currin's (1 - e^-1) 1868.5 / 159.5; x = (0, 0) is Branin
    // at (-5, 0), its largest value on the usual domain, and Currin's 60 / 20
    // (its factor tends to 1 as x2 -> 0).
    void braninCurrinByHand() {
        const MultiObjectiveTestFunction* function =
            findMultiObjectiveTestFunction("branin-currin");
        QVERIFY(function);
        QVERIFY(function->takesDimension(2));
        QVERIFY(!function->takesDimension(3) && !function->takesDimension(1));
        std::vector<double> f = function->evaluate({0.5, 0.5});
        QVERIFY(std::abs(f[0] - 24.1299644136) < 1e-9);
        QVERIFY(std::abs(f[1] - (1 - std::exp(-1.0)) * 1868.5 / 159.5) < 1e-12);
        f = function->evaluate({0.0, 0.0});
        QVERIFY(std::abs(f[0] - 308.1290960116) < 1e-9);
        QCOMPARE(f[1], 3.0);
        // Branin's minimum 0.397887 at (pi, 2.275), i.e. x = ((pi + 5) / 15, 2.275 / 15).
        f = function->evaluate({(M_PI + 5) / 15, 2.275 / 15});
        QVERIFY(std::abs(f[0] - 0.397887) < 1e-5);
    }

    // Branin-Currin's front hypervolume (no closed form) against the
    // nondominated points of a grid, refined three times around each of them:
    // a finite set's volume never exceeds the front's, and this one comes
    // within 0.01 of it.
    void braninCurrinFrontHypervolumeBoundsAGridsVolume() {
        const MultiObjectiveTestFunction* function =
            findMultiObjectiveTestFunction("branin-currin");
        const std::vector<double> reference = function->reference;
        struct Point {
            double f1, f2, x1, x2;
        };
        std::vector<Point> front;
        auto keepFront = [&](std::vector<Point> points) {
            std::erase_if(points, [&](const Point& p) {
                return p.f1 >= reference[0] || p.f2 >= reference[1];
            });
            std::sort(points.begin(), points.end(),
                      [](const Point& a, const Point& b) { return a.f1 < b.f1; });
            front.clear();
            for (const Point& p : points)
                if (front.empty() || p.f2 < front.back().f2)
                    front.push_back(p);
        };
        auto volume = [&] {
            double area = 0.0;
            for (std::size_t i = 0; i < front.size(); ++i) {
                const double next = i + 1 < front.size() ? front[i + 1].f1 : reference[0];
                area += (next - front[i].f1) * (reference[1] - front[i].f2);
            }
            return area;
        };
        auto at = [&](double x1, double x2) {
            x1 = std::clamp(x1, 0.0, 1.0), x2 = std::clamp(x2, 0.0, 1.0);
            const std::vector<double> f = function->evaluate({x1, x2});
            return Point{f[0], f[1], x1, x2};
        };
        const int n = 1001;
        std::vector<Point> grid;
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j)
                grid.push_back(at(i / (n - 1.0), j / (n - 1.0)));
        keepFront(std::move(grid));
        double step = 1.0 / (n - 1);
        for (int pass = 0; pass < 3; ++pass, step /= 5) {
            std::vector<Point> refined = front;
            for (const Point& p : front)
                for (int a = -5; a <= 5; ++a)
                    for (int b = -5; b <= 5; ++b)
                        refined.push_back(at(p.x1 + a * step / 5, p.x2 + b * step / 5));
            keepFront(std::move(refined));
        }
        const double found = volume();
        QVERIFY2(
            found <= function->frontHypervolume + 1e-4 && found > function->frontHypervolume - 0.01,
            qPrintable(QString("grid %1 against %2")
                           .arg(found, 0, 'f', 5)
                           .arg(function->frontHypervolume)));
    }

    // No point of the domain dominates a point of the front.
    void nothingInTheDomainDominatesTheFront() {
        std::mt19937_64 rng(11);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        for (const MultiObjectiveTestFunction& function : multiObjectiveTestFunctions()) {
            for (int sample = 0; sample < 5000; ++sample) {
                std::vector<double> x(6);
                for (double& xi : x)
                    xi = unit(rng);
                std::vector<double> f = function.evaluate(x);
                QCOMPARE(f.size(), function.objectiveNames.size());
                if (function.frontGap)  // where the front has a closed form
                    QVERIFY(function.frontGap(f) >= -1e-12);
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestFunctionsTest)
#include "tst_test_functions.moc"

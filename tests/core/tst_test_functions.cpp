// Every built-in test function reaches its documented optimum at its
// documented minimizer, and nothing in its domain goes below it.
#include <QtTest>

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

    void unknownNamesAreNotFound() { QVERIFY(findTestFunction("branin2") == nullptr); }
};

QTEST_APPLESS_MAIN(TestFunctionsTest)
#include "tst_test_functions.moc"

// FlushDenormals: inside its scope a result too small to be a normal double
// is zero; outside, and after it, arithmetic is as before.
#include <QtTest>

#include <limits>

#include "util/flush_denormals.h"

using namespace bonsai;

namespace {

// The smallest normal double times 0.5: subnormal unless flushed. volatile so
// that the compiler cannot fold it at build time.
double halfOfTheSmallestNormal() {
    volatile double smallest = std::numeric_limits<double>::min();
    volatile double half = 0.5;
    return smallest * half;
}

}  // namespace

class TestFlushDenormals : public QObject {
    Q_OBJECT
  private slots:
    void subnormalResultsAreZeroOnlyInsideTheScope() {
        QVERIFY(halfOfTheSmallestNormal() > 0.0);
        {
            const FlushDenormals flush;
            if (!FlushDenormals::kEffective)
                QSKIP("flushing is x86-only; elsewhere the guard does nothing");
            QVERIFY(halfOfTheSmallestNormal() == 0.0);  // exact: QCOMPARE is fuzzy
            // Normal numbers are untouched.
            volatile double small = std::numeric_limits<double>::min();
            QVERIFY(small * 2.0 == 2.0 * std::numeric_limits<double>::min());
        }
        QVERIFY(halfOfTheSmallestNormal() > 0.0);
    }
};

QTEST_APPLESS_MAIN(TestFlushDenormals)
#include "tst_flush_denormals.moc"

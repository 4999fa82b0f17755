// runInParallel: every index runs exactly once, the call returns only when
// all have finished, and a task's exception reaches the caller (the lowest
// index's when several throw) without cutting the other tasks short.
#include <QtTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "util/parallel.h"

using namespace bonsai;

class TestParallel : public QObject {
    Q_OBJECT
  private slots:
    void everyIndexRunsOnce_data() {
        QTest::addColumn<int>("count");
        QTest::newRow("none") << 0;
        QTest::newRow("one") << 1;
        QTest::newRow("two") << 2;
        QTest::newRow("more than the cores") << 257;
    }

    void everyIndexRunsOnce() {
        QFETCH(int, count);
        std::vector<std::atomic<int>> runs(static_cast<std::size_t>(count));
        runInParallel(runs.size(), [&](std::size_t i) { ++runs[i]; });
        for (int i = 0; i < count; ++i)
            QCOMPARE(runs[static_cast<std::size_t>(i)].load(), 1);
    }

    void eachTaskWritesItsOwnSlotSoTheResultIsTheSequentialOne() {
        std::vector<double> parallel(100), sequential(100);
        auto work = [](std::size_t i) { return std::sqrt(static_cast<double>(i)) * 3.0; };
        runInParallel(parallel.size(), [&](std::size_t i) { parallel[i] = work(i); });
        for (std::size_t i = 0; i < sequential.size(); ++i)
            sequential[i] = work(i);
        QCOMPARE(parallel, sequential);
    }

    void usesMoreThanOneThreadWhereThereAreCores() {
        if (std::thread::hardware_concurrency() < 2)
            QSKIP("one core: every task runs on the calling thread");
        std::vector<std::thread::id> ids(2);
        std::atomic<int> arrived{0};
        runInParallel(ids.size(), [&](std::size_t i) {
            ids[i] = std::this_thread::get_id();
            // Both tasks wait for each other (briefly): one thread alone
            // could not get here twice at once.
            ++arrived;
            for (int spin = 0; spin < 2000 && arrived.load() < 2; ++spin)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
        });
        QCOMPARE(arrived.load(), 2);
        QVERIFY(ids[0] != ids[1]);
    }

    void theLowestThrowingIndexReachesTheCallerAfterAllTasksRan() {
        std::vector<std::atomic<int>> runs(8);
        try {
            runInParallel(runs.size(), [&](std::size_t i) {
                ++runs[i];
                if (i == 3 || i == 6)
                    throw std::runtime_error("task " + std::to_string(i));
            });
            QFAIL("no exception reached the caller");
        } catch (const std::runtime_error& error) {
            QCOMPARE(std::string(error.what()), std::string("task 3"));
        }
        for (const std::atomic<int>& count : runs)
            QCOMPARE(count.load(), 1);
    }
};

QTEST_APPLESS_MAIN(TestParallel)
#include "tst_parallel.moc"

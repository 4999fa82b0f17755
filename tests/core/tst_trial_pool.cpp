// TrialPool: jobs run at once on its threads (or inline without threads), an
// exception leaving a job is kept for the owner instead of ending the
// process, and the destructor runs what is queued and joins every thread.
#include <QtTest>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "study/trial_pool.h"

using namespace bonsai;

class TrialPoolTest : public QObject {
    Q_OBJECT

  private slots:
    void jobsRunOnAllThreadsAtOnce() {
        std::atomic<int> arrived{0};
        std::atomic<int> released{0};
        {
            TrialPool pool(3);
            QCOMPARE(pool.threadCount(), 3);
            for (int i = 0; i < 3; ++i)
                pool.submit([&] {
                    ++arrived;
                    // Each job waits for the other two: only three threads
                    // running at once let any of them finish.
                    const auto deadline =
                        std::chrono::steady_clock::now() + std::chrono::seconds(10);
                    while (arrived.load() < 3 && std::chrono::steady_clock::now() < deadline)
                        std::this_thread::yield();
                    if (arrived.load() == 3)
                        ++released;
                });
        }
        QCOMPARE(released.load(), 3);
    }

    void withoutThreadsAJobRunsOnTheCallerBeforeSubmitReturns() {
        TrialPool pool(0);
        std::thread::id ranOn;
        pool.submit([&] { ranOn = std::this_thread::get_id(); });
        QCOMPARE(ranOn, std::this_thread::get_id());
    }

    void aThrowingJobIsKeptForTheOwnerAndLaterJobsStillRun() {
        for (int threads : {0, 2}) {
            std::atomic<int> ran{0};
            {
                TrialPool pool(threads);
                QVERIFY(!pool.firstError());
                pool.submit([] { throw std::runtime_error("disk full"); });
                QTRY_VERIFY(pool.firstError() != nullptr);
                pool.submit([] { throw std::logic_error("second"); });
                for (int i = 0; i < 5; ++i)
                    pool.submit([&] { ++ran; });
                QTRY_COMPARE(ran.load(), 5);
                // The first error is kept, not replaced by later ones.
                try {
                    std::rethrow_exception(pool.firstError());
                } catch (const std::runtime_error& e) {
                    QCOMPARE(QString(e.what()), QString("disk full"));
                } catch (...) {
                    QFAIL("not the first error");
                }
            }
            QCOMPARE(ran.load(), 5);
        }
    }

    void theDestructorRunsQueuedJobsAndJoins() {
        std::atomic<int> done{0};
        {
            TrialPool pool(2);
            for (int i = 0; i < 10; ++i)
                pool.submit([&] {
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                    ++done;
                });
        }
        QCOMPARE(done.load(), 10);
    }
};

QTEST_GUILESS_MAIN(TrialPoolTest)
#include "tst_trial_pool.moc"

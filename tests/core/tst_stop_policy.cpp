// StopPolicy: when a run of a study stops asking for trials.
#include <QtTest>

#include "study/stop_policy.h"

using namespace bonsai;

namespace {

using Clock = StopPolicy::Clock;

StudyProgress progress(std::int64_t counted, int running, double simulated = 0.0,
                       std::optional<double> best = std::nullopt) {
    StudyProgress out;
    out.countedTrials = counted;
    out.runningTrials = running;
    out.simulatedSeconds = simulated;
    out.bestValue = best;
    return out;
}

}  // namespace

class StopPolicyTest : public QObject {
    Q_OBJECT

  private slots:
    void runningTrialsCountAgainstTheTrialBudget() {
        Budget budget;
        budget.trials = 10;
        StopPolicy policy(budget, budget.trials, Direction::Minimize, 0.0);
        QVERIFY(!policy.reason(false, progress(7, 2)));
        QCOMPARE(policy.reason(false, progress(7, 3)), StopReason::TrialBudget);
        QCOMPARE(policy.reason(false, progress(10, 0)), StopReason::TrialBudget);
    }

    void theOverriddenTrialBudgetWins() {
        Budget budget;
        budget.trials = 10;
        StopPolicy policy(budget, std::int64_t{25}, Direction::Minimize, 0.0);
        QVERIFY(!policy.reason(false, progress(10, 0)));
        QCOMPARE(policy.reason(false, progress(25, 0)), StopReason::TrialBudget);
    }

    void aStopRequestComesFirst() {
        Budget budget;
        budget.trials = 1;
        StopPolicy policy(budget, budget.trials, Direction::Minimize, 0.0);
        QCOMPARE(policy.reason(true, progress(5, 0)), StopReason::StopRequested);
    }

    void timeCountsFromTheRunsStartPlusNewSimulatedSeconds() {
        Budget budget;
        budget.seconds = 100.0;
        // Started 50 s ago, 30 simulated seconds before the run.
        StopPolicy policy(budget, std::nullopt, Direction::Minimize, 30.0,
                          Clock::now() - std::chrono::seconds(50));
        QVERIFY(policy.hasTimeBudget());
        QVERIFY(!policy.timeUp(30.0));
        QVERIFY(!policy.timeUp(70.0));
        QVERIFY(policy.timeUp(80.5));
        QCOMPARE(policy.reason(false, progress(0, 1, 80.5)), StopReason::TimeBudget);
        QVERIFY(!policy.reason(false, progress(0, 1, 60.0)));

        StopPolicy untimed(Budget{}, std::int64_t{5}, Direction::Minimize, 0.0,
                           Clock::now() - std::chrono::hours(1000));
        QVERIFY(!untimed.hasTimeBudget());
        QVERIFY(!untimed.timeUp(1e9));
    }

    void theTargetIsReachedInTheStudysDirection() {
        Budget budget;
        budget.target = 1.0;
        StopPolicy minimize(budget, std::nullopt, Direction::Minimize, 0.0);
        QVERIFY(!minimize.reason(false, progress(3, 0, 0.0, std::nullopt)));
        QVERIFY(!minimize.reason(false, progress(3, 0, 0.0, 1.5)));
        QCOMPARE(minimize.reason(false, progress(3, 0, 0.0, 1.0)), StopReason::TargetReached);
        StopPolicy maximize(budget, std::nullopt, Direction::Maximize, 0.0);
        QVERIFY(!maximize.reason(false, progress(3, 0, 0.0, 0.5)));
        QCOMPARE(maximize.reason(false, progress(3, 0, 0.0, 1.5)), StopReason::TargetReached);
    }
};

QTEST_GUILESS_MAIN(StopPolicyTest)
#include "tst_stop_policy.moc"

// TrialTally and TrialSnapshot, the study's running totals and the strategy's
// incremental copy of the trial list: after any sequence of new trials and
// changes (finishing out of order, as parallel workers do), they agree with a
// full recount and a full copy.
#include <QtTest>

#include <random>

#include "study/study.h"
#include "study/trial_snapshot.h"
#include "study/trial_tally.h"

using namespace bonsai;

namespace {

std::int64_t recount(const std::vector<Trial>& trials) {
    std::int64_t count = 0;
    for (const Trial& trial : trials)
        count += trial.finished() && !isInterrupted(trial);
    return count;
}

double simulatedSum(const std::vector<Trial>& trials) {
    double sum = 0.0;
    for (const Trial& trial : trials)
        sum += trial.attrs.value("simulated_seconds", 0.0);
    return sum;
}

// A finished version of `trial`: complete (values from a few, so ties
// happen), failed, interrupted or pruned, with some simulated seconds.
Trial finish(Trial trial, std::mt19937& rng) {
    switch (std::uniform_int_distribution<int>(0, 5)(rng)) {
        case 0:
            trial.state = TrialState::Failed;
            trial.error = "crashed";
            break;
        case 1:
            markInterrupted(trial, "stopped by user");
            break;
        case 2:
            trial.state = TrialState::Pruned;
            trial.value = 0.5;
            break;
        default:
            trial.state = TrialState::Complete;
            trial.value = std::uniform_int_distribution<int>(0, 20)(rng) / 4.0;
            trial.attrs["g"] = std::uniform_int_distribution<int>(0, 3)(rng);
    }
    trial.attrs["simulated_seconds"] = std::uniform_int_distribution<int>(0, 4)(rng) * 0.25;
    return trial;
}

}  // namespace

class TrialTallyTest : public QObject {
    Q_OBJECT

  private slots:
    void agreesWithAFullRecountWhateverTheOrder_data() {
        QTest::addColumn<int>("direction");
        QTest::addColumn<bool>("constrained");
        QTest::newRow("minimize") << int(Direction::Minimize) << false;
        QTest::newRow("maximize") << int(Direction::Maximize) << false;
        QTest::newRow("constrained") << int(Direction::Minimize) << true;
    }
    void agreesWithAFullRecountWhateverTheOrder() {
        QFETCH(int, direction);
        QFETCH(bool, constrained);
        StudySpec spec;
        spec.direction = static_cast<Direction>(direction);
        if (constrained)
            spec.constraints.push_back(ConstraintSpec{"g", std::nullopt, 2.0});
        for (unsigned seed = 1; seed <= 20; ++seed) {
            std::mt19937 rng(seed);
            std::vector<Trial> trials;
            std::vector<std::size_t> running;
            TrialTally tally(spec);
            TrialSnapshot snapshot;
            tally.reset(trials);
            for (int step = 0; step < 300; ++step) {
                const bool start = running.empty() || rng() % 2 == 0;
                if (start) {
                    Trial trial;
                    trial.number = static_cast<int>(trials.size());
                    trial.state = TrialState::Running;
                    tally.update(trials, trials.size(), trial);
                    trials.push_back(trial);
                    running.push_back(trials.size() - 1);
                } else {
                    // Any running trial finishes, or reports (attrs change).
                    const std::size_t pick = rng() % running.size();
                    const std::size_t index = running[pick];
                    Trial after = trials[index];
                    if (rng() % 3 == 0) {
                        after.intermediate.emplace_back(step, 1.0);
                    } else {
                        after = finish(after, rng);
                        running.erase(running.begin() + static_cast<std::ptrdiff_t>(pick));
                    }
                    tally.update(trials, index, after);
                    trials[index] = after;
                    snapshot.changed(index);
                }
                if (step % 7 == 0) {
                    const std::vector<Trial>& copy = snapshot.refresh(trials);
                    QCOMPARE(copy.size(), trials.size());
                    for (std::size_t i = 0; i < trials.size(); ++i) {
                        QCOMPARE(copy[i].state, trials[i].state);
                        QCOMPARE(copy[i].value, trials[i].value);
                        QCOMPARE(copy[i].intermediate, trials[i].intermediate);
                    }
                }
                QCOMPARE(tally.counted(), recount(trials));
                QVERIFY(std::abs(tally.simulatedSeconds() - simulatedSum(trials)) < 1e-9);
                std::optional<Trial> best = bestTrial(trials, spec);
                QCOMPARE(tally.bestIndex().has_value(), best.has_value());
                if (best)
                    QCOMPARE(trials[*tally.bestIndex()].number, best->number);
            }
        }
    }

    void resetMatchesUpdatesAndChangingTheBestRecounts() {
        StudySpec spec;
        std::vector<Trial> trials(3);
        for (int i = 0; i < 3; ++i) {
            trials[i].number = i;
            trials[i].state = TrialState::Complete;
            trials[i].value = 3.0 - i;
        }
        TrialTally tally(spec);
        tally.reset(trials);
        QCOMPARE(tally.bestIndex(), std::optional<std::size_t>(2));
        QCOMPARE(tally.counted(), std::int64_t{3});
        // The best trial turns out failed (as a hand edit might make it).
        Trial failed = trials[2];
        failed.state = TrialState::Failed;
        failed.value.reset();
        tally.update(trials, 2, failed);
        trials[2] = failed;
        QCOMPARE(tally.bestIndex(), std::optional<std::size_t>(1));
        QCOMPARE(tally.counted(), std::int64_t{3});
    }

    void multiObjectiveStudiesHaveNoBestTrial() {
        StudySpec spec;
        spec.objectives = {ObjectiveSpec{"f1", Direction::Minimize},
                           ObjectiveSpec{"f2", Direction::Minimize}};
        std::vector<Trial> trials(1);
        trials[0].state = TrialState::Complete;
        trials[0].value = 1.0;
        trials[0].values = {1.0, 2.0};
        TrialTally tally(spec);
        tally.reset(trials);
        QVERIFY(!tally.bestIndex());
        QCOMPARE(tally.counted(), std::int64_t{1});
    }
};

QTEST_GUILESS_MAIN(TrialTallyTest)
#include "tst_trial_tally.moc"

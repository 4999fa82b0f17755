// FrontTally, the Pareto set, reference point and hypervolume kept up to date
// as a live study's trials arrive: after any sequence of new trials and
// changes it gives exactly what a full pass (studyFront) gives.
#include <QtTest>

#include <random>

#include "study/front_tally.h"
#include "study/multi_objective.h"

using namespace bonsai;

namespace {

// Two or three objectives (one maximized), a constraint on the last one, and
// a given reference coordinate when `givenReference`.
StudySpec spec(std::size_t objectives, bool givenReference) {
    StudySpec out;
    for (std::size_t k = 0; k < objectives; ++k)
        out.objectives.push_back(
            {"f" + std::to_string(k), k == 0 ? Direction::Maximize : Direction::Minimize,
             givenReference && k == 1 ? std::optional<double>(9.0) : std::nullopt});
    out.constraints.push_back({"f" + std::to_string(objectives - 1), std::nullopt, 8.5});
    return out;
}

// Values from a coarse grid so that ties and duplicates are common.
Trial complete(Trial trial, std::size_t objectives, std::mt19937& rng) {
    std::uniform_int_distribution<int> level(0, 9);
    trial.state = TrialState::Complete;
    trial.values.clear();
    for (std::size_t k = 0; k < objectives; ++k)
        trial.values.push_back(level(rng));
    trial.value = trial.values.front();
    return trial;
}

void requireSameAsFullPass(const FrontTally& tally, const std::vector<Trial>& trials,
                           const StudySpec& spec) {
    const StudyFront full = studyFront(trials, spec);
    QCOMPARE(tally.paretoIndices(), full.paretoIndices);
    QCOMPARE(tally.reference(), full.reference);
    QCOMPARE(tally.hypervolume(), full.hypervolume);
}

}  // namespace

class FrontTallyTest : public QObject {
    Q_OBJECT

  private slots:
    void agreesWithAFullPassThroughALiveStudy_data() {
        QTest::addColumn<int>("objectives");
        QTest::addColumn<bool>("givenReference");
        QTest::newRow("two objectives, derived reference") << 2 << false;
        QTest::newRow("two objectives, one coordinate given") << 2 << true;
        QTest::newRow("three objectives") << 3 << false;
    }

    void agreesWithAFullPassThroughALiveStudy() {
        QFETCH(int, objectives);
        QFETCH(bool, givenReference);
        const auto d = static_cast<std::size_t>(objectives);
        const StudySpec study = spec(d, givenReference);
        std::mt19937 rng(static_cast<unsigned>(3 + objectives + givenReference));
        std::vector<Trial> trials;
        FrontTally tally(study);
        tally.reset(trials);
        requireSameAsFullPass(tally, trials, study);
        for (int batch = 0; batch < 120; ++batch) {
            std::vector<std::size_t> changed;
            // A few new running trials, some finished straight away.
            const int arriving = std::uniform_int_distribution<int>(0, 4)(rng);
            for (int k = 0; k < arriving; ++k) {
                Trial trial;
                trial.number = static_cast<int>(trials.size());
                trial.state = TrialState::Running;
                if (rng() % 2 == 0)
                    trial = complete(trial, d, rng);
                changed.push_back(trials.size());
                trials.push_back(trial);
            }
            // Running trials finish: complete, failed, or with a missing value.
            for (std::size_t i = 0; i < trials.size(); ++i)
                if (trials[i].state == TrialState::Running && rng() % 3 == 0) {
                    const int outcome = static_cast<int>(rng() % 5);
                    if (outcome == 0)
                        trials[i].state = TrialState::Failed;
                    else
                        trials[i] = complete(trials[i], d, rng);
                    if (outcome == 1)
                        trials[i].values.pop_back();  // not scored
                    changed.push_back(i);
                }
            // Rarely, a finished trial changes after all: a recount.
            if (!trials.empty() && batch % 37 == 36) {
                const std::size_t i = rng() % trials.size();
                trials[i] = complete(trials[i], d, rng);
                changed.push_back(i);
            }
            tally.update(trials, changed);
            requireSameAsFullPass(tally, trials, study);
        }
        QVERIFY(tally.paretoIndices().size() >= 2);
        QVERIFY(tally.hypervolume() > 0.0);
    }

    void aChangedFrontMemberIsCountedAgain() {
        // Trial 0 dominates trial 1 until its values get worse.
        const StudySpec study = spec(2, false);
        std::vector<Trial> trials(2);
        trials[0].values = {5, 1};
        trials[1].values = {4, 2};
        for (std::size_t i = 0; i < 2; ++i) {
            trials[i].number = static_cast<int>(i);
            trials[i].state = TrialState::Complete;
            trials[i].value = trials[i].values.front();
        }
        FrontTally tally(study);
        tally.reset(trials);
        QCOMPARE(tally.paretoIndices(), (std::vector<std::size_t>{0}));
        trials[0].values = {1, 1};
        const std::size_t changed[] = {0};
        tally.update(trials, changed);
        QCOMPARE(tally.paretoIndices(), (std::vector<std::size_t>{0, 1}));
        requireSameAsFullPass(tally, trials, study);
    }
};

QTEST_GUILESS_MAIN(FrontTallyTest)
#include "tst_front_tally.moc"

// Median and ASHA pruners against hand-computed cases, in both directions.
#include <QtTest>

#include "pruners/pruner.h"
#include "support/spec_errors.h"

using namespace bonsai;

namespace {

using Curve = std::vector<std::pair<std::int64_t, double>>;

Trial trial(int number, TrialState state, Curve curve) {
    Trial t;
    t.number = number;
    t.state = state;
    t.intermediate = std::move(curve);
    if (state == TrialState::Complete || state == TrialState::Pruned)
        t.value = t.intermediate.empty() ? 0.0 : t.intermediate.back().second;
    return t;
}

// In the maximize sense a value v becomes -v: same decisions expected.
std::vector<Trial> negated(std::vector<Trial> trials) {
    for (Trial& t : trials) {
        for (auto& point : t.intermediate)
            point.second = -point.second;
        if (t.value)
            t.value = -*t.value;
    }
    return trials;
}

std::unique_ptr<Pruner> make(const char* json) {
    return PrunerRegistry::builtins().create(Json::parse(json));
}

// Asks `pruner` about `candidate` (running, appended to `others`) in both senses.
bool prunes(Pruner& pruner, std::vector<Trial> others, Curve curve, bool maximize = false) {
    Trial candidate =
        trial(static_cast<int>(others.size()) + 100, TrialState::Running, std::move(curve));
    others.push_back(candidate);
    if (maximize)
        others = negated(std::move(others));
    return pruner.shouldPrune(others.back(), others,
                              maximize ? Direction::Maximize : Direction::Minimize);
}

// Five complete trials; at step 2 their losses are 8, 9, 10, 11, 12 (median
// 10); at step 3 four of them reported 6, 7, 9, 10 (median 8).
std::vector<Trial> medianHistory() {
    return {trial(0, TrialState::Complete, {{1, 10}, {2, 8}, {3, 6}}),
            trial(1, TrialState::Complete, {{1, 12}, {2, 9}, {3, 7}}),
            trial(2, TrialState::Complete, {{1, 14}, {2, 10}}),
            trial(3, TrialState::Complete, {{1, 16}, {2, 11}, {3, 9}}),
            trial(4, TrialState::Complete, {{1, 18}, {2, 12}, {3, 10}}),
            // Neither pruned nor failed nor running trials count.
            trial(5, TrialState::Pruned, {{1, 1}, {2, 1}}),
            trial(6, TrialState::Failed, {{1, 1}, {2, 1}}),
            trial(7, TrialState::Running, {{1, 1}, {2, 1}})};
}

}  // namespace

class PrunersTest : public QObject {
    Q_OBJECT

  private slots:
    void registryKnowsTheBuiltinsAndValidates() {
        QVERIFY(!make(R"({"kind": "none"})"));
        QVERIFY(make(R"({"kind": "median"})"));
        QVERIFY(make(R"({"kind": "asha"})"));
        QVERIFY(!PrunerRegistry::builtins().create(Json()));
        const std::pair<const char*, const char*> bad[] = {
            {R"({"kind": "medain"})", "did you mean 'median'"},
            {R"({"kind": "median", "warmup_steps": -1})",
             "pruner.warmup_steps: must be at least 0"},
            {R"({"kind": "median", "min_trials": 0})", "pruner.min_trials: must be at least 1"},
            {R"({"kind": "median", "startup_trails": 3})", "did you mean 'startup_trials'"},
            {R"({"kind": "asha", "reduction_factor": 1})",
             "pruner.reduction_factor: must be at least 2"},
            {R"({"kind": "asha", "min_resource": 0})", "pruner.min_resource: must be a step > 0"},
            {R"({"kind": "asha", "min_early_stopping_rate": -1})",
             "pruner.min_early_stopping_rate"},
        };
        for (const auto& [json, message] : bad) {
            BONSAI_EXPECT_SPEC_ERROR(make(json), message);
        }
    }

    void medianComparesBestSoFarWithMedianAtTheStep_data() {
        QTest::addColumn<bool>("maximize");
        QTest::newRow("minimize") << false;
        QTest::newRow("maximize") << true;
    }

    void medianComparesBestSoFarWithMedianAtTheStep() {
        QFETCH(bool, maximize);
        auto history = medianHistory();
        auto pruner = make(R"({"kind": "median"})");
        QVERIFY(prunes(*pruner, history, {{1, 20}, {2, 10.5}}, maximize));  // 10.5 > 10
        QVERIFY(!prunes(*pruner, history, {{1, 20}, {2, 9.5}}, maximize));  // 9.5 < 10
        QVERIFY(!prunes(*pruner, history, {{1, 20}, {2, 10}}, maximize));   // ties continue
        QVERIFY(!prunes(*pruner, history, {{1, 9}, {2, 10.5}}, maximize));  // best so far is 9
        QVERIFY(!prunes(*pruner, history, {{3, 8}}, maximize));             // median at 3 is 8
        QVERIFY(prunes(*pruner, history, {{3, 8.5}}, maximize));
        // No complete trial reported at step 4: nothing to compare with.
        QVERIFY(!prunes(*pruner, history, {{4, 1000}}, maximize));
    }

    void medianStartupWarmupIntervalAndMinTrials() {
        auto history = medianHistory();
        Curve bad{{1, 20}, {2, 30}, {3, 40}};
        QVERIFY(prunes(*make(R"({"kind": "median"})"), history, bad));
        // Six complete trials needed, five exist.
        QVERIFY(!prunes(*make(R"({"kind": "median", "startup_trials": 6})"), history, bad));
        // Steps before 4 are warm-up.
        QVERIFY(!prunes(*make(R"({"kind": "median", "warmup_steps": 4})"), history, bad));
        // Step 3 has four complete reports; five are required.
        QVERIFY(!prunes(*make(R"({"kind": "median", "min_trials": 5})"), history, bad));
        QVERIFY(prunes(*make(R"({"kind": "median", "min_trials": 4})"), history, bad));
        // Interval 2 from warm-up 0: judged at the first report in [2, 4), not again at 3.
        auto every2 = make(R"({"kind": "median", "interval_steps": 2})");
        QVERIFY(prunes(*every2, history, {{1, 20}, {2, 30}}));
        QVERIFY(!prunes(*every2, history, bad));
        QVERIFY(prunes(*every2, history, {{1, 20}, {3, 40}}));  // first report in [2, 4)
    }

    void ashaKeepsTheTopThirdAtEachRung_data() {
        medianComparesBestSoFarWithMedianAtTheStep_data();
    }

    void ashaKeepsTheTopThirdAtEachRung() {
        QFETCH(bool, maximize);
        // Rungs at steps 1, 3, 9 (min_resource 1, reduction factor 3).
        auto pruner = make(R"({"kind": "asha"})");
        std::vector<Trial> history{
            trial(0, TrialState::Complete, {{1, 0.5}, {2, 0.45}, {3, 0.4}, {9, 0.3}}),
            trial(1, TrialState::Pruned, {{1, 0.6}}),
            trial(2, TrialState::Pruned, {{1, 0.7}}),
            trial(3, TrialState::Running, {{1, 0.2}, {3, 0.1}}),
        };
        // Rung 1: {0.5, 0.6, 0.7, 0.2} and the candidate: 5 // 3 = 1 is kept.
        QVERIFY(prunes(*pruner, history, {{1, 0.55}}, maximize));
        QVERIFY(prunes(*pruner, history, {{1, 0.3}}, maximize));
        QVERIFY(!prunes(*pruner, history, {{1, 0.2}}, maximize));
        QVERIFY(!prunes(*pruner, history, {{1, 0.15}}, maximize));
        // Step 2 is no rung: never judged, however bad.
        QVERIFY(!prunes(*pruner, history, {{1, 0.1}, {2, 99}}, maximize));
        // Rung 3: {0.4, 0.1} and the candidate: 3 // 3 = 1 kept.
        QVERIFY(prunes(*pruner, history, {{1, 0.1}, {2, 0.1}, {3, 0.2}}, maximize));
        QVERIFY(!prunes(*pruner, history, {{1, 0.1}, {2, 0.1}, {3, 0.05}}, maximize));
        // A report jumping from step 1 to step 10 crosses rungs 3 and 9 and is
        // judged at both with its value at step 10; rung 9 has only trial 0
        // (0.3) and the candidate: with fewer than 3 only the best continues.
        QVERIFY(!prunes(*pruner, history, {{1, 0.1}, {10, 0.05}}, maximize));
        QVERIFY(prunes(*pruner, history, {{1, 0.1}, {10, 0.35}}, maximize));
        // The rung's value is the first report at or past it: trial 3's is 0.1 at 3.
    }

    void ashaWithFewCompetitorsAndEarlyStoppingRate() {
        auto pruner =
            make(R"({"kind": "asha", "reduction_factor": 2, "min_early_stopping_rate": 1})");
        // Rungs at steps 2, 4, 8. The very first trial is always promoted.
        QVERIFY(!prunes(*pruner, {}, {{1, 5}, {2, 5}}));
        // Step 1 is no longer a rung.
        std::vector<Trial> history{trial(0, TrialState::Complete, {{1, 0.1}, {2, 0.1}})};
        QVERIFY(!prunes(*pruner, history, {{1, 5}}));
        // Rung 2 with two competitors, 2 // 2 = 1 kept: the better one.
        QVERIFY(prunes(*pruner, history, {{1, 5}, {2, 5}}));
        QVERIFY(!prunes(*pruner, history, {{1, 5}, {2, 0.05}}));
        // Non-integer resources: min_resource 1.5, factor 2 -> rungs 1.5, 3, 6.
        auto fractional = make(R"({"kind": "asha", "min_resource": 1.5, "reduction_factor": 2})");
        QVERIFY(!prunes(*fractional, history, {{1, 5}}));
        QVERIFY(prunes(*fractional, history, {{1, 0.0}, {2, 5}}));
    }
};

QTEST_APPLESS_MAIN(PrunersTest)
#include "tst_pruners.moc"

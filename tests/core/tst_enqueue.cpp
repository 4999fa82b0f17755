// Enqueued points ("enqueue" in the spec): validated against the space with
// exact messages, evaluated first and in order by the engine (also with
// several workers), counted in the budget, and not evaluated twice on resume.
#include <QtTest>

#include <thread>

#include "study/study.h"
#include "support/spec_errors.h"
#include "util/spec_error.h"

using namespace bonsai;

namespace {

// Scores any point, categorical and conditional parameters included.
class AnyPoint final : public Objective {
  public:
    double evaluate(const ParamMap& params, TrialContext& context) override {
        double sum = 0.0;
        for (const auto& [name, value] : params)
            sum += numericValue(value).value_or(name.size());
        if (m_delay > 0) {
            for (int i = 0; i < 100 * m_delay; ++i) {
                if (context.stopRequested())
                    throw TrialInterrupted();
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        }
        return sum;
    }
    double m_delay = 0.0;
};

ObjectiveRegistry registry() {
    ObjectiveRegistry out = ObjectiveRegistry::withBuiltins();
    out.add("any", [](JsonReader& settings, const SearchSpace&) {
        auto objective = std::make_unique<AnyPoint>();
        objective->m_delay = settings.numberOr("delay_seconds", 0.0);
        return objective;
    });
    return out;
}

Json spec(const Json& enqueue, int trials = 6, int workers = 1) {
    Json out = Json::parse(R"({
        "name": "enqueued",
        "objective": {"kind": "any"},
        "space": [{"name": "x1", "type": "float", "low": -5, "high": 10},
                  {"name": "x2", "type": "int", "low": 0, "high": 15},
                  {"name": "opt", "type": "categorical", "choices": ["sgd", "adam"]},
                  {"name": "momentum", "type": "float", "low": 0, "high": 1,
                   "when": {"param": "opt", "equals": "sgd"}}],
        "strategy": {"kind": "tpe"},
        "seed": 5
    })");
    out["budget"] = {{"trials", trials}};
    out["workers"] = workers;
    out["enqueue"] = enqueue;
    return out;
}

QString specError(const Json& json) {
    auto error = test::specErrorFrom([&] { parseStudySpec(json, registry()); });
    return error ? QString::fromUtf8(error->what()) : QString();
}

const Json kPoints = Json::parse(R"([
    {"x1": 1, "x2": 3.0, "opt": "adam"},
    {"x1": -2.5, "x2": 7, "opt": "sgd", "momentum": 0.9},
    {"x1": 9.5, "x2": 15, "opt": "adam"}
])");

}  // namespace

class EnqueueTest : public QObject {
    Q_OBJECT

  private slots:
    void badPointsAreRejectedWithTheirPath_data() {
        QTest::addColumn<QString>("enqueue");
        QTest::addColumn<QString>("message");
        QTest::newRow("not an array") << R"({"x1": 1})"
                                      << "enqueue: must be an array";
        QTest::newRow("not an object") << R"([[1, 2]])"
                                       << "enqueue[0]: must be an object";
        QTest::newRow("unknown name") << R"([{"x1": 1, "x2": 3, "opt": "adam", "x3": 1}])"
                                      << "enqueue[0].x3: unknown parameter";
        QTest::newRow("misspelt name")
            << R"([{"x1": 1, "x2": 3, "opt": "adam"}, {"x_1": 1, "x2": 3, "opt": "adam"}])"
            << "enqueue[1].x_1: unknown parameter; did you mean 'x1'?";
        QTest::newRow("missing") << R"([{"x1": 1, "opt": "adam"}])"
                                 << "enqueue[0].x2: is missing (the parameter is active)";
        QTest::newRow("missing conditional") << R"([{"x1": 1, "x2": 3, "opt": "sgd"}])"
                                             << "enqueue[0].momentum: is missing";
        QTest::newRow("inactive")
            << R"([{"x1": 1, "x2": 3, "opt": "adam", "momentum": 0.5}])"
            << "enqueue[0].momentum: must be absent: its condition on 'opt' does not hold";
        QTest::newRow("out of range") << R"([{"x1": 11, "x2": 3, "opt": "adam"}])"
                                      << "enqueue[0].x1: must be in [-5, 10] (got 11)";
        QTest::newRow("not whole") << R"([{"x1": 1, "x2": 3.5, "opt": "adam"}])"
                                   << "enqueue[0].x2: must be a whole number";
        QTest::newRow("bad choice") << R"([{"x1": 1, "x2": 3, "opt": "rmsprop"}])"
                                    << "enqueue[0].opt: must be one of";
        QTest::newRow("wrong type") << R"([{"x1": "one", "x2": 3, "opt": "adam"}])"
                                    << "enqueue[0].x1: must be a number";
    }
    void badPointsAreRejectedWithTheirPath() {
        QFETCH(QString, enqueue);
        QFETCH(QString, message);
        const QString error = specError(spec(Json::parse(enqueue.toStdString())));
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void pointsAreStoredInTheirParametersTypes() {
        ObjectiveRegistry objectives = registry();
        StudySpec parsed = parseStudySpec(spec(kPoints), objectives);
        QCOMPARE(parsed.enqueue.size(), std::size_t(3));
        QVERIFY(std::holds_alternative<double>(parsed.enqueue[0].at("x1")));
        QVERIFY(std::holds_alternative<std::int64_t>(parsed.enqueue[0].at("x2")));
        QCOMPARE(std::get<std::int64_t>(parsed.enqueue[0].at("x2")), std::int64_t{3});
        // The stored spec reads back to the same points.
        StudySpec again = parseStudySpec(parsed.source, objectives);
        QCOMPARE(again.enqueue, parsed.enqueue);
    }

    void enqueuedPointsRunFirstInOrder_data() {
        QTest::addColumn<int>("workers");
        QTest::newRow("one worker") << 1;
        QTest::newRow("three workers") << 3;
    }
    void enqueuedPointsRunFirstInOrder() {
        QFETCH(int, workers);
        ObjectiveRegistry objectives = registry();
        StudySpec parsed = parseStudySpec(spec(kPoints, 6, workers), objectives);
        const std::vector<ParamMap> points = parsed.enqueue;
        Database db(":memory:");
        Study study = Study::create(db, std::move(parsed), objectives);
        std::atomic<bool> stop{false};
        QCOMPARE(study.run(stop), StopReason::TrialBudget);
        const std::vector<Trial> stored = db.loadTrials(study.id());
        QCOMPARE(stored.size(), std::size_t(6));  // the budget includes them
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE(stored[i].params, points[i]);
            QCOMPARE(stored[i].attrs.value("enqueued", -1), static_cast<int>(i));
            QCOMPARE(stored[i].state, TrialState::Complete);
        }
        for (std::size_t i = 3; i < 6; ++i)
            QVERIFY(!stored[i].attrs.contains("enqueued"));
    }

    void resumeEvaluatesOnlyThePointsNotYetDone() {
        ObjectiveRegistry objectives = registry();
        Database db(":memory:");
        {
            // A budget of 2 leaves the third point for later.
            Study study =
                Study::create(db, parseStudySpec(spec(kPoints, 2), objectives), objectives);
            std::atomic<bool> stop{false};
            study.run(stop);
        }
        Study study = Study::open(db, "enqueued", objectives);
        study.extendTrialBudget(2);
        std::atomic<bool> stop{false};
        study.run(stop);
        const std::vector<Trial> stored = db.loadTrials(study.id());
        QCOMPARE(stored.size(), std::size_t(4));
        QCOMPARE(stored[2].attrs.value("enqueued", -1), 2);
        QCOMPARE(stored[2].params, study.spec().enqueue[2]);
        QVERIFY(!stored[3].attrs.contains("enqueued"));
    }

    void anInterruptedPointRunsAgain() {
        ObjectiveRegistry objectives = registry();
        Database db(":memory:");
        Json json = spec(kPoints, 3);
        json["objective"]["delay_seconds"] = 0.3;
        {
            Study study = Study::create(db, parseStudySpec(json, objectives), objectives);
            std::atomic<bool> stop{false};
            std::thread stopper([&] {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                stop = true;
            });
            QCOMPARE(study.run(stop), StopReason::StopRequested);
            stopper.join();
            QCOMPARE(study.trials().size(), std::size_t(1));
            QVERIFY(isInterrupted(study.trials()[0]));
        }
        Study study = Study::open(db, "enqueued", objectives);
        std::atomic<bool> stop{false};
        QCOMPARE(study.run(stop), StopReason::TrialBudget);
        const std::vector<Trial> stored = db.loadTrials(study.id());
        QCOMPARE(stored.size(), std::size_t(4));
        for (int i = 1; i <= 3; ++i) {
            QCOMPARE(stored[i].state, TrialState::Complete);
            QCOMPARE(stored[i].attrs.value("enqueued", -1), i - 1);
        }
    }
};

QTEST_GUILESS_MAIN(EnqueueTest)
#include "tst_enqueue.moc"

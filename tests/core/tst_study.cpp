// The study engine: ask -> evaluate -> tell, each step stored; budgets, the
// target, stop requests, failing objectives, and resume.
#include <QtTest>

#include <thread>

#include "study/study.h"

using namespace bonsai;

namespace {

Json spec(const char* name, const char* strategy = R"({"kind": "random"})", int trials = 10) {
    Json out = Json::parse(R"({
        "direction": "minimize",
        "objective": {"kind": "function", "function": "branin"},
        "space": [{"name": "x1", "type": "float", "low": -5, "high": 10},
                  {"name": "x2", "type": "float", "low": 0, "high": 15}],
        "seed": 42
    })");
    out["name"] = name;
    out["strategy"] = Json::parse(strategy);
    out["budget"] = {{"trials", trials}};
    return out;
}

// Fails in three different ways on trials 1, 2 and 3, succeeds otherwise.
class TroubledObjective final : public Objective {
  public:
    double evaluate(const ParamMap&, TrialContext& context) override {
        switch (context.trialNumber()) {
            case 1:
                throw std::runtime_error("simulator crashed");
            case 2:
                return std::nan("");
            case 3:
                return INFINITY;
            default:
                context.report(1, 5.0);
                context.setAttribute("note", "fine");
                return 1.0;
        }
    }
};

ObjectiveRegistry registryWithTroubled() {
    ObjectiveRegistry registry = ObjectiveRegistry::withBuiltins();
    registry.add("troubled", [](JsonReader&, const SearchSpace&) {
        return std::make_unique<TroubledObjective>();
    });
    return registry;
}

struct StopAfter final : StudyEvents {
    std::atomic<bool>& stop;
    int count;
    StopAfter(std::atomic<bool>& s, int n) : stop(s), count(n) {}
    void trialFinished(const Trial& trial) override {
        if (trial.number + 1 >= count)
            stop = true;
    }
};

// Counts how many trials run at the same moment.
struct Concurrency final : StudyEvents {
    int running = 0, most = 0;
    void trialStarted(const Trial&) override { most = std::max(most, ++running); }
    void trialFinished(const Trial&) override { --running; }
};

}  // namespace

class StudyTest : public QObject {
    Q_OBJECT

  private slots:
    void runsTheTrialBudgetAndStoresEveryTrial() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Database db(":memory:");
        Study study = Study::create(db, parseStudySpec(spec("s"), objectives), objectives);
        std::atomic<bool> stop{false};
        QCOMPARE(study.run(stop), StopReason::TrialBudget);
        QCOMPARE(static_cast<int>(study.trials().size()), 10);
        std::vector<Trial> stored = db.loadTrials(study.id());
        QCOMPARE(stored.size(), study.trials().size());
        for (std::size_t i = 0; i < stored.size(); ++i) {
            QCOMPARE(stored[i].state, TrialState::Complete);
            QCOMPARE(*stored[i].value, *study.trials()[i].value);
            QVERIFY(stored[i].params == study.trials()[i].params);
            QVERIFY(stored[i].completedAt.has_value());
        }
        QCOMPARE(db.findStudy("s")->state, StudyState::Finished);
        QVERIFY(study.best()->value ==
                *std::min_element(stored.begin(), stored.end(), [](auto& a, auto& b) {
                     return *a.value < *b.value;
                 })->value);
    }

    void sameSpecAndSeedGiveIdenticalTrials() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Database a(":memory:"), b(":memory:");
        Study first = Study::create(
            a, parseStudySpec(spec("s", R"({"kind": "sobol"})"), objectives), objectives);
        Study second = Study::create(
            b, parseStudySpec(spec("s", R"({"kind": "sobol"})"), objectives), objectives);
        std::atomic<bool> stop{false};
        first.run(stop);
        second.run(stop);
        for (std::size_t i = 0; i < first.trials().size(); ++i) {
            QVERIFY(first.trials()[i].params == second.trials()[i].params);
            QCOMPARE(*first.trials()[i].value, *second.trials()[i].value);
        }
    }

    void aFailingObjectiveFailsOnlyThatTrial() {
        ObjectiveRegistry objectives = registryWithTroubled();
        Json json = spec("troubled");
        json["objective"] = {{"kind", "troubled"}};
        Database db(":memory:");
        Study study = Study::create(db, parseStudySpec(json, objectives), objectives);
        std::atomic<bool> stop{false};
        study.run(stop);
        std::vector<Trial> trials = db.loadTrials(study.id());
        QCOMPARE(static_cast<int>(trials.size()), 10);
        QCOMPARE(trials[1].state, TrialState::Failed);
        QCOMPARE(trials[1].error, std::string("simulator crashed"));
        QCOMPARE(trials[2].error, std::string("objective returned NaN"));
        QCOMPARE(trials[3].error, std::string("objective returned infinity"));
        QVERIFY(!trials[2].value.has_value());
        QCOMPARE(trials[4].state, TrialState::Complete);
        QCOMPARE(trials[4].intermediate.size(), std::size_t{1});
        QCOMPARE(trials[4].attrs["note"].get<std::string>(), std::string("fine"));
    }

    void theTargetEndsTheStudyOnceReached() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Json json = spec("target", R"({"kind": "random"})", 1000);
        json["budget"]["target"] = 5.0;
        Database db(":memory:");
        Study study = Study::create(db, parseStudySpec(json, objectives), objectives);
        std::atomic<bool> stop{false};
        QCOMPARE(study.run(stop), StopReason::TargetReached);
        QVERIFY(*study.best()->value <= 5.0);
        // It stopped right after the first trial that reached the target.
        QCOMPARE(*study.trials().back().value, *study.best()->value);
    }

    void theSecondsBudgetEndsTheStudy() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Json json = spec("timed", R"({"kind": "random"})", 1000);
        json["budget"] = {{"seconds", 0.3}};
        json["objective"]["delay_seconds"] = 0.05;
        Database db(":memory:");
        Study study = Study::create(db, parseStudySpec(json, objectives), objectives);
        std::atomic<bool> stop{false};
        QCOMPARE(study.run(stop), StopReason::TimeBudget);
        QVERIFY(study.trials().size() >= 3 && study.trials().size() <= 8);
    }

    void aStopRequestEndsBetweenTrialsAndResumeFinishesTheBudget() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        QTemporaryDir dir;
        std::string path = dir.filePath("studies.db").toStdString();
        std::vector<Trial> uninterrupted;
        {
            Database db(":memory:");
            Study study = Study::create(db, parseStudySpec(spec("whole"), objectives), objectives);
            std::atomic<bool> stop{false};
            study.run(stop);
            uninterrupted = study.trials();
        }
        {
            Database db(path);
            Study study = Study::create(db, parseStudySpec(spec("whole"), objectives), objectives);
            std::atomic<bool> stop{false};
            StopAfter stopper(stop, 4);
            QCOMPARE(study.run(stop, &stopper), StopReason::StopRequested);
            QCOMPARE(static_cast<int>(study.trials().size()), 4);
            QCOMPARE(db.findStudy("whole")->state, StudyState::Stopped);
        }
        Database db(path);
        Study resumed = Study::open(db, "whole", objectives);
        std::atomic<bool> stop{false};
        QCOMPARE(resumed.run(stop), StopReason::TrialBudget);
        QCOMPARE(static_cast<int>(resumed.trials().size()), 10);
        // Trial n draws from stream n of the seed, so resuming changes nothing.
        for (int i = 0; i < 10; ++i)
            QVERIFY(resumed.trials()[i].params == uninterrupted[i].params);
    }

    void resumeMarksTrialsLeftRunningAsInterruptedAndRerunsThem() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        QTemporaryDir dir;
        std::string path = dir.filePath("studies.db").toStdString();
        {
            Database db(path);
            std::int64_t id = db.createStudy(
                "crashed", Direction::Minimize,
                parseStudySpec(spec("crashed", R"({"kind": "random"})", 3), objectives).source);
            Trial running;
            running.number = 0;
            running.params = {{"x1", 0.0}, {"x2", 1.0}};
            running.startedAt = nowSeconds();
            db.insertTrial(id, running);  // then the process "dies"
        }
        Database db(path);
        Study study = Study::open(db, "crashed", objectives);
        QCOMPARE(study.trials()[0].state, TrialState::Failed);
        QVERIFY(isInterrupted(study.trials()[0]));
        QCOMPARE(study.countedTrials(), std::int64_t{0});
        std::atomic<bool> stop{false};
        study.run(stop);
        QCOMPARE(study.countedTrials(), std::int64_t{3});
        QCOMPARE(db.loadTrials(study.id())[0].state, TrialState::Failed);
    }

    void extendingTheBudgetRunsThatManyMore() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Database db(":memory:");
        Study study = Study::create(
            db, parseStudySpec(spec("more", R"({"kind": "random"})", 5), objectives), objectives);
        std::atomic<bool> stop{false};
        study.run(stop);
        study.extendTrialBudget(3);
        study.run(stop);
        QCOMPARE(static_cast<int>(study.trials().size()), 8);
    }

    void anExhaustedGridEndsTheStudy() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Database db(":memory:");
        Study study = Study::create(
            db,
            parseStudySpec(spec("grid", R"({"kind": "grid", "resolution": 3})", 100), objectives),
            objectives);
        std::atomic<bool> stop{false};
        QCOMPARE(study.run(stop), StopReason::SpaceExhausted);
        QCOMPARE(static_cast<int>(study.trials().size()), 9);
    }

    void maximizeStudiesPickTheLargestValue() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Json json = spec("max");
        json["direction"] = "maximize";
        Database db(":memory:");
        Study study = Study::create(db, parseStudySpec(json, objectives), objectives);
        std::atomic<bool> stop{false};
        study.run(stop);
        double largest = -INFINITY;
        for (const Trial& t : study.trials())
            largest = std::max(largest, *t.value);
        QCOMPARE(*study.best()->value, largest);
    }

    void severalWorkersRunTrialsAtOnceAndStoreEveryOne() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Json json = spec("parallel", R"({"kind": "random"})", 12);
        json["workers"] = 4;
        json["objective"]["delay_seconds"] = 0.1;
        Database db(":memory:");
        Study study = Study::create(db, parseStudySpec(json, objectives), objectives);

        Concurrency concurrency;
        std::atomic<bool> stop{false};
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(study.run(stop, &concurrency), StopReason::TrialBudget);
        QCOMPARE(concurrency.most, 4);
        QVERIFY2(timer.elapsed() < 1000, "12 trials of 0.1 s on 4 workers took over 1 s");
        std::vector<Trial> stored = db.loadTrials(study.id());
        QCOMPARE(static_cast<int>(stored.size()), 12);
        for (const Trial& trial : stored)
            QCOMPARE(trial.state, TrialState::Complete);
    }

    void objectivesWithProcessWideStateRunOneAtATime() {
        struct Exclusive final : Objective {
            double evaluate(const ParamMap&, TrialContext&) override {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                return 1.0;
            }
            bool threadSafe() const override { return false; }
        };
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        objectives.add("exclusive", [](JsonReader&, const SearchSpace&) {
            return std::make_unique<Exclusive>();
        });
        Json json = spec("exclusive", R"({"kind": "random"})", 6);
        json["workers"] = 4;
        json["objective"] = {{"kind", "exclusive"}};
        Database db(":memory:");
        Study study = Study::create(db, parseStudySpec(json, objectives), objectives);
        Concurrency concurrency;
        std::atomic<bool> stop{false};
        study.run(stop, &concurrency);
        QCOMPARE(concurrency.most, 1);
        QCOMPARE(static_cast<int>(study.trials().size()), 6);
    }

    void aStopRequestReachesEveryRunningWorker() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Json json = spec("parallel-stop", R"({"kind": "random"})", 100);
        json["workers"] = 3;
        json["objective"]["delay_seconds"] = 5.0;
        Database db(":memory:");
        Study study = Study::create(db, parseStudySpec(json, objectives), objectives);
        std::atomic<bool> stop{false};
        std::thread stopper([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            stop = true;
        });
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(study.run(stop), StopReason::StopRequested);
        stopper.join();
        QVERIFY(timer.elapsed() < 2000);
        QCOMPARE(static_cast<int>(study.trials().size()), 3);
        for (const Trial& trial : study.trials())
            QVERIFY(isInterrupted(trial));
        QCOMPARE(study.countedTrials(), std::int64_t{0});
    }

    void aTakenNameIsRejected() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Database db(":memory:");
        Study::create(db, parseStudySpec(spec("twice"), objectives), objectives);
        QVERIFY_THROWS_EXCEPTION(
            StorageError, Study::create(db, parseStudySpec(spec("twice"), objectives), objectives));
    }

    void openingAnUnknownStudySaysHowToListThem() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Database db(":memory:");
        try {
            Study::open(db, "nope", objectives);
            QFAIL("opened");
        } catch (const StorageError& error) {
            QVERIFY2(QString(error.what()).contains("`bonsai-cli list --db ':memory:'`"),
                     error.what());
        }
    }
};

QTEST_APPLESS_MAIN(StudyTest)
#include "tst_study.moc"

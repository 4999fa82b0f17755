// The study engine when storage fails mid-study or time runs out: with several
// workers, a write that fails on the asking thread (a new trial) or on a
// worker (a finished trial, a report) ends run() with that StorageError on the
// caller's thread, never std::terminate; trials already stored are kept, the
// study is marked failed, and a resume after the fault finishes the budget.
// SQLite is made to fail by triggers added behind the engine's back.
#include <QtTest>

#include <thread>

#include "study/study.h"
#include "support/raw_sql.h"

using namespace bonsai;
using bonsai::test::failingTrigger;
using bonsai::test::rawExec;

namespace {

Json spec(const char* name, int trials, int workers, double delaySeconds) {
    Json out = Json::parse(R"({
        "direction": "minimize",
        "objective": {"kind": "function", "function": "branin"},
        "space": [{"name": "x1", "type": "float", "low": -5, "high": 10},
                  {"name": "x2", "type": "float", "low": 0, "high": 15}],
        "strategy": {"kind": "random"},
        "seed": 7
    })");
    out["name"] = name;
    out["budget"] = {{"trials", trials}};
    out["workers"] = workers;
    out["objective"]["delay_seconds"] = delaySeconds;
    return out;
}

// Reports one step and swallows whatever report() throws, as a careless
// objective might: the engine must still notice the failed write.
class CarelessReporter final : public Objective {
  public:
    double evaluate(const ParamMap&, TrialContext& context) override {
        try {
            context.report(1, 0.5);
        } catch (...) {
        }
        return 1.0;
    }
};

std::string stateOf(Database& db, const std::string& name) {
    return studyStateName(db.findStudy(name)->state);
}

}  // namespace

class StudyFailuresTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    std::string dbPath(const char* name) { return (m_dir.path() + "/" + name).toStdString(); }

    // Runs `study`, which must end with a StorageError naming the fault;
    // returns the trials then stored.
    std::vector<Trial> runExpectingFault(Database& db, Study& study) {
        std::atomic<bool> stop{false};
        try {
            study.run(stop);
            QTest::qFail("the run ended without an error", __FILE__, __LINE__);
        } catch (const StorageError& error) {
            QString message = QString::fromUtf8(error.what());
            if (!message.contains("injected fault"))
                QTest::qFail(qPrintable("unexpected message: " + message), __FILE__, __LINE__);
        }
        return db.loadTrials(study.id());
    }

    // Once the fault is gone, the reopened study (trials left running now
    // interrupted) finishes its budget of 40.
    void expectResumeFinishes(const std::string& path, Database& db,
                              const ObjectiveRegistry& objectives) {
        rawExec(path, "DROP TRIGGER inject_fault;");
        Study resumed = Study::open(db, "s", objectives);
        for (const Trial& trial : resumed.trials())
            QVERIFY(trial.state == TrialState::Complete || isInterrupted(trial));
        std::atomic<bool> stop{false};
        QCOMPARE(resumed.run(stop), StopReason::TrialBudget);
        QCOMPARE(resumed.countedTrials(), std::int64_t{40});
        QCOMPARE(stateOf(db, "s"), std::string("finished"));
    }

  private slots:
    void aNewTrialThatCannotBeStoredEndsTheRunWithTheError() {
        const std::string path = dbPath("insert.db");
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Database db(path);
        // The run's Study holds the study's lease until it is gone; the resume
        // below stands for the next process.
        std::optional<Study> study;
        study.emplace(
            Study::create(db, parseStudySpec(spec("s", 40, 3, 0.05), objectives), objectives));
        rawExec(path, failingTrigger("INSERT", "trials", "NEW.number >= 9"));

        std::vector<Trial> stored = runExpectingFault(db, *study);
        QCOMPARE(static_cast<int>(stored.size()), 9);
        // Workers still running when the insert failed were stopped and say so.
        int complete = 0;
        for (const Trial& trial : stored) {
            QVERIFY2(trial.state == TrialState::Complete || isInterrupted(trial),
                     qPrintable(QString::fromStdString(trial.error)));
            complete += trial.state == TrialState::Complete;
        }
        QVERIFY(complete >= 6);
        QCOMPARE(stateOf(db, "s"), std::string("failed"));

        study.reset();
        expectResumeFinishes(path, db, objectives);
    }

    void aFinishedTrialThatCannotBeStoredOnAWorkerEndsTheRunWithTheError() {
        const std::string path = dbPath("finish.db");
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Database db(path);
        // The run's Study holds the study's lease until it is gone; the resume
        // below stands for the next process.
        std::optional<Study> study;
        study.emplace(
            Study::create(db, parseStudySpec(spec("s", 40, 3, 0.05), objectives), objectives));
        rawExec(path,
                failingTrigger("UPDATE", "trials", "NEW.number >= 7 AND NEW.state <> 'running'"));

        QElapsedTimer timer;
        timer.start();
        std::vector<Trial> stored = runExpectingFault(db, *study);
        QVERIFY(timer.elapsed() < 5000);
        // Trials 0-6 were stored as they finished (or as stopped, if the
        // fault came first on a slow machine); later ones stay running as
        // stored, and the next open marks them interrupted.
        int complete = 0;
        for (const Trial& trial : stored) {
            if (trial.number < 7) {
                QVERIFY(trial.state == TrialState::Complete || isInterrupted(trial));
                complete += trial.state == TrialState::Complete;
            } else {
                QCOMPARE(trial.state, TrialState::Running);
            }
        }
        QVERIFY(complete >= 4);
        QVERIFY(stored.size() >= 8 && stored.size() <= 10);
        QCOMPARE(stateOf(db, "s"), std::string("failed"));

        study.reset();
        expectResumeFinishes(path, db, objectives);
    }

    void aReportThatCannotBeStoredFailsTheRunEvenIfTheObjectiveSwallowsIt() {
        const std::string path = dbPath("report.db");
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        objectives.add("careless", [](JsonReader&, const SearchSpace&) {
            return std::make_unique<CarelessReporter>();
        });
        Json json = spec("s", 20, 2, 0.0);
        json["objective"] = {{"kind", "careless"}};
        Database db(path);
        Study study = Study::create(db, parseStudySpec(json, objectives), objectives);
        rawExec(path,
                "CREATE TRIGGER inject_fault BEFORE INSERT ON trial_intermediate"
                " WHEN (SELECT number FROM trials WHERE id = NEW.trial_id) >= 5"
                " BEGIN SELECT RAISE(ABORT, 'injected fault'); END;");
        std::vector<Trial> stored = runExpectingFault(db, study);
        // Reports are written in batches, so the fault can surface while the
        // other worker stores its trial: that one trial (in flight when the
        // run failed) stays running too. Every other earlier trial is complete.
        int inFlight = 0;
        for (const Trial& trial : stored) {
            if (trial.number < 5 && trial.state != TrialState::Complete) {
                QCOMPARE(trial.state, TrialState::Running);
                ++inFlight;
            }
            if (trial.number >= 5)
                QCOMPARE(trial.state, TrialState::Running);  // never stored as finished
        }
        QVERIFY2(inFlight <= 1, qPrintable(QString::number(inFlight)));
    }

    void theTimeBudgetStopsRunningTrials() {
        for (int workers : {1, 3}) {
            ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
            Json json = spec("slow", 100, workers, 60.0);  // would hang a minute per trial
            json["budget"] = {{"seconds", 0.3}};
            Database db(":memory:");
            Study study = Study::create(db, parseStudySpec(json, objectives), objectives);
            std::atomic<bool> stop{false};
            QElapsedTimer timer;
            timer.start();
            QCOMPARE(study.run(stop), StopReason::TimeBudget);
            QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
            QCOMPARE(static_cast<int>(study.trials().size()), workers);
            for (const Trial& trial : db.loadTrials(study.id())) {
                QVERIFY(isInterrupted(trial));
                QVERIFY2(QString::fromStdString(trial.error).contains("budget.seconds"),
                         trial.error.c_str());
            }
            QCOMPARE(study.countedTrials(), std::int64_t{0});
        }
    }
};

QTEST_GUILESS_MAIN(StudyFailuresTest)
#include "tst_study_failures.moc"

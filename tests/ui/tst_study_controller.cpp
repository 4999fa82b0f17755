// The worker thread: a study runs to completion, pauses, resumes and stops
// mid-study, and the controller's destructor stops a running study cleanly.

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "controller/study_controller.h"
#include "storage/database.h"
#include "study/study.h"
#include "ui/ui_test_support.h"

using namespace bonsai;
using namespace bonsai::ui;

namespace {

std::int64_t countedTrials(const std::vector<Trial>& trials) {
    std::int64_t count = 0;
    for (const Trial& trial : trials)
        if (trial.finished() && !isInterrupted(trial))
            ++count;
    return count;
}

int finishedEvents(const QSignalSpy& spy) {
    int count = 0;
    for (const QList<QVariant>& args : spy)
        if (args[0].value<Trial>().finished())
            ++count;
    return count;
}

}  // namespace

class TestStudyController : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir m_dir;
    QString dbPath(const QString& name) const { return m_dir.filePath(name + ".db"); }

  private slots:
    void runsAStudyToCompletion() {
        StudyController controller(ObjectiveRegistry::withBuiltins());
        QSignalSpy started(&controller, &StudyController::studyStarted);
        QSignalSpy ended(&controller, &StudyController::studyEnded);
        QSignalSpy trials(&controller, &StudyController::trialChanged);
        const QString path = dbPath("complete");
        controller.startNew(path, test::fastSpec("complete", 30));
        QVERIFY(controller.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 60000);
        QVERIFY(!controller.isRunning());
        QCOMPARE(started.count(), 1);
        QCOMPARE(started[0][0].toString(), QStringLiteral("complete"));
        QCOMPARE(ended[0][1].toString(), QStringLiteral("finished"));
        QCOMPARE(finishedEvents(trials), 30);

        Database database(path.toStdString());
        auto record = database.findStudy("complete");
        QVERIFY(record);
        QCOMPARE(record->state, StudyState::Finished);
        QCOMPARE(database.loadTrials(record->id).size(), std::size_t(30));
    }

    void pausesAndResumes() {
        StudyController controller(ObjectiveRegistry::withBuiltins());
        QSignalSpy ended(&controller, &StudyController::studyEnded);
        QSignalSpy trials(&controller, &StudyController::trialChanged);
        const QString path = dbPath("pause");
        controller.startNew(path, test::fastSpec("pause", 40, 0.04));
        QTRY_VERIFY_WITH_TIMEOUT(finishedEvents(trials) >= 5, 30000);
        controller.pause();
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 30000);
        QCOMPARE(ended[0][1].toString(), QStringLiteral("paused"));
        {
            Database database(path.toStdString());
            auto record = database.findStudy("pause");
            QCOMPARE(record->state, StudyState::Paused);
            auto stored = database.loadTrials(record->id);
            QVERIFY(countedTrials(stored) < 40);
            QVERIFY(countedTrials(stored) >= 5);
        }

        controller.resume(path, QStringLiteral("pause"));
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 2, 60000);
        QCOMPARE(ended[1][1].toString(), QStringLiteral("finished"));
        Database database(path.toStdString());
        auto record = database.findStudy("pause");
        QCOMPARE(record->state, StudyState::Finished);
        QCOMPARE(countedTrials(database.loadTrials(record->id)), std::int64_t(40));
    }

    void stopsMidStudy() {
        StudyController controller(ObjectiveRegistry::withBuiltins());
        QSignalSpy ended(&controller, &StudyController::studyEnded);
        QSignalSpy trials(&controller, &StudyController::trialChanged);
        const QString path = dbPath("stop");
        controller.startNew(path, test::fastSpec("stop", 500, 0.05));
        QTRY_VERIFY_WITH_TIMEOUT(finishedEvents(trials) >= 2, 30000);
        QElapsedTimer clock;
        clock.start();
        controller.stop();
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 30000);
        QVERIFY2(clock.elapsed() < 2000, "a stop request ends the study within a trial");
        QCOMPARE(ended[0][1].toString(), QStringLiteral("stopped"));
        Database database(path.toStdString());
        QCOMPARE(database.findStudy("stop")->state, StudyState::Stopped);
    }

    void resumesAFinishedStudyWithMoreTrials() {
        StudyController controller(ObjectiveRegistry::withBuiltins());
        QSignalSpy ended(&controller, &StudyController::studyEnded);
        const QString path = dbPath("more");
        controller.startNew(path, test::fastSpec("more", 10));
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 30000);
        controller.resume(path, QStringLiteral("more"), 5);
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 2, 30000);
        Database database(path.toStdString());
        QCOMPARE(database.loadTrials(database.findStudy("more")->id).size(), std::size_t(15));
    }

    void destructorStopsARunningStudy() {
        const QString path = dbPath("destroy");
        {
            auto controller = std::make_unique<StudyController>(ObjectiveRegistry::withBuiltins());
            QSignalSpy trials(controller.get(), &StudyController::trialChanged);
            controller->startNew(path, test::fastSpec("destroy", 1000, 0.2));
            QTRY_VERIFY_WITH_TIMEOUT(trials.count() >= 1, 30000);
            QElapsedTimer clock;
            clock.start();
            controller.reset();
            QVERIFY2(clock.elapsed() < 3000, "the destructor interrupts the running trial");
        }
        Database database(path.toStdString());
        QCOMPARE(database.findStudy("destroy")->state, StudyState::Stopped);
    }

    void reportsFailuresInOneSentence() {
        StudyController controller(ObjectiveRegistry::withBuiltins());
        QSignalSpy ended(&controller, &StudyController::studyEnded);
        QSignalSpy failed(&controller, &StudyController::studyFailed);
        const QString path = dbPath("fail");
        controller.startNew(path, test::fastSpec("taken", 3));
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 30000);
        controller.startNew(path, test::fastSpec("taken", 3));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
        QVERIFY2(failed[0][0].toString().contains(QStringLiteral("taken")),
                 qPrintable(failed[0][0].toString()));
        QVERIFY(!controller.isRunning());

        controller.resume(path, QStringLiteral("no-such-study"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 2, 30000);
        QVERIFY(failed[1][0].toString().contains(QStringLiteral("no-such-study")));
    }

    void refusesASecondStudyWhileOneRuns() {
        StudyController controller(ObjectiveRegistry::withBuiltins());
        QSignalSpy ended(&controller, &StudyController::studyEnded);
        QSignalSpy failed(&controller, &StudyController::studyFailed);
        const QString path = dbPath("second");
        controller.startNew(path, test::fastSpec("first", 200, 0.02));
        controller.startNew(path, test::fastSpec("second", 5));
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed[0][0].toString().contains(QStringLiteral("still running")));
        controller.stop();
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 30000);
    }
};

QTEST_MAIN(TestStudyController)
#include "tst_study_controller.moc"

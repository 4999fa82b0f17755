// The studio when the database starts failing mid-study (issue 16): with
// three workers, a trial that cannot be stored ends the study with the
// storage error shown to the user in one sentence, the window stays up and
// usable, the trials stored before are kept, and resuming after the fault
// finishes the budget. SQLite is made to fail by a trigger added behind the
// studio's back.

#include <QMessageBox>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

#include "controller/study_controller.h"
#include "main_window.h"
#include "setup/setup_form.h"
#include "setup/setup_page.h"
#include "storage/database.h"
#include "study/study.h"
#include "support/raw_sql.h"
#include "ui/ui_test_support.h"

using namespace bonsai;
using namespace bonsai::ui;

class TestFailingDatabase : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

  private slots:
    void initTestCase() { test::isolateSettings(m_dir); }

    void aStorageErrorMidStudyIsShownAndTheStudioStaysUp() {
        const QString path = m_dir.filePath("faulty.db");
        MainWindow window(ObjectiveRegistry::withBuiltins());
        QCOMPARE(window.openDatabase(path), QString());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        test::rawExec(
            path.toStdString(),
            test::failingTrigger("UPDATE", "trials", "NEW.number >= 5 AND NEW.state <> 'running'"));

        QSignalSpy failed(window.controller(), &StudyController::studyFailed);
        Json spec = test::fastSpec("faulty", 40, 0.02);
        spec["workers"] = 3;
        window.setupPage()->form()->setJson(spec);
        window.startAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isRunning(), 10000);
        const QString message = failed[0][0].toString();
        QVERIFY2(message.contains("injected fault") && message.contains("faulty.db"),
                 qPrintable(message));

        // Shown to the user: in a message box and in the status bar.
        QMessageBox* box = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((box = window.findChild<QMessageBox*>()) && box->isVisible(),
                                 5000);
        QCOMPARE(box->text(), message);
        QCOMPARE(window.statusBar()->currentMessage(), message);
        box->close();
        QVERIFY(window.isVisible());

        Database database(path.toStdString(), Database::Mode::ReadOnly);
        auto record = database.findStudy("faulty");
        QVERIFY(record);
        QCOMPARE(record->state, StudyState::Failed);
        int complete = 0;
        for (const Trial& trial : database.loadTrials(record->id)) {
            if (trial.number >= 5)
                QCOMPARE(trial.state, TrialState::Running);  // as stored when the fault hit
            complete += trial.state == TrialState::Complete;
        }
        QVERIFY(complete >= 3);

        // Still usable: once the fault is gone, the same window resumes the study.
        test::rawExec(path.toStdString(), "DROP TRIGGER inject_fault;");
        QSignalSpy ended(window.controller(), &StudyController::studyEnded);
        window.controller()->resume(path, QStringLiteral("faulty"), std::nullopt);
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 60000);
        QCOMPARE(ended[0][1].toString(), QStringLiteral("finished"));
        Database after(path.toStdString(), Database::Mode::ReadOnly);
        std::int64_t counted = 0;
        for (const Trial& trial : after.loadTrials(record->id))
            counted += trial.finished() && !isInterrupted(trial);
        QCOMPARE(counted, std::int64_t{40});
    }
};

QTEST_MAIN(TestFailingDatabase)
#include "tst_failing_database.moc"

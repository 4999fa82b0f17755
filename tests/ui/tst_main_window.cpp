// The studio end to end: a study set up through the forms runs on the worker
// thread while the window stays live; table and charts match the database;
// a stored study re-renders the same; pause, resume and stop work from the
// Study menu; exports are byte-identical to the engine's export functions.

#include <fstream>
#include <sstream>

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QScreen>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>

#include "browser/study_browser.h"
#include "controller/study_controller.h"
#include "controller/study_session.h"
#include "helpers/examples_menu.h"
#include "helpers/export_folder.h"
#include "helpers/spec_folders.h"
#include "main_window.h"
#include "models/study_list_model.h"
#include "models/trial_filter_model.h"
#include "models/trial_table_model.h"
#include "plots/learning_curve_plot.h"
#include "plots/objective_plot.h"
#include "setup/setup_form.h"
#include "setup/setup_page.h"
#include "space/param_value.h"
#include "storage/database.h"
#include "study/export.h"
#include "study/study.h"
#include "support/form_driver.h"
#include "ui/ui_test_support.h"
#include "views/analysis_view.h"
#include "views/compare_page.h"
#include "views/live_view.h"
#include "views/run_progress.h"
#include "views/trial_detail.h"
#include "views/trials_view.h"

using namespace bonsai;
using namespace bonsai::ui;
using bonsai::test::typeInto;

namespace {

std::string readFile(const QString& path) {
    std::ifstream file(path.toStdString(), std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

int completeWithValue(const std::vector<Trial>& trials) {
    int count = 0;
    for (const Trial& trial : trials)
        if (trial.state == TrialState::Complete && trial.value)
            ++count;
    return count;
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir m_dir;
    QString m_db;
    std::unique_ptr<MainWindow> m_window;

    std::vector<Trial> storedTrials(const std::string& name) {
        Database database(m_db.toStdString(), Database::Mode::ReadOnly);
        return database.loadTrials(database.findStudy(name)->id);
    }
    StudyState storedState(const std::string& name) {
        Database database(m_db.toStdString(), Database::Mode::ReadOnly);
        return database.findStudy(name)->state;
    }
    bool waitUntilIdle(int timeoutMs) {
        QElapsedTimer clock;
        clock.start();
        while (m_window->controller()->isRunning() && clock.elapsed() < timeoutMs)
            QTest::qWait(20);
        QTest::qWait(300);  // the last batch of updates
        return !m_window->controller()->isRunning();
    }

  private slots:
    void initTestCase() {
        test::isolateSettings(m_dir);
        m_db = m_dir.filePath("studio.db");
        m_window = std::make_unique<MainWindow>(ObjectiveRegistry::withBuiltins());
        QCOMPARE(m_window->openDatabase(m_db), QString());
        m_window->resize(1300, 850);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanupTestCase() { m_window.reset(); }

    void runsAStudySetUpThroughTheForms() {
        SetupPage* setup = m_window->setupPage();
        m_window->tabs()->setCurrentIndex(MainWindow::SetupTab);
        typeInto(setup->form(), "name", "e2e");
        auto* strategy = setup->form()->findChild<QComboBox*>("strategy.kind");
        strategy->setCurrentIndex(strategy->findText("random"));
        typeInto(setup->form(), "budget.trials", "25");
        QVERIFY2(m_window->startAction()->isEnabled(), qPrintable(setup->bannerText()));

        // The event loop keeps turning while the study runs.
        QElapsedTimer clock;
        int beats = 0;
        QTimer heartbeat;
        connect(&heartbeat, &QTimer::timeout, [&] { ++beats; });
        heartbeat.start(10);
        QTest::mouseClick(setup->startButton(), Qt::LeftButton);
        clock.start();
        QCOMPARE(m_window->tabs()->currentIndex(), int(MainWindow::LiveTab));
        QVERIFY(waitUntilIdle(60000));
        QVERIFY(beats > 0);
        QVERIFY(!m_window->pauseAction()->isEnabled());

        const auto trials = storedTrials("e2e");
        QCOMPARE(trials.size(), std::size_t(25));
        QCOMPARE(storedState("e2e"), StudyState::Finished);
        StudySession* session = m_window->session();
        QCOMPARE(QString::fromStdString(session->record().name), QStringLiteral("e2e"));
        QCOMPARE(session->record().state, StudyState::Finished);
        QTRY_COMPARE(session->trials().size(), std::size_t(25));
        QCOMPARE(m_window->trialsView()->proxy()->rowCount(), 25);
        ObjectivePlot* plot = m_window->liveView()->objectivePlot();
        QCOMPARE(plot->completePointCount(), completeWithValue(trials));
        QVERIFY(plot->bestPointCount() >= 2);

        const StudySummary* summary = m_window->browser()->model()->find("e2e");
        QVERIFY(summary);
        QCOMPARE(summary->trialCount, 25);
        QCOMPARE(summary->study.state, StudyState::Finished);
        QVERIFY(m_window->progress()->text().startsWith("e2e: 25 / 25 trials"));
        // The form now knows the name is taken.
        QVERIFY(!setup->canStart());
    }

    // A spec the engine refuses once Start is pressed (here a name another
    // window took meanwhile) brings the user back to the Setup tab, where
    // it is fixed, with the reason; the stored study is untouched.
    void aNewStudyThatCannotStartGoesBackToItsSpec() {
        m_window->tabs()->setCurrentIndex(MainWindow::SetupTab);
        emit m_window->setupPage()->startRequested(test::fastSpec("e2e", 3));
        QCOMPARE(m_window->tabs()->currentIndex(), int(MainWindow::LiveTab));
        QTRY_COMPARE(m_window->tabs()->currentIndex(), int(MainWindow::SetupTab));
        QVERIFY(waitUntilIdle(10000));
        QMessageBox* box = nullptr;
        QTRY_VERIFY((box = m_window->findChild<QMessageBox*>()) != nullptr);
        QVERIFY2(box->text().contains("'e2e'"), qPrintable(box->text()));
        box->close();
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QCOMPARE(storedTrials("e2e").size(), std::size_t(25));
        QCOMPARE(storedState("e2e"), StudyState::Finished);
    }

    void aStoredStudyRendersTheSame() {
        MainWindow other(ObjectiveRegistry::withBuiltins());
        QCOMPARE(other.openDatabase(m_db), QString());
        other.resize(1200, 800);
        other.show();
        other.showStudy("e2e");
        other.tabs()->setCurrentIndex(MainWindow::LiveTab);
        QCOMPARE(other.session()->trials().size(), std::size_t(25));
        QCOMPARE(other.liveView()->objectivePlot()->completePointCount(),
                 m_window->liveView()->objectivePlot()->completePointCount());
        QCOMPARE(other.liveView()->objectivePlot()->bestPointCount(),
                 m_window->liveView()->objectivePlot()->bestPointCount());
        other.tabs()->setCurrentIndex(MainWindow::TrialsTab);
        QCOMPARE(other.trialsView()->table()->model()->rowCount(), 25);
    }

    void selectingATrialSelectsItEverywhere() {
        m_window->showStudy("e2e");
        m_window->tabs()->setCurrentIndex(MainWindow::TrialsTab);
        emit m_window->liveView()->objectivePlot()->trialClicked(7);
        QCOMPARE(m_window->session()->selectedTrial(), 7);
        QTableView* table = m_window->trialsView()->table();
        QCOMPARE(table->currentIndex().data(TrialTableModel::TrialNumberRole).toInt(), 7);
        QVERIFY(m_window->trialsView()->detail()->text().contains("Trial 7"));
        // And the other way round: the table's selection is the session's.
        QModelIndex row = table->model()->index(3, 0);
        table->setCurrentIndex(row);
        QCOMPARE(m_window->session()->selectedTrial(),
                 row.data(TrialTableModel::TrialNumberRole).toInt());
    }

    void exportsMatchTheEngineExport() {
        m_window->showStudy("e2e");
        Database database(m_db.toStdString(), Database::Mode::ReadOnly);
        auto record = database.findStudy("e2e");
        auto trials = database.loadTrials(record->id);
        const QString json = m_dir.filePath("e2e.json");
        const QString csv = m_dir.filePath("e2e.csv");
        QCOMPARE(m_window->exportTrials(json), QString());
        QCOMPARE(m_window->exportTrials(csv), QString());
        QCOMPARE(readFile(json), exportStudyJson(*record, trials).dump(2) + "\n");
        QCOMPARE(readFile(csv), exportStudyCsv(*record, trials));
        QVERIFY(m_window->exportTrials(m_dir.filePath("e2e.txt"))
                    .contains(".csv, .json or Optuna .db"));

        // Export charts suggests a name that says whose charts and which.
        m_window->tabs()->setCurrentIndex(MainWindow::LiveTab);
        QCOMPARE(m_window->chartExportName(), QStringLiteral("e2e-live.png"));
        m_window->tabs()->setCurrentIndex(MainWindow::AnalysisTab);
        QTabWidget* pages = m_window->analysisView()->pages();
        for (int page = 0; page < pages->count(); ++page)
            if (pages->tabText(page) == QStringLiteral("Contour"))
                pages->setCurrentIndex(page);
        QCOMPARE(m_window->chartExportName(), QStringLiteral("e2e-analysis-contour.png"));
        // The image is that page under the study's name, without the row of
        // page tabs above it (PNGs are drawn at twice the size).
        const QString contour = m_dir.filePath("contour.png");
        QCOMPARE(m_window->exportCharts(contour), QString());
        const QWidget* page = pages->currentWidget();
        const QImage image(contour);
        QCOMPARE(image.width(), 2 * page->width());
        QCOMPARE(image.height(), 2 * (page->height() + 2 * page->fontMetrics().height()));
        pages->setCurrentIndex(0);
        m_window->tabs()->setCurrentIndex(MainWindow::LiveTab);

        const QString spec = m_dir.filePath("spec.json");
        QCOMPARE(m_window->saveSpec(spec), QString());
        QVERIFY(parseJsonText(readFile(spec)) == m_window->setupPage()->form()->toJson());
    }

    // Ctrl+1..4 show the tabs; Ctrl+F goes to the Trials filter, its text
    // selected for typing over.
    void theViewMenuReachesEveryTabAndTheTrialsFilter() {
        m_window->showStudy("e2e");
        for (int tab : {MainWindow::AnalysisTab, MainWindow::SetupTab, MainWindow::LiveTab}) {
            QTest::keySequence(m_window.get(),
                               QKeySequence(QStringLiteral("Ctrl+%1").arg(tab + 1)));
            QCOMPARE(m_window->tabs()->currentIndex(), tab);
        }
        m_window->trialsView()->textFilter()->setText(QStringLiteral("x1 > 0"));
        QCOMPARE(m_window->filterTrialsAction()->shortcut(), QKeySequence(QKeySequence::Find));
        m_window->filterTrialsAction()->trigger();
        QCOMPARE(m_window->tabs()->currentWidget(), m_window->trialsView());
        QCOMPARE(m_window->trialsView()->textFilter()->selectedText(), QStringLiteral("x1 > 0"));
        m_window->trialsView()->textFilter()->clear();
        m_window->tabs()->setCurrentIndex(MainWindow::LiveTab);
    }

    // A trial's row menu copies its parameters, or starts a new study that
    // evaluates them first (the spec's "enqueue").
    void aTrialStartsANewStudyOrIsCopied() {
        m_window->showStudy("e2e");
        const Trial* trial = m_window->session()->trial(2);
        QVERIFY(trial);
        const Json params = toJson(trial->params);
        QCOMPARE(m_window->trialsView()->parametersJson(2), QString::fromStdString(params.dump()));
        QCOMPARE(m_window->trialsView()->parametersJson(999), QString());

        emit m_window->trialsView()->newStudyFromTrialRequested(2);
        QCOMPARE(m_window->tabs()->currentWidget(), m_window->setupPage());
        const Json spec = m_window->setupPage()->form()->toJson();
        QVERIFY2(spec["enqueue"] == Json::array({params}), spec.dump().c_str());
        QVERIFY(spec["name"] != Json("e2e"));
        QVERIFY2(m_window->setupPage()->canStart(),
                 qPrintable(m_window->setupPage()->bannerText()));
        m_window->newStudyAction()->trigger();
        m_window->tabs()->setCurrentIndex(MainWindow::LiveTab);
    }

    void pausesResumesAndStopsFromTheStudyMenu() {
        m_window->setupPage()->form()->setJson(test::fastSpec("menu", 60, 0.03));
        QVERIFY(m_window->startAction()->isEnabled());
        m_window->startAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isRunning(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->trials().size() >= 5, 30000);
        QVERIFY(m_window->pauseAction()->isEnabled());
        QVERIFY(!m_window->startAction()->isEnabled());
        m_window->pauseAction()->trigger();
        QVERIFY(waitUntilIdle(30000));
        QCOMPARE(storedState("menu"), StudyState::Paused);
        QCOMPARE(m_window->session()->record().state, StudyState::Paused);
        const auto pausedAt = storedTrials("menu").size();
        QVERIFY(pausedAt < 60);

        QVERIFY(m_window->resumeAction()->isEnabled());
        m_window->resumeAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->isRunning(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(storedTrials("menu").size() > pausedAt + 2, 30000);
        m_window->stopAction()->trigger();
        QVERIFY(waitUntilIdle(30000));
        QCOMPARE(storedState("menu"), StudyState::Stopped);

        m_window->resumeShownStudy();
        QVERIFY(waitUntilIdle(60000));
        QCOMPARE(storedState("menu"), StudyState::Finished);
        std::int64_t counted = 0;
        for (const Trial& trial : storedTrials("menu"))
            if (trial.finished() && !isInterrupted(trial))
                ++counted;
        QCOMPARE(counted, std::int64_t(60));
        QTRY_COMPARE(m_window->liveView()->objectivePlot()->completePointCount(),
                     completeWithValue(storedTrials("menu")));
    }

    void comparesStudiesSelectedInTheBrowser() {
        m_window->tabs()->setCurrentIndex(MainWindow::AnalysisTab);
        ComparePage* page = m_window->analysisView()->comparePage();
        // One study: the page says how to compare more.
        m_window->browser()->setCurrentStudy("e2e");
        QTRY_COMPARE(m_window->analysisView()->comparePlot()->curveCount(), 1);
        QVERIFY2(page->noteText().contains("Ctrl+click or Shift+click"),
                 qPrintable(page->noteText()));
        QTableView* view = m_window->browser()->view();
        view->selectAll();
        QTRY_COMPARE(m_window->analysisView()->comparePlot()->curveCount(), 2);
        QVERIFY2(page->noteText().contains("Comparing 2 studies"), qPrintable(page->noteText()));
    }

    void deletesStudies() {
        QVERIFY(m_window->browser()->model()->find("menu"));
        QCOMPARE(m_window->deleteStudies({"menu"}), QString());
        QVERIFY(!m_window->browser()->model()->find("menu"));
        Database database(m_db.toStdString(), Database::Mode::ReadOnly);
        QVERIFY(!database.findStudy("menu"));
    }

    void reportsABadDatabaseInOneSentence() {
        const QString path = m_dir.filePath("not-a-db.db");
        {
            std::ofstream file(path.toStdString());
            file << "this is not SQLite";
        }
        const QString error = m_window->openDatabase(path);
        QVERIFY(!error.isEmpty());
        QVERIFY2(error.contains("not-a-db.db"), qPrintable(error));
        QCOMPARE(m_window->databasePath(), m_db);  // the open one stays open
    }

    void closingPausesARunningStudy() {
        auto window = std::make_unique<MainWindow>(ObjectiveRegistry::withBuiltins());
        QCOMPARE(window->openDatabase(m_db), QString());
        window->show();
        window->setupPage()->form()->setJson(test::fastSpec("closing", 500, 0.05));
        window->startAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(window->session()->trials().size() >= 2, 30000);
        QElapsedTimer clock;
        clock.start();
        window->close();
        QVERIFY(clock.elapsed() < 5000);
        QCOMPARE(storedState("closing"), StudyState::Paused);
    }

    void firstStartFitsTheWindowOnTheScreen() {
        QTemporaryDir dir;
        test::isolateSettings(dir);  // no stored geometry: a first start
        MainWindow window(ObjectiveRegistry::withBuiltins());
        window.restoreWindowState();
        test::isolateSettings(m_dir);
        const QSize available = window.screen()->availableGeometry().size();
        QVERIFY2(available.width() < 1400 || available.height() < 900,
                 "the test screen must be smaller than the default size");
        QCOMPARE(window.size(), QSize(1400, 900).boundedTo(available));
    }

    // The status bar shows a message or the database's name, never both on
    // top of each other: also for a message given before the window is
    // shown, as the restored study's note is at a start.
    void aStatusMessageTakesTheDatabaseNamesPlace() {
        MainWindow window(ObjectiveRegistry::withBuiltins());
        QCOMPARE(window.openDatabase(m_db), QString());
        QLabel* label = nullptr;
        for (QLabel* each : window.statusBar()->findChildren<QLabel*>())
            label = each->text().startsWith("Database: ") ? each : label;
        QVERIFY(label && label->text().contains(QFileInfo(m_db).fileName()));
        window.statusBar()->showMessage(QStringLiteral("a note from the restored study"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY2(!label->isVisible(), "drawn under the message");
        window.statusBar()->clearMessage();
        QVERIFY(label->isVisible());
        window.statusBar()->showMessage(QStringLiteral("a later note"));
        QVERIFY(!label->isVisible());
    }

    // A study set up but not started is in the Setup tab at the next start,
    // even if Bonsai was killed rather than closed; a started one is not
    // (it is in the database), and a damaged saved draft is ignored.
    void theDraftOutlivesTheWindow() {
        QTemporaryDir dir;
        test::isolateSettings(dir);
        Json draft = test::fastSpec("half-done", 3);
        draft["description"] = "set up before lunch";
        {
            MainWindow window(ObjectiveRegistry::withBuiltins());
            QCOMPARE(window.openDatabase(m_db), QString());
            window.setupPage()->form()->setJson(draft);
            QTRY_VERIFY_WITH_TIMEOUT(
                QSettings().value("setup/draft").toString().contains("set up before lunch"),
                5000);  // saved after the edits, without closing the window
        }
        auto restored = [&] {
            auto window = std::make_unique<MainWindow>(ObjectiveRegistry::withBuiltins());
            window->openDatabase(m_db);
            window->restoreWindowState();
            return window;
        };
        auto draftName = [](MainWindow& window) {
            return window.setupPage()->form()->toJson().value("name", std::string());
        };
        {
            auto window = restored();
            QVERIFY(window->setupPage()->form()->toJson() == draft);
            QTRY_VERIFY2(window->statusBar()->currentMessage().contains("'half-done'"),
                         qPrintable(window->statusBar()->currentMessage()));
            // Started, the draft is a study: the next start does not offer it again.
            window->startAction()->trigger();
            QTRY_VERIFY_WITH_TIMEOUT(!window->controller()->isRunning(), 30000);
            window->close();
        }
        QCOMPARE(storedState("half-done"), StudyState::Finished);
        QVERIFY(QSettings().value("setup/draft").toString().contains("half-done"));
        QCOMPARE(draftName(*restored()), std::string("study-1"));
        QSettings().setValue("setup/draft", "{\"name\": \"cut off");
        QCOMPARE(draftName(*restored()), std::string("study-1"));
        test::isolateSettings(m_dir);
    }

    // A study that bonsai-cli (here: another connection to the file) runs
    // shows up in the browser, and the window follows it as it would a run
    // of its own: new trials, reports, results, and its end.
    void aStudyRunElsewhereIsFollowedLive() {
        Database runner(m_db.toStdString());
        const Json spec = test::fastSpec("from-a-terminal", 5);
        const std::int64_t id = runner.createStudy("from-a-terminal", Direction::Minimize, spec);
        const std::string lease = runner.acquireLease(id);  // as bonsai-cli run does
        runner.setStudyState(id, StudyState::Running);
        QTRY_VERIFY(m_window->browser()->model()->rowOf("from-a-terminal") >= 0);
        m_window->showStudy("from-a-terminal");
        StudySession* session = m_window->session();
        QCOMPARE(session->trials().size(), std::size_t(0));
        QVERIFY2(!m_window->resumeAction()->isEnabled(), "only its runner can go on with it");
        QVERIFY(m_window->resumeAction()->toolTip().contains("Another process"));
        // The status bar says how to stop it, briefly enough to fit beside
        // the progress; the progress's tooltip says it in full.
        const QString note = m_window->statusBar()->currentMessage();
        QCOMPARE(note, QString("'from-a-terminal' runs in tst_ui_main_win: stop it there with "
                               "Ctrl+C, or kill -INT %1")
                           .arg(QCoreApplication::applicationPid()));
        // The status bar shows its progress, naming who runs it: this window
        // cannot know how long it has run, so no elapsed time.
        RunProgress* followed = m_window->followedProgress();
        QVERIFY(followed->isVisible());
        QVERIFY(!m_window->progress()->isVisible());
        QVERIFY2(followed->text() == "from-a-terminal: 0 / 5 trials, run by tst_ui_main_win",
                 qPrintable(followed->text()));
        // How to stop it, after the note has gone, in full.
        QVERIFY2(
            followed->toolTip().contains(QString("is being run by tst_ui_main_win (process %1)")
                                             .arg(QCoreApplication::applicationPid())) &&
                followed->toolTip().contains(
                    QString("kill -INT %1").arg(QCoreApplication::applicationPid())),
            qPrintable(followed->toolTip()));

        Trial trial;
        trial.number = 0;
        trial.params = {{"x1", 1.0}, {"x2", 2.0}};
        trial.startedAt = 1.0;
        runner.insertTrial(id, trial);
        runner.addIntermediate(id, 0, 1, 30.0);
        runner.flushReports();
        QTRY_COMPARE(session->trials().size(), std::size_t(1));
        QTRY_COMPARE(session->trials()[0].intermediate.size(), std::size_t(1));
        QCOMPARE(session->trials()[0].state, TrialState::Running);

        runner.addIntermediate(id, 0, 2, 20.0);
        trial.state = TrialState::Complete;
        trial.value = 12.5;
        trial.completedAt = 2.0;
        runner.finishTrial(id, trial);
        QTRY_COMPARE(session->trials()[0].state, TrialState::Complete);
        QCOMPARE(session->trials()[0].intermediate.size(), std::size_t(2));
        QCOMPARE(session->counts().complete, 1);
        QTRY_COMPARE(m_window->browser()->model()->find("from-a-terminal")->trialCount, 1);
        // One trial done while followed: the pace gives the time left.
        QVERIFY2(followed->text().startsWith("from-a-terminal: 1 / 5 trials, run by "
                                             "tst_ui_main_win, about ") &&
                     followed->text().endsWith(" left"),
                 qPrintable(followed->text()));

        runner.setStudyState(id, StudyState::Finished);
        runner.releaseLease(id, lease);
        QTRY_COMPARE(session->record().state, StudyState::Finished);
        QTRY_VERIFY(m_window->resumeAction()->isEnabled());
        QVERIFY2(!followed->isVisible(), "it ended: nothing left to follow");
    }

    // The real thing: bonsai-cli runs a study in the window's database; the
    // window follows it, and sees it interrupted when the process is killed
    // (which commits nothing), so Resume is offered again.
    void aKilledCommandLineRunIsSeenInterrupted() {
        QTemporaryDir dir;
        const QString specPath = dir.filePath("slow.json");
        QFile file(specPath);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray::fromStdString(test::fastSpec("killed-elsewhere", 500, 0.1).dump()));
        file.close();
        QProcess cli;
        cli.start(QStringLiteral(BONSAI_CLI_PATH), {"run", specPath, "--db", m_db});
        QVERIFY(cli.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(m_window->browser()->model()->rowOf("killed-elsewhere") >= 0,
                                 15000);
        m_window->showStudy("killed-elsewhere");
        StudySession* session = m_window->session();
        QTRY_VERIFY_WITH_TIMEOUT(session->trials().size() >= 3, 15000);
        QVERIFY(!m_window->resumeAction()->isEnabled());
        QVERIFY2(m_window->followedProgress()->text().contains(" / 500 trials, run by bonsai-cli"),
                 qPrintable(m_window->followedProgress()->text()));

        cli.kill();
        QVERIFY(cli.waitForFinished());
        QTRY_VERIFY_WITH_TIMEOUT(session->record().runnerGone, 5000);
        QCOMPARE(QString(shownStudyStateName(session->record())), QString("interrupted"));
        QVERIFY(m_window->resumeAction()->isEnabled());
        QVERIFY(!m_window->followedProgress()->isVisible());
        QTRY_VERIFY(m_window->browser()->model()->find("killed-elsewhere")->study.runnerGone);
    }

    // A spec opened in the studio finds what it names beside it, as with
    // bonsai-cli: a command's workdir, tables and a warm-start database.
    void anOpenedSpecResolvesItsPathsFromItsFolder() {
        QTemporaryDir dir;
        const QString specPath = dir.filePath("specs/train.json");
        QVERIFY(QDir().mkpath(dir.filePath("specs/scripts")));
        Json spec = test::fastSpec("relative", 5);
        spec["objective"] = {
            {"kind", "command"}, {"argv", {"python3", "train.py"}}, {"workdir", "scripts"}};
        QFile file(specPath);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray::fromStdString(spec.dump()));
        file.close();
        QCOMPARE(m_window->loadSpec(specPath), QString());
        const Json loaded = m_window->setupPage()->form()->toJson();
        QCOMPARE(QString::fromStdString(loaded["objective"]["workdir"].get<std::string>()),
                 QDir(dir.filePath("specs/scripts")).absolutePath());

        // A spec whose study already exists here (an example opened again)
        // takes the next free name rather than opening with an error.
        spec["name"] = "e2e";
        QVERIFY(m_window->browser()->model()->rowOf("e2e") >= 0);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QByteArray::fromStdString(spec.dump()));
        file.close();
        QCOMPARE(m_window->loadSpec(specPath), QString());
        QVERIFY(m_window->setupPage()->form()->toJson()["name"] == Json("e2e-1"));
        QVERIFY2(m_window->statusBar()->currentMessage().contains("'e2e-1'"),
                 qPrintable(m_window->statusBar()->currentMessage()));
    }

    // "Open spec" starts in the bundled examples until a spec was opened
    // from somewhere else; then there, while that folder exists.
    // File > Open example lists the bundled specs by study name, each with
    // its description as tooltip, and opens one in the Setup tab: a new
    // user picks by what a study does, not by a file name.
    void openExampleListsTheBundledSpecsByWhatTheyDo() {
        auto* menu = m_window->findChild<ExamplesMenu*>(QStringLiteral("examplesMenu"));
        QVERIFY(menu);
        menu->refresh();
        QAction* nas = nullptr;
        QAction* branin = nullptr;
        for (QAction* action : menu->actions()) {
            nas = action->text() == "fashion-mnist-nas" ? action : nas;
            branin = action->text() == "branin-gp" ? action : branin;
        }
        QVERIFY(nas && branin);
        QVERIFY2(nas->toolTip().startsWith("NAS-Bench-201 cell and learning-rate search"),
                 qPrintable(nas->toolTip()));
        QCOMPARE(menu->actions().size(),
                 QDir(bundledExamplesFolder()).entryList({"*.json"}, QDir::Files).size());
        branin->trigger();
        QCOMPARE(m_window->tabs()->currentIndex(), 0);  // Setup
        const std::string name = m_window->setupPage()->form()->toJson().value("name", "");
        QVERIFY2(name.rfind("branin-gp", 0) == 0, name.c_str());
    }

    void openSpecStartsInTheExamplesThenTheLastFolder() {
        QTemporaryDir dir;
        test::isolateSettings(dir);
        QVERIFY(QFileInfo::exists(bundledExamplesFolder() + QStringLiteral("/branin-gp.json")));
        QCOMPARE(specDialogFolder(), bundledExamplesFolder());
        {
            QTemporaryDir specs;
            rememberSpecFolder(specs.filePath("mine.json"));
            QCOMPARE(specDialogFolder(), specs.path());
        }
        QCOMPARE(specDialogFolder(), bundledExamplesFolder());  // that folder is gone
        // Save spec never suggests the bundled examples (read-only once installed).
        rememberSpecFolder(bundledExamplesFolder() + QStringLiteral("/branin-gp.json"));
        QCOMPARE(QFileInfo(specSavePath("mine.json")).absolutePath(), documentsFolder());
        {
            QTemporaryDir specs;
            rememberSpecFolder(specs.filePath("mine.json"));
            QCOMPARE(specSavePath("copy.json"), specs.filePath("copy.json"));
        }
        test::isolateSettings(m_dir);
    }

    // Export dialogs start in the documents folder (or home), not wherever
    // the studio was started from; then where the last export went, while
    // that folder exists.
    void exportsStartInDocumentsThenTheLastFolder() {
        QTemporaryDir dir;
        test::isolateSettings(dir);
        const QString first = QFileInfo(exportDialogPath("trials.csv")).absolutePath();
        QVERIFY(first == documentsFolder());
        QVERIFY(documentsFolder() == QDir::homePath() ||
                documentsFolder() ==
                    QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation));
        {
            QTemporaryDir exports;
            rememberExportFolder(exports.filePath("chart.png"));
            QCOMPARE(exportDialogPath("trials.csv"), exports.filePath("trials.csv"));
        }
        QCOMPARE(QFileInfo(exportDialogPath("trials.csv")).absolutePath(), first);  // gone
        test::isolateSettings(m_dir);
    }

    // File > Open database is a save dialog (a new name can be typed), but
    // its button says Open and shows Open's icon, not a floppy disk.
    void openDatabaseAsksWithAnOpenButton() {
        QAction* open = nullptr;
        for (QAction* action : m_window->findChildren<QAction*>())
            if (action->text().startsWith(QStringLiteral("&Open database")))
                open = action;
        QVERIFY(open);
        QString text;
        QImage icon;
        QTimer::singleShot(0, this, [&] {
            auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            auto* buttons = qobject_cast<QFileDialog*>(dialog)
                                ? dialog->findChild<QDialogButtonBox*>()
                                : nullptr;
            QPushButton* accept = buttons ? buttons->button(QDialogButtonBox::Save) : nullptr;
            if (accept) {
                text = accept->text();
                icon = accept->icon().pixmap(16).toImage();
            }
            dialog->reject();
        });
        open->trigger();
        QCOMPARE(text, QStringLiteral("&Open"));
        const QImage openIcon =
            m_window->style()->standardIcon(QStyle::SP_DialogOpenButton).pixmap(16).toImage();
        const QImage saveIcon =
            m_window->style()->standardIcon(QStyle::SP_DialogSaveButton).pixmap(16).toImage();
        QVERIFY(openIcon != saveIcon);
        QVERIFY(icon == openIcon);
    }

    // Qt's own file dialog (no native one on a bare X session) opened small,
    // its columns cut to "449...tes" and "JSO...ent"; it now takes most of
    // the window and fits the size, type and date to their text.
    void fileDialogsShowTheirColumnsWhole() {
        QTemporaryDir folder;
        for (const char* name : {"branin-gp.json", "fashion-mnist-accuracy-latency.json"}) {
            QFile file(folder.filePath(QString::fromLatin1(name)));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QByteArray(449, ' '));
        }
        QVERIFY(QDir(folder.path()).mkdir(QStringLiteral("command-python")));
        QFileDialog dialog(m_window.get(), QStringLiteral("Open spec"), folder.path(),
                           QStringLiteral("Study specs (*.json)"));
        dialog.setOption(QFileDialog::DontUseNativeDialog);
        dialog.setViewMode(QFileDialog::Detail);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));

        const QSize screen = dialog.screen()->availableGeometry().size();
        QCOMPARE(dialog.width(), std::min(m_window->width() * 85 / 100, screen.width()));
        QCOMPARE(dialog.height(), std::min(m_window->height() * 80 / 100, screen.height()));
        const QPoint offCentre = dialog.geometry().center() - m_window->geometry().center();
        QVERIFY2(offCentre.manhattanLength() <= 2 || dialog.width() == screen.width(),
                 qPrintable(QStringLiteral("%1, %2").arg(offCentre.x()).arg(offCentre.y())));

        // As an item view: QTreeView hides its size hint for a column.
        QAbstractItemView* view = dialog.findChild<QTreeView*>(QStringLiteral("treeView"));
        QVERIFY(view);
        QTRY_COMPARE(view->model()->rowCount(view->rootIndex()), 3);
        QHeaderView* header = static_cast<QTreeView*>(view)->header();
        for (int column = 1; column < header->count(); ++column) {
            if (header->isSectionHidden(column))
                continue;
            QTRY_VERIFY2(header->sectionSize(column) >= view->sizeHintForColumn(column),
                         qPrintable(QStringLiteral("column %1: %2 px for %3 px of text")
                                        .arg(column)
                                        .arg(header->sectionSize(column))
                                        .arg(view->sizeHintForColumn(column))));
        }
        QVERIFY(header->sectionSize(0) > header->sectionSize(1));  // the name takes the rest
        dialog.reject();
    }

    void firstStartRunsTheExampleStudy() {
        QTemporaryDir dir;
        MainWindow window(ObjectiveRegistry::withBuiltins());
        QCOMPARE(window.openDatabase(dir.filePath("fresh.db")), QString());
        window.show();
        window.startExampleStudy();
        QTRY_VERIFY_WITH_TIMEOUT(window.browser()->model()->find(MainWindow::exampleStudyName()),
                                 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isRunning(), 60000);
        QTRY_VERIFY(window.liveView()->objectivePlot()->completePointCount() > 10);

        // A database of the user's own, opened on a first start (bonsai
        // --db theirs.db), gets no example among its studies.
        const QString theirs = dir.filePath("theirs.db");
        {
            Database db(theirs.toStdString());
            db.createStudy("resnet-search", Direction::Minimize,
                           test::fastSpec("resnet-search", 3));
        }
        QCOMPARE(window.openDatabase(theirs), QString());
        window.startExampleStudy();
        QVERIFY(!window.controller()->isRunning());
        QCOMPARE(window.browser()->model()->rowCount(), 1);
    }

    // At a start the study shown last is selected in the browser, so what
    // acts on the selection (Delete) acts on it, as after a click.
    void theStudyShownAtAStartIsSelectedForEveryAction() {
        {
            Database db(m_db.toStdString());
            for (const char* name : {"first", "second"})
                db.createStudy(name, Direction::Minimize, test::fastSpec(name, 3));
        }
        QSettings().setValue("window/study", "second");
        MainWindow window(ObjectiveRegistry::withBuiltins());
        QCOMPARE(window.openDatabase(m_db), QString());
        window.restoreWindowState();
        QCOMPARE(window.browser()->currentStudy(), QString("second"));
        QCOMPARE(window.browser()->selectedStudies(), QStringList{"second"});
        QVERIFY(window.deleteAction()->isEnabled());
        QVERIFY(window.renameAction()->isEnabled());
        // Nothing selected: nothing to delete.
        window.browser()->view()->clearSelection();
        QVERIFY(!window.deleteAction()->isEnabled());
        // QTableView::selectRow (a start with no study remembered) makes the
        // row current, which shows the study, before it selects the row.
        window.browser()->view()->selectRow(
            window.browser()->view()->currentIndex().row() == 0 ? 1 : 0);
        QCOMPARE(window.browser()->selectedStudies().size(), 1);
        QVERIFY(window.deleteAction()->isEnabled());

        // No study remembered (a window that never closed cleanly): the
        // first row is shown, and selected as well.
        QSettings().remove("window/study");
        MainWindow fresh(ObjectiveRegistry::withBuiltins());
        QCOMPARE(fresh.openDatabase(m_db), QString());
        fresh.restoreWindowState();
        QVERIFY(!fresh.browser()->currentStudy().isEmpty());
        QCOMPARE(fresh.browser()->selectedStudies(), QStringList{fresh.browser()->currentStudy()});
        QVERIFY(fresh.deleteAction()->isEnabled());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"

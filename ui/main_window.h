#pragma once

#include <memory>
#include <optional>
#include <set>

#include <QMainWindow>
#include <QTimer>

#include "objectives/objective.h"
#include "storage/database.h"

class QAction;
class QLabel;
class QMenu;
class QSplitter;
class QTabWidget;
class QToolBar;

namespace bonsai::ui {

class AnalysisView;
class LiveView;
class RunProgress;
class SetupPage;
class StudyBrowser;
class DatabaseWatch;
class StudyController;
class StudySession;
class TrialUpdateBuffer;
class TrialsView;
class WelcomePanel;

// The studio: the study browser beside the study area (Setup, Live, Trials,
// Analysis), menus, shortcuts and the status bar. It owns the GUI thread's
// database connection; studies run on the controller's worker thread with a
// connection of their own.
class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    enum Tab { SetupTab, LiveTab, TrialsTab, AnalysisTab };

    explicit MainWindow(ObjectiveRegistry objectives, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens (or creates) a database and lists its studies. On failure the
    // current database stays open and the message is returned.
    QString openDatabase(const QString& path);
    QString databasePath() const;
    // The database this user opened last (QSettings), else the default one.
    static QString initialDatabasePath();
    // The window's geometry, tab and study as the user left them, and the
    // Setup form's draft: a study set up but not started is there again
    // (one that was started is in the database, so its draft is not).
    void restoreWindowState();

    // Creates and runs the bundled example study (the welcome study a new
    // user sees) in a database without studies; not in one that has any, nor
    // in a read-only Optuna file.
    void startExampleStudy();
    static QString exampleStudyName() { return QStringLiteral("welcome-branin"); }

    // Shows a stored study in the study area (and selects it in the browser).
    void showStudy(const QString& name);
    // Deletes studies without asking (the menu action asks first).
    QString deleteStudies(const QStringList& names);
    // Renames the shown study (not while it runs). Returns an error sentence or "".
    QString renameShownStudy(const QString& newName);
    // Writes the shown study's trials as CSV, JSON or a new Optuna database
    // (.db, .sqlite, .sqlite3), by suffix, exactly as `bonsai-cli export`
    // does. Returns an error sentence or "".
    QString exportTrials(const QString& path);
    // Copies every study of an Optuna file into the open Bonsai database, all
    // or nothing, as `bonsai-cli import-optuna` does, and shows the first.
    // Returns an error sentence or "".
    QString importOptunaStudies(const QString& path);
    // From a read-only Optuna file: opens the Bonsai database this window
    // had open before it (else the default one) and copies the file's
    // studies into it, all of them or only `study` (kept if an earlier
    // import of this file's study is there already). Returns an error
    // sentence or "".
    QString importOpenOptunaFile(const QString& study = {});
    // The Bonsai database importOpenOptunaFile writes to.
    QString importTargetDatabase() const;
    // The file name Export charts suggests for the tab shown: the study, the
    // tab and, on Analysis, its page ("hw-nas-pixel3-analysis-pareto.png").
    QString chartExportName() const;
    // Writes the charts of the tab shown (.png or .svg) under the study's
    // name; on Analysis only its current page, without the page tabs.
    // Returns an error sentence or "".
    QString exportCharts(const QString& path);
    QString saveSpec(const QString& path);
    QString loadSpec(const QString& path);

    StudyController* controller() const { return m_controller; }
    StudySession* session() const { return m_session; }
    StudyBrowser* browser() const { return m_browser; }
    SetupPage* setupPage() const { return m_setup; }
    LiveView* liveView() const { return m_live; }
    TrialsView* trialsView() const { return m_trials; }
    AnalysisView* analysisView() const { return m_analysis; }
    QTabWidget* tabs() const { return m_tabs; }
    RunProgress* progress() const { return m_progress; }
    // The progress of a shown study that another process runs.
    RunProgress* followedProgress() const { return m_followed; }

    QAction* startAction() const { return m_start; }
    QAction* pauseAction() const { return m_pause; }
    QAction* stopAction() const { return m_stop; }
    QAction* resumeAction() const { return m_resume; }
    QAction* newStudyAction() const { return m_newStudy; }
    QAction* exportTrialsAction() const { return m_exportTrials; }
    QAction* importOptunaAction() const { return m_importOptuna; }
    QAction* duplicateAction() const { return m_duplicate; }
    QAction* renameAction() const { return m_rename; }
    QAction* deleteAction() const { return m_delete; }
    // View > Filter trials (Ctrl+F): the Trials tab, its filter line focused.
    QAction* filterTrialsAction() const { return m_filterTrials; }
    QToolBar* toolBar() const { return m_toolBar; }
    WelcomePanel* welcomePanel() const { return m_welcome; }

    // Duplicate & edit with trial `number`'s parameters enqueued first, so
    // the new study starts by evaluating that point again (another seed,
    // more epochs) before its strategy takes over.
    void newStudyFromTrial(int number);

    // Resumes the shown study; a finished one gets `moreTrials` more.
    void resumeShownStudy(std::optional<qint64> moreTrials = std::nullopt);

  protected:
    void closeEvent(QCloseEvent* event) override;

  private:
    void buildActions();
    void buildMenus();
    void buildToolBar();
    void showBrowserMenu(const QPoint& position);
    // Shows m_followed while the shown study runs in another process, else
    // this window's last run in m_progress.
    void updateFollowedProgress();
    void renameStudyDialog();
    void connectController();
    void refreshStudies();
    // The shown study, run by another process: its new and progressed
    // trials and its state, as a run here would show them.
    void followShownStudy();
    // Run by another process (bonsai-cli in a terminal) that is still alive.
    bool shownStudyRunsElsewhere() const;
    // "'x' is being run by bonsai-cli (process 4123): ..., kill -INT 4123";
    // `brief` for the status bar: "'x' runs in bonsai-cli: stop it there with
    // Ctrl+C, or kill -INT 4123".
    static QString runnerNote(const QString& study, const Database::Runner& runner,
                              bool brief = false);
    void updateActions();
    void updateRecentMenu();
    void rememberDatabase(const QString& path);
    void saveWindowState();
    // Keeps the Setup form's draft in the settings / puts it back in the form.
    void saveDraft();
    void restoreDraft(const QString& text);
    void showError(const QString& title, const QString& message);
    void showSpecReference();

    void newStudy();
    void openDatabaseDialog();
    void openSpecDialog();
    void saveSpecDialog();
    void exportTrialsDialog();
    void importOptunaDialog();
    void exportChartDialog();
    void duplicateStudy();
    void deleteStudiesDialog();
    void resumeDialog();
    QString uniqueStudyName(const QString& base) const;

    ObjectiveRegistry m_objectives;
    std::unique_ptr<Database> m_database;
    QString m_optunaSource;  // the Optuna file m_database is a read-only copy of
    QString m_bonsaiPath;    // the last Bonsai database open here, where imports go
    StudyController* m_controller;
    StudySession* m_session;
    TrialUpdateBuffer* m_buffer;
    qint64 m_runningStudyId = -1;
    bool m_startingNew = false;   // Start pressed, the study not created yet
    std::set<int> m_countedLive;  // trials of this run the status bar counted
    // Commits by other connections (bonsai-cli, another window, the worker
    // thread of a run here) refresh the browser and follow the shown study.
    DatabaseWatch* m_watch;
    QTimer m_draftSave;  // a burst of edits saves the draft once, also if Bonsai is killed

    QSplitter* m_splitter;
    StudyBrowser* m_browser;
    QTabWidget* m_tabs;
    SetupPage* m_setup;
    LiveView* m_live;
    TrialsView* m_trials;
    AnalysisView* m_analysis;
    RunProgress* m_progress;
    RunProgress* m_followed;  // in m_progress's place while the shown study runs elsewhere
    QLabel* m_databaseLabel;

    QAction* m_newStudy = nullptr;
    QAction* m_openDatabase = nullptr;
    QAction* m_openSpec = nullptr;
    QAction* m_saveSpec = nullptr;
    QAction* m_exportTrials = nullptr;
    QAction* m_importOptuna = nullptr;
    QAction* m_exportChart = nullptr;
    QAction* m_quit = nullptr;
    QAction* m_start = nullptr;
    QAction* m_pause = nullptr;
    QAction* m_stop = nullptr;
    QAction* m_resume = nullptr;
    QString m_resumeHint;  // its tooltip, unless the shown study cannot resume
    QAction* m_duplicate = nullptr;
    QAction* m_rename = nullptr;
    QAction* m_filterTrials = nullptr;
    QAction* m_delete = nullptr;
    QAction* m_refresh = nullptr;
    QMenu* m_recentMenu = nullptr;
    QToolBar* m_toolBar = nullptr;
    QAction* m_toggleBrowser = nullptr;
    int m_browserWidth = 280;
    WelcomePanel* m_welcome = nullptr;
};

}  // namespace bonsai::ui

#include "main_window.h"

#include <fstream>
#include <sstream>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QSysInfo>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

#include "analysis/measure_names.h"
#include "analysis/posterior_slice.h"
#include "analysis/study_counts.h"
#include "analysis/trial_series.h"
#include "browser/study_browser.h"
#include "controller/database_watch.h"
#include "controller/study_controller.h"
#include "controller/study_session.h"
#include "helpers/examples_menu.h"
#include "helpers/export_folder.h"
#include "helpers/file_dialog_fit.h"
#include "helpers/format.h"
#include "helpers/latest_job.h"
#include "helpers/spec_folders.h"
#include "models/study_list_model.h"
#include "models/trial_update_buffer.h"
#include "plots/chart_export.h"
#include "plots/chart_view.h"
#include "plots/parallel_coordinates_plot.h"
#include "setup/setup_form.h"
#include "setup/setup_page.h"
#include "setup/warm_start_check.h"
#include "space/param_value.h"
#include "storage/optuna.h"
#include "study/export.h"
#include "study/spec.h"
#include "study/study.h"
#include "views/analysis_view.h"
#include "views/compare_page.h"
#include "views/live_view.h"
#include "views/parallel_page.h"
#include "views/run_progress.h"
#include "views/trials_view.h"
#include "views/welcome_panel.h"

namespace bonsai::ui {

namespace {

constexpr int kMaxRecent = 8;
const char* kLastDatabaseKey = "lastDatabase";
const char* kRecentKey = "recentDatabases";
const char* kDraftKey = "setup/draft";

QString writeFile(const QString& path, const std::string& text) {
    std::ofstream file(path.toStdString(), std::ios::binary | std::ios::trunc);
    if (!file)
        return QObject::tr("Cannot write %1; check the folder exists and is writable.").arg(path);
    file << text;
    if (!file.flush())
        return QObject::tr("Writing %1 failed (is the disk full?).").arg(path);
    return {};
}

}  // namespace

MainWindow::MainWindow(ObjectiveRegistry objectives, QWidget* parent)
    : QMainWindow(parent),
      m_objectives(std::move(objectives)),
      m_controller(new StudyController(m_objectives, this)),
      m_session(new StudySession(this)),
      m_buffer(new TrialUpdateBuffer(150, this)) {
    setWindowTitle(tr("Bonsai"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/bonsai.svg")));
    FileDialogFit::install();

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_browser = new StudyBrowser(m_splitter);
    m_tabs = new QTabWidget(m_splitter);
    m_tabs->setObjectName(QStringLiteral("studyTabs"));
    m_setup = new SetupPage(m_objectives, m_tabs);
    m_live = new LiveView(m_session, m_tabs);
    m_live->setPosteriorProvider([](const StudyRecord& study, const std::vector<Trial>& trials,
                                    const std::string& parameter, int edge, std::size_t objective) {
        return gpPosteriorSliceOf(study, trials, parameter, edge, objective);
    });
    m_trials = new TrialsView(m_session, m_tabs);
    auto loader = [this](const QString& name) -> std::optional<CompareCurve> {
        if (m_session->hasStudy() && toQString(m_session->record().name) == name)
            return compareCurveOf(name, m_session->record(), m_session->trials());
        if (!m_database)
            return std::nullopt;
        try {
            auto record = m_database->findStudy(toStdString(name));
            if (!record)
                return std::nullopt;
            return compareCurveOf(name, *record, m_database->loadTrials(record->id));
        } catch (const std::exception&) {
            return std::nullopt;
        }
    };
    m_analysis = new AnalysisView(m_session, loader, m_tabs);
    m_tabs->addTab(m_setup, tr("Setup"));
    m_tabs->addTab(m_live, tr("Live"));
    m_tabs->addTab(m_trials, tr("Trials"));
    m_tabs->addTab(m_analysis, tr("Analysis"));
    m_splitter->addWidget(m_browser);
    m_splitter->addWidget(m_tabs);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setCollapsible(0, true);
    m_splitter->setCollapsible(1, false);
    m_splitter->setSizes({300, 1100});
    auto* central = new QWidget(this);
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    m_welcome = new WelcomePanel(central);
    m_welcome->hide();
    connect(m_welcome, &WelcomePanel::newStudyRequested, this, &MainWindow::newStudy);
    connect(m_welcome, &WelcomePanel::openSpecRequested, this, &MainWindow::openSpecDialog);
    centralLayout->addWidget(m_welcome);
    centralLayout->addWidget(m_splitter, 1);
    setCentralWidget(central);

    m_databaseLabel = new QLabel(this);
    m_progress = new RunProgress(this);
    m_followed = new RunProgress(this);
    m_followed->setObjectName(QStringLiteral("followedRunProgress"));
    m_databaseLabel->setObjectName(QStringLiteral("databaseLabel"));
    statusBar()->addWidget(m_databaseLabel, 1);
    // A message gives way to the database's name and back. QStatusBar hides
    // its widgets for a message only if they are visible, so a message shown
    // before the window (a note from the restored study) was drawn over it.
    connect(statusBar(), &QStatusBar::messageChanged, m_databaseLabel,
            [label = m_databaseLabel](const QString& message) {
                label->setVisible(message.isEmpty());
            });
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_followed);

    buildActions();
    buildMenus();
    buildToolBar();
    connectController();
    m_browser->view()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_browser->view(), &QWidget::customContextMenuRequested, this,
            &MainWindow::showBrowserMenu);

    connect(m_browser, &StudyBrowser::currentStudyChanged, this, &MainWindow::showStudy);
    connect(m_browser, &StudyBrowser::selectedStudiesChanged, m_analysis,
            &AnalysisView::setComparedStudies);
    // Delete acts on the selection, which can change after the current study
    // (QTableView::selectRow makes a row current before it selects it).
    connect(m_browser, &StudyBrowser::selectedStudiesChanged, this, &MainWindow::updateActions);
    // Brushing in parallel coordinates filters the Trials table.
    connect(m_analysis, &AnalysisView::brushChanged, m_trials, &TrialsView::setBrushFilter);
    connect(m_trials, &TrialsView::clearBrushRequested, m_analysis->parallelPage()->plot(),
            &ParallelCoordinatesPlot::clearBrushes);
    connect(m_trials, &TrialsView::newStudyFromTrialRequested, this,
            &MainWindow::newStudyFromTrial);
    connect(m_browser, &StudyBrowser::studyActivated, this,
            [this] { m_tabs->setCurrentIndex(LiveTab); });
    // Header, browser row and status bar all change here, from the same
    // batch, so they never disagree about the running study's counts.
    connect(m_buffer, &TrialUpdateBuffer::flushed, this, [this](const std::vector<Trial>& batch) {
        for (const Trial& trial : batch)
            if (trial.finished() && !isInterrupted(trial) &&
                m_countedLive.insert(trial.number).second)
                m_progress->trialCounted();
        if (m_session->hasStudy() && m_session->record().id == m_runningStudyId)
            m_session->applyUpdates(batch);
    });
    connect(m_session, &StudySession::trialsChanged, this, [this] {
        m_browser->model()->setShownCounts(m_session->hasStudy() ? m_session->record().id : -1,
                                           m_session->counts());
        if (m_session->hasStudy() && m_session->record().id == m_runningStudyId)
            m_progress->setDone(m_session->counts().counted);
        updateFollowedProgress();
    });
    connect(m_setup, &SetupPage::startRequested, this, [this](const Json& spec) {
        if (!m_database)
            return;
        m_startingNew = true;
        m_controller->startNew(databasePath(), spec);
        m_tabs->setCurrentIndex(LiveTab);
    });
    connect(m_setup, &SetupPage::canStartChanged, this, &MainWindow::updateActions);
    m_setup->form()->setDatabaseCheck(WarmStartCheck([this] { return m_database.get(); }));
    connect(m_setup, &SetupPage::duplicateRequested, this, &MainWindow::duplicateStudy);
    // The stored view's state line follows the shown study (running -> paused).
    auto syncStoredView = [this] {
        // Exported images are captioned with it (studyCaptionOf).
        setProperty("studyName",
                    m_session->hasStudy() ? toQString(m_session->record().name) : QString());
        if (m_session->hasStudy() && m_setup->isShowingStored())
            m_setup->setStoredState(QString::fromUtf8(shownStudyStateName(m_session->record())));
        else if (!m_session->hasStudy() && m_setup->isShowingStored())
            m_setup->showDraft();  // the study was deleted
    };
    connect(m_session, &StudySession::studyChanged, this, syncStoredView);
    connect(m_session, &StudySession::stateChanged, this, syncStoredView);
    // A zoom into one study's chart means nothing on another's.
    connect(m_session, &StudySession::studyChanged, this, [this] { ChartView::resetZoomIn(this); });
    // Running elsewhere begins and ends with the shown study's state (its
    // trials follow through trialsChanged above).
    connect(m_session, &StudySession::stateChanged, this, &MainWindow::updateFollowedProgress);
    m_draftSave.setSingleShot(true);
    m_draftSave.setInterval(2000);
    connect(m_setup->form(), &SetupForm::contentChanged, &m_draftSave, qOverload<>(&QTimer::start));
    connect(&m_draftSave, &QTimer::timeout, this, &MainWindow::saveDraft);
    m_watch = new DatabaseWatch(this);
    connect(m_watch, &DatabaseWatch::changed, this, [this] {
        refreshStudies();
        followShownStudy();
        updateActions();
    });
    connect(m_watch, &DatabaseWatch::polled, this, [this] {
        if (shownStudyRunsElsewhere())
            followShownStudy();  // notices a runner that died
    });
    updateActions();
}

MainWindow::~MainWindow() = default;

// ---- actions and menus ------------------------------------------------------

void MainWindow::buildActions() {
    auto make = [this](const QString& text, const QKeySequence& shortcut, auto slot) {
        auto* action = new QAction(text, this);
        if (!shortcut.isEmpty())
            action->setShortcut(shortcut);
        connect(action, &QAction::triggered, this, slot);
        return action;
    };
    m_newStudy = make(tr("&New study"), QKeySequence::New, &MainWindow::newStudy);
    m_openDatabase =
        make(tr("&Open database…"), QKeySequence::Open, &MainWindow::openDatabaseDialog);
    m_openSpec =
        make(tr("Open s&pec…"), QKeySequence(tr("Ctrl+Shift+O")), &MainWindow::openSpecDialog);
    m_saveSpec = make(tr("&Save spec…"), QKeySequence::Save, &MainWindow::saveSpecDialog);
    m_exportTrials =
        make(tr("&Export trials…"), QKeySequence(tr("Ctrl+E")), &MainWindow::exportTrialsDialog);
    m_exportChart = make(tr("Export &charts of this tab…"), QKeySequence(tr("Ctrl+Shift+E")),
                         &MainWindow::exportChartDialog);
    m_importOptuna =
        make(tr("&Import Optuna studies…"), QKeySequence(), &MainWindow::importOptunaDialog);
    m_importOptuna->setToolTip(
        tr("Copy the studies of an Optuna SQLite file into this database, to browse, compare "
           "and export them with yours"));
    m_quit = make(tr("&Quit"), QKeySequence::Quit, &MainWindow::close);
    m_start =
        make(tr("&Start"), QKeySequence(tr("Ctrl+R")), [this] { m_setup->startButton()->click(); });
    m_start->setToolTip(tr("Create and run the study set up in the Setup tab"));
    m_pause = make(tr("&Pause"), QKeySequence(tr("Ctrl+P")), [this] { m_controller->pause(); });
    m_pause->setToolTip(tr("Pause after the running trial finishes; Resume continues the study"));
    m_stop = make(tr("S&top now"), QKeySequence(tr("Ctrl+.")), [this] { m_controller->stop(); });
    m_stop->setToolTip(
        tr("Stop at once: the running trial is interrupted (it does not count against the "
           "budget)"));
    m_resume = make(tr("&Resume"), QKeySequence(tr("Ctrl+Shift+R")), &MainWindow::resumeDialog);
    m_resumeHint =
        tr("Continue the shown study (paused, stopped, never run, or finished: "
           "then with more trials)");
    m_resume->setToolTip(m_resumeHint);
    m_duplicate = make(tr("&Duplicate"), QKeySequence(tr("Ctrl+D")), &MainWindow::duplicateStudy);
    m_rename = make(tr("Re&name…"), QKeySequence(), &MainWindow::renameStudyDialog);
    m_delete = make(tr("De&lete…"), QKeySequence::Delete, &MainWindow::deleteStudiesDialog);
    m_delete->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_browser->addAction(m_delete);
    m_refresh = make(tr("Re&fresh"), QKeySequence::Refresh, &MainWindow::refreshStudies);
    m_toggleBrowser = make(tr("Study &browser"), QKeySequence(tr("Ctrl+B")), [this](bool shown) {
        // Collapsing through the splitter keeps the width for when it returns.
        QList<int> sizes = m_splitter->sizes();
        if (shown && sizes.value(0) == 0)
            m_splitter->setSizes(
                {std::max(220, m_browserWidth), std::max(1, sizes.value(1) - 220)});
        else if (!shown && sizes.value(0) > 0) {
            m_browserWidth = sizes.value(0);
            m_splitter->setSizes({0, sizes.value(0) + sizes.value(1)});
        }
    });
    m_toggleBrowser->setCheckable(true);
    m_toggleBrowser->setChecked(true);
    connect(m_splitter, &QSplitter::splitterMoved, this,
            [this] { m_toggleBrowser->setChecked(m_splitter->sizes().value(0) > 0); });
}

namespace {

// A freedesktop theme icon where the desktop has one, else the bundled SVG.
QIcon themedIcon(const char* themeName, const char* bundled) {
    return QIcon::fromTheme(QString::fromLatin1(themeName),
                            QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(bundled))));
}

}  // namespace

void MainWindow::buildToolBar() {
    m_newStudy->setIcon(themedIcon("document-new", "new"));
    m_start->setIcon(themedIcon("media-playback-start", "start"));
    m_pause->setIcon(themedIcon("media-playback-pause", "pause"));
    m_stop->setIcon(themedIcon("media-playback-stop", "stop"));
    m_resume->setIcon(themedIcon("media-seek-forward", "resume"));
    m_exportTrials->setIcon(themedIcon("document-export", "export"));
    m_toolBar = addToolBar(tr("Study"));
    m_toolBar->setObjectName(QStringLiteral("studyToolBar"));
    m_toolBar->setMovable(false);
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->setIconSize(QSize(20, 20));
    m_toolBar->addAction(m_newStudy);
    m_toolBar->addSeparator();
    for (QAction* action : {m_start, m_pause, m_stop, m_resume})
        m_toolBar->addAction(action);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_exportTrials);
}

void MainWindow::showBrowserMenu(const QPoint& position) {
    const QModelIndex index = m_browser->view()->indexAt(position);
    if (index.isValid() &&
        !m_browser->selectedStudies().contains(index.data(StudyListModel::NameRole).toString()))
        m_browser->setCurrentStudy(index.data(StudyListModel::NameRole).toString());
    QMenu menu(this);
    menu.setToolTipsVisible(true);
    QAction* open = menu.addAction(tr("&Open in Live"), this, [this] {
        showStudy(m_browser->currentStudy());
        m_tabs->setCurrentIndex(LiveTab);
    });
    open->setEnabled(!m_browser->currentStudy().isEmpty());
    menu.addAction(m_duplicate);
    menu.addAction(m_rename);
    menu.addAction(m_exportTrials);
    menu.addSeparator();
    menu.addAction(m_delete);
    menu.addSeparator();
    menu.addAction(m_newStudy);
    menu.exec(m_browser->view()->viewport()->mapToGlobal(position));
}

void MainWindow::buildMenus() {
    // Tooltips show in the menus too: they say why an action is off, or
    // where it takes the study (Duplicate and Import from an Optuna file).
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->setToolTipsVisible(true);
    file->addAction(m_newStudy);
    file->addAction(m_openDatabase);
    m_recentMenu = file->addMenu(tr("Recent &databases"));
    file->addAction(m_importOptuna);
    file->addSeparator();
    file->addAction(m_openSpec);
    auto* examples = new ExamplesMenu(tr("Open e&xample"), file);
    connect(examples, &ExamplesMenu::exampleChosen, this, [this](const QString& path) {
        if (const QString error = loadSpec(path); !error.isEmpty())
            showError(tr("Open example"), error);
    });
    file->addMenu(examples);
    file->addAction(m_saveSpec);
    file->addSeparator();
    file->addAction(m_exportTrials);
    file->addAction(m_exportChart);
    file->addSeparator();
    file->addAction(m_quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = m_setup->form()->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = m_setup->form()->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);

    QMenu* study = menuBar()->addMenu(tr("&Study"));
    study->setToolTipsVisible(true);
    for (QAction* action : {m_start, m_pause, m_stop, m_resume})
        study->addAction(action);
    study->addSeparator();
    study->addAction(m_duplicate);
    study->addAction(m_rename);
    study->addAction(m_delete);
    study->addSeparator();
    study->addAction(m_refresh);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_toggleBrowser);
    view->addSeparator();
    // Each tab by Ctrl+1..4, in the order they stand.
    const QStringList tabNames{tr("S&etup"), tr("&Live"), tr("&Trials"), tr("&Analysis")};
    for (int tab = 0; tab < tabNames.size(); ++tab)
        view->addAction(tabNames[tab], QKeySequence(tr("Ctrl+%1").arg(tab + 1)), this,
                        [this, tab] { m_tabs->setCurrentIndex(tab); });
    view->addSeparator();
    m_filterTrials = view->addAction(tr("&Filter trials…"), QKeySequence::Find, this, [this] {
        m_tabs->setCurrentWidget(m_trials);
        m_trials->textFilter()->setFocus(Qt::ShortcutFocusReason);
        m_trials->textFilter()->selectAll();
    });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("Spec &reference"), QKeySequence::HelpContents, this,
                    &MainWindow::showSpecReference);
    help->addAction(tr("&About Bonsai"), this, [this] {
        QMessageBox::about(
            this, tr("About Bonsai"),
            tr("<h3>Bonsai %1</h3><p>A studio for hyperparameter optimization and "
               "neural architecture search: define a search space, pick an objective "
               "and a strategy, watch the search live, and review, compare and export "
               "every study, stored in SQLite.</p><p>Headless runs: <tt>bonsai-cli</tt>.</p>")
                .arg(QApplication::applicationVersion()));
    });
    updateRecentMenu();
}

void MainWindow::updateActions() {
    const bool running = m_controller->isRunning();
    const bool hasStudy = m_session->hasStudy();
    const bool writable = m_database && m_optunaSource.isEmpty();
    m_start->setEnabled(m_setup->canStart() && writable);
    m_pause->setEnabled(running && !m_controller->isPausing());
    m_stop->setEnabled(running);
    // An imported study (Optuna's) has no objective to run.
    const bool imported = hasStudy && isImportedStudy(m_session->record().spec);
    // Run by another process (bonsai-cli in a terminal): this window follows
    // it, and only that process can pause or stop it.
    const bool runningElsewhere = shownStudyRunsElsewhere();
    m_resume->setEnabled(!running && hasStudy && writable && !imported && !runningElsewhere);
    m_resume->setToolTip(
        imported ? tr("An imported study has no objective to run; Duplicate it, choose an "
                      "objective, and warm-start from it")
        : runningElsewhere
            ? tr("Another process (bonsai-cli, another window) is running this study; this "
                 "window follows it")
            : m_resumeHint);
    m_duplicate->setEnabled(hasStudy);
    // From a read-only Optuna file the copy cannot stay here: the label says
    // where Duplicate takes the study (and the window) before it is chosen.
    const QString target = QFileInfo(importTargetDatabase()).fileName();
    m_duplicate->setText(m_optunaSource.isEmpty() ? tr("&Duplicate")
                                                  : tr("&Duplicate into %1").arg(target));
    m_duplicate->setToolTip(
        m_optunaSource.isEmpty()
            ? tr("Set up a new study with this one's settings")
            : tr("%1 is read-only: Duplicate imports this study into %2, switches the window "
                 "to %2, and sets up a new study there that warm-starts from it")
                  .arg(QFileInfo(m_optunaSource).fileName(), target));
    m_rename->setEnabled(
        hasStudy && writable &&
        !(running && m_controller->runningStudy() == toQString(m_session->record().name)));
    m_exportTrials->setEnabled(hasStudy);
    // From a read-only Optuna file, Import copies that file into the Bonsai
    // database this window had open, rather than asking for a file.
    m_importOptuna->setEnabled(m_database != nullptr);
    m_importOptuna->setText(m_optunaSource.isEmpty()
                                ? tr("&Import Optuna studies…")
                                : tr("&Import these studies into %1").arg(target));
    const QStringList selected = m_browser->selectedStudies();
    m_delete->setEnabled(writable && !selected.isEmpty() &&
                         !(running && selected.contains(m_controller->runningStudy())));
    m_setup->setRunningStudy(running ? m_controller->runningStudy() : QString());
}

// ---- database ---------------------------------------------------------------

QString MainWindow::initialDatabasePath() {
    QSettings settings;
    QString last = settings.value(kLastDatabaseKey).toString();
    return last.isEmpty() ? QString::fromStdString(Database::defaultPath()) : last;
}

QString MainWindow::openDatabase(const QString& path) {
    if (m_controller->isRunning())
        return tr("A study is running; pause or stop it before opening another database.");
    bool optuna = false;
    try {
        // An Optuna file is shown through an in-memory copy, so the file
        // itself is never written: browsing works, running and deleting not.
        optuna = isOptunaDatabase(toStdString(path));
        auto database = optuna ? openOptunaAsDatabase(toStdString(path))
                               : std::make_unique<Database>(toStdString(path));
        m_database = std::move(database);
        // An Optuna file is shown through a copy: nothing to follow.
        m_watch->watch(optuna ? nullptr : m_database.get());
        m_optunaSource = optuna ? path : QString();
        if (!optuna)
            m_bonsaiPath = QFileInfo(path).absoluteFilePath();
    } catch (const std::exception& error) {
        return QString::fromUtf8(error.what());
    }
    m_session->clear();
    m_progress->forgetAll();
    m_followed->forgetAll();
    // The welcome tells of the example study in the first database.
    m_welcome->hide();
    m_setup->setImportTarget(optuna ? QFileInfo(importTargetDatabase()).fileName() : QString());
    m_databaseLabel->setText((optuna ? tr("Optuna database (read-only): %1") : tr("Database: %1"))
                                 .arg(QDir::toNativeSeparators(path)));
    m_browser->setDatabaseLabel(
        tr("<b>Studies</b> in %1").arg(QFileInfo(path).fileName().toHtmlEscaped()));
    setWindowTitle(tr("Bonsai — %1").arg(QFileInfo(path).fileName()));
    rememberDatabase(path);
    refreshStudies();
    updateActions();
    return {};
}

QString MainWindow::databasePath() const {
    if (!m_optunaSource.isEmpty())
        return m_optunaSource;
    return m_database ? toQString(m_database->path()) : QString();
}

void MainWindow::refreshStudies() {
    if (!m_database)
        return;
    try {
        std::vector<StudySummary> studies = m_database->listStudies();
        // A multi-objective study lists its front's size, counted once per
        // change of its trial count (the shown one is counted live).
        for (const StudySummary& summary : studies)
            if (m_browser->model()->needsFrontCounts(summary))
                m_browser->model()->setFrontCounts(
                    summary.study.id,
                    studyCounts(m_database->loadTrials(summary.study.id), summary.study));
        QStringList names;
        for (const StudySummary& summary : studies)
            names << toQString(summary.study.name);
        m_setup->form()->setTakenNames(names);
        m_browser->setStudies(std::move(studies));
    } catch (const std::exception& error) {
        statusBar()->showMessage(QString::fromUtf8(error.what()), 10000);
    }
    updateActions();
}

bool MainWindow::shownStudyRunsElsewhere() const {
    if (!m_session->hasStudy())
        return false;
    const StudyRecord& record = m_session->record();
    return record.state == StudyState::Running && !record.runnerGone &&
           record.id != m_runningStudyId;
}

void MainWindow::followShownStudy() {
    if (!m_database || !m_session->hasStudy() || m_session->record().id == m_runningStudyId)
        return;  // a run here reaches the views through the controller
    try {
        const auto record = m_database->findStudy(m_session->record().id);
        if (!record)
            return;  // deleted: the browser's refresh moves on
        const bool wasElsewhere = shownStudyRunsElsewhere();
        m_session->applyStored(*record,
                               m_database->loadTrialsFrom(record->id, m_session->firstOpenTrial()));
        if (wasElsewhere && !shownStudyRunsElsewhere())
            refreshStudies();  // "interrupted" in the browser too; updates the actions
    } catch (const std::exception& error) {
        statusBar()->showMessage(QString::fromUtf8(error.what()), 10000);
    }
}

void MainWindow::updateFollowedProgress() {
    if (!shownStudyRunsElsewhere()) {
        if (m_followed->studyId() >= 0)
            m_followed->forgetStudy(m_followed->studyId());
        m_progress->setVisible(m_progress->studyId() >= 0);
        return;
    }
    const StudyRecord& record = m_session->record();
    const qint64 counted = m_session->counts().counted;
    if (m_followed->studyId() == record.id) {
        m_followed->setDone(counted);
        return;
    }
    const qint64 budget = studyTrialBudget(record).value_or(-1);
    QString runner, howToStop;
    try {
        if (const auto lease = m_database->liveRunner(record.id)) {
            runner = QString::fromStdString(lease->program);
            // The status bar's note of it goes after 15 s; this stays.
            howToStop = runnerNote(toQString(record.name), *lease);
        }
    } catch (const std::exception&) {
        // the runner's name is a courtesy; "another process" says enough
    }
    m_followed->follow(record.id, toQString(record.name), counted, budget, runner);
    m_followed->setToolTip(howToStop);
    m_progress->hide();
}

void MainWindow::showStudy(const QString& name) {
    if (name.isEmpty() || !m_database) {
        m_session->clear();
        updateActions();
        return;
    }
    if (m_browser->currentStudy() != name) {
        m_browser->setCurrentStudy(name);  // comes back here through currentStudyChanged
        if (m_browser->currentStudy() == name)
            return;
    }
    try {
        auto record = m_database->findStudy(toStdString(name));
        if (!record) {
            m_session->clear();
        } else {
            // While it runs, the live stream fills in anything the snapshot misses.
            m_session->show(*record, m_database->loadTrials(record->id));
            m_setup->showStored(toQString(record->name),
                                QString::fromUtf8(shownStudyStateName(*record)), record->spec);
            if (shownStudyRunsElsewhere())
                if (const auto runner = m_database->liveRunner(record->id))
                    statusBar()->showMessage(runnerNote(name, *runner, true), 15000);
        }
    } catch (const std::exception& error) {
        showError(tr("Open study"), QString::fromUtf8(error.what()));
    }
    updateActions();
}

QString MainWindow::runnerNote(const QString& study, const Database::Runner& runner, bool brief) {
    const bool here = QString::fromStdString(runner.host) == QSysInfo::machineHostName();
    const QString program = QString::fromStdString(runner.program);
    if (brief)  // the status bar's room, beside the progress that names the runner
        return (here ? tr("'%1' runs in %2: stop it there with Ctrl+C, or kill -INT %3")
                     : tr("'%1' runs in %2 on %4: stop it there with Ctrl+C, or kill -INT %3"))
            .arg(study, program)
            .arg(runner.pid)
            .arg(QString::fromStdString(runner.host));
    const QString process =
        here ? tr("process %1").arg(runner.pid)
             : tr("process %1 on %2").arg(runner.pid).arg(QString::fromStdString(runner.host));
    return tr("'%1' is being run by %2 (%3): this window follows it; to stop it, press Ctrl+C "
              "where it runs, or kill -INT %4")
        .arg(study, program, process)
        .arg(runner.pid);
}

void MainWindow::rememberDatabase(const QString& path) {
    QSettings settings;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    settings.setValue(kLastDatabaseKey, absolute);
    QStringList recent = settings.value(kRecentKey).toStringList();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue(kRecentKey, recent);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu() {
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(kRecentKey).toStringList();
    for (const QString& path : recent) {
        m_recentMenu->addAction(QDir::toNativeSeparators(path), this, [this, path] {
            QString error = openDatabase(path);
            if (!error.isEmpty())
                showError(tr("Open database"), error);
        });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

// ---- running ------------------------------------------------------------------

void MainWindow::connectController() {
    connect(m_controller, &StudyController::runningChanged, this, &MainWindow::updateActions);
    connect(m_controller, &StudyController::pausingChanged, this, [this](bool pausing) {
        m_progress->setPausing(pausing);
        updateActions();
    });
    connect(m_controller, &StudyController::studyStarted, this,
            [this](const QString& name, qint64 id, qint64 counted, qint64 budget) {
                m_startingNew = false;
                m_buffer->discard();
                m_countedLive.clear();
                m_runningStudyId = id;
                m_progress->start(id, name, counted, budget);
                refreshStudies();
                if (m_browser->currentStudy() == name)
                    showStudy(name);
                else
                    m_browser->setCurrentStudy(name);
                statusBar()->showMessage(tr("Study '%1' running").arg(name), 4000);
            });
    connect(m_controller, &StudyController::trialChanged, this,
            [this](const Trial& trial) { m_buffer->add(trial); });
    connect(m_controller, &StudyController::studyEnded, this,
            [this](const QString& name, const QString& state, const QString& reason) {
                m_buffer->flush();
                const auto stored = studyStateFromName(toStdString(state));
                if (stored && m_session->hasStudy() && m_session->record().id == m_runningStudyId)
                    m_session->setState(*stored);
                m_runningStudyId = -1;
                m_progress->finish(reason);
                refreshStudies();
                statusBar()->showMessage(tr("Study '%1' %2: %3").arg(name, state, reason), 10000);
            });
    connect(m_controller, &StudyController::studyFailed, this, [this](const QString& message) {
        m_buffer->flush();
        m_progress->forgetStudy(m_runningStudyId);
        // The shown study as stored: its state and trials after the failure.
        const bool shownFailed =
            m_session->hasStudy() && m_session->record().id == m_runningStudyId;
        m_runningStudyId = -1;
        refreshStudies();
        if (shownFailed)
            showStudy(m_browser->currentStudy());
        // A new study that never started: back to its spec, to fix it there.
        if (std::exchange(m_startingNew, false))
            m_tabs->setCurrentIndex(SetupTab);
        showError(tr("Study"), message);
    });
}

void MainWindow::resumeShownStudy(std::optional<qint64> moreTrials) {
    if (!m_session->hasStudy() || !m_database)
        return;
    m_controller->resume(databasePath(), toQString(m_session->record().name), moreTrials);
    m_tabs->setCurrentIndex(LiveTab);
}

void MainWindow::resumeDialog() {
    if (!m_session->hasStudy())
        return;
    std::optional<qint64> more;
    if (m_session->record().state == StudyState::Finished) {
        bool ok = false;
        int count = QInputDialog::getInt(this, tr("Resume study"),
                                         tr("'%1' has used its budget. Run how many more trials?")
                                             .arg(toQString(m_session->record().name)),
                                         20, 1, 1000000, 1, &ok);
        if (!ok)
            return;
        more = count;
    }
    resumeShownStudy(more);
}

void MainWindow::startExampleStudy() {
    // Not into a read-only Optuna file (bonsai --db optuna.db on a first start).
    if (!m_database || !m_optunaSource.isEmpty() || m_controller->isRunning())
        return;
    QFile file(QStringLiteral(":/examples/branin-gp.json"));
    if (!file.open(QIODevice::ReadOnly))
        return;
    Json spec = Json::parse(file.readAll().toStdString(), nullptr, false);
    if (!spec.is_object())
        return;
    spec["name"] = exampleStudyName().toStdString();
    const auto kinds = StrategyRegistry::builtins().kinds();
    const std::string kind = spec.value("strategy", Json::object()).value("kind", "");
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
        spec["strategy"] = {{"kind", "sobol"}};
    // A pause per trial lets a new user watch the search unfold (40 trials,
    // about 15 s) rather than see it finished at a glance.
    spec["objective"]["delay_seconds"] = 0.35;
    try {
        // Only into a database without studies: one the user brought on a
        // first start (bonsai --db theirs.db) is theirs, not the example's.
        if (!m_database->listStudies().empty())
            return;
        parseStudySpec(spec, m_objectives);
    } catch (const std::exception&) {
        return;
    }
    m_setup->form()->resetTo(SetupForm::templateSpec(uniqueStudyName(QStringLiteral("study"))));
    m_controller->startNew(databasePath(), spec);
    m_tabs->setCurrentIndex(LiveTab);
    if (!WelcomePanel::dismissedBefore())
        m_welcome->show();
}

// ---- studies ------------------------------------------------------------------

QString MainWindow::uniqueStudyName(const QString& base) const {
    for (int n = 1;; ++n) {
        QString name = QStringLiteral("%1-%2").arg(base).arg(n);
        if (m_browser->model()->rowOf(name) < 0)
            return name;
    }
}

void MainWindow::newStudy() {
    m_setup->form()->setJson(SetupForm::templateSpec(uniqueStudyName(QStringLiteral("study"))));
    m_tabs->setCurrentIndex(SetupTab);
}

void MainWindow::newStudyFromTrial(int number) {
    const Trial* trial = m_session->trial(number);
    if (!trial)
        return;
    const Json params = toJson(trial->params);
    duplicateStudy();
    Json spec = m_setup->form()->toJson();
    spec["enqueue"] = Json::array({params});
    m_setup->form()->setJson(spec);
    statusBar()->showMessage(tr("New study from '%1': trial %2 is enqueued first")
                                 .arg(toQString(m_session->record().name))
                                 .arg(number),
                             10000);
}

void MainWindow::duplicateStudy() {
    if (!m_session->hasStudy())
        return;
    if (!m_optunaSource.isEmpty()) {
        // A read-only file cannot hold the copy: the study goes into the
        // Bonsai database first, and the copy warm-starts from it there.
        const QString name = toQString(m_session->record().name);
        if (const QString error = importOpenOptunaFile(name); !error.isEmpty()) {
            showError(tr("Duplicate"), error);
            return;
        }
    }
    Json spec = m_session->record().spec;
    QString base = toQString(m_session->record().name);
    spec["name"] = toStdString(uniqueStudyName(base));
    if (isImportedStudy(spec)) {
        // A copy of an imported study searches on from its trials: it starts
        // warm from them with a new study's strategy and budget (an import
        // records neither); the Setup form then asks for the objective, which
        // Bonsai cannot know.
        const Json fresh = SetupForm::templateSpec(base);
        spec["warm_start"] = Json{{"studies", Json::array({toStdString(base)})}};
        for (const char* section : {"strategy", "budget"})
            if (!spec.contains(section) || spec[section].empty())
                spec[section] = fresh[section];
        spec.erase("optuna_user_attrs");  // the source's, kept with it
    }
    m_setup->form()->setJson(spec);
    m_tabs->setCurrentIndex(SetupTab);
}

QString MainWindow::deleteStudies(const QStringList& names) {
    if (!m_database)
        return tr("No database is open.");
    if (!m_optunaSource.isEmpty())
        return tr("%1 is an Optuna database, open read-only; delete its studies in Optuna, or "
                  "open a Bonsai database and import them (File > Import Optuna studies…).")
            .arg(QFileInfo(m_optunaSource).fileName());
    for (const QString& name : names) {
        if (m_controller->isRunning() && m_controller->runningStudy() == name)
            return tr("Study '%1' is running; stop it before deleting it.").arg(name);
        try {
            if (auto record = m_database->findStudy(toStdString(name))) {
                m_database->deleteStudy(record->id);
                m_progress->forgetStudy(record->id);
            }
        } catch (const std::exception& error) {
            return QString::fromUtf8(error.what());
        }
    }
    if (m_session->hasStudy() && names.contains(toQString(m_session->record().name)))
        m_session->clear();
    refreshStudies();
    return {};
}

QString MainWindow::renameShownStudy(const QString& newName) {
    if (!m_session->hasStudy() || !m_database)
        return tr("Choose a study to rename first.");
    if (!m_optunaSource.isEmpty())
        return tr("%1 is an Optuna database, open read-only; rename the study in Optuna, or "
                  "import it (File > Import these studies) and rename it there.")
            .arg(QFileInfo(m_optunaSource).fileName());
    const QString name = newName.trimmed();
    const QString old = toQString(m_session->record().name);
    if (name.isEmpty())
        return tr("A study name cannot be empty; type a name.");
    if (m_controller->isRunning() && m_controller->runningStudy() == old)
        return tr("Study '%1' is running; pause or stop it before renaming it.").arg(old);
    if (name == old)
        return {};
    try {
        m_database->renameStudy(m_session->record().id, toStdString(name));
        m_progress->renameStudy(m_session->record().id, name);
    } catch (const std::exception& error) {
        return QString::fromUtf8(error.what());
    }
    refreshStudies();
    m_browser->setCurrentStudy(name);
    showStudy(name);
    return {};
}

void MainWindow::renameStudyDialog() {
    if (!m_session->hasStudy())
        return;
    const QString old = toQString(m_session->record().name);
    QString name = old;
    // A refused name comes back in the dialog, with the reason above it, to
    // be fixed rather than typed again.
    QString error;
    while (true) {
        bool ok = false;
        const QString prompt = error.isEmpty() ? tr("New name of '%1':").arg(old)
                                               : tr("%1\n\nNew name of '%2':").arg(error, old);
        name =
            QInputDialog::getText(this, tr("Rename study"), prompt, QLineEdit::Normal, name, &ok);
        if (!ok)
            return;
        error = renameShownStudy(name);
        if (error.isEmpty())
            return;
    }
}

void MainWindow::deleteStudiesDialog() {
    const QStringList names = m_browser->selectedStudies();
    if (names.isEmpty())
        return;
    const QString question =
        names.size() == 1
            ? tr("Delete study '%1' and all its trials? This cannot be undone.").arg(names.front())
            : tr("Delete %1 studies (%2) and all their trials? This cannot be undone.")
                  .arg(names.size())
                  .arg(names.join(QStringLiteral(", ")));
    if (QMessageBox::question(this, tr("Delete studies"), question,
                              QMessageBox::Yes | QMessageBox::Cancel,
                              QMessageBox::Cancel) != QMessageBox::Yes)
        return;
    QString error = deleteStudies(names);
    if (!error.isEmpty())
        showError(tr("Delete studies"), error);
}

// ---- files --------------------------------------------------------------------

void MainWindow::openDatabaseDialog() {
    // A save dialog, so a new file name can be typed, whose button says
    // what happens: an existing database is opened, never overwritten.
    QFileDialog dialog(this, tr("Open or create a database"),
                       QFileInfo(databasePath()).absolutePath(),
                       tr("Bonsai or Optuna databases (*.db *.sqlite *.sqlite3);;All files (*)"));
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setOption(QFileDialog::DontConfirmOverwrite);
    dialog.setLabelText(QFileDialog::Accept, tr("&Open"));
    // Qt's own dialog also draws a save icon on that button.
    if (auto* buttons = dialog.findChild<QDialogButtonBox*>())
        if (QPushButton* accept = buttons->button(QDialogButtonBox::Save))
            accept->setIcon(style()->standardIcon(QStyle::SP_DialogOpenButton));
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return;
    const QString path = dialog.selectedFiles().constFirst();
    QString error = openDatabase(path);
    if (!error.isEmpty())
        showError(tr("Open database"), error);
}

QString MainWindow::exportTrials(const QString& path) {
    if (!m_session->hasStudy() || !m_database)
        return tr("Choose a study to export first.");
    const auto format = exportFormatOf(toStdString(path));
    if (!format)
        return tr("Export trials to a .csv, .json or Optuna .db file (got '%1').")
            .arg(QFileInfo(path).fileName());
    try {
        auto record = m_database->findStudy(m_session->record().id);
        if (!record)
            return tr("The study is no longer in the database.");
        std::vector<Trial> trials = m_database->loadTrials(record->id);
        if (format == ExportFormat::Optuna) {
            // Never over an existing file (writeOptunaFile refuses one).
            writeOptunaFile(toStdString(path), {studyToOptuna(*record, trials)});
            return {};
        }
        std::string text = format == ExportFormat::Json ? exportStudyJsonText(*record, trials)
                                                        : exportStudyCsv(*record, trials);
        return writeFile(path, text);
    } catch (const std::exception& error) {
        return QString::fromUtf8(error.what());
    }
}

void MainWindow::exportTrialsDialog() {
    if (!m_session->hasStudy())
        return;
    QString filter;
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export trials"),
        exportDialogPath(toQString(m_session->record().name) + QStringLiteral(".csv")),
        tr("CSV (*.csv);;JSON (*.json);;Optuna database, a new file (*.db)"), &filter);
    if (path.isEmpty())
        return;
    // A name typed without a suffix takes the chosen filter's.
    static const QRegularExpression filterSuffix(QStringLiteral("\\*\\.(\\w+)\\)"));
    if (QFileInfo(path).suffix().isEmpty())
        if (const auto match = filterSuffix.match(filter); match.hasMatch())
            path += QLatin1Char('.') + match.captured(1);
    QString error = exportTrials(path);
    if (!error.isEmpty()) {
        showError(tr("Export trials"), error);
    } else {
        rememberExportFolder(path);
        statusBar()->showMessage(tr("Exported to %1").arg(path), 5000);
    }
}

QString MainWindow::importOptunaStudies(const QString& path) {
    if (!m_database || !m_optunaSource.isEmpty())
        return tr(
            "Optuna studies are imported into a Bonsai database; open one first "
            "(File > Open database…).");
    std::vector<std::string> names;
    try {
        names = importOptunaFile(*m_database, toStdString(path));
    } catch (const std::exception& error) {
        return QString::fromUtf8(error.what());
    }
    if (names.empty())
        return tr("%1 holds no Optuna study; choose a file with at least one.")
            .arg(QFileInfo(path).fileName());
    QStringList imported;
    for (const std::string& name : names)
        imported << toQString(name);
    refreshStudies();
    showStudy(imported.front());
    statusBar()->showMessage(
        tr("Imported from %1: %2")
            .arg(QFileInfo(path).fileName(), imported.join(QStringLiteral(", "))),
        10000);
    return {};
}

QString MainWindow::importTargetDatabase() const {
    return m_bonsaiPath.isEmpty() ? QString::fromStdString(Database::defaultPath()) : m_bonsaiPath;
}

QString MainWindow::importOpenOptunaFile(const QString& study) {
    if (m_optunaSource.isEmpty())
        return tr("No Optuna database is open; choose one with File > Import Optuna studies…");
    const QString source = QFileInfo(m_optunaSource).absoluteFilePath();
    if (QString error = openDatabase(importTargetDatabase()); !error.isEmpty())
        return error;
    if (study.isEmpty())
        return importOptunaStudies(source);
    // Imported before (a second Duplicate): that copy serves again.
    if (auto stored = m_database->findStudy(toStdString(study))) {
        const Json& objective = stored->spec.value("objective", Json::object());
        const QString file = toQString(objective.value("file", std::string()));
        const bool sameSource = isImportedStudy(stored->spec) &&
                                QFileInfo(file).absoluteFilePath() == source &&
                                objective.value("study", std::string()) == toStdString(study);
        if (!sameSource)
            return tr("%1 already has a study named '%2'; rename it there (Study > Rename…), "
                      "then open %3 and duplicate '%2' again.")
                .arg(QFileInfo(importTargetDatabase()).fileName(), study,
                     QFileInfo(source).fileName());
    } else {
        try {
            importOptunaFile(*m_database, toStdString(source), toStdString(study));
        } catch (const std::exception& error) {
            return QString::fromUtf8(error.what());
        }
        refreshStudies();
    }
    showStudy(study);
    statusBar()->showMessage(
        tr("Imported '%1' from %2 into %3")
            .arg(study, QFileInfo(source).fileName(), QFileInfo(importTargetDatabase()).fileName()),
        10000);
    return {};
}

void MainWindow::importOptunaDialog() {
    if (!m_optunaSource.isEmpty()) {
        if (const QString error = importOpenOptunaFile(); !error.isEmpty())
            showError(tr("Import Optuna studies"), error);
        return;
    }
    QString path = QFileDialog::getOpenFileName(
        this, tr("Import Optuna studies"), QFileInfo(databasePath()).absolutePath(),
        tr("Optuna databases (*.db *.sqlite *.sqlite3);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error = importOptunaStudies(path);
    if (!error.isEmpty())
        showError(tr("Import Optuna studies"), error);
}

QString MainWindow::chartExportName() const {
    QStringList what{m_tabs->tabText(m_tabs->currentIndex()).remove(QLatin1Char('&'))};
    if (m_tabs->currentWidget() == m_analysis)
        what << m_analysis->pages()->tabText(m_analysis->pages()->currentIndex());
    return imageFileName(m_session->hasStudy() ? toQString(m_session->record().name) : QString(),
                         what);
}

QString MainWindow::exportCharts(const QString& path) {
    QWidget* shown = m_tabs->currentWidget();
    if (shown == m_analysis)
        shown = m_analysis->pages()->currentWidget();
    return saveWidgetImage(shown, path, studyCaptionOf(this));
}

void MainWindow::exportChartDialog() {
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export charts"), exportDialogPath(chartExportName()), imageFileFilter());
    if (path.isEmpty())
        return;
    QString error = exportCharts(path);
    if (!error.isEmpty())
        showError(tr("Export charts"), error);
    else
        rememberExportFolder(path);
}

QString MainWindow::saveSpec(const QString& path) {
    return writeFile(path, m_setup->form()->toJson().dump(2) + "\n");
}

QString MainWindow::loadSpec(const QString& path) {
    std::ifstream file(path.toStdString(), std::ios::binary);
    if (!file)
        return tr("Cannot read %1; check the path.").arg(path);
    std::ostringstream text;
    text << file.rdbuf();
    try {
        Json spec = parseJsonText(text.str());
        if (!spec.is_object())
            return tr("%1 is not a study spec (expected a JSON object).").arg(path);
        // As bonsai-cli does: relative tables, a command's workdir and a
        // warm-start database start from the spec's folder.
        resolveRelativeSpecPaths(spec, toStdString(path));
        // A spec opened again (a bundled example, say) gets the next free
        // name, as Duplicate does, rather than a red "already exists".
        if (spec.contains("name") && spec["name"].is_string()) {
            const QString name = toQString(spec["name"].get<std::string>());
            if (m_browser->model()->rowOf(name) >= 0) {
                spec["name"] = toStdString(uniqueStudyName(name));
                statusBar()->showMessage(
                    tr("This database has a study named '%1': the new one is '%2'")
                        .arg(name, toQString(spec["name"].get<std::string>())),
                    10000);
            }
        }
        m_setup->form()->setJson(spec);
    } catch (const SpecError& error) {
        return tr("%1: %2").arg(QFileInfo(path).fileName(), QString::fromUtf8(error.what()));
    }
    m_tabs->setCurrentIndex(SetupTab);
    return {};
}

void MainWindow::openSpecDialog() {
    QString path = QFileDialog::getOpenFileName(this, tr("Open spec"), specDialogFolder(),
                                                tr("Study specs (*.json)"));
    if (path.isEmpty())
        return;
    rememberSpecFolder(path);
    QString error = loadSpec(path);
    if (!error.isEmpty())
        showError(tr("Open spec"), error);
}

void MainWindow::saveSpecDialog() {
    QString name =
        QString::fromStdString(m_setup->form()->toJson().value("name", std::string("study")));
    QString path = QFileDialog::getSaveFileName(this, tr("Save spec"),
                                                specSavePath(name + QStringLiteral(".json")),
                                                tr("Study specs (*.json)"));
    if (path.isEmpty())
        return;
    QString error = saveSpec(path);
    if (!error.isEmpty())
        showError(tr("Save spec"), error);
    else
        rememberSpecFolder(path);
}

// ---- window ---------------------------------------------------------------------

void MainWindow::showError(const QString& title, const QString& message) {
    statusBar()->showMessage(message, 15000);
    // Not modal to the application: a running study keeps updating behind it.
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::showSpecReference() {
    QFile file(QStringLiteral(":/docs/README.md"));
    QString text = file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    // The spec chapter: from "## Study spec" to the next chapter.
    int start = text.indexOf(QStringLiteral("## Study spec"));
    if (start >= 0) {
        int end = text.indexOf(QRegularExpression(QStringLiteral("\\n## (?!#)")), start + 3);
        text = text.mid(start, end < 0 ? -1 : end - start);
    }
    auto* dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Study spec reference"));
    auto* layout = new QVBoxLayout(dialog);
    auto* browser = new QTextBrowser(dialog);
    browser->setOpenExternalLinks(true);
    browser->setMarkdown(text.isEmpty() ? tr("The reference is in README.md, section “Study spec”.")
                                        : text);
    layout->addWidget(browser);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    layout->addWidget(buttons);
    dialog->resize(820, 700);
    dialog->show();
}

void MainWindow::restoreWindowState() {
    QSettings settings;
    if (!restoreGeometry(settings.value("window/geometry").toByteArray())) {
        // First start: 1400 x 900, but never larger than the screen (on a
        // 1024 x 700 laptop the window would otherwise hang off its edges).
        QSize size(1400, 900);
        if (const QScreen* screen = this->screen())
            size = size.boundedTo(screen->availableGeometry().size());
        resize(size);
    }
    restoreState(settings.value("window/state").toByteArray());
    m_splitter->restoreState(settings.value("window/splitter").toByteArray());
    m_tabs->setCurrentIndex(settings.value("window/tab", LiveTab).toInt());
    // The study shown last, else the newest one, so no tab opens empty.
    const QString last = settings.value("window/study").toString();
    if (m_browser->model()->rowOf(last) >= 0)
        m_browser->setCurrentStudy(last);
    else if (m_browser->currentStudy().isEmpty() && m_browser->view()->model()->rowCount() > 0)
        m_browser->view()->selectRow(0);
    restoreDraft(settings.value(kDraftKey).toString());
}

void MainWindow::restoreDraft(const QString& text) {
    const Json draft = Json::parse(text.toStdString(), nullptr, false);
    if (!draft.is_object() || !draft.value("name", Json()).is_string())
        return;
    const QString name = toQString(draft["name"].get<std::string>());
    if (m_browser->model()->rowOf(name) >= 0)
        return;                       // started: it is in the database
    m_setup->form()->resetTo(draft);  // the Setup tab shows it, not the selected study
    if (draft == SetupForm::templateSpec(name))
        return;
    // Said once the window is up: a message shown before would stay drawn
    // over the status bar's database label.
    QTimer::singleShot(0, this, [this, name] {
        statusBar()->showMessage(
            tr("Your draft '%1' is as you left it, in the Setup tab").arg(name), 15000);
    });
}

void MainWindow::saveWindowState() {
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    settings.setValue("window/splitter", m_splitter->saveState());
    settings.setValue("window/tab", m_tabs->currentIndex());
    settings.setValue("window/study", m_browser->currentStudy());
    saveDraft();
}

void MainWindow::saveDraft() {
    m_draftSave.stop();
    QSettings().setValue(kDraftKey, QString::fromStdString(m_setup->form()->toJson().dump()));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (m_controller->isRunning()) {
        // Pause, so the study can be resumed next time, interrupting the
        // running trial (objectives stop between batches; it is run again).
        statusBar()->showMessage(tr("Pausing the running study…"));
        QEventLoop loop;
        connect(m_controller, &StudyController::runningChanged, &loop, &QEventLoop::quit);
        QTimer::singleShot(30000, &loop, &QEventLoop::quit);
        m_controller->pauseNow();
        loop.exec();
    }
    saveWindowState();
    event->accept();
}

}  // namespace bonsai::ui

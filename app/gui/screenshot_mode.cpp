#include "screenshot_mode.h"

#include <cstdio>
#include <functional>

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QItemSelectionModel>
#include <QTabWidget>
#include <QTableView>
#include <QThread>

#include "analysis/study_counts.h"
#include "browser/study_browser.h"
#include "controller/study_session.h"
#include "helpers/cell_format.h"
#include "main_window.h"
#include "models/study_list_model.h"
#include "setup/setup_form.h"
#include "setup/setup_page.h"
#include "study/multi_objective.h"
#include "study/spec.h"
#include "study/study.h"
#include "views/analysis_view.h"
#include "views/contour_page.h"
#include "views/importance_page.h"
#include "views/live_view.h"

namespace bonsai::gui {

namespace {

void settle() {
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();
}

// Lets background fits finish (at most a minute) before a picture is taken.
void settleWhile(const std::function<bool()>& busy) {
    QElapsedTimer waited;
    waited.start();
    while (busy() && waited.elapsed() < 60000) {
        QThread::msleep(20);
        settle();
    }
    settle();
}

// Renders every tab to DIR/studio-<tab>.png (and each further Analysis view
// to DIR/studio-analysis-<view>.png); returns the files written.
QStringList saveScreenshots(ui::MainWindow& window, const QString& directory) {
    QDir().mkpath(directory);
    QStringList written;
    const QStringList names{QStringLiteral("setup"), QStringLiteral("live"),
                            QStringLiteral("trials"), QStringLiteral("analysis")};
    auto save = [&](const QString& name) {
        const QString path = QDir(directory).filePath(QStringLiteral("studio-%1.png").arg(name));
        if (window.grab().save(path, "PNG"))
            written << path;
    };
    QTabWidget* tabs = window.tabs();
    ui::AnalysisView* analysis = window.analysisView();
    const bool cellStudy = ui::cellFormat::firstCellParam(window.session()->space()) != nullptr;
    for (int tab = 0; tab < tabs->count(); ++tab) {
        tabs->setCurrentIndex(tab);
        settle();
        if (tab != ui::MainWindow::AnalysisTab) {
            // The Live tab's GP slice fits in the background, like the GP pages.
            settleWhile([&] {
                return tab == ui::MainWindow::LiveTab && window.liveView()->posteriorBusy();
            });
            save(names.value(tab));
            // A cell study's Live tab again, as the picture of its best-cell card.
            if (tab == ui::MainWindow::LiveTab && cellStudy)
                save(QStringLiteral("cell"));
            continue;
        }
        // Every page of the Analysis tab; the GP pages fit in the background.
        // The operation-frequency page only in cell studies, where it applies.
        const QStringList keys = ui::AnalysisView::pageKeys();
        for (int page = 0; page < keys.size(); ++page) {
            if (page == ui::AnalysisView::OperationsView && !cellStudy)
                continue;
            analysis->showPage(static_cast<ui::AnalysisView::Page>(page));
            settle();
            settleWhile([&] {
                return analysis->importancePage()->busy() || analysis->contourPage()->busy();
            });
            save(page == 0 ? names.value(tab) : names.value(tab) + QLatin1Char('-') + keys[page]);
        }
        analysis->showPage(ui::AnalysisView::CompareView);
    }
    return written;
}

}  // namespace

int takeScreenshots(ui::MainWindow& window, const ScreenshotRequest& request) {
    window.resize(request.size);
    window.show();
    ui::StudyBrowser* browser = window.browser();
    QString study = request.study;
    if (study.isEmpty() && !browser->model()->studies().empty())
        study = QString::fromStdString(browser->model()->studies().front().study.name);
    if (!study.isEmpty())
        window.showStudy(study);
    QItemSelectionModel* selection = browser->view()->selectionModel();
    for (const QString& name : request.compare) {
        QModelIndex index = browser->view()
                                ->model()
                                ->match(browser->view()->model()->index(0, 0),
                                        ui::StudyListModel::NameRole, name, 1, Qt::MatchExactly)
                                .value(0);
        if (index.isValid())
            selection->select(index, QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
    ui::StudySession* session = window.session();
    // The Setup tab shows the study's own spec, as Study > Duplicate would.
    if (session->hasStudy()) {
        Json spec = session->record().spec;
        spec["name"] = session->record().name + "-2";
        window.setupPage()->form()->resetTo(spec);
    }
    int trial = request.trial;
    // A spec this version cannot read has no objectives: pick by value below.
    const StudySpec objectives = ui::objectiveSectionsOf(session->record());
    if (trial < 0 && !objectives.objectives.empty()) {
        // Multi-objective: the first trial of the Pareto set.
        const auto front = paretoTrialIndices(session->trials(), objectives);
        if (!front.empty())
            trial = session->trials()[front.front()].number;
    } else if (trial < 0) {
        if (auto best = bestTrial(session->trials(), session->direction()))
            trial = best->number;
    }
    session->selectTrial(trial);
    for (int i = 0; i < 10; ++i)
        QApplication::processEvents();

    const QStringList files = saveScreenshots(window, request.directory);
    for (const QString& file : files)
        std::printf("%s\n", qPrintable(file));
    // Setup, Live, Trials and the six Analysis pages; a cell study adds the
    // best-cell card (studio-cell.png) and the operation-frequency page.
    const bool cellStudy = ui::cellFormat::firstCellParam(session->space()) != nullptr;
    return files.size() == (cellStudy ? 11 : 9) ? 0 : 1;
}

}  // namespace bonsai::gui

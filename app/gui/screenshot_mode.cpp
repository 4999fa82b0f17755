#include "screenshot_mode.h"

#include <cstdio>

#include <QApplication>
#include <QItemSelectionModel>
#include <QTableView>

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

namespace bonsai::gui {

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
    StudySpec objectives;
    try {
        objectives = parseObjectiveSections(session->record().spec);
    } catch (const std::exception&) {
        // a spec this version cannot read: pick by value as below
    }
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

    const QStringList files = window.saveScreenshots(request.directory);
    for (const QString& file : files)
        std::printf("%s\n", qPrintable(file));
    // Setup, Live, Trials and the six Analysis pages; a cell study adds the
    // best-cell card (studio-cell.png) and the operation-frequency page.
    const bool cellStudy = ui::cellFormat::firstCellParam(session->space()) != nullptr;
    return files.size() == (cellStudy ? 11 : 9) ? 0 : 1;
}

}  // namespace bonsai::gui

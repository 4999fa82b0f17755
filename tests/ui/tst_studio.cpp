// The studio as a first-time user meets it (issue 14): the trials table fits
// its content as rows arrive, charts drop another study's axes, the GP slice
// has a log axis for log parameters, Pause lets the running trial finish,
// header, browser and status bar agree, panels say what is true of the study,
// Setup shows stored studies read-only, objectives and constraints are
// editable, the toolbar and welcome panel, selection under a filter, exports
// at twice the size with the study's name, and dark mode.

#include <atomic>

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QHeaderView>
#include <QImage>
#include <QInputDialog>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineEdit>
#include <QLogValueAxis>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QUndoStack>
#include <QValueAxis>
#include <QXYSeries>

#include "analysis/panel_notes.h"
#include "analysis/posterior_slice.h"
#include "analysis/study_counts.h"
#include "browser/study_browser.h"
#include "controller/database_watch.h"
#include "controller/study_controller.h"
#include "controller/study_session.h"
#include "helpers/format.h"
#include "helpers/palette.h"
#include "main_window.h"
#include "models/study_list_model.h"
#include "models/trial_filter_model.h"
#include "models/trial_table_model.h"
#include "plots/acquisition_plot.h"
#include "plots/chart_export.h"
#include "plots/contour_plot.h"
#include "plots/hypervolume_plot.h"
#include "plots/learning_curve_plot.h"
#include "plots/objective_plot.h"
#include "plots/pareto_plot.h"
#include "plots/plot_style.h"
#include "plots/posterior_slice_plot.h"
#include "setup/objectives_editor.h"
#include "setup/setup_form.h"
#include "setup/setup_page.h"
#include "storage/database.h"
#include "strategies/strategy.h"
#include "study/study.h"
#include "support/strategy_harness.h"
#include "ui/ui_test_support.h"
#include "views/column_fitter.h"
#include "views/live_view.h"
#include "views/page_controls.h"
#include "views/run_progress.h"
#include "views/trial_detail.h"
#include "views/trials_view.h"
#include "views/welcome_panel.h"

using namespace bonsai;
using namespace bonsai::ui;

namespace {

StudyRecord recordOf(const Json& spec, std::int64_t id = 7) {
    StudyRecord record;
    record.id = id;
    record.name = spec["name"].get<std::string>();
    record.direction = spec.value("direction", std::string("minimize")) == "maximize"
                           ? Direction::Maximize
                           : Direction::Minimize;
    record.spec = spec;
    record.state = StudyState::Finished;
    return record;
}

Trial runningTrial(int number, double x1) {
    Trial trial;
    trial.number = number;
    trial.state = TrialState::Running;
    trial.params["x1"] = x1;
    trial.params["x2"] = 1.0;
    trial.startedAt = 1000.0 + number;
    return trial;
}

Trial completeTrial(int number, double x1, double value) {
    Trial trial = runningTrial(number, x1);
    trial.state = TrialState::Complete;
    trial.value = value;
    trial.completedAt = trial.startedAt + 0.5;
    return trial;
}

Json multiSpec() {
    Json spec = test::fastSpec("multi", 20);
    spec.erase("direction");
    spec["objective"] = {{"kind", "function"}, {"function", "zdt1"}};
    spec["space"] = Json::array({{{"name", "x1"}, {"type", "float"}, {"low", 0}, {"high", 1}},
                                 {{"name", "x2"}, {"type", "float"}, {"low", 0}, {"high", 1}}});
    spec["objectives"] = Json::array(
        {{{"name", "f1"}, {"direction", "minimize"}}, {{"name", "f2"}, {"direction", "minimize"}}});
    return spec;
}

Trial multiTrial(int number, double f1, double f2) {
    Trial trial = completeTrial(number, 0.1 * number, f1);
    trial.values = {f1, f2};
    trial.attrs["f1"] = f1;
    trial.attrs["f2"] = f2;
    return trial;
}

int sectionWidthNeeded(QTableView* table, int column) {
    int wanted = 0;
    for (int row = 0; row < table->model()->rowCount(); ++row)
        wanted =
            std::max(wanted, table->sizeHintForIndex(table->model()->index(row, column)).width());
    return wanted;
}

bool anyAxisVisible(QChart* chart) {
    for (QAbstractAxis* axis : chart->axes())
        if (axis->isVisible())
            return true;
    return false;
}

std::vector<Trial> storedTrials(const QString& path, const std::string& name) {
    Database database(path.toStdString(), Database::Mode::ReadOnly);
    return database.loadTrials(database.findStudy(name)->id);
}

}  // namespace

class TestStudio : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir m_dir;

  private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        test::isolateSettings(m_dir);
    }

    // ---- 1: the trials table during a run ------------------------------------

    void columnsWidenAsRowsArriveAndNeverJump() {
        StudySession session;
        TrialsView view(&session);
        view.resize(900, 400);
        view.show();
        session.show(recordOf(test::fastSpec("widths", 10)), {runningTrial(0, 1.5)});
        QTableView* table = view.table();
        const int stateWidth = table->columnWidth(TrialTableModel::StateColumn);
        // The first trial finishes with a long value, a second one arrives.
        session.applyUpdates({completeTrial(0, 1.5, 0.123456789), runningTrial(1, -3.25)});
        view.columnFitter()->flush();
        QVERIFY2(table->columnWidth(TrialTableModel::StateColumn) >=
                     sectionWidthNeeded(table, TrialTableModel::StateColumn),
                 "State fits 'complete', not 'compl…'");
        QVERIFY(table->columnWidth(TrialTableModel::StateColumn) > stateWidth);
        QVERIFY2(table->columnWidth(TrialTableModel::ValueColumn) >=
                     sectionWidthNeeded(table, TrialTableModel::ValueColumn),
                 "Value fits its number");
        // Shorter content later does not shrink a column (no jumping about).
        const int valueWidth = table->columnWidth(TrialTableModel::ValueColumn);
        session.applyUpdates({completeTrial(1, -3.25, 2.0)});
        view.columnFitter()->flush();
        QCOMPARE(table->columnWidth(TrialTableModel::ValueColumn), valueWidth);
        // The timer does it without a flush too.
        session.applyUpdates({completeTrial(2, 4.0, 1234567.891)});
        QTRY_VERIFY(table->columnWidth(TrialTableModel::ValueColumn) >=
                    sectionWidthNeeded(table, TrialTableModel::ValueColumn));
    }

    void aHiddenTableFitsItsColumnsWhenShown() {
        // Rows that arrive while another tab is in front cost no measuring
        // then; the columns fit them as soon as the table shows.
        StudySession session;
        TrialsView view(&session);
        view.resize(900, 400);
        view.show();
        session.show(recordOf(test::fastSpec("hidden", 10)), {runningTrial(0, 1.5)});
        QTableView* table = view.table();
        const int valueWidth = table->columnWidth(TrialTableModel::ValueColumn);
        view.hide();
        session.applyUpdates({completeTrial(0, 1.5, 1234567.891), runningTrial(1, -3.25)});
        view.columnFitter()->flush();
        QCOMPARE(table->columnWidth(TrialTableModel::ValueColumn), valueWidth);
        view.show();
        QVERIFY(table->columnWidth(TrialTableModel::ValueColumn) > valueWidth);
        QVERIFY(table->columnWidth(TrialTableModel::ValueColumn) >=
                sectionWidthNeeded(table, TrialTableModel::ValueColumn));
    }

    // ---- 18: a filter never moves the selection --------------------------------

    void aFilterKeepsOrClearsTheSelectionButNeverMovesIt() {
        StudySession session;
        TrialsView view(&session);
        view.show();
        std::vector<Trial> trials;
        for (int i = 0; i < 6; ++i)
            trials.push_back(completeTrial(i, i, 10.0 - i));
        trials[4].state = TrialState::Failed;
        trials[4].value.reset();
        session.show(recordOf(test::fastSpec("filter", 10)), trials);
        session.selectTrial(4);
        QCOMPARE(view.table()->selectionModel()->selectedRows().size(), 1);
        QSignalSpy selected(&session, &StudySession::selectedTrialChanged);
        // Show complete trials only: trial 4 (failed) is hidden.
        view.stateFilter()->setCurrentIndex(
            view.stateFilter()->findData(static_cast<int>(TrialState::Complete)));
        QCOMPARE(view.proxy()->rowCount(), 5);
        QCOMPARE(session.selectedTrial(), 4);
        QCOMPARE(selected.count(), 0);
        QVERIFY2(view.table()->selectionModel()->selectedRows().isEmpty(),
                 "no other trial is highlighted in its place");
        // Back to all trials: trial 4 is selected again.
        view.stateFilter()->setCurrentIndex(0);
        const auto rows = view.table()->selectionModel()->selectedRows();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.front().data(TrialTableModel::TrialNumberRole).toInt(), 4);
        // A text filter that keeps it keeps the selection.
        view.textFilter()->setText(QStringLiteral("failed"));
        QCOMPARE(session.selectedTrial(), 4);
        QCOMPARE(view.table()->selectionModel()->selectedRows().size(), 1);
        QVERIFY(view.filterNote()->isHidden());

        // A filter that matches nothing says so; a bad clause is named.
        view.textFilter()->setText(QStringLiteral("x1 > 100"));
        QCOMPARE(view.proxy()->rowCount(), 0);
        QVERIFY(view.filterNote()->isVisible());
        QCOMPARE(view.filterNote()->text(), QStringLiteral("No trial matches “x1 > 100”."));
        view.textFilter()->setText(QStringLiteral("x1 >= 3"));
        QCOMPARE(view.proxy()->rowCount(), 3);
        QVERIFY(view.filterNote()->isHidden());
        // Beside the filter, how many it keeps.
        QVERIFY(!view.shownCount()->isHidden());
        QCOMPARE(view.shownCount()->text(), QStringLiteral("3 of 6 trials"));
        view.textFilter()->setText(QStringLiteral("lr < 0.1"));
        QCOMPARE(view.proxy()->rowCount(), 6);
        QVERIFY(view.filterNote()->isVisible());
        QVERIFY2(view.filterNote()->text().startsWith("'lr' names no column"),
                 qPrintable(view.filterNote()->text()));
        view.textFilter()->clear();
        QVERIFY(view.filterNote()->isHidden());
        QVERIFY(view.shownCount()->isHidden());  // every trial shows
        view.stateFilter()->setCurrentIndex(
            view.stateFilter()->findData(static_cast<int>(TrialState::Pruned)));
        QCOMPARE(view.filterNote()->text(), QStringLiteral("No pruned trial."));
        view.textFilter()->setText(QStringLiteral("x1 < 2"));
        QCOMPARE(view.filterNote()->text(), QStringLiteral("No pruned trial matches “x1 < 2”."));
        view.stateFilter()->setCurrentIndex(0);
        QVERIFY(view.filterNote()->isHidden());

        // With no trial selected, the detail pane offers the best one.
        session.selectTrial(-1);
        QVERIFY2(view.detail()->text().contains("Show the best trial, 5: 5"),
                 qPrintable(view.detail()->text()));
        emit view.detail()->trialRequested(5);
        QCOMPARE(session.selectedTrial(), 5);
        QVERIFY(view.detail()->text().startsWith("Trial 5"));
    }

    // ---- 2: every chart resets when the shown study changes -----------------

    // The watch tells commits of other connections (bonsai-cli, another
    // window) from silence, and polls either way, so a follower can also
    // notice a runner that died without committing anything.
    void theWatchTellsCommitsElsewhereFromSilence() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("watched.db").toStdString();
        Database window(path);
        DatabaseWatch watch(nullptr, 20);
        QSignalSpy changed(&watch, &DatabaseWatch::changed);
        QSignalSpy polled(&watch, &DatabaseWatch::polled);
        watch.watch(&window);
        window.createStudy("own", Direction::Minimize, test::fastSpec("own", 3));
        QTRY_VERIFY(polled.count() >= 3);
        QCOMPARE(changed.count(), 0);  // its own write, and silence

        Database elsewhere(path);
        elsewhere.createStudy("elsewhere", Direction::Minimize, test::fastSpec("elsewhere", 3));
        QTRY_COMPARE(changed.count(), 1);
        const int after = polled.count();
        QTRY_VERIFY(polled.count() >= after + 3);
        QCOMPARE(changed.count(), 1);

        watch.watch(nullptr);
        elsewhere.createStudy("unseen", Direction::Minimize, test::fastSpec("unseen", 3));
        QTest::qWait(100);
        QCOMPARE(changed.count(), 1);
    }

    void chartsDropTheAxesOfTheStudyShownBefore() {
        StudySession session;
        LiveView live(&session);
        live.resize(1000, 700);
        live.show();
        Json specA = test::fastSpec("curves", 10);
        std::vector<Trial> withCurves;
        for (int i = 0; i < 4; ++i) {
            Trial trial = completeTrial(i, i, 1.0 + i);
            trial.intermediate = {{1, 3.5}, {2, 2.0 + i}, {3, 0.5 + i}};
            withCurves.push_back(trial);
        }
        session.show(recordOf(specA, 1), withCurves);
        QVERIFY(live.learningCurvePlot()->emptyMessage().isEmpty());
        QVERIFY(anyAxisVisible(live.learningCurvePlot()->chart()));

        Json specB = test::fastSpec("no-curves", 10);
        session.show(recordOf(specB, 2), {completeTrial(0, 1, 2)});
        QVERIFY(!live.learningCurvePlot()->emptyMessage().isEmpty());
        QVERIFY2(!anyAxisVisible(live.learningCurvePlot()->chart()),
                 "no y 0.5-3.5 left over from the other study");
        QVERIFY(!anyAxisVisible(live.acquisitionPlot()->chart()));
        QVERIFY(!anyAxisVisible(live.posteriorPlot()->chart()));

        session.clear();
        QVERIFY(!anyAxisVisible(live.objectivePlot()->chart()));
        QVERIFY(!live.objectivePlot()->emptyMessage().isEmpty());
    }

    void chartsNameWhatTheObjectiveMeasures() {
        // Bonsai's NAS training reports validation accuracy per epoch, and a
        // table's value is its metric column; a test function or a command
        // keeps the generic names.
        auto axisTitles = [](QChart* chart) {
            QStringList titles;
            for (QAbstractAxis* axis : chart->axes())
                titles << axis->titleText();
            titles.sort();
            return titles;
        };
        StudySession session;
        LiveView live(&session);
        TrialsView trials(&session);
        live.resize(1000, 700);
        live.show();
        Trial trial = completeTrial(0, 1, 81.5);
        trial.intermediate = {{1, 70.0}, {2, 78.5}, {3, 81.5}};

        Json nas = test::fastSpec("nas", 10);
        nas["objective"] = Json{{"kind", "fashion-mnist"}};
        session.show(recordOf(nas, 1), {trial});
        LearningCurvePlot* curves = live.learningCurvePlot();
        QCOMPARE(axisTitles(curves->chart()), (QStringList{"Epoch", "Validation accuracy (%)"}));
        QCOMPARE(curves->chartTitleDetail(), QString("validation accuracy per epoch"));
        session.selectTrial(0);
        QVERIFY2(trials.detail()->text().contains("3 (last 81.5 at epoch 3)"),
                 qPrintable(trials.detail()->text()));
        QCOMPARE(axisTitles(trials.detail()->learningCurvePlot()->chart()),
                 (QStringList{"Epoch", "Validation accuracy (%)"}));
        QCOMPARE(axisTitles(live.objectivePlot()->chart()),
                 (QStringList{"Trial", "Validation accuracy (%)"}));

        Json table = test::fastSpec("table", 10);
        table["objective"] = Json{{"kind", "tabular"}, {"metric", "valid_acc"}};
        session.show(recordOf(table, 3), {trial});
        QCOMPARE(axisTitles(live.objectivePlot()->chart()), (QStringList{"Trial", "valid_acc"}));
        QCOMPARE(live.objectivePlot()->chartTitleDetail(), QString("valid_acc"));
        QCOMPARE(axisTitles(curves->chart()), (QStringList{"Intermediate value", "Step"}));

        session.show(recordOf(test::fastSpec("function", 10), 2), {trial});
        QCOMPARE(axisTitles(curves->chart()), (QStringList{"Intermediate value", "Step"}));
        QCOMPARE(axisTitles(live.objectivePlot()->chart()),
                 (QStringList{"Objective value", "Trial"}));
        QVERIFY(live.objectivePlot()->chartTitleDetail().isEmpty());
        QVERIFY(curves->chartTitleDetail().isEmpty());
        session.selectTrial(0);
        QVERIFY2(trials.detail()->text().contains("3 (last 81.5 at step 3)"),
                 qPrintable(trials.detail()->text()));
    }

    void learningCurvesTakeRoomOnlyOnceATrialReportsThem() {
        StudySession session;
        LiveView live(&session);
        live.resize(1000, 700);
        live.show();
        auto gpSpec = [](const std::string& name) {
            Json spec = test::fastSpec(name, 10);
            spec["strategy"] = {{"kind", "gp"}};
            return spec;
        };
        session.show(recordOf(gpSpec("no-curves"), 1), {completeTrial(0, 1, 2)});
        QVERIFY(!live.learningCurvePlot()->isVisible());
        // The posterior slice takes the whole right-hand column instead: at
        // 1000x700 tall enough (240 px) to keep its legend and axis titles.
        QTRY_VERIFY(live.posteriorPlot()->height() > live.objectivePlot()->height());
        QVERIFY(live.posteriorPlot()->height() >= 240);

        Trial reporting = completeTrial(1, 2, 1.5);
        reporting.intermediate = {{1, 2.5}, {2, 1.5}};
        session.show(recordOf(gpSpec("curves"), 2), {completeTrial(0, 1, 2), reporting});
        QVERIFY(live.learningCurvePlot()->isVisible());
        QVERIFY(live.learningCurvePlot()->emptyMessage().isEmpty());
        QTRY_VERIFY(live.posteriorPlot()->height() < live.objectivePlot()->height());

        session.show(recordOf(gpSpec("no-curves-again"), 3), {completeTrial(0, 1, 2)});
        QVERIFY(!live.learningCurvePlot()->isVisible());
    }

    // The acquisition and GP panels only for strategies that have them; the
    // charts that apply take their room.
    void modelPanelsOnlyForStrategiesThatHaveThem() {
        StudySession session;
        LiveView live(&session);
        live.resize(1000, 700);
        live.show();
        auto specOf = [](const std::string& kind) {
            Json spec = test::fastSpec(kind + "-study", 10);
            spec["strategy"] = {{"kind", kind}};
            return spec;
        };
        const std::vector<Trial> trials = {completeTrial(0, 1, 2), completeTrial(1, 2, 1)};

        session.show(recordOf(specOf("gp"), 1), trials);
        QVERIFY(live.acquisitionPlot()->isVisible());
        QVERIFY(live.posteriorPlot()->isVisible());
        QTRY_VERIFY(live.objectivePlot()->width() < 600);

        // Random: neither; the objective takes the whole chart area.
        session.show(recordOf(specOf("random"), 2), trials);
        QVERIFY(!live.acquisitionPlot()->isVisible());
        QVERIFY(!live.posteriorPlot()->isVisible());
        QTRY_VERIFY(live.objectivePlot()->width() > 900);
        QVERIFY(live.objectivePlot()->height() > 550);

        // With learning curves, they share the area with the objective.
        Trial reporting = completeTrial(2, 2, 1.5);
        reporting.intermediate = {{1, 2.5}, {2, 1.5}};
        session.show(recordOf(specOf("evolution"), 3), {trials[0], trials[1], reporting});
        QVERIFY(live.learningCurvePlot()->isVisible());
        QTRY_VERIFY(live.objectivePlot()->width() < 600);
        QVERIFY(live.learningCurvePlot()->height() > 550);

        // TPE: its score, but no GP.
        session.show(recordOf(specOf("tpe"), 4), trials);
        QVERIFY(live.acquisitionPlot()->isVisible());
        QVERIFY(!live.posteriorPlot()->isVisible());
        QTRY_VERIFY(live.acquisitionPlot()->width() > 900);
    }

    // A single-objective study's Pareto page: the message alone, no legend
    // of dominated / infeasible / Pareto points that are not drawn.
    void anEmptyChartShowsNoLegend() {
        ParetoPlot plot;
        plot.resize(700, 500);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.clearView(QStringLiteral("A single-objective study has no Pareto front"));
        QVERIFY(!plot.chart()->legend()->isVisible());
        ObjectivePlot objective;
        objective.resize(700, 500);
        objective.show();
        QVERIFY(QTest::qWaitForWindowExposed(&objective));
        QVERIFY(!objective.chart()->legend()->isVisible());  // no trial yet
        objective.setTrials(std::vector<Trial>{completeTrial(0, 1, 2)}, Direction::Minimize);
        QVERIFY(objective.chart()->legend()->isVisible());
    }

    void axisChoosersNeedTwoNames() {
        AxisPairChooser axes(QStringLiteral("test.axes"));
        axes.setNames({QStringLiteral("lr")});
        QVERIFY(!axes.isEnabled());
        QVERIFY(!axes.isPair());
        axes.setNames({QStringLiteral("lr"), QStringLiteral("momentum")});
        QVERIFY(axes.isEnabled());
        QVERIFY(axes.isPair());
    }

    void contourHidesItsAxesUnderItsMessage() {
        ContourPlot plot;
        plot.resize(500, 400);
        plot.clearGrid(QStringLiteral("The contour needs two numeric parameters"));
        QVERIFY(!anyAxisVisible(plot.chart()));
    }

    // ---- 3: log and integer axes ------------------------------------------------

    void posteriorSliceUsesALogAxisForLogParameters() {
        PosteriorSlicePlot plot;
        ui::PosteriorSlice slice;
        slice.parameter = QStringLiteral("lr");
        slice.logScale = true;
        for (double x : {1e-4, 1e-3, 1e-2, 1e-1}) {
            slice.x.push_back(x);
            slice.median.push_back(std::log10(x));
            slice.lower.push_back(std::log10(x) - 0.2);
            slice.upper.push_back(std::log10(x) + 0.2);
        }
        slice.observedX = {2e-4, 5e-2};
        slice.observedY = {-3.7, -1.3};
        plot.setSlice(slice);
        QCOMPARE(plot.parameterAxis()->type(), QAbstractAxis::AxisTypeLogValue);
        auto* log = static_cast<QLogValueAxis*>(plot.parameterAxis());
        QVERIFY(log->min() > 0 && log->min() <= 1e-4);
        QVERIFY(log->max() >= 1e-1);
        QCOMPARE(plot.parameterAxis()->titleText(), QStringLiteral("lr"));
        QVERIFY(plot.parameterAxis()->isVisible());

        // A linear int parameter next: back to a value axis with whole ticks.
        slice.parameter = QStringLiteral("layers");
        slice.logScale = false;
        slice.integer = true;
        slice.x = {1, 2, 3, 4, 5, 6, 7, 8};
        slice.median.assign(8, 1.0);
        slice.lower.assign(8, 0.8);
        slice.upper.assign(8, 1.2);
        slice.observedX = {2, 5};
        plot.setSlice(slice);
        QCOMPARE(plot.parameterAxis()->type(), QAbstractAxis::AxisTypeValue);
        auto* axis = static_cast<QValueAxis*>(plot.parameterAxis());
        QCOMPARE(axis->labelFormat(), QStringLiteral("%.0f"));
        QVERIFY(axis->tickInterval() >= 1.0);
        QCOMPARE(std::fmod(axis->tickInterval(), 1.0), 0.0);
    }

    void gpSliceKnowsTheParameterIsLog() {
        Json spec = test::fastSpec("log", 10);
        spec["space"] = Json::array(
            {{{"name", "lr"}, {"type", "float"}, {"low", 1e-4}, {"high", 1e-1}, {"log", true}},
             {{"name", "layers"}, {"type", "int"}, {"low", 1}, {"high", 8}}});
        spec["strategy"] = {{"kind", "gp"}};
        std::vector<Trial> trials;
        for (int i = 0; i < 6; ++i) {
            Trial trial;
            trial.number = i;
            trial.state = TrialState::Complete;
            trial.params["lr"] = std::pow(10.0, -4 + 0.55 * i);
            trial.params["layers"] = std::int64_t{1 + i};
            trial.value = 0.1 * i * i - 0.5 * i;
            trials.push_back(trial);
        }
        auto slice = gpPosteriorSliceOf(recordOf(spec), trials, "lr");
        QVERIFY(slice);
        QVERIFY(slice->logScale);
        QVERIFY(!slice->integer);
        auto ints = gpPosteriorSliceOf(recordOf(spec), trials, "layers");
        QVERIFY(ints);
        QVERIFY(ints->integer);
    }

    // A multi-objective study's slice is its first objective's GP, named on
    // the value axis, without a one-objective acquisition curve (the study's
    // EHVI scores all objectives at once).
    // The Live slice of a multi-objective study models the objective the user
    // picks, in its own direction and through its own best trial.
    static Json threeObjectiveSpec() {
        Json spec = test::fastSpec("three", 10);
        spec["space"] = Json::array({{{"name", "x"}, {"type", "float"}, {"low", 0}, {"high", 1}}});
        spec["objectives"] = Json::parse(R"([{"name": "f1", "direction": "minimize"},
                                              {"name": "f2", "direction": "maximize"},
                                              {"name": "f3", "direction": "minimize"}])");
        spec["strategy"] = {{"kind", "gp"}};
        return spec;
    }
    static std::vector<Trial> threeObjectiveTrials() {
        std::vector<Trial> trials;
        for (int i = 0; i < 6; ++i) {
            const double x = 0.15 * i + 0.05;
            trials.push_back(test::completeTrial(i, {{"x", x}}, x));
            trials.back().values = {x, 2 * x, (x - 0.5) * (x - 0.5)};
        }
        return trials;
    }

    void multiObjectiveSlicesNameTheirObjectiveAndDrawNoAcquisition() {
        Json spec = threeObjectiveSpec();
        const std::vector<Trial> trials = threeObjectiveTrials();
        auto slice = gpPosteriorSliceOf(recordOf(spec), trials, "x");
        QVERIFY(slice);
        QCOMPARE(slice->valueName, QString("f1"));
        QVERIFY(slice->acquisition.empty());
        QVERIFY(!slice->median.empty());
        QCOMPARE(slice->incumbentX, std::optional<double>(0.05));  // f1 is minimized
        QCOMPARE(slice->observedY.front(), 0.05);

        // The second objective: its values, maximized, so through the last trial.
        auto second = gpPosteriorSliceOf(recordOf(spec), trials, "x", -1, 1);
        QVERIFY(second);
        QCOMPARE(second->valueName, QString("f2"));
        QVERIFY(second->acquisition.empty());
        QCOMPARE(second->incumbentX, std::optional<double>(0.8));
        QCOMPARE(second->observedY.size(), trials.size());
        for (std::size_t i = 0; i < trials.size(); ++i)
            QCOMPARE(second->observedY[i], trials[i].values[1]);
        // The model follows the data: higher f2 where x is larger.
        QVERIFY(second->median.back() > second->median.front() + 0.5);
        QVERIFY(!gpPosteriorSliceOf(recordOf(spec), trials, "x", -1, 3));  // no fourth objective

        PosteriorSlicePlot plot;
        plot.resize(500, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setSlice(*slice);
        QValueAxis* valueAxis = nullptr;
        for (QAbstractAxis* axis : plot.chart()->axes(Qt::Vertical))
            if (axis->alignment() == Qt::AlignLeft)
                valueAxis = qobject_cast<QValueAxis*>(axis);
        QVERIFY(valueAxis);
        QCOMPARE(valueAxis->titleText(), QString("f1"));
        // No acquisition: neither its right-hand axis nor its curve (a hidden
        // series also hides its legend entry).
        auto acquisitionShown = [&plot] {
            bool axis = false;
            for (QAbstractAxis* a : plot.chart()->axes(Qt::Vertical))
                axis = axis || (a->alignment() == Qt::AlignRight && a->isVisible());
            bool curve = false;
            for (QAbstractSeries* series : plot.chart()->series())
                if (auto* line = qobject_cast<QLineSeries*>(series);
                    line && line->attachedAxes().size() == 2 &&
                    line->attachedAxes()[1]->alignment() == Qt::AlignRight)
                    curve = curve || line->isVisible();
            return std::pair{axis, curve};
        };
        QCOMPARE(acquisitionShown(), std::pair(false, false));
        // Nor after a categorical slice hid it and a numeric one showed the
        // band again (the hidden entry came back then).
        ui::PosteriorSlice categories = *slice;
        categories.categories = {"a", "b"};
        categories.x = {0, 1};
        categories.median = {0.2, 0.4};
        categories.lower = {0.0, 0.2};
        categories.upper = {0.4, 0.6};
        plot.setSlice(categories);
        plot.setSlice(*slice);
        QCOMPARE(acquisitionShown(), std::pair(false, false));

        // One objective: the acquisition is drawn and the axis says "Objective value".
        spec.erase("objectives");
        auto single = gpPosteriorSliceOf(recordOf(spec), trials, "x");
        QVERIFY(single && !single->acquisition.empty() && single->valueName.isEmpty());
        QCOMPARE(single->acquisitionName, QStringLiteral("LogEI"));  // as the Live chart names it
        plot.setSlice(*single);
        QCOMPARE(valueAxis->titleText(), QString("Objective value"));
        QCOMPARE(acquisitionShown(), std::pair(true, true));
    }

    // Over the last part of a budget a gp with exploit_last suggests from a
    // shrunk variance: the slice draws that acquisition and its legend says
    // so; before then, and without the setting, the plain one.
    void theSliceShowsTheExploitingAcquisitionOfTheBudgetsLastTrials() {
        Json spec = test::fastSpec("exploit", 10);
        spec["space"] = Json::array({{{"name", "x"}, {"type", "float"}, {"low", 0}, {"high", 1}}});
        spec["strategy"] = {{"kind", "gp"}, {"exploit_last", 0.5}};
        std::vector<Trial> trials;
        for (int i = 0; i < 6; ++i) {
            const double x = 0.15 * i + 0.05;
            trials.push_back(test::completeTrial(i, {{"x", x}}, (x - 0.4) * (x - 0.4)));
        }
        // 6 of 10 trials, the last half exploiting: (10 - 6) / (0.5 * 10).
        auto exploiting = gpPosteriorSliceOf(recordOf(spec), trials, "x");
        QVERIFY(exploiting);
        QCOMPARE(exploiting->acquisitionVarianceScale, 0.8);
        spec["strategy"].erase("exploit_last");
        auto plain = gpPosteriorSliceOf(recordOf(spec), trials, "x");
        QCOMPARE(plain->acquisitionVarianceScale, 1.0);
        QCOMPARE(plain->median, exploiting->median);
        QVERIFY(plain->acquisition != exploiting->acquisition);
        // Trials 0-4 of 10 come before the last half: no exploiting yet.
        spec["strategy"]["exploit_last"] = 0.5;
        trials.pop_back();
        QCOMPARE(gpPosteriorSliceOf(recordOf(spec), trials, "x")->acquisitionVarianceScale, 1.0);

        // The acquisition's axis (right) says so; the legend keeps "LogEI".
        PosteriorSlicePlot plot;
        auto acquisitionAxisTitle = [&plot] {
            for (QAbstractAxis* axis : plot.chart()->axes(Qt::Vertical))
                if (axis->alignment() == Qt::AlignRight)
                    return axis->titleText();
            return QString();
        };
        plot.setSlice(*exploiting);
        QCOMPARE(acquisitionAxisTitle(), QString("LogEI (exploiting)"));
        plot.setSlice(*plain);
        QCOMPARE(acquisitionAxisTitle(), QString("LogEI"));
    }

    static QString valueAxisTitle(PosteriorSlicePlot* plot) {
        for (QAbstractAxis* axis : plot->chart()->axes(Qt::Vertical))
            if (axis->alignment() == Qt::AlignLeft)
                return axis->titleText();
        return {};
    }

    // Beside "Slice along" a multi-objective study offers its objectives;
    // a single-objective study has nothing to choose.
    void theLiveSliceOfSeveralObjectivesFollowsTheChosenObjective() {
        StudySession session;
        LiveView live(&session);
        live.setPosteriorProvider([](const StudyRecord& study, const std::vector<Trial>& trials,
                                     const std::string& parameter, int edge,
                                     std::size_t objective) {
            return gpPosteriorSliceOf(study, trials, parameter, edge, objective);
        });
        live.resize(1000, 700);
        live.show();
        QVERIFY(QTest::qWaitForWindowExposed(&live));
        session.show(recordOf(threeObjectiveSpec(), 1), threeObjectiveTrials());
        live.refreshNow();
        QComboBox* objective = live.posteriorObjective();
        QVERIFY(objective->isVisible());
        QCOMPARE(objective->count(), 3);
        QCOMPARE(objective->itemText(1), QString("f2"));
        QTRY_VERIFY(!live.posteriorBusy() && live.posteriorPlot()->emptyMessage().isEmpty());
        QCOMPARE(valueAxisTitle(live.posteriorPlot()), QString("f1"));

        objective->setCurrentIndex(1);
        QTRY_COMPARE(valueAxisTitle(live.posteriorPlot()), QString("f2"));
        QTRY_VERIFY(!live.posteriorBusy());

        // Neither chooser is squeezed: where both do not fit side by side
        // (long names, a narrow panel) the objective's goes under the
        // parameter's.
        Json named = threeObjectiveSpec();
        named["space"][0]["name"] = "learning_rate_of_the_optimizer";
        named["objectives"][0]["name"] = "validation_accuracy";
        named["objectives"][1]["name"] = "latency_on_pixel3_ms";
        std::vector<Trial> renamed = threeObjectiveTrials();
        for (Trial& trial : renamed)
            trial.params = {{"learning_rate_of_the_optimizer", trial.params.at("x")}};
        session.show(recordOf(named, 3), renamed);
        live.refreshNow();
        auto unsqueezed = [&live, objective] {
            QComboBox* parameter = live.posteriorParameter();
            return parameter->width() >= parameter->sizeHint().width() &&
                   objective->width() >= objective->sizeHint().width();
        };
        live.resize(640, 700);
        QTRY_VERIFY(live.sliceChoosersStacked());
        QTRY_VERIFY(unsqueezed());
        live.resize(1600, 700);
        QTRY_VERIFY(!live.sliceChoosersStacked());
        QTRY_VERIFY(unsqueezed());
        QTRY_VERIFY(!live.posteriorBusy());

        Json single = test::fastSpec("single", 10);
        single["strategy"] = {{"kind", "gp"}};
        session.show(recordOf(single, 2), {completeTrial(0, 1, 2), completeTrial(1, 2, 1)});
        live.refreshNow();
        QVERIFY(!objective->isVisible());
        QTRY_COMPARE(valueAxisTitle(live.posteriorPlot()), QString("Objective value"));
        QTRY_VERIFY(!live.posteriorBusy());
    }

    void contourIntAxesHaveWholeTicks() {
        ContourPlot plot;
        plot.resize(500, 400);
        PosteriorGrid grid;
        grid.paramX = "layers";
        grid.paramY = "learning_rate";
        grid.columns = grid.rows = 4;
        grid.xLow = 1, grid.xHigh = 8, grid.yLow = 0, grid.yHigh = 1;
        grid.median.assign(16, 0.5);
        plot.setIntegerParameters({"layers"});
        plot.setGrid(grid);
        auto axes = plot.chart()->axes(Qt::Horizontal);
        QCOMPARE(axes.size(), 1);
        auto* x = qobject_cast<QValueAxis*>(axes.front());
        QVERIFY(x);
        QCOMPARE(x->labelFormat(), QStringLiteral("%.0f"));
        QCOMPARE(x->tickType(), QValueAxis::TicksDynamic);
        QCOMPARE(std::fmod(x->tickInterval(), 1.0), 0.0);
        QCOMPARE(std::fmod(x->tickAnchor(), 1.0), 0.0);
    }

    // ---- 4: pause lets the running trial finish; stop now interrupts ---------

    void pauseThenResumeKeepsTheRunningTrialsResult() {
        StudyController controller(ObjectiveRegistry::withBuiltins());
        QSignalSpy ended(&controller, &StudyController::studyEnded);
        QSignalSpy trials(&controller, &StudyController::trialChanged);
        QSignalSpy pausing(&controller, &StudyController::pausingChanged);
        const QString path = m_dir.filePath("pause.db");
        controller.startNew(path, test::fastSpec("pause", 6, 0.4));
        // Pause while trial 0 is running.
        QTRY_VERIFY_WITH_TIMEOUT(trials.count() >= 1, 30000);
        QVERIFY(!trials.front()[0].value<Trial>().finished());
        controller.pause();
        QVERIFY(controller.isPausing());
        QCOMPARE(pausing.count(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 30000);
        QCOMPARE(ended[0][1].toString(), QStringLiteral("paused"));
        QVERIFY(!controller.isPausing());
        {
            const auto stored = storedTrials(path, "pause");
            QCOMPARE(stored.size(), std::size_t(1));
            QCOMPARE(stored[0].state, TrialState::Complete);
            QVERIFY2(stored[0].value.has_value(), stored[0].error.c_str());
            Database database(path.toStdString(), Database::Mode::ReadOnly);
            QCOMPARE(database.findStudy("pause")->state, StudyState::Paused);
        }
        controller.resume(path, QStringLiteral("pause"));
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 2, 60000);
        QCOMPARE(ended[1][1].toString(), QStringLiteral("finished"));
        const auto stored = storedTrials(path, "pause");
        QCOMPARE(stored.size(), std::size_t(6));
        for (const Trial& trial : stored)
            QVERIFY2(trial.state == TrialState::Complete, trial.error.c_str());
    }

    void stopNowInterruptsAndTheTrialReadsInterrupted() {
        StudyController controller(ObjectiveRegistry::withBuiltins());
        QSignalSpy ended(&controller, &StudyController::studyEnded);
        QSignalSpy trials(&controller, &StudyController::trialChanged);
        const QString path = m_dir.filePath("stopnow.db");
        controller.startNew(path, test::fastSpec("stopnow", 5, 5.0));
        QTRY_VERIFY_WITH_TIMEOUT(trials.count() >= 1, 30000);
        controller.stop();
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 5000);
        QCOMPARE(ended[0][1].toString(), QStringLiteral("stopped"));
        const auto stored = storedTrials(path, "stopnow");
        QCOMPARE(stored.size(), std::size_t(1));
        QVERIFY(isInterrupted(stored[0]));
        // The table says interrupted, not failed, and it does not count.
        TrialTableModel model;
        model.setTrials({"x1", "x2"}, stored);
        QCOMPARE(model.index(0, TrialTableModel::StateColumn).data().toString(),
                 QStringLiteral("interrupted"));
        QCOMPARE(studyCounts(stored, recordOf(test::fastSpec("stopnow", 5))).counted, 0);
    }

    void progressHoldsTimeWhilePausedAndCarriesOnAfter() {
        RunProgress progress;
        progress.start(3, QStringLiteral("three"), 0, 10);
        QTest::qWait(120);
        progress.trialCounted();
        // At once, as the Live header counts the same batch (not at the tick).
        QVERIFY2(progress.text().startsWith(QStringLiteral("three: 1 / 10 trials")),
                 qPrintable(progress.text()));
        progress.setPausing(true);
        QVERIFY(progress.text().contains(QStringLiteral("pausing")));
        QVERIFY(!progress.text().contains(QStringLiteral("left")));
        progress.finish(QStringLiteral("paused"));
        const double before = progress.elapsedSeconds();
        QVERIFY(before >= 0.1);
        QTest::qWait(150);
        QCOMPARE(progress.elapsedSeconds(), before);  // no ticking while paused
        progress.start(3, QStringLiteral("three"), 1, 10);
        QVERIFY2(progress.elapsedSeconds() >= before, "resuming does not reset the elapsed time");
        QVERIFY(!progress.text().contains(QStringLiteral("pausing")));
        // Another study starts from zero.
        progress.finish(QStringLiteral("paused"));
        progress.start(4, QStringLiteral("four"), 0, 10);
        QVERIFY(progress.elapsedSeconds() < before);
    }

    // The status bar keeps the last run's progress while other studies are
    // shown, so it says whose it is, and drops it when that study goes.
    void progressNamesItsStudyAndForgetsADeletedOne() {
        RunProgress progress;
        progress.start(7, QStringLiteral("resnet-%2-sweep"), 2, 5);
        QVERIFY2(progress.text().startsWith(QStringLiteral("resnet-%2-sweep: 2 / 5 trials")),
                 qPrintable(progress.text()));
        progress.finish(QStringLiteral("trial budget used"));
        QVERIFY(progress.text().endsWith(QStringLiteral(" — trial budget used")));
        progress.renameStudy(8, QStringLiteral("other"));  // not this study: no change
        QVERIFY(progress.text().startsWith(QStringLiteral("resnet-%2-sweep:")));
        progress.renameStudy(7, QStringLiteral("renamed"));
        QVERIFY2(progress.text().startsWith(QStringLiteral("renamed: 2 / 5 trials")),
                 qPrintable(progress.text()));
        QVERIFY(progress.text().endsWith(QStringLiteral(" — trial budget used")));
        QVERIFY(!progress.isHidden());
        progress.forgetStudy(8);
        QVERIFY(!progress.isHidden());
        progress.forgetStudy(7);
        QVERIFY(progress.isHidden());
    }

    void theStatusBarFollowsRenamesDeletionsAndAnotherDatabase() {
        QTemporaryDir dir;
        MainWindow window(ObjectiveRegistry::withBuiltins());
        QCOMPARE(window.openDatabase(dir.filePath("first.db")), QString());
        window.show();
        window.setupPage()->form()->setJson(test::fastSpec("ran", 3));
        window.startAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(
            !window.controller()->isRunning() && window.browser()->model()->rowOf("ran") >= 0,
            30000);
        RunProgress* progress = window.progress();
        QVERIFY(progress->isVisible());
        QVERIFY2(progress->text().startsWith(QStringLiteral("ran: 3 / 3 trials")),
                 qPrintable(progress->text()));
        window.showStudy(QStringLiteral("ran"));
        QCOMPARE(window.renameShownStudy(QStringLiteral("kept")), QString());
        QVERIFY2(progress->text().startsWith(QStringLiteral("kept: 3 / 3 trials")),
                 qPrintable(progress->text()));
        QCOMPARE(window.deleteStudies({QStringLiteral("kept")}), QString());
        QVERIFY(!progress->isVisible());

        window.setupPage()->form()->setJson(test::fastSpec("again", 2));
        window.startAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(
            !window.controller()->isRunning() && window.browser()->model()->rowOf("again") >= 0,
            30000);
        QVERIFY(progress->isVisible());
        QCOMPARE(window.openDatabase(dir.filePath("second.db")), QString());
        QVERIFY2(!progress->isVisible(), "the run belongs to the database that was closed");
    }

    // ---- 8: header, browser and status bar agree -------------------------------

    void headerBrowserAndStatusBarAgreeWhileRunning() {
        QTemporaryDir dir;
        MainWindow window(ObjectiveRegistry::withBuiltins());
        QCOMPARE(window.openDatabase(dir.filePath("agree.db")), QString());
        window.resize(1400, 900);
        window.show();
        window.setupPage()->form()->setJson(test::fastSpec("agree", 30, 0.03));
        window.startAction()->trigger();
        int checks = 0;
        auto check = [&] {
            if (!window.session()->hasStudy())
                return;
            const StudyCounts& counts = window.session()->counts();
            StudyListModel* list = window.browser()->model();
            const int row = list->rowOf(QStringLiteral("agree"));
            if (row < 0)
                return;
            QCOMPARE(list->index(row, StudyListModel::TrialsColumn).data().toInt(), counts.trials);
            QCOMPARE(window.progress()->done(), static_cast<qint64>(counts.counted));
            ++checks;
        };
        connect(window.session(), &StudySession::trialsChanged, this, check);
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isRunning(), 60000);
        QVERIFY(checks >= 3);
        QVERIFY(window.liveView()
                    ->findChild<QLabel*>(QStringLiteral("live.header"))
                    ->text()
                    .contains(QStringLiteral("30 trials")));
    }

    // ---- 6: multi-objective counts and hypervolume ------------------------------

    void multiObjectiveStudiesShowParetoSizeAndHypervolume() {
        const StudyRecord record = recordOf(multiSpec());
        std::vector<Trial> trials{multiTrial(0, 1, 5), multiTrial(1, 2, 2), multiTrial(2, 3, 3),
                                  multiTrial(3, 0.5, 4)};
        const StudyCounts counts = studyCounts(trials, record);
        QVERIFY(counts.multiObjective);
        // (0.5, 4) dominates (1, 5); (2, 2) dominates (3, 3).
        QCOMPARE(counts.paretoSize, 2);
        QVERIFY(counts.hypervolume > 0);
        QVERIFY(countsSummary(counts).contains(QStringLiteral("Pareto set 2")));
        const auto curve = hypervolumeHistory(trials, record).curve;
        QCOMPARE(curve.size(), std::size_t(4));
        for (std::size_t i = 1; i < curve.size(); ++i)
            QVERIFY2(curve[i].y() >= curve[i - 1].y(), "the hypervolume never falls");
        QCOMPARE(curve.back().y(), counts.hypervolume);

        // Browser row of the shown study and the Live tab use them.
        StudyListModel list;
        StudySummary summary;
        summary.study = record;
        summary.trialCount = 1;  // a listing a moment old
        list.setStudies({summary});
        list.setShownCounts(record.id, counts);
        QCOMPARE(list.index(0, StudyListModel::TrialsColumn).data().toInt(), 4);
        QCOMPARE(list.index(0, StudyListModel::BestColumn).data().toString(),
                 QStringLiteral("2 on front"));

        // Other multi-objective studies list their front too, counted once
        // per change of their trial count.
        summary.trialCount = 4;
        list.setStudies({summary});
        list.setShownCounts(-1, {});
        QVERIFY(list.needsFrontCounts(summary));
        QCOMPARE(list.index(0, StudyListModel::BestColumn).data().toString(), QStringLiteral("—"));
        list.setFrontCounts(record.id, counts);
        QVERIFY(!list.needsFrontCounts(summary));
        QCOMPARE(list.index(0, StudyListModel::BestColumn).data().toString(),
                 QStringLiteral("2 on front"));
        summary.trialCount = 5;
        list.setStudies({summary});
        QVERIFY(list.needsFrontCounts(summary));
        // The list and studyCounts read "multi-objective" alike: a stored spec
        // whose objectives no longer parse is single-objective to both.
        StudySummary damaged = summary;
        damaged.study.id = record.id + 1;
        damaged.study.spec["objectives"] = Json::array({1, 2});
        QVERIFY(!studyCounts(trials, damaged.study).multiObjective);
        QVERIFY(!list.needsFrontCounts(damaged));
        QCOMPARE(list.index(0, StudyListModel::BestColumn).data().toString(), QStringLiteral("—"));
        StudySession session;
        LiveView live(&session);
        live.show();
        session.show(record, trials);
        QVERIFY(live.hypervolumePlot()->isVisible());
        QVERIFY(!live.objectivePlot()->isVisible());
        QVERIFY(live.hypervolumePlot()->pointCount() > 0);
        // The chart names the corner its volume is measured from: derived
        // from the trials (worst value plus 10 % of the range) unless given.
        // (No line break inside "f1 = 3.25".)
        QCOMPARE(live.hypervolumePlot()->chartTitleDetail(),
                 QStringLiteral("reference f1\u00A0=\u00A03.25, f2\u00A0=\u00A05.3"));
        QVERIFY(live.hypervolumePlot()->toolTip().contains(
            "Reference point f1 = 3.25, f2 = 5.3, derived from the trials"));
        StudyRecord referenced = record;
        referenced.spec["objectives"][0]["reference"] = 4;
        referenced.spec["objectives"][1]["reference"] = 6;
        session.show(referenced, trials);
        QCOMPARE(live.hypervolumePlot()->chartTitleDetail(),
                 QStringLiteral("reference f1\u00A0=\u00A04, f2\u00A0=\u00A06"));
        QVERIFY(live.hypervolumePlot()->toolTip().contains("reference in the spec"));
        session.show(record, trials);

        // The trials table: objective columns and the Pareto flag.
        TrialTableModel* model = session.model();
        QVERIFY(model->flagColumn() >= 0);
        QVERIFY(model->attributeColumn("f1") >= 0);
        QVERIFY(model->attributeColumn("f2") >= 0);
        QCOMPARE(model->index(1, model->flagColumn()).data().toString(), QStringLiteral("Pareto"));
        QCOMPARE(model->index(2, model->flagColumn()).data().toString(),
                 QStringLiteral("dominated"));
        QCOMPARE(model->index(2, model->attributeColumn("f2")).data().toString(),
                 QStringLiteral("3"));
        QCOMPARE(model->headerData(model->attributeColumn("f1"), Qt::Horizontal).toString(),
                 QStringLiteral("f1"));
        QCOMPARE(model->headerData(model->noteColumnIndex(), Qt::Horizontal).toString(),
                 QStringLiteral("Note"));
    }

    // ---- 7: strategy internals folded away -------------------------------------

    void strategyDetailsAreFoldedAway() {
        TrialDetail detail;
        Trial trial = completeTrial(3, 1, 2);
        trial.attrs["gp_theta"] = std::vector<double>{0.1, 0.2};
        trial.attrs["acquisition"] = 1.5;
        trial.attrs["cifar10_test_acc"] = 91.5;
        detail.showTrial(&trial);
        QVERIFY(detail.text().contains(QStringLiteral("cifar10_test_acc")));
        QVERIFY(!detail.text().contains(QStringLiteral("gp_theta")));
        QVERIFY(detail.text().contains(QStringLiteral("Strategy details (2)")));
        detail.setStrategyDetailsShown(true);
        QVERIFY(detail.text().contains(QStringLiteral("gp_theta")));
    }

    // The table's columns and the detail list parameters as the spec lists
    // them (x2 before x10), then a name only trials carry, as the CSV export.
    void parametersFollowTheSpecsOrder() {
        Json space = Json::array();
        for (const char* name : {"x1", "x2", "x10"})
            space.push_back({{"name", name}, {"type", "float"}, {"low", 0}, {"high", 1}});
        Json spec = test::fastSpec("ordered", 3);
        spec["space"] = space;
        Trial trial = completeTrial(0, 0.5, 1.0);
        trial.params = {{"x1", 0.5}, {"x10", 0.25}, {"x2", 0.75}, {"added", 1.0}};
        StudySession session;
        TrialsView view(&session);
        session.show(recordOf(spec), {trial});
        QCOMPARE(session.model()->paramNames(),
                 (std::vector<std::string>{"x1", "x2", "x10", "added"}));
        session.selectTrial(0);
        const QString text = view.detail()->text();
        auto at = [&text](const char* name) {
            return text.indexOf(QRegularExpression(QStringLiteral("^%1\\s").arg(name),
                                                   QRegularExpression::MultilineOption));
        };
        QVERIFY2(
            at("x1") >= 0 && at("x1") < at("x2") && at("x2") < at("x10") && at("x10") < at("added"),
            qPrintable(text));

        // The same order in the tooltips: the table's rows and the charts'
        // points (which find and describe a trial through the session).
        auto inOrder = [](const QString& tip) {
            const QStringList names = {"x1 =", "x2 =", "x10 =", "added ="};
            qsizetype last = -1;
            for (const QString& name : names) {
                const qsizetype at = tip.indexOf(name);
                if (at <= last)
                    return false;
                last = at;
            }
            return true;
        };
        const QString rowTip = session.model()->index(0, 0).data(Qt::ToolTipRole).toString();
        QVERIFY2(inOrder(rowTip), qPrintable(rowTip));
        const TrialLookup lookup = session.trialLookup();
        QCOMPARE(lookup.find(0), session.trial(0));
        QVERIFY2(inOrder(lookup.summary(0)), qPrintable(lookup.summary(0)));
        QCOMPARE(lookup.summary(7), QStringLiteral("Trial 7"));  // not in the study
        QVERIFY(!TrialLookup().find(0));
        QCOMPARE(TrialLookup().summary(3), QStringLiteral("Trial 3"));
    }

    // What a built-in strategy stores about how it chose a point goes under
    // "Strategy details", not among what the objective reported (a two-
    // objective gp's EHVI reference point and neighbourhood turns once
    // showed there). Every strategy, on a cell space (where gp takes
    // neighbourhood turns and escapes) with one objective, then two with a
    // constraint.
    void everyAttributeABuiltInStrategyStoresIsFoldedAway() {
        const SearchSpace cells = test::spaceFrom(R"([{"name": "cell", "type": "nb201-cell"}])");
        const std::vector<ObjectiveSpec> two = {{"f1", Direction::Minimize},
                                                {"f2", Direction::Maximize}};
        const std::vector<ConstraintSpec> constraint = {{"f1", std::nullopt, 10.0}};
        auto twoValues = [](const ParamMap& params) {
            const double loss = test::anyLoss(params);
            return std::vector<double>{loss, std::fmod(loss * 7.0, 5.0)};
        };
        std::map<std::string, std::string> keys;  // attribute -> a strategy that stores it
        auto collect = [&keys](const std::vector<Trial>& trials, const std::string& strategy) {
            for (const Trial& trial : trials)
                for (const auto& item : trial.attrs.items())
                    keys.emplace(item.key(), strategy);
        };
        for (const StrategyKind* kind : StrategyRegistry::builtins().descriptions()) {
            Json json = {{"kind", kind->kind}};
            if (kind->kind == "gp") {  // past its initial design, escaping early
                json["initial_trials"] = 4;
                json["escape_after"] = 2;
            }
            if (kind->kind == "evolution")  // children within the 16 trials
                json["population"] = 4;
            auto single = test::makeStrategy(cells, json.dump());
            collect(test::runStrategy(*single, cells, 16, 7, test::Loss(test::anyLoss)),
                    kind->kind);
            if (!kind->capabilities.multiObjective)
                continue;
            auto multi = test::makeStrategy(cells, json.dump());
            collect(
                test::runStrategy(*multi, cells, 16, 7, test::Values(twoValues), {two, constraint}),
                kind->kind + " (two objectives)");
        }
        for (const char* expected :
             {"ehvi_reference", "local_search", "escape", "acquisition", "cell_change"})
            QVERIFY2(keys.count(expected), expected);  // the runs exercised them
        for (const auto& [key, strategy] : keys)
            QVERIFY2(isStrategyAttribute(key),
                     qPrintable(QString::fromStdString(key + " (stored by " + strategy + ")")));
    }

    // Attribute values as the detail pane and the table print them: numbers
    // to six significant digits, lists item by item.
    void attributeValuesReadAsNumbersNotDoubles() {
        QCOMPARE(jsonText(Json(-21.970999999999997)), QStringLiteral("-21.971"));
        QCOMPARE(jsonText(Json::array({-21.970999999999997, 18.012906})),
                 QStringLiteral("[-21.971, 18.0129]"));
        QCOMPARE(jsonText(Json::array({"a", 3, Json::array({0.1, true})})),
                 QStringLiteral("[\"a\", 3, [0.1, true]]"));
        QCOMPARE(jsonText(Json("same")), QStringLiteral("same"));
        QCOMPARE(jsonText(Json{{"study", "s"}, {"number", 4}}),
                 QStringLiteral("{\"number\":4,\"study\":\"s\"}"));
    }

    void trialDetailShowsALearningCurveOnlyForATrialThatReportedOne() {
        TrialDetail detail;
        detail.resize(400, 600);
        detail.show();
        QVERIFY(!detail.learningCurvePlot()->isVisible());  // no trial selected
        Trial plain = completeTrial(0, 1, 2);
        detail.showTrial(&plain);
        QVERIFY(!detail.learningCurvePlot()->isVisible());
        Trial reporting = completeTrial(1, 2, 1.5);
        reporting.intermediate = {{1, 2.5}, {2, 1.5}};
        detail.showTrial(&reporting);
        QVERIFY(detail.learningCurvePlot()->isVisible());
        QCOMPARE(detail.learningCurvePlot()->curveCount(), 1);
        detail.showTrial(&plain);
        QVERIFY(!detail.learningCurvePlot()->isVisible());
    }

    // ---- 9: panels say what is true of the study -------------------------------

    void acquisitionPanelSaysWhatIsTrue() {
        Json gp = test::fastSpec("gp", 20);
        gp["strategy"] = {{"kind", "gp"}, {"initial_trials", 8}};
        QCOMPARE(acquisitionNote(recordOf(gp), {}),
                 QStringLiteral("Initial design (Sobol points): acquisition starts at trial 8"));
        gp["strategy"] = {{"kind", "gp"}};  // default: gpDefaultInitialTrials
        QVERIFY(acquisitionNote(recordOf(gp), {}).endsWith(QStringLiteral("trial 5")));
        // An nb201 cell: 1 + 6 edges x 4 free levels, capped at a quarter of the budget.
        gp["space"] = Json::parse(R"([{"name": "cell", "type": "nb201-cell"}])");
        gp["budget"] = {{"trials", 100}};
        QVERIFY(acquisitionNote(recordOf(gp), {}).endsWith(QStringLiteral("trial 25")));
        gp["budget"] = {{"trials", 40}};
        QVERIFY(acquisitionNote(recordOf(gp), {}).endsWith(QStringLiteral("trial 10")));
        // Two objectives: max(5, d + 1) = 7 for the cell's six edges.
        gp["budget"] = {{"trials", 100}};
        gp["objectives"] = Json::parse(R"([{"name": "a", "direction": "maximize"},
                                           {"name": "b", "direction": "minimize"}])");
        QVERIFY(acquisitionNote(recordOf(gp), {}).endsWith(QStringLiteral("trial 7")));
        Json random = test::fastSpec("random", 20);
        random["strategy"] = {{"kind", "random"}};
        QVERIFY(acquisitionNote(recordOf(random), {}).contains(QStringLiteral("random")));
        QVERIFY(!acquisitionNote(recordOf(random), {}).contains(QStringLiteral("store them")));
        QVERIFY(posteriorNote(recordOf(random)).contains(QStringLiteral("random")));
        QVERIFY(posteriorNote(recordOf(gp)).isEmpty());

        // TPE: its stored score is drawn.
        Json tpe = test::fastSpec("tpe", 20);
        tpe["strategy"] = {{"kind", "tpe"}};
        StudySession session;
        LiveView live(&session);
        live.show();
        std::vector<Trial> trials;
        for (int i = 0; i < 4; ++i) {
            Trial trial = completeTrial(i, i, i);
            trial.attrs["tpe_score"] = 0.5 * i;
            trials.push_back(trial);
        }
        session.show(recordOf(tpe), trials);
        QCOMPARE(live.acquisitionPlot()->pointCount(), 4);
        QVERIFY(live.acquisitionPlot()->chartTitle().contains(QStringLiteral("TPE")));
        QVERIFY(live.posteriorPlot()->emptyMessage().contains(QStringLiteral("tpe")));

        // gp: the chart names the acquisition function its values are of.
        for (Trial& trial : trials) {
            trial.attrs.erase("tpe_score");
            trial.attrs["acquisition"] = -2.0 + trial.number;
            trial.attrs["acquisition_function"] = trial.number == 0 ? "pof" : "logei";
        }
        session.show(recordOf(gp), trials);
        QTRY_COMPARE(live.acquisitionPlot()->chartTitle(), QStringLiteral("LogEI per suggestion"));
        trials.back().attrs["acquisition_function"] = "ehvi";
        QCOMPARE(acquisitionLabel(trials), QStringLiteral("EHVI"));
        QCOMPARE(acquisitionLabel({}), QStringLiteral("Acquisition value"));
    }

    // While the GP slice of a newly shown study is fitted (seconds for a big
    // study), the panel says so: not "No study selected" left from before,
    // nor the previous study's slice. A live update of the same slice keeps
    // the drawn one until the new fit arrives.
    void theGpSliceSaysItIsFittingRatherThanShowingAStaleMessage() {
        StudySession session;
        LiveView live(&session);
        std::atomic<int> fits = 0;
        live.setPosteriorProvider([&fits](const StudyRecord&, const std::vector<Trial>& trials,
                                          const std::string& parameter, int, std::size_t) {
            QThread::msleep(150);
            ui::PosteriorSlice slice;
            slice.parameter = QString::fromStdString(parameter);
            for (const Trial& trial : trials) {
                slice.x.push_back(trial.params.count("x1") ? 0.1 * trial.number : 0.0);
                slice.median.push_back(*trial.value);
                slice.lower.push_back(*trial.value - 0.2);
                slice.upper.push_back(*trial.value + 0.2);
            }
            ++fits;
            return std::optional<ui::PosteriorSlice>(slice);
        });
        live.resize(1000, 700);
        live.show();
        QCOMPARE(live.posteriorPlot()->emptyMessage(), QStringLiteral("No study selected"));
        // So does the objective chart (it said "No complete trial yet").
        QTRY_COMPARE(live.objectivePlot()->emptyMessage(), QStringLiteral("No study selected"));
        const QString fitting = QStringLiteral("Fitting the GP to the complete trials…");

        Json gp = test::fastSpec("gp", 10);
        gp["strategy"] = {{"kind", "gp"}};
        std::vector<Trial> trials = {completeTrial(0, 1, 2), completeTrial(1, 2, 1)};
        session.show(recordOf(gp, 1), trials);
        QCOMPARE(live.posteriorPlot()->emptyMessage(), fitting);
        QTRY_VERIFY(live.objectivePlot()->emptyMessage().isEmpty());
        QTRY_VERIFY(live.posteriorPlot()->emptyMessage().isEmpty());
        QCOMPARE(live.posteriorPlot()->meanPointCount(), 2);

        trials.push_back(completeTrial(2, 3, 0.5));  // the same study, one trial more
        session.applyUpdates({trials.back()});
        live.refreshNow();
        QTRY_COMPARE(fits.load(), 2);
        QVERIFY(live.posteriorPlot()->emptyMessage().isEmpty());  // kept while refitting
        QTRY_COMPARE(live.posteriorPlot()->meanPointCount(), 3);

        session.show(recordOf(gp, 2), {completeTrial(0, 1, 2), completeTrial(1, 2, 1)});
        live.refreshNow();
        QCOMPARE(live.posteriorPlot()->emptyMessage(), fitting);  // not study 1's slice
        QTRY_VERIFY(live.posteriorPlot()->emptyMessage().isEmpty());
        QTRY_VERIFY(!live.posteriorBusy());
    }

    // ---- 5 and 14: Setup shows stored studies read-only; no jumping banner ----

    void setupShowsAStoredStudyReadOnly() {
        QTemporaryDir dir;
        MainWindow window(ObjectiveRegistry::withBuiltins());
        QCOMPARE(window.openDatabase(dir.filePath("stored.db")), QString());
        window.show();
        SetupPage* setup = window.setupPage();
        setup->form()->setJson(test::fastSpec("stored", 5));
        QVERIFY(!setup->isShowingStored());
        window.startAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isRunning() && window.session()->hasStudy(),
                                 30000);
        QVERIFY(setup->isShowingStored());
        window.tabs()->setCurrentIndex(MainWindow::SetupTab);  // filled when shown
        QVERIFY2(setup->bannerText().isEmpty(), "no red 'already exists' banner");
        QVERIFY(!window.startAction()->isEnabled());
        QVERIFY(!setup->storedForm()->isEnabled());
        QVERIFY(setup->storedForm()->toJson()["name"] == Json("stored"));
        QVERIFY(setup->duplicateButton()->isVisible());
        setup->duplicateButton()->click();
        QVERIFY(!setup->isShowingStored());
        QVERIFY(setup->form()->toJson()["name"] == Json("stored-1"));
        QVERIFY(window.startAction()->isEnabled());
    }

    void theBannerNeverMovesTheForm() {
        SetupPage page(ObjectiveRegistry::withBuiltins());
        page.resize(1000, 700);
        page.show();
        auto* banner = page.findChild<QLabel*>(QStringLiteral("setup.banner"));
        QVERIFY(banner);
        const int height = banner->height();
        const QPoint formAt = page.form()->mapTo(&page, QPoint(0, 0));
        Json bad = test::fastSpec("bad", 10);
        bad["budget"]["trials"] = -3;
        page.form()->setJson(bad);
        QApplication::processEvents();
        QVERIFY(!page.bannerText().isEmpty());
        QCOMPARE(banner->height(), height);
        QCOMPARE(page.form()->mapTo(&page, QPoint(0, 0)), formAt);
        page.form()->setJson(test::fastSpec("good", 10));
        QApplication::processEvents();
        QVERIFY(page.bannerText().isEmpty());
        QCOMPARE(page.form()->mapTo(&page, QPoint(0, 0)), formAt);
    }

    // ---- 6: objectives and constraints in the form ------------------------------

    void objectivesAndConstraintsRoundTripThroughTheForm() {
        SetupForm form(ObjectiveRegistry::withBuiltins());
        Json spec = multiSpec();
        spec["objectives"][1]["reference"] = 11.0;
        spec["constraints"] = Json::array({{{"name", "f1"}, {"min", 0.05}}});
        form.setJson(spec);
        QVERIFY2(form.isValid(), form.error() ? form.error()->text().toUtf8().constData() : "");
        QCOMPARE(form.objectivesEditor()->objectiveCount(), 2);
        QCOMPARE(form.objectivesEditor()->constraintCount(), 1);
        Json out = form.toJson();
        QVERIFY(out["objectives"] == spec["objectives"]);
        QVERIFY(out["constraints"] == spec["constraints"]);
        QVERIFY(!out.contains("direction"));
        auto* direction = form.findChild<QComboBox*>(QStringLiteral("direction"));
        QVERIFY(!direction->isEnabled());
        QCOMPARE(direction->currentText(), QStringLiteral("per objective"));

        // The pickers offer zdt1's objectives.
        auto* name = form.findChild<QComboBox*>(QStringLiteral("objectives[0].name"));
        QVERIFY(name);
        QVERIFY(name->findText(QStringLiteral("f2")) >= 0);

        // Editing: a maximized objective with a reference, then a bad bound.
        auto* second = form.findChild<QComboBox*>(QStringLiteral("objectives[1].direction"));
        second->setCurrentText(QStringLiteral("maximize"));
        QVERIFY(form.toJson()["objectives"][1]["direction"] == Json("maximize"));
        auto* min = form.findChild<QLineEdit*>(QStringLiteral("constraints[0].min"));
        min->setText(QStringLiteral("abc"));
        emit min->textEdited(min->text());
        QVERIFY(!form.isValid());
        QCOMPARE(form.widgetForPath(form.error()->path), min);
        min->setText(QStringLiteral("0.1"));
        emit min->textEdited(min->text());
        QVERIFY(form.isValid());
        QVERIFY(form.toJson()["constraints"][0]["min"] == Json(0.1));

        // Removing all objectives makes it single-objective again.
        form.objectivesEditor()->removeObjective(1);
        form.objectivesEditor()->removeObjective(0);
        form.setJson(form.toJson());
        QVERIFY(!form.toJson().contains("objectives"));
        QVERIFY(direction->isEnabled());
        QCOMPARE(direction->findText(QStringLiteral("per objective")), -1);
    }

    // Picking zdt1 in the form's function list makes a two-objective study
    // (f1 and f2, minimized, at the benchmarks' reference point) over zdt1's
    // usual space; picking another function takes them away again unless
    // the user changed them.
    void pickingATestFunctionBringsItsSpaceAndObjectives() {
        SetupForm form(ObjectiveRegistry::withBuiltins());
        form.setJson(test::fastSpec("pick", 10));
        // Found afresh each time: undo and redo rebuild the objective's fields.
        auto function = [&form] {
            return form.findChild<QComboBox*>(QStringLiteral("objective.function"));
        };
        QVERIFY(function());
        for (const char* name : {"zdt1", "zdt2", "dtlz2", "branin-currin"})
            QVERIFY2(function()->findText(QString::fromLatin1(name)) >= 0, name);
        const int undoSteps = form.undoStack()->count();

        function()->setCurrentText(QStringLiteral("zdt1"));
        QCOMPARE(form.objectivesEditor()->objectiveCount(), 2);
        QVERIFY(form.toJson()["objectives"] == Json::parse(R"([
            {"name": "f1", "direction": "minimize", "reference": 1.1},
            {"name": "f2", "direction": "minimize", "reference": 11.0}])"));
        auto* direction = form.findChild<QComboBox*>(QStringLiteral("direction"));
        QCOMPARE(direction->currentText(), QStringLiteral("per objective"));
        // Branin's space (the template's) became zdt1's: six variables in [0, 1].
        Json space = form.toJson()["space"];
        QCOMPARE(space.size(), std::size_t{6});
        QVERIFY(space[5]["name"] == Json("x6"));
        QVERIFY(space[5]["low"] == Json(0) && space[5]["high"] == Json(1));
        QVERIFY2(form.isValid(), form.error() ? form.error()->text().toUtf8().constData() : "");

        // One undo step takes back the pick with its objectives.
        form.commitEdits();
        QCOMPARE(form.undoStack()->count(), undoSteps + 1);
        form.undoStack()->undo();
        QCOMPARE(function()->currentText(), QStringLiteral("branin"));
        QCOMPARE(form.objectivesEditor()->objectiveCount(), 0);
        QCOMPARE(form.toJson()["space"].size(), std::size_t{2});
        form.undoStack()->redo();
        QCOMPARE(form.objectivesEditor()->objectiveCount(), 2);

        // Another function: the objectives zdt1 brought go; a third objective
        // for dtlz2.
        function()->setCurrentText(QStringLiteral("branin"));
        QCOMPARE(form.objectivesEditor()->objectiveCount(), 0);
        QVERIFY(!form.toJson().contains("objectives"));
        QVERIFY(form.toJson()["space"][0]["low"] == Json(-5));  // Branin's again
        QVERIFY(form.isValid());
        function()->setCurrentText(QStringLiteral("hartmann6"));  // six in [0, 1]
        QCOMPARE(form.toJson()["space"].size(), std::size_t{6});
        QVERIFY(form.isValid());
        function()->setCurrentText(QStringLiteral("dtlz2"));
        QCOMPARE(form.objectivesEditor()->objectiveCount(), 3);

        // Objectives the user changed stay when the function changes.
        auto* third = form.findChild<QComboBox*>(QStringLiteral("objectives[2].direction"));
        third->setCurrentText(QStringLiteral("maximize"));
        function()->setCurrentText(QStringLiteral("zdt1"));
        QCOMPARE(form.objectivesEditor()->objectiveCount(), 3);
        QVERIFY(form.toJson()["objectives"][2]["direction"] == Json("maximize"));

        // A space the user changed stays.
        Json changed = form.toJson();
        changed["space"][0]["high"] = 0.5;
        form.setJson(changed);
        function()->setCurrentText(QStringLiteral("branin-currin"));
        QCOMPARE(form.toJson()["space"].size(), std::size_t{6});
        QVERIFY(form.toJson()["space"][0]["high"] == Json(0.5));

        // A loaded spec keeps its own objectives: zdt1 without any is a
        // single-objective study of f1, and stays one through other edits.
        Json single = test::fastSpec("single-zdt1", 10);
        single["objective"]["function"] = "zdt1";
        form.setJson(single);
        QCOMPARE(form.objectivesEditor()->objectiveCount(), 0);
        auto* name = form.findChild<QLineEdit*>(QStringLiteral("name"));
        name->setText(QStringLiteral("renamed"));
        emit name->textEdited(name->text());
        QCOMPARE(form.objectivesEditor()->objectiveCount(), 0);
    }

    // At 1024x700 beside the study browser, a study with three objectives
    // (each with a reference point) and a constraint fits the form's width:
    // no row pushes a Remove button past the edge behind a horizontal
    // scroll bar.
    void objectiveRowsFitTheFormAt1024() {
        MainWindow window(ObjectiveRegistry::withBuiltins());
        window.resize(1024, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        Json spec = multiSpec();
        spec["objective"]["function"] = "dtlz2";
        spec["space"].push_back({{"name", "x3"}, {"type", "float"}, {"low", 0}, {"high", 1}});
        spec["objectives"] = Json::parse(R"([
            {"name": "f1", "direction": "minimize", "reference": 1.1},
            {"name": "f2", "direction": "minimize", "reference": 1.1},
            {"name": "f3", "direction": "maximize", "reference": -1.1}])");
        spec["constraints"] = Json::array({{{"name", "f1"}, {"min", 0.05}, {"max", 0.9}}});
        SetupForm* form = window.setupPage()->form();
        form->setJson(spec);
        QVERIFY2(form->isValid(), form->error() ? form->error()->text().toUtf8().constData() : "");
        QApplication::processEvents();
        auto* scroll = qobject_cast<QScrollArea*>(form->parentWidget()->parentWidget());
        QVERIFY(scroll);
        QVERIFY2(form->minimumSizeHint().width() <= scroll->viewport()->width(),
                 qPrintable(QString("form needs %1 px, has %2")
                                .arg(form->minimumSizeHint().width())
                                .arg(scroll->viewport()->width())));
        QVERIFY(!scroll->horizontalScrollBar()->isVisible());

        // Each row's small remove button says what it removes, and removes it.
        auto* remove = form->findChild<QToolButton*>(QStringLiteral("constraints[0].remove"));
        QVERIFY(remove && remove->isVisible());
        QCOMPARE(remove->toolTip(), QStringLiteral("Remove this constraint"));
        QTest::mouseClick(remove, Qt::LeftButton);
        QCOMPARE(form->objectivesEditor()->constraintCount(), 0);
        remove = form->findChild<QToolButton*>(QStringLiteral("objectives[2].remove"));
        QVERIFY(remove);
        QCOMPARE(remove->toolTip(), QStringLiteral("Remove this objective"));
        QTest::mouseClick(remove, Qt::LeftButton);
        QCOMPARE(form->objectivesEditor()->objectiveCount(), 2);
    }

    // ---- 11: toolbar, welcome panel, last study, browser menu, rename --------

    void toolbarWelcomeAndLastStudy() {
        QTemporaryDir dir;
        const QString path = dir.filePath("first.db");
        {
            MainWindow window(ObjectiveRegistry::withBuiltins());
            QCOMPARE(window.openDatabase(path), QString());
            window.show();
            QToolBar* bar = window.toolBar();
            QVERIFY(bar);
            for (QAction* action :
                 {window.newStudyAction(), window.startAction(), window.pauseAction(),
                  window.stopAction(), window.exportTrialsAction()}) {
                QVERIFY(bar->actions().contains(action));
                QVERIFY2(!action->icon().isNull(), qPrintable(action->text()));
            }
            QVERIFY(!window.welcomePanel()->isVisible());
            window.startExampleStudy();
            QVERIFY(window.welcomePanel()->isVisible());
            // Slow enough to watch: still running after a second.
            QTest::qWait(1000);
            QVERIFY(window.controller()->isRunning());
            window.controller()->stop();
            QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isRunning(), 10000);
            // Its story is of the example in this database: another one
            // (an Optuna file, say) closes it, without dismissing it for good.
            QCOMPARE(window.openDatabase(dir.filePath("other.db")), QString());
            QVERIFY(!window.welcomePanel()->isVisible());
            QVERIFY(!WelcomePanel::dismissedBefore());
            QCOMPARE(window.openDatabase(path), QString());
            window.welcomePanel()
                ->findChild<QPushButton*>(QStringLiteral("welcome.close"))
                ->click();
            QVERIFY(!window.welcomePanel()->isVisible());
            QVERIFY(WelcomePanel::dismissedBefore());
            window.setupPage()->form()->setJson(test::fastSpec("second", 3));
            window.startAction()->trigger();
            QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isRunning() &&
                                         window.browser()->model()->rowOf("second") >= 0,
                                     30000);
            window.showStudy(MainWindow::exampleStudyName());
            window.close();  // remembers the shown study
        }
        MainWindow again(ObjectiveRegistry::withBuiltins());
        QCOMPARE(again.openDatabase(path), QString());
        again.restoreWindowState();
        QCOMPARE(again.browser()->currentStudy(), MainWindow::exampleStudyName());
        QVERIFY(again.session()->hasStudy());

        // Rename through the window, refusing a taken name.
        QVERIFY(again.renameShownStudy(QStringLiteral("second")).contains("already exists"));
        QVERIFY(again.renameShownStudy(QStringLiteral("  ")).contains("empty"));
        QCOMPARE(again.renameShownStudy(QStringLiteral("renamed")), QString());
        QCOMPARE(again.browser()->currentStudy(), QStringLiteral("renamed"));

        // Study > Rename: a refused name comes back in the dialog with the
        // reason, to be fixed rather than typed again.
        QAction* rename = nullptr;
        for (QAction* action : again.findChildren<QAction*>())
            if (action->text() == QStringLiteral("Re&name…"))
                rename = action;
        QVERIFY(rename);
        QStringList answers{QStringLiteral("second"), QStringLiteral("renamed-twice")};
        QStringList prompts, shown;
        QTimer answerer;
        connect(&answerer, &QTimer::timeout, [&] {
            auto* dialog = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
            if (!dialog || answers.isEmpty())
                return;
            prompts << dialog->labelText();
            shown << dialog->textValue();
            dialog->setTextValue(answers.takeFirst());
            dialog->accept();
        });
        answerer.start(20);
        rename->trigger();
        answerer.stop();
        QCOMPARE(shown, (QStringList{"renamed", "second"}));
        QCOMPARE(prompts.size(), 2);
        QVERIFY2(prompts[1].startsWith("A study named 'second' already exists"),
                 qPrintable(prompts[1]));
        QCOMPARE(again.browser()->currentStudy(), QStringLiteral("renamed-twice"));
        QCOMPARE(again.renameShownStudy(QStringLiteral("renamed")), QString());
        QVERIFY(again.session()->record().spec["name"] == Json("renamed"));
        QVERIFY(again.browser()->model()->rowOf(MainWindow::exampleStudyName()) < 0);
    }

    // ---- 12: the browser fits --------------------------------------------------

    void theBrowserFitsWithoutAScrollbar() {
        StudyBrowser browser;
        QCOMPARE(browser.view()->horizontalScrollBarPolicy(), Qt::ScrollBarAlwaysOff);
        QVERIFY(browser.view()->isColumnHidden(StudyListModel::CreatedColumn));
        QCOMPARE(browser.view()->horizontalHeader()->sectionResizeMode(StudyListModel::NameColumn),
                 QHeaderView::Stretch);
    }

    // ---- 16: exports at twice the size, captioned ------------------------------

    void chartImagesAreSharpAndNamed() {
        QTemporaryDir dir;
        ObjectivePlot plot;
        plot.resize(400, 300);
        plot.setTrials(std::vector<Trial>{completeTrial(0, 1, 2), completeTrial(1, 2, 1)},
                       Direction::Minimize);
        const QString plain = dir.filePath("plain.png"), named = dir.filePath("named.png");
        QCOMPARE(saveWidgetImage(&plot, plain), QString());
        QCOMPARE(QImage(plain).size(), QSize(800, 600));
        QCOMPARE(saveWidgetImage(&plot, named, QStringLiteral("branin-gp")), QString());
        const QImage image(named);
        QCOMPARE(image.width(), 800);
        QVERIFY(image.height() > 600);  // the caption band
        QWidget window;
        window.setProperty("studyName", QStringLiteral("branin-gp"));
        ObjectivePlot child(&window);
        QCOMPARE(studyCaptionOf(&child), QStringLiteral("branin-gp"));
    }

    // ---- 19: dark mode ----------------------------------------------------------

    void chartsFollowADarkPalette() {
        const QPalette light = QApplication::palette();
        QVERIFY(!isDarkPalette());
        const QColor lightComplete = plotColors::complete();
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x24));
        dark.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
        dark.setColor(QPalette::Base, QColor(0x18, 0x18, 0x1c));
        dark.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
        QApplication::setPalette(dark);
        QVERIFY(isDarkPalette());
        QVERIFY(plotColors::complete().lightness() > lightComplete.lightness());
        ObjectivePlot plot;
        QCOMPARE(plot.chart()->theme(), QChart::ChartThemeDark);
        QApplication::setPalette(light);
        ObjectivePlot again;
        QCOMPARE(again.chart()->theme(), QChart::ChartThemeLight);
    }

    // A window left open follows a switch of the system palette; the series
    // keep their own colours (a theme alone would restyle them).
    void openChartsFollowAPaletteSwitch() {
        const QPalette light = QApplication::palette();
        ObjectivePlot plot;
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        QCOMPARE(plot.chart()->theme(), QChart::ChartThemeLight);
        std::vector<QPen> pens;
        for (QAbstractSeries* series : plot.chart()->series())
            if (auto* xy = qobject_cast<QXYSeries*>(series))
                pens.push_back(xy->pen());
        QVERIFY(!pens.empty());
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x24));
        dark.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
        QApplication::setPalette(dark);
        QTRY_COMPARE(plot.chart()->theme(), QChart::ChartThemeDark);
        std::size_t i = 0;
        for (QAbstractSeries* series : plot.chart()->series())
            if (auto* xy = qobject_cast<QXYSeries*>(series))
                QCOMPARE(xy->pen(), pens[i++]);
        QVERIFY(plot.chart()->titleFont().bold());
        QApplication::setPalette(light);
        QTRY_COMPARE(plot.chart()->theme(), QChart::ChartThemeLight);
    }
};

QTEST_MAIN(TestStudio)
#include "tst_studio.moc"

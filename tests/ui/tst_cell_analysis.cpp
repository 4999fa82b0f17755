// Analysis of cell studies edge by edge: importance per edge from the GP's
// lengthscales, operation frequencies (best k % against all), strips per
// edge, parallel coordinates with an axis per edge, the GP slice along an
// edge, and every NAS view that cannot apply saying why.

#include <QApplication>
#include <QCategoryAxis>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineEdit>
#include <QMouseEvent>
#include <QSpinBox>
#include <QTableView>
#include <QTest>
#include <QToolTip>

#include "analysis/cell_analysis.h"
#include "analysis/posterior_slice.h"
#include "analysis/study_analysis.h"
#include "analysis/trial_series.h"
#include "cell/best_cell_card.h"
#include "cell/cell_view.h"
#include "cell/operation_heatmap.h"
#include "controller/study_session.h"
#include "helpers/cell_format.h"
#include "models/trial_filter_model.h"
#include "models/trial_query.h"
#include "plots/contour_plot.h"
#include "plots/importance_plot.h"
#include "plots/objective_plot.h"
#include "plots/parallel_coordinates_plot.h"
#include "plots/posterior_slice_plot.h"
#include "plots/slice_plot.h"
#include "util/random.h"
#include "views/analysis_view.h"
#include "views/contour_page.h"
#include "views/importance_page.h"
#include "views/live_view.h"
#include "views/operations_page.h"
#include "views/parallel_page.h"
#include "views/trials_view.h"

using namespace bonsai;
using namespace bonsai::ui;

namespace {

Json cellSpec(const std::string& strategy = "gp") {
    return Json{{"name", "cells"},
                {"direction", "maximize"},
                {"space", Json::array({{{"name", "cell"}, {"type", "nb201-cell"}}})},
                {"strategy", {{"kind", strategy}}},
                {"budget", {{"trials", 100}}}};
}

StudyRecord recordOf(const Json& spec) {
    StudyRecord record;
    record.id = 3;
    record.name = spec["name"].get<std::string>();
    record.direction = spec.value("direction", std::string("minimize")) == "maximize"
                           ? Direction::Maximize
                           : Direction::Minimize;
    record.spec = spec;
    record.state = StudyState::Finished;
    return record;
}

Trial cellTrial(int number, const Nb201Cell& cell, double value) {
    Trial trial;
    trial.number = number;
    trial.state = TrialState::Complete;
    trial.value = value;
    trial.params["cell"] = cell.toString();
    return trial;
}

// Random cells whose value depends on the operation on edge 3←0 alone.
std::vector<Trial> oneEdgeDecides(int count) {
    const double byOp[] = {10, 40, 60, 90, 30};
    Rng rng(21);
    std::vector<Trial> trials;
    for (int i = 0; i < count; ++i) {
        Nb201Cell cell;
        for (int& op : cell.ops)
            op = static_cast<int>(uniform01(rng) * Nb201Cell::kOperations) % Nb201Cell::kOperations;
        trials.push_back(cellTrial(i, cell, byOp[cell.ops[3]]));
    }
    return trials;
}

Nb201Cell cellOfOps(std::array<int, 6> ops) {
    Nb201Cell cell;
    cell.ops = ops;
    return cell;
}

// A Live tab showing `trials` of a study with `spec`, drawn once.
// Shows `live` with the GP slice the studio draws (computed off the GUI
// thread, so tests wait for it).
void showWithGpSlices(LiveView& live) {
    live.setPosteriorProvider([](const StudyRecord& study, const std::vector<Trial>& trials,
                                 const std::string& parameter, int edge, std::size_t objective) {
        return gpPosteriorSliceOf(study, trials, parameter, edge, objective);
    });
    live.resize(1200, 700);
    live.show();
}

// oneEdgeDecides(30) under a latency cap of 8 that the accurate cells (90
// and more) break: each trial reports its latency, 14 or 5.
struct CappedCells {
    Json spec = cellSpec();
    std::vector<Trial> trials = oneEdgeDecides(30);
    int broken = 0;
    CappedCells() {
        spec["constraints"] = Json::parse(R"([{"name": "latency", "max": 8}])");
        for (Trial& trial : trials) {
            trial.attrs["latency"] = *trial.value >= 90 ? 14.0 : 5.0;
            broken += *trial.value >= 90;
        }
    }
};

// A study without a cell: one float and one trial of it.
Json plainSpec() {
    return Json{
        {"name", "plain"},
        {"direction", "minimize"},
        {"space", Json::array({{{"name", "x"}, {"type", "float"}, {"low", 0}, {"high", 1}}})},
        {"strategy", {{"kind", "random"}}}};
}

Trial plainTrial() {
    Trial trial;
    trial.number = 0;
    trial.state = TrialState::Complete;
    trial.value = 1;
    trial.params["x"] = 0.5;
    return trial;
}

struct ShownLive {
    StudySession session;
    LiveView live{&session};
    ShownLive(const Json& spec, const std::vector<Trial>& trials) {
        live.resize(1200, 700);
        live.show();
        session.show(recordOf(spec), trials);
        live.refreshNow();
    }
};

}  // namespace

class CellAnalysisTest : public QObject {
    Q_OBJECT

  private slots:
    void theEdgeThatDecidesHasMostOfTheImportance() {
        auto relevance = parameterImportanceOf(recordOf(cellSpec()), oneEdgeDecides(80));
        QVERIFY(relevance);
        QCOMPARE(relevance->params,
                 (std::vector<std::string>{"1←0", "2←0", "2←1", "3←0", "3←1", "3←2"}));
        double sum = 0;
        for (double share : relevance->relevance)
            sum += share;
        QVERIFY(std::fabs(sum - 1.0) < 1e-9);
        qInfo("share of 3←0: %.3f", relevance->relevance[3]);
        QVERIFY(relevance->relevance[3] >= 0.5);
        ImportancePlot plot;
        plot.setRelevance(*relevance);
        QCOMPARE(plot.barCount(), 6);
        QCOMPARE(plot.categories().back(), QString("3←0"));  // most important on top
    }

    // Six trials, best 50 % = 3 (maximize), counted by hand; then under a
    // constraint.
    void operationFrequencyMatchesHandCounts() {
        std::vector<Trial> trials{
            cellTrial(0, cellOfOps({3, 3, 0, 3, 1, 2}), 90),
            cellTrial(1, cellOfOps({3, 1, 0, 3, 1, 4}), 80),
            cellTrial(2, cellOfOps({2, 3, 0, 1, 1, 2}), 70),
            cellTrial(3, cellOfOps({0, 3, 4, 1, 2, 2}), 10),
            cellTrial(4, cellOfOps({1, 0, 4, 1, 2, 0}), 20),
            cellTrial(5, cellOfOps({4, 0, 4, 2, 0, 0}), 30),
        };
        Trial failed = cellTrial(6, cellOfOps({3, 3, 3, 3, 3, 3}), 0);
        failed.state = TrialState::Failed;
        failed.value.reset();
        trials.push_back(failed);
        const auto objectives = studyObjectives(recordOf(cellSpec()));
        OperationFrequency f = operationFrequency(trials, "cell", objectives, 0, 0.5);
        QCOMPARE(f.all, 6);
        QCOMPARE(f.best, 3);
        QCOMPARE(f.bestTrials, (std::vector<int>{0, 1, 2}));
        // Edge 1←0 among the best: conv3x3 twice, conv1x1 once.
        QCOMPARE(f.bestCounts[0], (std::array<int, 5>{0, 0, 1, 2, 0}));
        QCOMPARE(f.allCounts[0], (std::array<int, 5>{1, 1, 1, 2, 1}));
        // Edge 3←0: conv3x3 in 2 of the best 3, skip in 3 of all 6.
        QCOMPARE(f.bestCounts[3], (std::array<int, 5>{0, 1, 0, 2, 0}));
        QCOMPARE(f.allCounts[3], (std::array<int, 5>{0, 3, 1, 2, 0}));
        QCOMPARE(f.bestShare(3, 3), 2.0 / 3.0);
        QCOMPARE(f.allShare(3, 1), 0.5);
        // 3←1: skip in all three best, and in 3 of 6 overall.
        QCOMPARE(f.bestCounts[4], (std::array<int, 5>{0, 3, 0, 0, 0}));
        QCOMPARE(f.allCounts[4], (std::array<int, 5>{1, 3, 2, 0, 0}));
        // A cache of parsed cells gives the same counts, redraw after redraw.
        CellCache cache;
        for (int round = 0; round < 2; ++round) {
            const OperationFrequency cached =
                operationFrequency(trials, "cell", objectives, 0, 0.5, {}, &cache);
            QCOMPARE(cached.bestCounts, f.bestCounts);
            QCOMPARE(cached.allCounts, f.allCounts);
        }
        // Best 10 % of 6 rounds up to one trial; minimize turns the order round.
        f = operationFrequency(trials, "cell", objectives, 0, 0.1);
        QCOMPARE(f.best, 1);
        QCOMPARE(f.bestTrials, (std::vector<int>{0}));
        Json minimize = cellSpec();
        minimize["direction"] = "minimize";
        f = operationFrequency(trials, "cell", studyObjectives(recordOf(minimize)), 0, 0.1);
        QCOMPARE(f.bestTrials, (std::vector<int>{3}));
        // With a latency cap the best are the best feasible trials; infeasible
        // ones follow, the least violating first.
        const std::vector<ConstraintSpec> cap = {{"latency", std::nullopt, 5.0}};
        for (Trial& trial : trials)
            trial.attrs["latency"] = trial.number == 0 ? 9.0 : trial.number == 1 ? 6.0 : 1.0;
        f = operationFrequency(trials, "cell", objectives, 0, 0.5, cap);
        QCOMPARE(f.bestTrials, (std::vector<int>{2, 5, 4}));
        f = operationFrequency(trials, "cell", objectives, 0, 1.0, cap);
        QCOMPARE(f.bestTrials, (std::vector<int>{2, 5, 4, 3, 1, 0}));
        // The heat map shows the same numbers.
        OperationHeatmap heatmap;
        heatmap.resize(760, 360);
        heatmap.setFrequency(operationFrequency(trials, "cell", objectives, 0, 0.5));
        QCOMPARE(heatmap.frequency()->bestCounts[4][1], 3);
        QVERIFY(heatmap.message().isEmpty());
        QVERIFY(heatmap.cellRect(0, 0, 0).right() <= heatmap.cellRect(1, 0, 0).left());
        QVERIFY(!heatmap.grab().isNull());
    }

    // In a hardware-aware study the cells worth keeping are the Pareto set:
    // the Operations page counts it by default, by hand here; the best
    // fraction by one objective is still a choice.
    void aStudyOfSeveralObjectivesCountsItsParetoSet() {
        // (accuracy, latency): 0 (90, 9), 1 (80, 4), 3 (10, 0.5) and 5 (30, 2)
        // are the front; 2 (70, 5) and 4 (20, 6) are dominated by 1.
        const int ops[6][6] = {{3, 3, 0, 3, 1, 2}, {3, 1, 0, 3, 1, 4}, {2, 3, 0, 1, 1, 2},
                               {0, 3, 4, 1, 2, 2}, {1, 0, 4, 1, 2, 0}, {4, 0, 4, 2, 0, 0}};
        const double values[6][2] = {{90, 9}, {80, 4}, {70, 5}, {10, 0.5}, {20, 6}, {30, 2}};
        std::vector<Trial> trials;
        for (int i = 0; i < 6; ++i) {
            Trial trial = cellTrial(
                i, cellOfOps({ops[i][0], ops[i][1], ops[i][2], ops[i][3], ops[i][4], ops[i][5]}),
                values[i][0]);
            trial.values = {values[i][0], values[i][1]};
            trials.push_back(trial);
        }
        Json spec = cellSpec();
        spec.erase("direction");
        spec["objectives"] = Json::array({{{"name", "accuracy"}, {"direction", "maximize"}},
                                          {{"name", "latency"}, {"direction", "minimize"}}});
        StudySession session;
        AnalysisView analysis(&session, [](const QString&) { return std::nullopt; });
        analysis.resize(1100, 700);
        analysis.show();
        session.show(recordOf(spec), trials);
        QCOMPARE(session.counts().paretoIndices, (std::vector<std::size_t>{0, 1, 3, 5}));

        const OperationFrequency f = paretoOperationFrequency(
            trials, "cell", studyObjectives(recordOf(spec)), session.counts().paretoIndices);
        QVERIFY(f.paretoSet);
        QCOMPARE(f.all, 6);
        QCOMPARE(f.best, 4);
        QCOMPARE(f.bestTrials, (std::vector<int>{0, 1, 5, 3}));  // by accuracy
        QCOMPARE(f.fraction, 4.0 / 6.0);
        // 1←0 on the front: conv3x3 twice, none and avgpool once each.
        QCOMPARE(f.bestCounts[0], (std::array<int, 5>{1, 0, 0, 2, 1}));
        // 3←0: conv3x3 twice, skip and conv1x1 once each.
        QCOMPARE(f.bestCounts[3], (std::array<int, 5>{0, 1, 1, 2, 0}));
        QCOMPARE(f.allCounts[3], (std::array<int, 5>{0, 3, 1, 2, 0}));

        analysis.showPage(AnalysisView::OperationsView);
        OperationsPage* operations = analysis.operationsPage();
        QComboBox* by = operations->objectiveChooser();
        QCOMPARE(by->count(), 3);
        QCOMPARE(by->currentText(), QString("Pareto set"));
        QCOMPARE(by->itemText(1), QString("accuracy"));
        QVERIFY(!operations->bestPercent()->isEnabled());  // the set decides how many
        const auto& shown = operations->heatmap()->frequency();
        QVERIFY(shown && shown->paretoSet);
        QCOMPARE(shown->bestCounts, f.bestCounts);
        QCOMPARE(operations->heatmap()->describe(0, 3, 3),
                 QString("nor_conv_3x3 on 3←0: 50 % of the Pareto set (2 of 4 trials); "
                         "33 % of all trials (2 of 6)"));

        by->setCurrentIndex(1);  // the best 10 % by accuracy: trial 0
        QVERIFY(operations->bestPercent()->isEnabled());
        QVERIFY(!operations->heatmap()->frequency()->paretoSet);
        QCOMPARE(operations->heatmap()->frequency()->bestTrials, (std::vector<int>{0}));
        by->setCurrentIndex(2);  // by latency: trial 3
        QCOMPARE(operations->heatmap()->frequency()->bestTrials, (std::vector<int>{3}));

        // One objective: no Pareto set to choose.
        session.show(recordOf(cellSpec()), oneEdgeDecides(20));
        QCOMPARE(by->count(), 1);
        QVERIFY(!by->isEnabled());
        QVERIFY(operations->bestPercent()->isEnabled());
        QVERIFY(!operations->heatmap()->frequency()->paretoSet);
    }

    // "Which trials put conv3x3 on 3←0?" A clause names an edge as it is
    // typed, 3-0, and brings its column into the table.
    void aFilterOnACellEdgeShowsItsColumn() {
        const std::vector<Trial> trials = oneEdgeDecides(30);
        int conv3x3 = 0, noneOn30 = 0;
        for (const Trial& trial : trials) {
            const int op = cellFormat::cellOf(trial, "cell")->ops[3];
            conv3x3 += op == 3;
            noneOn30 += op == 0;
        }
        QVERIFY(conv3x3 > 0 && noneOn30 > 0);
        StudySession session;
        TrialsView view(&session);
        view.resize(700, 500);  // the table shows a few columns
        view.show();
        session.show(recordOf(cellSpec()), trials);
        QCheckBox* edges = view.edgeColumnsToggle();
        QVERIFY(!edges->isHidden() && !edges->isChecked());
        QVERIFY(view.textFilter()->placeholderText().contains("3-0 = conv3x3"));

        QTest::keyClicks(view.textFilter(), "3-0 = conv3x3");
        QVERIFY(edges->isChecked());
        QCOMPARE(view.proxy()->rowCount(), conv3x3);
        QVERIFY(view.filterNote()->isHidden());
        // The column it compares is in view, however narrow the table.
        int edgeColumn = -1;
        for (int column = 0; column < view.proxy()->columnCount(); ++column)
            if (view.proxy()->headerData(column, Qt::Horizontal).toString() == "3←0")
                edgeColumn = column;
        QVERIFY(edgeColumn > 0);
        QTableView* table = view.table();
        QVERIFY(table->viewport()->rect().contains(
            table->visualRect(view.proxy()->index(0, edgeColumn))));
        // The arrow as the header has it, the full operation name, "!=", and
        // a second clause.
        view.textFilter()->setText("3←0 != none");
        QCOMPARE(view.proxy()->rowCount(), 30 - noneOn30);
        view.textFilter()->setText("3-0 = nor_conv_3x3 and value >= 90");
        QCOMPARE(view.proxy()->rowCount(), conv3x3);
        // 0-3 is no edge (edges run from a lower node to a higher one).
        view.textFilter()->setText("0-3 = skip");
        QVERIFY(view.filterNote()->isVisible());
        QVERIFY2(view.filterNote()->text().startsWith("'0-3' names no column"),
                 qPrintable(view.filterNote()->text()));

        // The user turned the columns off: naming an edge turns them on again.
        view.textFilter()->clear();
        edges->setChecked(false);
        view.textFilter()->setText("3-0=skip");
        QVERIFY(edges->isChecked());
        QVERIFY(!TrialQuery::namesCellEdge("x1 > 3-0"));
        QVERIFY(!TrialQuery::namesCellEdge("value >= 3"));
        QVERIFY(TrialQuery::namesCellEdge("value > 80, cell 2-1 = skip"));

        // A study without a cell has no edge to show: the clause is an error.
        view.textFilter()->clear();
        session.show(recordOf(plainSpec()), {plainTrial()});
        QVERIFY(edges->isHidden());
        view.textFilter()->setText("3-0 = skip");
        QVERIFY(view.filterNote()->text().startsWith("'3-0' names no column"));
    }

    void slicesStripsAndParallelAxesPerEdge() {
        const auto trials = oneEdgeDecides(30);
        ParamSpec cell;
        cell.name = "cell";
        cell.type = ParamType::Nb201Cell;
        const ParameterSlice slice = parameterSlice(trials, cell, {}, 0, 3);
        QCOMPARE(slice.categories, (QStringList{"none", "skip", "conv1x1", "conv3x3", "avgpool"}));
        QCOMPARE(slice.points.size(), std::size_t{30});
        for (std::size_t i = 0; i < slice.points.size(); ++i) {
            const int op = cellFormat::cellOf(trials[i], "cell")->ops[3];
            QVERIFY(std::fabs(slice.points[i].x() - op) <= 0.28);
            QCOMPARE(slice.points[i].y(), *trials[i].value);
        }
        const SearchSpace space = SearchSpace::fromJson(cellSpec()["space"]);
        const ParallelData data =
            parallelData(trials, space, studyObjectives(recordOf(cellSpec())));
        QCOMPARE(data.axes.size(), std::size_t{7});
        QCOMPARE(data.axes[2].name, QString("2←1"));
        QCOMPARE(data.axes[2].categories.size(), 5);
        const int op = cellFormat::cellOf(trials[0], "cell")->ops[2];
        QCOMPARE(data.position(0, 2), op / 4.0);
        QVERIFY(data.axes[6].objective);
    }

    void gpSliceAlongAnEdge() {
        auto slice = gpPosteriorSliceOf(recordOf(cellSpec()), oneEdgeDecides(40), "cell", 3);
        QVERIFY(slice);
        QCOMPARE(slice->categories.size(), 5);
        QCOMPARE(slice->x.size(), std::size_t{5});
        QCOMPARE(slice->parameter, QString("3←0"));
        // The cell drawing's short names: the Live panel is narrow.
        QCOMPARE(slice->categories, (QStringList{"none", "skip", "1x1", "3x3", "pool"}));
        // The median follows the table: conv3x3 (90) above none (10).
        QVERIFY(slice->median[3] > slice->median[0]);
        QVERIFY(!gpPosteriorSliceOf(recordOf(cellSpec()), oneEdgeDecides(40), "cell", -1));
        PosteriorSlicePlot plot;
        plot.setSlice(*slice);
        QCOMPARE(plot.categoryCount(), 5);
        QCOMPARE(plot.emptyMessage(), QString());
        QCOMPARE(plot.valueAxis()->titleText(), QString("Objective value"));
        QCOMPARE(plot.chartTitleDetail(), QString());
        // A table's value axis is named after its metric, and so is the
        // title's detail (a compact chart hides its axis titles).
        Json table = cellSpec();
        table["objective"] = {{"kind", "tabular"}, {"metric", "cifar10_valid_acc_12ep"}};
        plot.setSlice(*gpPosteriorSliceOf(recordOf(table), oneEdgeDecides(40), "cell", 3));
        QCOMPARE(plot.valueAxis()->titleText(), QString("cifar10_valid_acc_12ep"));
        QCOMPARE(plot.chartTitleDetail(), QString("cifar10_valid_acc_12ep"));
        QCOMPARE(plot.chartTitle(), QString("GP posterior slice through the best trial"));
    }

    // A table study's parallel coordinates at the width the Analysis tab has
    // in a 1024x700 window: the objective axis goes by the table's metric,
    // as on every other page, and no label or title runs into another or
    // out of the plot (the last axis's value labels used to sit on the
    // labels of the edge before it).
    void parallelLabelsOfACellStudyStayApart_data() {
        QTest::addColumn<int>("width");
        QTest::newRow("1024x700") << 710;
        QTest::newRow("narrowest") << 400;  // labels elided to the room between axes
    }
    void parallelLabelsOfACellStudyStayApart() {
        QFETCH(int, width);
        StudySession session;
        AnalysisView analysis(&session, [](const QString&) { return std::nullopt; });
        analysis.resize(width, 560);
        analysis.show();
        Json table = cellSpec("evolution");
        table["objective"] = {{"kind", "tabular"}, {"metric", "cifar10_valid_acc_12ep"}};
        // Accuracies from 9.712 to 84.892, as an NB201 table study finds.
        std::vector<Trial> trials = oneEdgeDecides(60);
        for (Trial& trial : trials)
            trial.value = 9.712 + (*trial.value - 10) * (84.892 - 9.712) / 80;
        session.show(recordOf(table), trials);
        analysis.showPage(AnalysisView::ParallelView);
        QVERIFY(QTest::qWaitForWindowExposed(&analysis));
        const ParallelCoordinatesPlot* plot = analysis.parallelPage()->plot();
        QCOMPARE(plot->axisCount(), 7);
        QCOMPARE(plot->data().axes.back().name, QString("cifar10_valid_acc_12ep"));
        const QRectF inside(plot->rect());
        std::vector<QRectF> labels, titles;
        for (std::size_t a = 0; a < 7; ++a) {
            titles.push_back(plot->titleBox(a, plot->axisTitle(a)));
            QVERIFY(inside.contains(titles.back()));
            for (const auto& label : plot->axisLabelBoxes(a)) {
                QVERIFY2(inside.contains(label.box), qPrintable(label.text));
                QVERIFY(!label.text.isEmpty());
                labels.push_back(label.box);
                // and clear of the next axis's line
                if (a + 1 < 7)
                    QVERIFY(label.box.right() < plot->axisX(a + 1));
            }
        }
        // Five operations per edge; the objective at its ends, 20, 40 and 60.
        QCOMPARE(labels.size(), std::size_t{6 * 5 + 5});
        auto apart = [](const std::vector<QRectF>& boxes) {
            for (std::size_t i = 0; i < boxes.size(); ++i)
                for (std::size_t j = i + 1; j < boxes.size(); ++j)
                    if (boxes[i].intersects(boxes[j]))
                        return false;
            return true;
        };
        QVERIFY(apart(labels));
        QVERIFY(apart(titles));
        // The objective's title is elided to its room; hovering shows it whole.
        auto* widget = analysis.parallelPage()->plot();
        const QPointF hover = titles.back().center();
        QMouseEvent move(QEvent::MouseMove, hover, widget->mapToGlobal(hover), Qt::NoButton,
                         Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(widget, &move);
        QTRY_COMPARE(QToolTip::text(), QString("▶ cifar10_valid_acc_12ep"));
    }

    void viewsOfACellStudy() {
        StudySession session;
        AnalysisView analysis(&session, [](const QString&) { return std::nullopt; });
        analysis.resize(1100, 700);
        analysis.show();
        session.show(recordOf(cellSpec()), oneEdgeDecides(60));
        analysis.showPage(AnalysisView::SlicesView);
        QCOMPARE(analysis.sliceGrid()->plots().size(), std::size_t{6});
        QCOMPARE(analysis.sliceGrid()->plots()[5]->axisName(), QString("3←2"));
        QCOMPARE(analysis.sliceGrid()->plots()[0]->pointCount(), 60);
        QVERIFY(analysis.sliceGrid()->plotOf("3←0"));
        analysis.showPage(AnalysisView::ParallelView);
        QCOMPARE(analysis.parallelPage()->plot()->axisCount(), 7);
        analysis.showPage(AnalysisView::OperationsView);
        OperationsPage* operations = analysis.operationsPage();
        QVERIFY(operations->heatmap()->frequency());
        QCOMPARE(operations->heatmap()->frequency()->best, 6);  // 10 % of 60
        operations->bestPercent()->setValue(25);
        QCOMPARE(operations->heatmap()->frequency()->best, 15);
        analysis.showPage(AnalysisView::ImportanceView);
        QTRY_COMPARE_WITH_TIMEOUT(analysis.importancePage()->plot()->barCount(), 6, 20000);
        // The contour over two edges: a 5 x 5 map of operations, labelled
        // as the cell drawing labels them; the edge that decides (3←0, where
        // conv3x3 scores 90) is brightest in conv3x3's column.
        analysis.showPage(AnalysisView::ContourView);
        ContourPage* contour = analysis.contourPage();
        QCOMPARE(contour->xChooser()->count(), 6);
        // The first map is of the two edges the GP finds most relevant, the
        // one that decides first; a pair the user picks then stays.
        QTRY_COMPARE_WITH_TIMEOUT(contour->plot()->cellCount(), 25, 20000);
        QCOMPARE(contour->xChooser()->currentText(), QString("3←0"));
        const QString picked = contour->yChooser()->currentText();
        QVERIFY(picked != "3←0");
        const QString other = picked == "2←0" ? "1←0" : "2←0";
        contour->yChooser()->setCurrentText(other);
        QTRY_VERIFY(contour->plot()->chartTitle().contains("over 3←0 and " + other));
        // The cell study's one objective is "value": the title names it.
        QVERIFY2(contour->plot()->chartTitle().startsWith("GP mean of value over") ||
                     contour->plot()->chartTitle().startsWith("GP median of value over"),
                 qPrintable(contour->plot()->chartTitle()));
        QTRY_COMPARE(contour->plot()->observedPointCount(), 60);
        auto* xAxis = qobject_cast<QCategoryAxis*>(contour->plot()->xAxis());
        QVERIFY(xAxis);
        QCOMPARE(
            xAxis->categoriesLabels(),
            (QStringList{cellFormat::shortOperationLabel(0), cellFormat::shortOperationLabel(1),
                         cellFormat::shortOperationLabel(2), cellFormat::shortOperationLabel(3),
                         cellFormat::shortOperationLabel(4)}));
        QCOMPARE(xAxis->titleText(), QString("3←0"));
        const QImage& heat = contour->plot()->heatImage();
        QCOMPARE(heat.size(), QSize(5, 5));
        // Every row's brightest cell (viridis: yellow is high) is conv3x3's.
        for (int row = 0; row < 5; ++row) {
            int brightest = 0;
            for (int column = 1; column < 5; ++column)
                if (heat.pixelColor(column, row).lightness() >
                    heat.pixelColor(brightest, row).lightness())
                    brightest = column;
            QCOMPARE(brightest, 3);
        }
        // Hovering a cell names both operations, as the cell drawing does.
        ContourPlot* plot = contour->plot();
        const QPointF cell =
            plot->chart()->mapToPosition(QPointF(3, 0), plot->chart()->series()[0]);
        const QPoint hover = plot->mapFromScene(plot->chart()->mapToScene(cell));
        QMouseEvent move(QEvent::MouseMove, QPointF(hover),
                         plot->viewport()->mapToGlobal(QPointF(hover)), Qt::NoButton, Qt::NoButton,
                         Qt::NoModifier);
        QApplication::sendEvent(plot->viewport(), &move);
        QTRY_VERIFY2(QToolTip::text().startsWith("3←0 = conv3x3, " + other + " = none<br>GP"),
                     qPrintable(QToolTip::text()));
        // A new study of cells picks its own pair again.
        contour->xChooser()->setCurrentText("1←0");
        QTRY_VERIFY(contour->plot()->chartTitle().contains("over 1←0 and " + other));
        session.show(recordOf(cellSpec()), oneEdgeDecides(40));
        QTRY_COMPARE_WITH_TIMEOUT(contour->plot()->observedPointCount(), 40, 20000);
        QCOMPARE(contour->xChooser()->currentText(), QString("3←0"));

        // A study without a cell: the operations page says why in one sentence.
        session.show(recordOf(plainSpec()), {plainTrial()});
        analysis.showPage(AnalysisView::OperationsView);
        QVERIFY(!operations->heatmap()->frequency());
        QCOMPARE(operations->heatmap()->message(),
                 QString("Operation frequency needs an nb201-cell parameter, and this study's "
                         "space has none."));
    }

    void liveSlicesAlongEdgesAndShowsTheBestCell() {
        StudySession session;
        LiveView live(&session);
        showWithGpSlices(live);
        const auto trials = oneEdgeDecides(30);
        session.show(recordOf(cellSpec()), trials);
        QCOMPARE(live.posteriorParameter()->count(), 6);
        QCOMPARE(live.posteriorParameter()->itemText(3), QString("cell edge 3←0"));
        live.posteriorParameter()->setCurrentIndex(3);
        QTRY_COMPARE_WITH_TIMEOUT(live.posteriorPlot()->categoryCount(), 5, 20000);
        QVERIFY(live.bestCellCard()->isVisible());
        const int best = bestTrial(trials, Direction::Maximize)->number;
        QCOMPARE(live.bestCellCard()->shownTrial(), best);
        // A better trial arrives: the card follows.
        Trial better = cellTrial(30, cellOfOps({1, 1, 1, 3, 1, 1}), 1000);
        session.applyUpdates({better});
        live.refreshNow();
        QCOMPARE(live.bestCellCard()->shownTrial(), 30);
        QCOMPARE(*live.bestCellCard()->cellView()->cell(), cellOfOps({1, 1, 1, 3, 1, 1}));
    }

    // Accuracy against a capped latency (README's hardware-aware spec): the
    // card, the Trials tab's comparison and the GP slice centre on the most
    // accurate cell that keeps the cap, never on a faster-looking cell that
    // breaks it.
    void theBestCellKeepsTheConstraints() {
        Json spec = cellSpec();
        spec["objectives"] = Json::parse(R"([{"name": "accuracy", "direction": "maximize"},
                                             {"name": "latency", "direction": "minimize"}])");
        spec["constraints"] = Json::parse(R"([{"name": "latency", "max": 8}])");
        std::vector<Trial> trials = oneEdgeDecides(30);
        int feasibleBest = -1;  // the earliest of the accurate cells under the cap
        for (Trial& trial : trials) {
            trial.values = {*trial.value, *trial.value >= 90 ? 14.0 : 5.0};
            if (trial.values[1] <= 8 &&
                (feasibleBest < 0 ||
                 *trial.value > *trials[static_cast<std::size_t>(feasibleBest)].value))
                feasibleBest = trial.number;
        }
        QVERIFY(bestTrial(trials, Direction::Maximize)->values[1] > 8);  // the trap is there
        QVERIFY(feasibleBest >= 0);

        ShownLive shown(spec, trials);
        const LiveView& live = shown.live;
        QVERIFY(live.bestCellCard()->isVisible());
        QCOMPARE(live.bestCellCard()->shownTrial(), feasibleBest);
        auto slice = gpPosteriorSliceOf(recordOf(spec), trials, "cell", 3);
        QVERIFY(slice.has_value());
        // Along edge 3←0, which decides the value: the capped best has a 1×1
        // convolution there (60), the trap a 3×3 (90).
        QCOMPARE(slice->incumbentX, std::optional<double>(2.0));
    }

    // One objective under a cap on a reported attribute: the Live objective
    // chart's best-so-far line ends at the header's best feasible value, and
    // the trials that break the cap are drawn apart.
    void theObjectiveChartRanksLikeTheHeader() {
        const CappedCells capped;
        const int broken = capped.broken;
        QVERIFY(broken > 0);
        ShownLive shown(capped.spec, capped.trials);
        const LiveView& live = shown.live;
        const StudySession& session = shown.session;
        QVERIFY(session.counts().best.has_value());
        QCOMPARE(live.objectivePlot()->lastBestValue(), *session.counts().best->value);
        QVERIFY(*session.counts().best->value < 90);
        QCOMPARE(live.objectivePlot()->infeasiblePointCount(), broken);
    }

    // The Live GP slice fits every trial (a capped-out value is still real),
    // but rings the ones that break the cap, as the objective chart does.
    void theGpSliceRingsTrialsThatBreakTheCap() {
        const CappedCells capped;
        const std::vector<Trial>& trials = capped.trials;
        const int broken = capped.broken;
        QVERIFY(broken > 0);
        StudySession session;
        LiveView live(&session);
        showWithGpSlices(live);
        session.show(recordOf(capped.spec), trials);
        live.posteriorParameter()->setCurrentIndex(3);
        QTRY_COMPARE_WITH_TIMEOUT(live.posteriorPlot()->categoryCount(), 5, 20000);
        QCOMPARE(live.posteriorPlot()->infeasiblePointCount(), broken);
        QCOMPARE(live.posteriorPlot()->observedPointCount(), 30 - broken);
        // A legend marker reads as visible once the chart has laid it out,
        // which a loaded machine (the sanitizer suite in CI) does later.
        auto ringShown = [&] {
            const auto entries = live.posteriorPlot()->chart()->legend()->markers();
            return std::any_of(entries.begin(), entries.end(), [](QLegendMarker* marker) {
                return marker->label() == QStringLiteral("infeasible") && marker->isVisible();
            });
        };
        QTRY_VERIFY(ringShown());

        // Without the cap every trial is a dot, and the entry goes.
        auto uncapped = gpPosteriorSliceOf(recordOf(cellSpec()), trials, "cell", 3);
        QVERIFY(uncapped.has_value());
        live.posteriorPlot()->setSlice(*uncapped);
        QCOMPARE(live.posteriorPlot()->observedPointCount(), 30);
        QCOMPARE(live.posteriorPlot()->infeasiblePointCount(), 0);
        QTRY_VERIFY(!ringShown());
    }
};

QTEST_MAIN(CellAnalysisTest)
#include "tst_cell_analysis.moc"

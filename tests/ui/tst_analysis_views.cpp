// The Analysis tab's views draw exactly their data: importance bars, slice
// points per objective, the contour grid, EDF steps, the Pareto split,
// parallel-coordinate lines; brushing filters the Trials table to the
// brushed rows; every view exports to PNG and SVG.

#include <cmath>
#include <map>
#include <set>

#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QToolTip>
#include <QValueAxis>

#include "analysis/measure_names.h"
#include "analysis/posterior_slice.h"
#include "analysis/study_analysis.h"
#include "analysis/trial_series.h"
#include "controller/study_session.h"
#include "models/trial_filter_model.h"
#include "models/trial_table_model.h"
#include "plots/chart_export.h"
#include "plots/contour_plot.h"
#include "plots/edf_plot.h"
#include "plots/importance_plot.h"
#include "plots/objective_plot.h"
#include "plots/parallel_coordinates_plot.h"
#include "plots/pareto_plot.h"
#include "plots/posterior_slice_plot.h"
#include "plots/slice_plot.h"
#include "util/random.h"
#include "views/analysis_view.h"
#include "views/compare_page.h"
#include "views/contour_page.h"
#include "views/importance_page.h"
#include "views/live_view.h"
#include "views/parallel_page.h"
#include "views/pareto_page.h"
#include "views/slices_page.h"
#include "views/trials_view.h"

using namespace bonsai;
using namespace bonsai::ui;

namespace {

// x1 drives the value, x2 barely: f = (x1 - 0.3)^2 + 0.001 x2; plus a
// categorical that does nothing.
Json singleSpec() {
    return Json{{"name", "known"},
                {"direction", "minimize"},
                {"space", Json::array({{{"name", "x1"}, {"type", "float"}, {"low", 0}, {"high", 1}},
                                       {{"name", "x2"}, {"type", "float"}, {"low", 0}, {"high", 1}},
                                       {{"name", "opt"},
                                        {"type", "categorical"},
                                        {"choices", {"sgd", "adam", "rmsprop"}}}})},
                {"strategy", {{"kind", "random"}}},
                {"budget", {{"trials", 40}}}};
}

StudyRecord recordOf(const Json& spec) {
    StudyRecord record;
    record.id = 7;
    record.name = spec["name"].get<std::string>();
    record.direction = spec.value("direction", std::string("minimize")) == "maximize"
                           ? Direction::Maximize
                           : Direction::Minimize;
    record.spec = spec;
    record.state = StudyState::Finished;
    return record;
}

std::vector<Trial> singleTrials(int count) {
    std::vector<Trial> trials;
    Rng rng(11);
    const char* choices[] = {"sgd", "adam", "rmsprop"};
    for (int i = 0; i < count; ++i) {
        Trial trial;
        trial.number = i;
        const double x1 = uniform01(rng), x2 = uniform01(rng);
        trial.params["x1"] = x1;
        trial.params["x2"] = x2;
        trial.params["opt"] = std::string(choices[i % 3]);
        trial.state = TrialState::Complete;
        trial.value = (x1 - 0.3) * (x1 - 0.3) + 0.001 * x2;
        trials.push_back(trial);
    }
    return trials;
}

// Two objectives (accuracy up, latency down) and a constraint on latency.
// A complete trial of singleSpec() with the value and the measures its
// objective reported (a latency_ms, say).
Trial measuredTrial(int number, double value, const std::map<std::string, double>& measures) {
    Trial t;
    t.number = number;
    t.state = TrialState::Complete;
    t.params["x1"] = 0.5;
    t.params["x2"] = 0.5;
    t.params["opt"] = std::string("sgd");
    t.value = value;
    for (const auto& [name, measure] : measures)
        t.attrs[name] = measure;
    return t;
}

Json multiSpec() {
    Json spec = singleSpec();
    spec["name"] = "multi";
    spec.erase("direction");
    spec["objectives"] = Json::array({{{"name", "accuracy"}, {"direction", "maximize"}},
                                      {{"name", "latency"}, {"direction", "minimize"}}});
    spec["constraints"] = Json::array({{{"name", "latency"}, {"max", 9.0}}});
    return spec;
}

// (accuracy, latency): 0 (0.9, 5) front; 1 (0.8, 3) front; 2 (0.7, 4)
// dominated by 1; 3 (0.95, 9.5) infeasible; 4 (0.6, 1) front; 5 (0.8, 3)
// duplicate of 1, front; 6 running; 7 (0.5, 6) dominated.
std::vector<Trial> multiTrials() {
    const double values[][2] = {{0.9, 5}, {0.8, 3}, {0.7, 4}, {0.95, 9.5},
                                {0.6, 1}, {0.8, 3}, {0, 0},   {0.5, 6}};
    std::vector<Trial> trials;
    for (int i = 0; i < 8; ++i) {
        Trial trial;
        trial.number = i;
        trial.params["x1"] = 0.1 * i;
        trial.params["x2"] = 1.0 - 0.1 * i;
        trial.params["opt"] = std::string(i % 2 ? "adam" : "sgd");
        trial.state = i == 6 ? TrialState::Running : TrialState::Complete;
        if (i != 6)
            trial.values = {values[i][0], values[i][1]};
        trials.push_back(trial);
    }
    return trials;
}

void checkExport(QWidget* widget, const QString& stem) {
    QTemporaryDir dir;
    widget->resize(640, 420);
    const QString png = dir.filePath(stem + ".png"), svg = dir.filePath(stem + ".svg");
    QCOMPARE(saveWidgetImage(widget, png), QString());
    QCOMPARE(saveWidgetImage(widget, svg), QString());
    QImage image(png);
    QVERIFY2(!image.isNull(), qPrintable(stem));
    QCOMPARE(image.size(), QSize(640, 420) * 2);  // exported at twice the size
    QFile file(svg);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains("<svg"));
    QVERIFY2(text.size() > 2000, qPrintable(stem));
}

}  // namespace

class TestAnalysisViews : public QObject {
    Q_OBJECT

  private slots:
    void liveBatchesCountAndFlagAsAFreshShowWould() {
        // The session keeps the Pareto set up to date batch by batch and
        // re-flags only the rows that changed or joined or left the set; the
        // result must be what showing the same trials afresh gives.
        const StudyRecord record = recordOf(multiSpec());
        std::vector<Trial> all = multiTrials();
        StudySession live;
        live.show(record, {all.begin(), all.begin() + 3});
        auto sameAsFresh = [&](const char* when) {
            StudySession fresh;
            fresh.show(record, live.trials());
            QVERIFY2(live.counts().paretoIndices == fresh.counts().paretoIndices, when);
            QVERIFY2(live.counts().hypervolume == fresh.counts().hypervolume, when);
            QVERIFY2(live.counts().paretoSize == fresh.counts().paretoSize, when);
            TrialTableModel* a = live.model();
            TrialTableModel* b = fresh.model();
            QCOMPARE(a->rowCount(), b->rowCount());
            for (int row = 0; row < a->rowCount(); ++row)
                QVERIFY2(
                    a->index(row, a->flagColumn()).data() == b->index(row, b->flagColumn()).data(),
                    qPrintable(QStringLiteral("%1, row %2").arg(QLatin1String(when)).arg(row)));
        };
        sameAsFresh("shown");
        live.applyUpdates({all.begin() + 3, all.end()});  // 6 still running
        sameAsFresh("second batch");
        Trial dominatesAll = all[6];  // finishes best in both objectives
        dominatesAll.state = TrialState::Complete;
        dominatesAll.values = {0.99, 0.5};
        live.applyUpdates({dominatesAll});
        QCOMPARE(live.counts().paretoSize, 1);
        sameAsFresh("a trial that dominates the whole front finishes");
        Trial tradeOff = all[0];
        tradeOff.number = 8;
        tradeOff.values = {0.995, 2};
        Trial infeasible = all[3];
        infeasible.number = 9;
        live.applyUpdates({tradeOff, infeasible});
        QCOMPARE(live.counts().paretoSize, 2);
        sameAsFresh("a trade-off joins");
    }

    void objectivesComeFromTheSpec() {
        const auto single = studyObjectives(recordOf(singleSpec()));
        QCOMPARE(single.size(), std::size_t(1));
        QCOMPARE(single[0].name, std::string("value"));
        const auto multi = studyObjectives(recordOf(multiSpec()));
        QCOMPARE(multi.size(), std::size_t(2));
        QCOMPARE(multi[0].direction, Direction::Maximize);
        QCOMPARE(multi[1].name, std::string("latency"));
        const auto constraints = studyConstraints(recordOf(multiSpec()));
        QCOMPARE(constraints.size(), std::size_t(1));
        QCOMPARE(*constraints[0].max, 9.0);
        QVERIFY(!constraints[0].min);
        // A stored spec that no longer parses reads as single-objective.
        Json damaged = multiSpec();
        damaged["objectives"][1]["direction"] = "sideways";
        QCOMPARE(studyObjectives(recordOf(damaged)).size(), std::size_t(1));
        QVERIFY(studyConstraints(recordOf(damaged)).empty());
        // Objective values: values[k] when multi-objective, value otherwise.
        const auto trials = multiTrials();
        QCOMPARE(*objectiveValue(trials[0], 1, multi), 5.0);
        QVERIFY(!objectiveValue(trials[6], 0, multi));  // running
        QVERIFY(!objectiveValue(trials[0], 2, multi));  // no such objective
    }

    void importanceRanksTheParameterThatMatters() {
        const auto trials = singleTrials(40);
        auto relevance = parameterImportanceOf(recordOf(singleSpec()), trials);
        QVERIFY(relevance);
        QCOMPARE(relevance->params.size(), std::size_t(3));
        QCOMPARE(relevance->observations, 40);
        double sum = 0;
        for (double r : relevance->relevance)
            sum += r;
        QVERIFY(std::fabs(sum - 1.0) < 1e-9);
        QVERIFY2(relevance->relevance[0] > 0.6,
                 qPrintable(QString::number(relevance->relevance[0])));
        QVERIFY(relevance->relevance[0] > 5 * relevance->relevance[1]);

        ImportancePlot plot;
        plot.setRelevance(*relevance);
        QCOMPARE(plot.barCount(), 3);
        QCOMPARE(plot.categories().back(), QStringLiteral("x1"));  // top bar
        QVERIFY(plot.emptyMessage().isEmpty());
        plot.clearRelevance(QStringLiteral("none"));
        QCOMPARE(plot.barCount(), 0);
        // Bad path: one complete trial is no model.
        QVERIFY(!parameterImportanceOf(recordOf(singleSpec()), singleTrials(1)));
    }

    void gpViewsModelTheChosenObjective() {
        // accuracy follows x1, latency follows x2.
        auto trials = singleTrials(40);
        for (Trial& trial : trials) {
            const double x1 = *numericValue(trial.params["x1"]);
            const double x2 = *numericValue(trial.params["x2"]);
            trial.values = {1.0 - (x1 - 0.3) * (x1 - 0.3), 5 + 3 * std::sin(6 * x2)};
            trial.value = trial.values[0];
            trial.attrs["gp_theta"] = std::vector<double>{0, 0, 0, 0, 0, 0};  // another model's
        }
        const StudyRecord record = recordOf(multiSpec());
        auto accuracy = parameterImportanceOf(record, trials, 0);
        auto latency = parameterImportanceOf(record, trials, 1);
        QVERIFY(accuracy && latency);
        QVERIFY(accuracy->relevance[0] > accuracy->relevance[1]);
        QVERIFY(latency->relevance[1] > latency->relevance[0]);
        QVERIFY(!parameterImportanceOf(record, trials, 2));  // no such objective
        auto grid = posteriorGridOf(record, trials, "x1", "x2", 8, 1);
        QVERIFY(grid);
        QCOMPARE(grid->observedValue.front(), trials.front().values[1]);
        // The incumbent is latency's best (minimized).
        auto best = std::min_element(trials.begin(), trials.end(),
                                     [](auto& a, auto& b) { return a.values[1] < b.values[1]; });
        QCOMPARE(grid->incumbentTrial, best->number);
    }

    void slicesFollowTheChosenObjective() {
        const auto trials = multiTrials();
        const auto objectives = studyObjectives(recordOf(multiSpec()));
        const SearchSpace space = SearchSpace::fromJson(multiSpec()["space"]);
        ParameterSlice latency = parameterSlice(trials, space.params()[0], objectives, 1);
        QCOMPARE(latency.points.size(), std::size_t(7));
        QCOMPARE(latency.points[0].y(), 5.0);
        QCOMPARE(latency.trialNumbers[6], 7);
        ParameterSlice category = parameterSlice(trials, space.params()[2], objectives, 0);
        QCOMPARE(category.categories.size(), 3);
        // A strip per choice: trial 1 used "adam", drawn within ±0.28 of it,
        // and trials of one choice spread across the strip.
        QVERIFY(std::fabs(category.points[1].x() - 1.0) <= 0.28);
        QCOMPARE(category.points[1].y(), 0.8);
        std::set<double> adamX;
        for (const QPointF& point : category.points)
            if (std::lround(point.x()) == 1)
                adamX.insert(point.x());
        QVERIFY2(adamX.size() >= 2, "trials of one choice share one x");

        SliceGrid grid;
        grid.setSpace(space, {});
        grid.setTrials(trials, Direction::Minimize, objectives, 1, QStringLiteral("latency"));
        QCOMPARE(grid.plots().size(), std::size_t(3));
        for (SlicePlot* plot : grid.plots())
            QCOMPARE(plot->pointCount(), 7);
        QVERIFY(grid.plotOf(QStringLiteral("opt")));
        QVERIFY(!grid.plotOf(QStringLiteral("nope")));

        // A constraint on latency: trials above it become rings, still
        // hoverable and selectable.
        const std::vector<ConstraintSpec> cap{{"latency", std::nullopt, 5.0}};
        int broken = 0;
        for (const Trial& trial : trials)
            broken += trial.state == TrialState::Complete && trial.values.size() > 1 &&
                      trial.values[1] > 5.0;
        QVERIFY(broken > 0 && broken < 7);
        grid.setTrials(trials, Direction::Minimize, objectives, 1, QStringLiteral("latency"),
                       Feasibility{objectives, cap});
        SlicePlot* plot = grid.plots().front();
        QCOMPARE(plot->pointCount(), 7);
        QCOMPARE(plot->infeasiblePointCount(), broken);
    }

    // Pruned trials enter the GP as the worst complete value (as the gp
    // strategy models them) and the slice draws them apart, as crosses at
    // their last report.
    void theSliceDrawsPrunedTrialsAsCrosses() {
        std::vector<Trial> trials = singleTrials(20);
        for (int n : {3, 8, 13}) {
            Trial& trial = trials[static_cast<std::size_t>(n)];
            trial.state = TrialState::Pruned;
            trial.intermediate = {{1, 2.5}};
            trial.value = 2.5;  // its last report
        }
        trials[17].state = TrialState::Pruned;  // pruned before any report: no value
        trials[17].value.reset();
        auto slice = gpPosteriorSliceOf(recordOf(singleSpec()), trials, "x1", -1, 0);
        QVERIFY(slice);
        QCOMPARE(std::count(slice->observedPruned.begin(), slice->observedPruned.end(), true), 3);
        QCOMPARE(slice->observedX.size(), std::size_t{19});
        for (std::size_t i = 0; i < slice->observedY.size(); ++i)
            if (slice->observedPruned[i])
                QCOMPARE(slice->observedY[i], 2.5);
        // The contour's dots stay the complete trials.
        auto grid = posteriorGridOf(recordOf(singleSpec()), trials, "x1", "x2", 12);
        QVERIFY(grid);
        QCOMPARE(grid->observedTrial.size(), std::size_t{16});
        for (int pruned : {3, 8, 13, 17})
            QVERIFY(std::find(grid->observedTrial.begin(), grid->observedTrial.end(), pruned) ==
                    grid->observedTrial.end());
        PosteriorSlicePlot plot;
        plot.resize(600, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setSlice(*slice);
        QCOMPARE(plot.prunedPointCount(), 3);
        QTRY_VERIFY([&plot] {
            for (QLegendMarker* marker : plot.chart()->legend()->markers())
                if (marker->label() == QStringLiteral("pruned"))
                    return marker->isVisible();
            return false;
        }());
    }

    void contourCoversTheGrid() {
        const auto trials = singleTrials(30);
        auto grid = posteriorGridOf(recordOf(singleSpec()), trials, "x1", "x2", 12);
        QVERIFY(grid);
        QCOMPARE(grid->columns, 12);
        QCOMPARE(grid->median.size(), std::size_t(144));
        QCOMPARE(grid->observedX.size(), std::size_t(30));
        QCOMPARE(grid->xLow, 0.0);
        QCOMPARE(grid->xHigh, 1.0);
        // The mean is lowest near x1 = 0.3 whatever x2 (column 3 of 12).
        const int row = 6;
        auto at = [&](int column) {
            return grid->median[static_cast<std::size_t>(row * 12 + column)];
        };
        QVERIFY(at(3) < at(0));
        QVERIFY(at(3) < at(11));

        ContourPlot plot;
        plot.resize(600, 400);
        plot.show();
        plot.setGrid(*grid);
        QCOMPARE(plot.cellCount(), 144);
        QCOMPARE(plot.heatImage().size(), QSize(12, 12));
        QCOMPARE(plot.observedPointCount(), 30);
        QVERIFY(plot.emptyMessage().isEmpty());
        // Hovering the map names the GP's value there: its median when the
        // GP models warped losses, else its mean.
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        const QPointF centre = plot.chart()->plotArea().center();
        const QPoint hover = plot.mapFromScene(plot.chart()->mapToScene(centre));
        QMouseEvent move(QEvent::MouseMove, QPointF(hover),
                         plot.viewport()->mapToGlobal(QPointF(hover)), Qt::NoButton, Qt::NoButton,
                         Qt::NoModifier);
        QApplication::sendEvent(plot.viewport(), &move);
        const QString statistic = grid->outputWarping.empty() ? "GP mean" : "GP median";
        QTRY_VERIFY(QToolTip::text().contains(statistic));
        QVERIFY(plot.chartTitle().contains(statistic));
        plot.clearGrid(QStringLiteral("none"));
        QCOMPARE(plot.observedPointCount(), 0);

        // Bad paths: the same parameter twice, an unknown one, too few trials.
        QVERIFY(!posteriorGridOf(recordOf(singleSpec()), trials, "x1", "x1"));
        QVERIFY(!posteriorGridOf(recordOf(singleSpec()), trials, "x1", "nope"));
        QVERIFY(!posteriorGridOf(recordOf(singleSpec()), singleTrials(1), "x1", "x2"));
    }

    void contourColoursValuesOverDecadesOnALogScale() {
        // A valley (Rosenbrock's GP median): 20 along one column, 2e6 along
        // another. On a linear scale every cell but the highest was nearly
        // the darkest colour; on a log scale the geometric middle of 20 and
        // 2e6 takes the middle colour.
        const double middle = std::sqrt(20 * 2e6);
        PosteriorGrid grid;  // the parameters' names are not needed here
        grid.columns = grid.rows = 3;
        grid.median = {20, middle, 2e6, 20, middle, 2e6, 20, middle, 2e6};
        auto near = [](const QColor& a, const QColor& b) {
            return std::abs(a.red() - b.red()) <= 1 && std::abs(a.green() - b.green()) <= 1 &&
                   std::abs(a.blue() - b.blue()) <= 1;
        };
        ContourPlot plot;
        plot.setGrid(grid);
        QVERIFY(plot.logColours());
        QVERIFY(near(plot.heatImage().pixelColor(1, 1), ContourPlot::colorAt(0.5)));
        QVERIFY(near(plot.heatImage().pixelColor(0, 1), ContourPlot::colorAt(0.0)));
        // Labelled at its ends and whole decades between.
        QCOMPARE(plot.colourBarLabels(), QStringLiteral("2e+06 / 1e+04 / 100 / 20"));
        // Values within three decades keep linear colours.
        grid.median = {1, 2, 3, 1, 2, 3, 1, 2, 3};
        plot.setGrid(grid);
        QVERIFY(!plot.logColours());
        QVERIFY(near(plot.heatImage().pixelColor(1, 1), ContourPlot::colorAt(0.5)));
        QCOMPARE(plot.colourBarLabels(), QStringLiteral("3 / 2.5 / 2 / 1.5 / 1"));
        // A NAS posterior's 80.8434 to 85.1956: four digits at the ends, and
        // whole numbers between, not "83.0195".
        grid.median = {80.8434, 83, 85.1956, 80.8434, 83, 85.1956, 80.8434, 83, 85.1956};
        plot.setGrid(grid);
        QCOMPARE(plot.colourBarLabels(), QStringLiteral("85.2 / 84 / 83 / 82 / 80.84"));
    }

    // Choices along x, a number along y: blended up the numbers, sharp
    // between the choices. Scaled in one go, the blend ran across the seam
    // between two choices as well, a band of colours neither choice has.
    void contourChoicesMeetAtASharpSeam() {
        PosteriorGrid grid;
        grid.columns = 2;
        grid.rows = 3;
        grid.xLabels = {"sgd", "adam"};
        grid.xLow = -0.5;
        grid.xHigh = 1.5;
        grid.median = {0, 10, 1, 8, 2, 6};  // rows bottom-up: (sgd, adam) per row
        ContourPlot plot;
        plot.resize(600, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setGrid(grid);
        QApplication::processEvents();
        // Drawn at the plot's own size, so nothing scales it further.
        const QImage shown = plot.shownHeat().toImage();
        const QRectF area = plot.chart()->plotArea();
        QVERIFY2(std::abs(shown.width() - area.width()) <= 1 &&
                     std::abs(shown.height() - area.height()) <= 1,
                 qPrintable(QString("%1 x %2").arg(shown.width()).arg(shown.height())));
        // Along a row, only two colours: sgd's up to the middle (to the
        // pixel), adam's from there.
        for (int y : {0, shown.height() / 2, shown.height() - 1}) {
            const QColor left = shown.pixelColor(0, y),
                         right = shown.pixelColor(shown.width() - 1, y);
            QVERIFY(left != right);
            int seam = 0;
            while (seam < shown.width() && shown.pixelColor(seam, y) == left)
                ++seam;
            QVERIFY2(std::abs(seam - shown.width() / 2) <= 1,
                     qPrintable(QString("seam at %1 of %2").arg(seam).arg(shown.width())));
            for (int x = seam; x < shown.width(); ++x)
                QVERIFY2(
                    shown.pixelColor(x, y) == right,
                    qPrintable(QString("x %1 of %2, row %3").arg(x).arg(shown.width()).arg(y)));
        }
        // Up a column, sgd's values 0, 1, 2 blend: more colours than rows.
        QSet<QRgb> sgd;
        for (int y = 0; y < shown.height(); ++y)
            sgd.insert(shown.pixel(0, y));
        QVERIFY2(sgd.size() > 10, qPrintable(QString::number(sgd.size())));
    }

    void contourExtentsOfIntsHalfAStepOut() {
        Json spec = singleSpec();
        spec["space"][1] = {{"name", "x2"}, {"type", "int"}, {"low", 1}, {"high", 4}};
        auto trials = singleTrials(20);
        for (Trial& trial : trials)
            trial.params["x2"] = std::int64_t(1 + trial.number % 4);
        auto grid = posteriorGridOf(recordOf(spec), trials, "x1", "x2", 8);
        QVERIFY(grid);
        QCOMPARE(grid->yLow, 0.5);
        QCOMPARE(grid->yHigh, 4.5);
    }

    // The contour's axes tick at round numbers inside the grid's range:
    // Branin's x1 in [-5, 10] at steps of 1, 2 or 5 times a power of ten from
    // zero (fifths of the range were -5, -2, 1, 4, 7, 10), an int in
    // [0.5, 4.5] at whole numbers.
    void contourAxesTickAtRoundNumbers() {
        PosteriorGrid grid;
        grid.columns = grid.rows = 3;
        grid.median = {1, 2, 3, 1, 2, 3, 1, 2, 3};
        grid.xLow = -5;
        grid.xHigh = 10;
        grid.yLow = 0.5;
        grid.yHigh = 4.5;
        grid.paramX = "x1";
        grid.paramY = "layers";
        ContourPlot plot;
        plot.resize(700, 500);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setIntegerParameters({"layers"});
        plot.setGrid(grid);
        QCoreApplication::processEvents();
        auto ticks = [&plot](Qt::Orientation orientation) {
            auto* axis = qobject_cast<QValueAxis*>(plot.chart()->axes(orientation).front());
            QList<double> out;
            if (!axis || axis->tickType() != QValueAxis::TicksDynamic)
                return out;
            const double step = axis->tickInterval();
            const double anchor = axis->tickAnchor();
            for (double t = anchor + std::ceil((axis->min() - anchor) / step) * step;
                 t <= axis->max() + 1e-9; t += step)
                out << t;
            return out;
        };
        auto isRound = [](double step) {
            const double mantissa = step / std::pow(10.0, std::floor(std::log10(step)));
            return std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 ||
                   std::abs(mantissa - 5) < 1e-9;
        };
        const QList<double> x = ticks(Qt::Horizontal), y = ticks(Qt::Vertical);
        QVERIFY2(x.size() >= 3 && x.size() <= 11, qPrintable(QString::number(x.size())));
        QVERIFY(isRound(x[1] - x[0]));
        auto hasTickAt = [](const QList<double>& ticks, double value) {
            return std::any_of(ticks.begin(), ticks.end(),
                               [value](double tick) { return std::abs(tick - value) < 1e-9; });
        };
        QVERIFY(hasTickAt(x, 0.0) && hasTickAt(x, 10.0));
        QCOMPARE(y, (QList<double>{1, 2, 3, 4}));
    }

    void edfStepsThroughSortedValues() {
        std::vector<int> numbers;
        auto edf =
            empiricalDistribution({{0, 3.0}, {1, 1.0}, {2, 2.0}, {3, std::nan("")}}, &numbers);
        QCOMPARE(edf.size(), std::size_t(3));
        QCOMPARE(edf[0], QPointF(1.0, 1.0 / 3));
        QCOMPARE(edf[1], QPointF(2.0, 2.0 / 3));
        QCOMPARE(edf[2], QPointF(3.0, 1.0));
        QCOMPARE(numbers, (std::vector<int>{1, 2, 0}));
        QVERIFY(empiricalDistribution({}).empty());

        EdfPlot plot;
        plot.setCurves({{"a", edf, numbers, true}, {"b", {{0.5, 1.0}}, {4}, false}});
        QCOMPARE(plot.curveCount(), 2);
        QCOMPARE(plot.stepPointCount(0), 6);  // a rise and a level per value
        QCOMPARE(plot.stepPointCount(1), 2);
        QVERIFY(plot.emptyMessage().isEmpty());
        plot.setCurves({});
        QCOMPARE(plot.curveCount(), 0);
        QVERIFY(!plot.emptyMessage().isEmpty());
    }

    // NAS cells that learn nothing (~10 % among 81-85 %) would squash every
    // curve into a vertical line at the right: they stay off the axis, each
    // curve enters at the edge at the fraction beyond it, and the title
    // says how many there are and where.
    void edfKeepsFarOffValuesOffTheAxis() {
        auto lines = [](EdfPlot& plot) {
            std::vector<QList<QPointF>> out;
            for (QAbstractSeries* series : plot.chart()->series())
                if (auto* line = qobject_cast<QLineSeries*>(series))
                    out.push_back(line->points());
            return out;
        };
        const std::vector<QPointF> a =
            empiricalDistribution({{0, 10.0}, {1, 81}, {2, 82}, {3, 83}, {4, 84}, {5, 85}});
        const std::vector<QPointF> b =
            empiricalDistribution({{0, 9.6}, {1, 83}, {2, 84.5}, {3, 82.5}, {4, 83.5}});
        EdfPlot plot;
        plot.setCurves({{"a", a, {0, 1, 2, 3, 4, 5}, true}, {"b", b, {0, 1, 2, 3, 4}, false}},
                       Direction::Maximize);
        auto* x = qobject_cast<QValueAxis*>(plot.chart()->axes(Qt::Horizontal).front());
        QVERIFY2(x->min() > 70 && x->min() <= 81, qPrintable(QString::number(x->min())));
        QCOMPARE(plot.chartTitleDetail(), QString::fromUtf8("◀ 2 far below (9.6–10)"));
        auto drawn = lines(plot);
        QCOMPARE(drawn.size(), std::size_t(2));
        QCOMPARE(drawn[0].front(), QPointF(x->min(), 1.0 / 6));
        QCOMPARE(drawn[0][1], QPointF(81, 1.0 / 6));
        QCOMPARE(drawn[0].back(), QPointF(85, 1.0));
        QCOMPARE(drawn[1].front(), QPointF(x->min(), 1.0 / 5));

        // Without a shared direction no side is worse: everything is drawn.
        plot.setCurves({{"a", a, {0, 1, 2, 3, 4, 5}, true}});
        x = qobject_cast<QValueAxis*>(plot.chart()->axes(Qt::Horizontal).front());
        QVERIFY(x->min() <= 10);
        QVERIFY(plot.chartTitleDetail().isEmpty());

        // Minimizing, the far-off losses are on the right: the curve leaves
        // at the edge short of 1.
        const std::vector<QPointF> losses = empiricalDistribution(
            {{0, 0.30}, {1, 0.31}, {2, 0.32}, {3, 0.33}, {4, 0.34}, {5, 2.4}});
        plot.setCurves({{"c", losses, {0, 1, 2, 3, 4, 5}, true}}, Direction::Minimize);
        x = qobject_cast<QValueAxis*>(plot.chart()->axes(Qt::Horizontal).front());
        QVERIFY(x->max() < 1);
        QCOMPARE(plot.chartTitleDetail(), QString::fromUtf8("▶ 1 far above (2.4)"));
        drawn = lines(plot);
        QCOMPARE(drawn[0].back(), QPointF(x->max(), 5.0 / 6));
    }

    // Best-so-far curves whose first values lie far from where they end (a
    // first NAS cell that learned nothing; Branin's 120 before 0.4) enter
    // from the axis's edge instead of flattening what tells them apart.
    void compareKeepsFarOffFirstBestsOffTheAxis() {
        std::vector<QPointF> values{{0, 10}, {1, 81}, {2, 82}, {3, 83}, {4, 84}, {5, 85}};
        CompareCurve curve{"nas", values, values, {}, {}};
        curve.direction = Direction::Maximize;
        ComparePlot plot;
        // Names the legend has to cut are given whole on hover.
        QVERIFY(plot.chart()->legend()->showToolTips());
        plot.setCurves({curve});
        auto* y = qobject_cast<QValueAxis*>(plot.chart()->axes(Qt::Vertical).front());
        QVERIFY2(y->min() > 70 && y->min() <= 81, qPrintable(QString::number(y->min())));
        QCOMPARE(plot.chartTitleDetail(), QString::fromUtf8("▼ 1 far below (10)"));

        // Minimizing, the first bests are far above. Two studies pooled.
        CompareCurve a{
            "a", {{0, 121}, {1, 2.6}, {2, 2.4}, {3, 1.1}, {4, 0.6}, {5, 0.4}}, {}, {}, {}};
        CompareCurve b{
            "b", {{0, 109}, {1, 2.2}, {2, 1.9}, {3, 0.9}, {4, 0.8}, {5, 0.7}}, {}, {}, {}};
        plot.setCurves({a, b});
        y = qobject_cast<QValueAxis*>(plot.chart()->axes(Qt::Vertical).front());
        QVERIFY2(y->max() >= 2.6 && y->max() < 10, qPrintable(QString::number(y->max())));
        QCOMPARE(plot.chartTitleDetail(), QString::fromUtf8("▲ 2 far above (109–121)"));

        // Studies of opposite directions: no side is worse for both.
        b.direction = Direction::Maximize;
        plot.setCurves({a, b});
        y = qobject_cast<QValueAxis*>(plot.chart()->axes(Qt::Vertical).front());
        QVERIFY(y->max() >= 121);
        QVERIFY(plot.chartTitleDetail().isEmpty());

        // Hypervolumes grow: a first one far below the others is off too.
        plot.setHypervolumes(true);
        plot.setCurves({curve});
        y = qobject_cast<QValueAxis*>(plot.chart()->axes(Qt::Vertical).front());
        QVERIFY(y->min() > 70);
        QCOMPARE(plot.chartTitleDetail(), QString::fromUtf8("▼ 1 far below (10)"));
    }

    // The fraction axis's labels say where their ticks are: "1.0" is at 1,
    // where every curve ends (ticks at fifths of 0..1.02 put it at 1.02).
    void edfFractionTicksAreWhereTheirLabelsSay() {
        EdfPlot plot;
        plot.resize(500, 400);
        plot.show();
        plot.setCurves({{"a", {{1.0, 0.5}, {2.0, 1.0}}, {0, 1}, true}});
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        const auto vertical = plot.chart()->axes(Qt::Vertical);
        QCOMPARE(vertical.size(), 1);
        auto* axis = qobject_cast<QValueAxis*>(vertical.front());
        QVERIFY(axis);
        QVERIFY(axis->max() >= 1.0);
        std::vector<double> ticks;
        if (axis->tickType() == QValueAxis::TicksDynamic) {
            for (double t = axis->tickAnchor(); t <= axis->max() + 1e-12; t += axis->tickInterval())
                if (t >= axis->min() - 1e-12)
                    ticks.push_back(t);
        } else {
            for (int k = 0; k < axis->tickCount(); ++k)
                ticks.push_back(axis->min() +
                                k * (axis->max() - axis->min()) / (axis->tickCount() - 1));
        }
        QVERIFY(ticks.size() >= 3);
        for (double t : ticks)
            QVERIFY2(std::fabs(t - std::round(t * 10) / 10) < 1e-9,
                     qPrintable(QString("a tick at %1 is labelled %2")
                                    .arg(t)
                                    .arg(QString::asprintf("%.1f", t))));
    }

    // Compare draws a study with several objectives by its first, and its
    // note says so, naming the study and the objective.
    void compareNamesTheObjectiveOfMultiObjectiveStudies() {
        StudySession session;
        ComparePage page(&session, [](const QString& name) -> std::optional<CompareCurve> {
            CompareCurve curve{name, {{0, 2}, {1, 1}}, {{0, 2}, {1, 1}}, {}, {}};
            if (name == "hw-nas")
                curve.firstOfSeveral = "accuracy";
            return curve;
        });
        page.resize(800, 500);
        page.show();
        page.setComparedStudies({"branin"});
        QTRY_COMPARE(page.comparePlot()->curveCount(), 1);
        QVERIFY2(!page.noteText().contains("several objectives"), qPrintable(page.noteText()));
        page.setComparedStudies({"branin", "hw-nas"});
        QTRY_COMPARE(page.comparePlot()->curveCount(), 2);
        QVERIFY2(page.noteText().contains("Comparing 2 studies"), qPrintable(page.noteText()));
        QVERIFY2(
            page.noteText().contains(
                "Studies with several objectives are drawn by their first: hw-nas (accuracy)."),
            qPrintable(page.noteText()));
    }

    // Studies that measure the same thing (one table's metric) have it on
    // the value axes; studies of different things keep "value".
    // The Trials table's Value header says what the value is: the table's
    // metric, or with several objectives the first one's name.
    void theValueHeaderSaysWhatTheValueIs() {
        StudySession session;
        auto tooltip = [&session] {
            return session.model()
                ->headerData(TrialTableModel::ValueColumn, Qt::Horizontal, Qt::ToolTipRole)
                .toString();
        };
        session.show(recordOf(multiSpec()), multiTrials());
        QCOMPARE(tooltip(), QString("accuracy, the first of the objectives (accuracy, latency); "
                                    "Pareto / feasible says where a trial stands on them all"));
        Json table = singleSpec();
        table["objective"] = {{"kind", "tabular"}, {"metric", "cifar10_valid_acc_12ep"}};
        session.show(recordOf(table), singleTrials(3));
        QCOMPARE(tooltip(), QString("The objective: cifar10_valid_acc_12ep"));
        session.show(recordOf(singleSpec()), singleTrials(3));
        QCOMPARE(tooltip(), QString("The objective's value"));
        QCOMPARE(session.model()->headerData(TrialTableModel::ValueColumn, Qt::Horizontal),
                 QVariant(QString("Value")));  // the filter's "value" still names it
    }

    // A study with several objectives is compared by its first, and its
    // axes say so ("Best accuracy"); beside a study of another measure the
    // axes fall back to "Best value".
    void compareAxesNameTheFirstObjective() {
        const StudyRecord multi = recordOf(multiSpec());
        const StudyRecord single = recordOf(singleSpec());
        const CompareCurve curve = compareCurveOf("multi", multi, multiTrials());
        QCOMPARE(curve.firstOfSeveral, QString("accuracy"));
        QCOMPARE(curve.valueName, QString("accuracy"));
        QCOMPARE(compareCurveOf("single", single, singleTrials(3)).valueName,
                 objectiveValueName(single));
        StudySession session;
        ComparePage page(&session, [&](const QString& name) -> std::optional<CompareCurve> {
            return name == "multi" ? compareCurveOf(name, multi, multiTrials())
                                   : compareCurveOf(name, single, singleTrials(3));
        });
        page.resize(800, 500);
        page.show();
        auto titles = [&] {
            return QStringList{page.comparePlot()->chart()->axes(Qt::Vertical).front()->titleText(),
                               page.edfPlot()->chart()->axes(Qt::Horizontal).front()->titleText()};
        };
        page.setComparedStudies({"multi"});
        QTRY_COMPARE(titles(), (QStringList{"Hypervolume", "accuracy"}));
        page.setComparedStudies({"multi", "single"});
        QTRY_COMPARE(titles(), (QStringList{"Best value", "Objective value"}));
    }

    // Two hardware-aware searches of the same problem compare by the
    // hypervolume of their Pareto sets, against one reference point for
    // both (each study's own would make the volumes incomparable).
    void studiesOfTheSameObjectivesCompareByHypervolume() {
        const StudyRecord multi = recordOf(multiSpec());
        std::vector<Trial> other;
        for (const auto& [accuracy, latency] : {std::pair{0.85, 2.0}, std::pair{0.7, 1.5}}) {
            Trial trial;
            trial.number = static_cast<int>(other.size());
            trial.state = TrialState::Complete;
            trial.params["x1"] = 0.5;
            trial.values = {accuracy, latency};
            other.push_back(trial);
        }
        const std::vector<CompareCurve> curves{compareCurveOf("gp", multi, multiTrials()),
                                               compareCurveOf("nsga2", multi, other)};
        // Losses (-accuracy, latency) of the scored trials of both: accuracy
        // 0.5..0.9, latency 1..6 (trial 3 breaks the cap, 6 runs): the worst
        // of each plus a tenth of its range.
        const auto reference = sharedHypervolumeReference(curves);
        QVERIFY(reference);
        QCOMPARE(reference->size(), std::size_t{2});
        QVERIFY(std::abs((*reference)[0] - (-0.46)) < 1e-12);
        QVERIFY(std::abs((*reference)[1] - 6.5) < 1e-12);
        // gp's front (0.9, 5), (0.8, 3), (0.6, 1): 0.1 × 1.5 + 0.2 × 3.5 + 0.14 × 5.5.
        const std::vector<QPointF> gp = hypervolumeCurve(curves[0].scored, *reference);
        QVERIFY(std::abs(gp.back().y() - 1.62) < 1e-12);
        QCOMPARE(gp.back().x(), 7.0);
        // nsga2's (0.85, 2), (0.7, 1.5): 0.15 × 4.5 + 0.24 × 5.
        const std::vector<QPointF> nsga2 = hypervolumeCurve(curves[1].scored, *reference);
        QVERIFY(std::abs(nsga2.back().y() - 1.875) < 1e-12);

        StudySession session;
        ComparePage page(&session, [&](const QString& name) -> std::optional<CompareCurve> {
            return name == "gp" ? curves[0] : curves[1];
        });
        page.resize(900, 500);
        page.show();
        page.setComparedStudies({"gp", "nsga2"});
        QTRY_COMPARE(page.comparePlot()->curveCount(), 2);
        QCOMPARE(page.comparePlot()->chart()->axes(Qt::Vertical).front()->titleText(),
                 QString("Hypervolume"));
        QCOMPARE(page.comparePlot()->chartTitle(), QString("Hypervolume so far: compare studies"));
        QVERIFY2(page.noteText().contains("one reference point for all (accuracy = 0.46, "
                                          "latency = 6.5)"),
                 qPrintable(page.noteText()));
        QVERIFY(
            page.noteText().contains("2 studies</b> selected in the browser: the "
                                     "hypervolume so far (left)"));
        auto* line = qobject_cast<QLineSeries*>(page.comparePlot()->chart()->series().front());
        QVERIFY(line);
        QVERIFY(std::abs(line->points().back().y() - 1.62) < 1e-12);

        // Other objectives (accuracy against params): each by its first again.
        Json params = multiSpec();
        params["objectives"][1]["name"] = "params";
        params["constraints"] = Json::array();
        const std::vector<CompareCurve> mixed{curves[0],
                                              compareCurveOf("params", recordOf(params), other)};
        QVERIFY(!sharedHypervolumeReference(mixed));
    }

    // Along time, a study's best so far is read in the order its trials
    // ended (parallel workers finish out of order), from its first start.
    void compareAlongTimeOrdersTrialsByTheirEnd() {
        // (start, end, value), minimized: ends at 10, 5, 20 and 15 s.
        const double times[][3] = {{100, 110, 5}, {100, 105, 3}, {106, 120, 4}, {110, 115, 1}};
        std::vector<Trial> trials;
        for (const auto& [start, end, value] : times) {
            Trial trial;
            trial.number = static_cast<int>(trials.size());
            trial.state = TrialState::Complete;
            trial.params["x1"] = 0.5;
            trial.startedAt = start;
            trial.completedAt = end;
            trial.value = value;
            trials.push_back(trial);
        }
        Trial running = trials.back();
        running.number = 4;
        running.state = TrialState::Running;
        running.completedAt.reset();
        running.value.reset();
        trials.push_back(running);
        QCOMPARE(bestSoFarByTime(trials, Direction::Minimize),
                 (std::vector<QPointF>{{5, 3}, {10, 3}, {15, 1}, {20, 1}}));

        // Resumed an hour after its last trial ended (at 120 s): the hour is
        // a pause, left out of the study's running time; five minutes or
        // less with nothing running is the study's own time.
        std::vector<Trial> resumed(trials.begin(), trials.begin() + 4);
        Trial later = resumed.front();
        later.number = 4;
        later.startedAt = 120 + 3600;
        later.completedAt = 120 + 3600 + 10;
        later.value = 0.5;
        resumed.push_back(later);
        QCOMPARE(bestSoFarByTime(resumed, Direction::Minimize),
                 (std::vector<QPointF>{{5, 3}, {10, 3}, {15, 1}, {20, 1}, {30, 0.5}}));
        const RunningTime clock(resumed);
        QCOMPARE(clock.at(120 + 1800), 20.0);  // inside the pause, the clock stands
        QCOMPARE(clock.at(120 + 3605), 25.0);
        resumed.back().startedAt = 120 + RunningTime::kPauseSeconds;
        resumed.back().completedAt = 120 + RunningTime::kPauseSeconds + 10;
        QCOMPARE(bestSoFarByTime(resumed, Direction::Minimize).back(),
                 QPointF(20 + RunningTime::kPauseSeconds + 10, 0.5));

        const StudyRecord single = recordOf(singleSpec());
        std::vector<Trial> slow = trials;  // the same, 400 times slower on the clock
        for (Trial& trial : slow) {
            trial.startedAt *= 400;
            if (trial.completedAt)
                *trial.completedAt *= 400;
        }
        StudySession session;
        ComparePage page(&session, [&](const QString& name) -> std::optional<CompareCurve> {
            return compareCurveOf(name, single, name == "fast" ? trials : slow);
        });
        page.resize(900, 500);
        page.show();
        auto xTitle = [&] {
            return page.comparePlot()->chart()->axes(Qt::Horizontal).front()->titleText();
        };
        page.setComparedStudies({"fast"});
        QTRY_COMPARE(page.comparePlot()->curveCount(), 1);
        QCOMPARE(xTitle(), QString("Trial"));
        page.alongChooser()->setCurrentIndex(1);
        QTRY_COMPARE(xTitle(), QString("Time (s)"));
        auto* line = qobject_cast<QLineSeries*>(page.comparePlot()->chart()->series().front());
        QVERIFY(line);
        QCOMPARE(line->points().front(), QPointF(5, 3));
        QCOMPARE(line->points().back(), QPointF(20, 1));
        // A study of 8,000 s reads in minutes.
        page.setComparedStudies({"fast", "slow"});
        QTRY_COMPARE(xTitle(), QString("Time (min)"));
        line = qobject_cast<QLineSeries*>(page.comparePlot()->chart()->series().back());
        QVERIFY(std::abs(line->points().back().x() - (120 * 400 - 100 * 400) / 60.0) < 1e-9);
        page.alongChooser()->setCurrentIndex(0);
        QTRY_COMPARE(xTitle(), QString("Trial"));

        // Hypervolumes along time too: the same order of ends.
        std::vector<ScoredLosses> scored{
            {0, {1.0, 2.0}, 30.0}, {1, {2.0, 1.0}, 10.0}, {2, {0.5, 0.5}, std::nullopt}};
        const std::vector<QPointF> volume = hypervolumeCurve(scored, {3.0, 3.0}, true);
        QCOMPARE(volume, (std::vector<QPointF>{{10, 2.0}, {30, 3.0}}));
    }

    void compareNamesAValueTheStudiesShare() {
        StudySession session;
        ComparePage page(&session, [](const QString& name) -> std::optional<CompareCurve> {
            CompareCurve curve{name, {{0, 2}, {1, 1}}, {{0, 2}, {1, 1}}, {}, {}};
            curve.valueName = name == "branin"   ? QString()
                              : name == "fmnist" ? QStringLiteral("Validation accuracy (%)")
                              : name == "flops"  ? QStringLiteral("FLOPs")
                                                 : QStringLiteral("cifar10_valid_acc");
            return curve;
        });
        page.resize(800, 500);
        page.show();
        auto titles = [&] {
            return QStringList{page.comparePlot()->chart()->axes(Qt::Vertical).front()->titleText(),
                               page.edfPlot()->chart()->axes(Qt::Horizontal).front()->titleText()};
        };
        page.setComparedStudies({"gp", "evolution"});
        QTRY_COMPARE(page.comparePlot()->curveCount(), 2);
        QCOMPARE(titles(), (QStringList{"Best cifar10_valid_acc", "cifar10_valid_acc"}));
        page.setComparedStudies({"gp", "branin"});
        QTRY_COMPARE(titles(), (QStringList{"Best value", "Objective value"}));
        // Mid-sentence a name is written as in a sentence; an acronym stays.
        page.setComparedStudies({"fmnist"});
        QTRY_COMPARE(titles(),
                     (QStringList{"Best validation accuracy (%)", "Validation accuracy (%)"}));
        page.setComparedStudies({"flops"});
        QTRY_COMPARE(titles(), (QStringList{"Best FLOPs", "FLOPs"}));
    }

    // A NAS cell that learns nothing (10 % at almost no latency) is on the
    // front of every accuracy-latency study; drawn where it lies it would
    // squash the cells at 81-85 % into a corner. It is an arrow at the
    // accuracy axis's left edge instead, still on the front's line and
    // selectable, and the title says where it really is; a far-off latency
    // is an arrow at the top.
    void paretoDrawsFarOffTrialsAsArrowsAtTheEdge() {
        ParetoView view;
        view.xDirection = Direction::Maximize;
        view.yDirection = Direction::Minimize;
        view.front = {{85, 5}, {84, 3}, {83, 2}, {82, 1.5}, {81, 1.2}, {10, 0.1}};
        view.frontTrials = {0, 1, 2, 3, 4, 5};
        view.dominated = {{82, 4}, {81, 3}};
        view.dominatedTrials = {6, 7};
        ParetoPlot plot;
        plot.resize(700, 500);
        plot.setView(view, "accuracy", "latency", true);
        QCOMPARE(plot.farOffPointCount(Qt::Horizontal), 1);
        QCOMPARE(plot.farOffPointCount(Qt::Vertical), 0);
        QCOMPARE(plot.frontPointCount(), 5);
        QCOMPARE(plot.dominatedPointCount(), 2);
        auto* x = qobject_cast<QValueAxis*>(plot.chart()->axes(Qt::Horizontal).front());
        QVERIFY2(x->min() > 50 && x->max() >= 85, qPrintable(QString::number(x->min())));
        // The line still ends at the cell, at the edge.
        const QLineSeries* line = plot.frontLine();
        QCOMPARE(line->count(), 11);
        const QPointF last = line->at(line->count() - 1);
        QVERIFY(last.x() > x->min() && last.x() < 81);
        QCOMPARE(last.y(), 0.1);
        QVERIFY2(plot.chartTitleDetail().endsWith("; ◀ 1 far below (10)"),
                 qPrintable(plot.chartTitleDetail()));

        view.dominated.push_back({80, 500});
        view.dominatedTrials.push_back(8);
        view.front.pop_back();
        view.frontTrials.pop_back();
        plot.setView(view, "accuracy", "latency", true);
        QCOMPARE(plot.farOffPointCount(Qt::Horizontal), 0);
        QCOMPARE(plot.farOffPointCount(Qt::Vertical), 1);
        auto* y = qobject_cast<QValueAxis*>(plot.chart()->axes(Qt::Vertical).front());
        QVERIFY2(y->max() < 100, qPrintable(QString::number(y->max())));
        QVERIFY2(plot.chartTitleDetail().endsWith("; ▲ 1 far above (500)"),
                 qPrintable(plot.chartTitleDetail()));
        // Without them, every point is where it lies.
        view.dominated.pop_back();
        view.dominatedTrials.pop_back();
        plot.setView(view, "accuracy", "latency", true);
        QCOMPARE(plot.farOffPointCount(Qt::Vertical), 0);
        QCOMPARE(plot.dominatedPointCount(), 2);
        QVERIFY(!plot.chartTitleDetail().contains("far"));
    }

    void paretoSplitsFrontDominatedAndInfeasible() {
        const auto trials = multiTrials();
        const auto record = recordOf(multiSpec());
        const auto objectives = studyObjectives(record);
        const auto constraints = studyConstraints(record);
        ParetoView view = paretoView(trials, objectives, constraints, 0, 1);
        // Best first on accuracy (maximized): 0 (0.9), 1 and 5 (0.8), 4 (0.6).
        QCOMPARE(view.frontTrials, (std::vector<int>{0, 1, 5, 4}));
        QCOMPARE(view.dominatedTrials, (std::vector<int>{2, 7}));
        QCOMPARE(view.infeasibleTrials, (std::vector<int>{3}));
        QCOMPARE(view.front[0], QPointF(0.9, 5));

        ParetoPlot plot;
        plot.resize(700, 500);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        auto legendShows = [&plot](const QString& name) {
            for (QLegendMarker* marker : plot.chart()->legend()->markers())
                if (marker->label() == name)
                    return marker->isVisible();
            return false;
        };
        plot.setView(view, "accuracy", "latency", true);
        QTRY_VERIFY(legendShows("infeasible"));  // once the legend is laid out again
        // The cap that makes trial 3 infeasible is drawn: latency ≤ 9 across x.
        QCOMPARE(view.bounds.size(), std::size_t(1));
        QCOMPARE(view.bounds[0].axis, Qt::Vertical);
        QCOMPARE(view.bounds[0].value, 9.0);
        QCOMPARE(plot.boundLines().size(), std::size_t(1));
        const QLineSeries* cap = plot.boundLines().front();
        QCOMPARE(cap->name(), QString("latency ≤ 9"));
        QTRY_VERIFY(legendShows("latency ≤ 9"));
        QCOMPARE(cap->count(), 2);
        QCOMPARE(cap->at(0).y(), 9.0);
        QCOMPARE(cap->at(1).y(), 9.0);
        QVERIFY(cap->at(0).x() <= 0.5 && cap->at(1).x() >= 0.95);  // the whole x range
        // With the objectives swapped it is a bound on x.
        QCOMPARE(paretoView(trials, objectives, constraints, 1, 0).bounds[0].axis, Qt::Horizontal);
        // A cap far from every value would squash the points: not drawn.
        const std::vector<ConstraintSpec> far{{"latency", std::nullopt, 1000.0}};
        plot.setView(paretoView(trials, objectives, far, 0, 1), "accuracy", "latency", true);
        QVERIFY(plot.boundLines().empty());
        plot.setView(view, "accuracy", "latency", true);
        QCOMPARE(plot.boundLines().size(), std::size_t(1));
        QCOMPARE(plot.frontPointCount(), 4);
        QCOMPARE(plot.dominatedPointCount(), 2);
        QCOMPARE(plot.infeasiblePointCount(), 1);
        QCOMPARE(plot.frontLinePointCount(), 7);  // 4 points and 3 corners
        plot.setView(view, "accuracy", "latency", false);
        QCOMPARE(plot.frontLinePointCount(), 0);
        // Without the constraint trial 3 joins the front.
        ParetoView free = paretoView(trials, objectives, {}, 0, 1);
        QCOMPARE(free.frontTrials.front(), 3);
        QVERIFY(free.infeasible.empty());
        QVERIFY(free.bounds.empty());
        // and the legend names no infeasible trials: there are none.
        plot.setView(free, "accuracy", "latency", true);
        QTRY_VERIFY(legendShows("dominated"));
        QVERIFY(!legendShows("infeasible"));
        // Bad path: no such objective.
        QVERIFY(paretoView(trials, objectives, constraints, 0, 2).front.empty());
    }

    void parallelCoordinatesPlaceEveryTrial() {
        const auto trials = multiTrials();
        const auto record = recordOf(multiSpec());
        const SearchSpace space = SearchSpace::fromJson(record.spec["space"]);
        ParallelData data = parallelData(trials, space, studyObjectives(record));
        QCOMPARE(data.axes.size(), std::size_t(5));  // x1, x2, opt, accuracy, latency
        QCOMPARE(data.trialNumbers.size(), std::size_t(7));
        QCOMPARE(data.axes[2].categories.size(), 3);
        QVERIFY(data.axes[3].objective);
        QCOMPARE(data.axes[3].low, 0.5);
        QCOMPARE(data.axes[3].high, 0.95);
        QCOMPARE(data.position(0, 0), 0.0);  // trial 0: x1 = 0
        QCOMPARE(data.position(1, 2), 0.5);  // trial 1: adam, the middle choice
        QCOMPARE(data.position(0, 4), (5.0 - 1.0) / (9.5 - 1.0));
        // Brushes: latency in its lower half and x1 <= 0.35.
        std::vector<AxisBrush> brushes{{4, 0.0, 0.5}};
        QCOMPARE(brushedTrials(data, brushes), (std::set<int>{0, 1, 2, 4, 5}));
        brushes.push_back({0, 0.0, 0.35});
        QCOMPARE(brushedTrials(data, brushes), (std::set<int>{0, 1, 2}));
        QCOMPARE(parallelValueAt(data.axes[4], 0.5), 5.25);

        ParallelCoordinatesPlot plot;
        plot.setData(data);
        QCOMPARE(plot.lineCount(), 7);
        QCOMPARE(plot.axisCount(), 5);
        QVERIFY(!plot.brushedTrials());
    }

    // An objective over three decades or more (Rosenbrock's losses) gets a
    // log axis: its geometric middle sits halfway up, where on a linear axis
    // every good trial met the bottom end.
    void parallelObjectivesOverDecadesUseALogAxis() {
        const Json spec = singleSpec();
        const SearchSpace space = SearchSpace::fromJson(spec["space"]);
        const std::vector<ObjectiveSpec> objectives{{"value", Direction::Minimize, std::nullopt}};
        auto trials = singleTrials(3);
        trials[0].value = 20.0;
        trials[1].value = std::sqrt(20.0 * 2e6);
        trials[2].value = 2e6;
        ParallelData data = parallelData(trials, space, objectives);
        const std::size_t value = data.axes.size() - 1;
        QVERIFY(data.axes[value].log);
        QCOMPARE(data.position(1, value), 0.5);
        QCOMPARE(parallelValueAt(data.axes[value], 0.5), std::sqrt(20.0 * 2e6));
        // A narrow plot elides the axis's name, not its scale.
        const std::vector<ObjectiveSpec> longName{
            {"validation_loss_of_the_model", Direction::Minimize, std::nullopt}};
        ParallelCoordinatesPlot plot;
        plot.resize(480, 300);
        plot.setData(parallelData(trials, space, longName));
        const QString shown = plot.shownTitle(value);
        QVERIFY2(shown.endsWith("… (log)") && shown.startsWith("▶ valid"), qPrintable(shown));
        QCOMPARE(plot.axisTitle(value), QString("▶ validation_loss_of_the_model (log)"));
        // Within three decades, and with a value at or below zero: linear.
        trials[2].value = 1e4;
        QVERIFY(!parallelData(trials, space, objectives).axes[value].log);
        trials[2].value = 2e6;
        trials[0].value = -1.0;
        QVERIFY(!parallelData(trials, space, objectives).axes[value].log);
    }

    // A NAS cell that learns nothing (~10 % among 81-85 %) would squash the
    // other trials into the top of the objective's axis: it sits in a band
    // at the worse end instead (below when maximizing, above when
    // minimizing), labelled like the charts' notes, and the rest of the
    // axis spans the others, labelled where their values are drawn.
    void parallelObjectivesKeepFarOffTrialsInABand() {
        const Json spec = singleSpec();
        const SearchSpace space = SearchSpace::fromJson(spec["space"]);
        auto trials = singleTrials(10);
        for (int i = 0; i < 9; ++i)
            trials[static_cast<std::size_t>(i)].value = 81.0 + 0.5 * i;  // 81 .. 85
        trials[9].value = 10.7;
        const std::vector<ObjectiveSpec> accuracy{{"accuracy", Direction::Maximize, std::nullopt}};
        ParallelData data = parallelData(trials, space, accuracy);
        const std::size_t value = data.axes.size() - 1;
        const ParallelAxis& axis = data.axes[value];
        QCOMPARE(axis.offScaleCount, 1);
        QVERIFY(axis.offScaleBelow);
        QCOMPARE(axis.low, 81.0);
        QCOMPARE(axis.high, 85.0);
        QCOMPARE(data.position(9, value), 0.5 * kParallelOffScaleBand);
        QCOMPARE(data.position(0, value), kParallelOffScaleBand);
        QCOMPARE(data.position(8, value), 1.0);
        QCOMPARE(data.position(4, value),
                 kParallelOffScaleBand + 0.5 * (1 - kParallelOffScaleBand));
        for (const auto& [t, tick] : parallelTicks(axis))
            QVERIFY2(
                t >= kParallelOffScaleBand && std::fabs(parallelValueAt(axis, t) - tick) < 1e-9,
                qPrintable(QString("%1 at %2").arg(tick).arg(t)));
        // A brush over the band holds the far-off trial alone.
        const std::vector<AxisBrush> band{{value, 0.0, 0.9 * kParallelOffScaleBand}};
        QCOMPARE(brushedTrials(data, band), std::set<int>{9});

        ParallelCoordinatesPlot plot;
        plot.resize(900, 400);
        plot.setData(data);
        QStringList labels;
        std::vector<QRectF> boxes;
        for (const auto& label : plot.axisLabelBoxes(value)) {
            labels << label.text;
            for (const QRectF& other : boxes)
                QVERIFY2(!other.intersects(label.box), qPrintable(label.text));
            boxes.push_back(label.box);
        }
        QVERIFY2(labels.contains("▼ 1 (10.7)") && labels.contains("81") && labels.contains("85"),
                 qPrintable(labels.join(" | ")));
        // Too short for both, the note stays and the value beside it goes.
        plot.resize(900, 200);
        labels.clear();
        for (const auto& label : plot.axisLabelBoxes(value))
            labels << label.text;
        QVERIFY2(labels.contains("▼ 1 (10.7)") && !labels.contains("81") && labels.contains("85"),
                 qPrintable(labels.join(" | ")));

        // Minimizing, a far-off loss sits in a band at the top.
        for (int i = 0; i < 9; ++i)
            trials[static_cast<std::size_t>(i)].value = 0.15 + 0.005 * i;
        trials[9].value = 2.3;
        const std::vector<ObjectiveSpec> loss{{"loss", Direction::Minimize, std::nullopt}};
        data = parallelData(trials, space, loss);
        QCOMPARE(data.axes[value].offScaleCount, 1);
        QVERIFY(!data.axes[value].offScaleBelow);
        QCOMPARE(data.position(9, value), 1 - 0.5 * kParallelOffScaleBand);
        QCOMPARE(data.position(8, value), 1 - kParallelOffScaleBand);
        QCOMPARE(data.position(0, value), 0.0);
        // Without such a trial the axis is whole.
        trials[9].value = 0.2;
        QCOMPARE(parallelData(trials, space, loss).axes[value].offScaleCount, 0);
    }

    // Numeric parallel axes are labelled at their ends and at round values
    // between: whole decades on a log axis, 1, 2 or 5 times a power of ten
    // otherwise, clear of the ends and at most three; each label sits where
    // its value is drawn.
    void parallelAxesAreLabelledAtRoundValues() {
        int misplaced = 0;
        auto labelled = [&misplaced](double low, double high, bool log) {
            ParallelAxis axis;
            axis.low = low;
            axis.high = high;
            axis.log = log;
            std::vector<double> values;
            for (const auto& [t, value] : parallelTicks(axis)) {
                misplaced += std::fabs(parallelValueAt(axis, t) - value) > 1e-9 * std::fabs(value);
                values.push_back(value);
            }
            return values;
        };
        auto near = [](const std::vector<double>& a, const std::vector<double>& b) {
            if (a.size() != b.size())
                return false;
            for (std::size_t i = 0; i < a.size(); ++i)
                if (std::fabs(a[i] - b[i]) > 1e-12 * std::max(1.0, std::fabs(b[i])))
                    return false;
            return true;
        };
        // A learning rate: the decades, not the geometric middle 0.003162.
        QVERIFY(near(labelled(1e-4, 0.1, true), {1e-4, 1e-3, 1e-2, 0.1}));
        // Rosenbrock's losses: four decades inside, every second one shown.
        QVERIFY(near(labelled(20, 2e6, true), {20, 100, 1e4, 2e6}));
        // An integer's 1..6: 2 and 4, not 3.5.
        QVERIFY(near(labelled(1, 6, false), {1, 2, 4, 6}));
        // An accuracy's 78.78..90: 80 and 85 (90 would sit on the top end).
        QVERIFY(near(labelled(78.78, 90, false), {78.78, 80, 85, 90}));
        QVERIFY(near(labelled(0, 0.99, false), {0, 0.5, 0.99}));
        // One value: its middle, as before.
        QVERIFY(near(labelled(3, 3, false), {3, 3, 3}));
        QCOMPARE(misplaced, 0);
    }

    void manyLinesAppendOntoTheCache() {
        // 2,100 trials: the hand-blended cache; 20 more on the same scales are
        // blended on top, and only where their lines run.
        const Json spec = singleSpec();
        const SearchSpace space = SearchSpace::fromJson(spec["space"]);
        const std::vector<ObjectiveSpec> objectives{{"value", Direction::Minimize, std::nullopt}};
        auto trials = singleTrials(2120);
        for (Trial& trial : trials)
            trial.value = std::clamp(*trial.value, 0.0, 0.4);  // fixed objective range
        trials[0].value = 0.0;
        trials[1].value = 0.4;
        ParallelCoordinatesPlot plot;
        plot.resize(600, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setData(parallelData(std::span(trials).first(2100), space, objectives));
        const QImage before = plot.lineImage().copy();
        QVERIFY(!before.isNull());
        plot.setData(parallelData(trials, space, objectives));
        QCOMPARE(plot.lineCount(), 2120);
        const QImage after = plot.lineImage();
        int changed = 0;
        for (int y = 0; y < after.height(); ++y)
            for (int x = 0; x < after.width(); ++x)
                if (after.pixel(x, y) != before.pixel(x, y))
                    ++changed;
        QVERIFY2(changed > 100, qPrintable(QString::number(changed)));
        QVERIFY(changed < after.width() * after.height() / 4);
    }

    void liveRedrawsTakeTheirShare() {
        // A page whose redraw costs ~30 ms redraws live changes at most every
        // 150 ms (share 0.2); cheap or user-driven changes never wait.
        struct SlowPage : LazyView {
            int redraws = 0;
            void refresh() override {
                ++redraws;
                QThread::msleep(30);
            }
        } page;
        page.setRefreshShare(0.2);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const int shown = page.redraws;
        page.invalidateLive();  // right after a slow redraw: deferred
        QCOMPARE(page.redraws, shown);
        QTRY_COMPARE(page.redraws, shown + 1);
        page.invalidate();  // a user action: immediate
        QCOMPARE(page.redraws, shown + 2);
    }

    void liveRedrawsRunOnePartPerTurn() {
        // A view with three heavy parts: a live change runs part 0 at once
        // and the others at the next event-loop turns; a user action (or
        // showing the view) runs everything at once.
        struct PartedPage : LazyView {
            std::vector<int> parts;
            int whole = 0;
            void refresh() override { ++whole; }
            int liveParts() const override { return 3; }
            void refreshPart(int part) override { parts.push_back(part); }
        } page;
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const int shown = page.whole;
        page.invalidateLive();
        QCOMPARE(page.parts, std::vector<int>{0});
        QVERIFY(page.refreshing());
        QTRY_VERIFY(!page.refreshing());
        QCOMPARE(page.parts, (std::vector<int>{0, 1, 2}));
        QCOMPARE(page.whole, shown);
        // Changes during a staged redraw are picked up when it ends.
        page.parts.clear();
        page.invalidateLive();
        page.invalidateLive();
        QTRY_VERIFY(!page.refreshing());
        QTRY_COMPARE(page.parts, (std::vector<int>{0, 1, 2, 0, 1, 2}));
        page.invalidateLive();
        page.invalidate();  // cancels the rest: everything now
        QCOMPARE(page.whole, shown + 1);
        QVERIFY(!page.refreshing());
    }

    void bigLiveStudyEndsWithEveryTrialDrawn() {
        // From 2,000 trials the Slices page and the Live tab redraw live
        // batches chart by chart, under their refresh share: once the
        // batches stop, every chart shows every trial.
        StudySession session;
        AnalysisView analysis(&session, [](const QString&) { return std::nullopt; });
        LiveView live(&session);
        live.resize(1000, 700);
        live.show();
        analysis.resize(1000, 700);
        analysis.show();
        analysis.showPage(AnalysisView::SlicesView);
        QVERIFY(QTest::qWaitForWindowExposed(&analysis));
        const auto trials = singleTrials(2600);
        session.show(recordOf(singleSpec()),
                     std::vector<Trial>(trials.begin(), trials.begin() + 2000));
        for (int next = 2000; next < 2600; next += 100) {
            session.applyUpdates(
                std::vector<Trial>(trials.begin() + next, trials.begin() + next + 100));
            QApplication::processEvents();
        }
        QTRY_VERIFY(!analysis.slicesPage()->refreshing());
        const auto& plots = analysis.sliceGrid()->plots();
        QCOMPARE(plots.size(), std::size_t(3));
        for (SlicePlot* plot : plots)
            QTRY_COMPARE(plot->pointCount(), 2600);
        QTRY_VERIFY(!live.refreshing());
        QTRY_COMPARE(live.objectivePlot()->completePointCount(), 2600);
    }

    // The pages' objective chooser names a table study's one objective by
    // its metric column, as the charts' value axes do.
    void theObjectiveChooserNamesWhatOneObjectiveMeasures() {
        StudySession session;
        AnalysisView analysis(&session, [](const QString&) { return std::nullopt; });
        analysis.resize(1000, 600);
        analysis.show();
        analysis.showPage(AnalysisView::SlicesView);
        auto* chooser = analysis.findChild<QComboBox*>(QStringLiteral("analysis.sliceObjective"));
        QVERIFY(chooser);
        Json table = singleSpec();
        table["objective"] = {{"kind", "tabular"}, {"metric", "valid_acc"}};
        session.show(recordOf(table), singleTrials(12));
        QCOMPARE(chooser->currentText(), QString("valid_acc"));
        QVERIFY(!chooser->isEnabled());
        session.show(recordOf(singleSpec()), singleTrials(12));
        QCOMPARE(chooser->currentText(), QString("value"));
        session.show(recordOf(multiSpec()), multiTrials());
        QCOMPARE(chooser->count(), 2);
        QVERIFY(chooser->isEnabled());
    }

    void aStudyThatEndsKeepsItsViews() {
        // Finishing or pausing changes the state only: the brushes on the
        // parallel coordinates (and everything drawn) stay.
        StudySession session;
        AnalysisView analysis(&session, [](const QString&) { return std::nullopt; });
        analysis.resize(1000, 600);
        analysis.show();
        analysis.showPage(AnalysisView::ParallelView);
        StudyRecord record = recordOf(multiSpec());
        record.state = StudyState::Running;
        session.show(record, multiTrials());
        QVERIFY(QTest::qWaitForWindowExposed(&analysis));
        ParallelCoordinatesPlot* plot = analysis.parallelPage()->plot();
        plot->setBrushes({{0, 0.0, 0.5}});
        QSignalSpy studyChanged(&session, &StudySession::studyChanged);
        QSignalSpy stateChanged(&session, &StudySession::stateChanged);
        session.setState(StudyState::Finished);
        QCOMPARE(studyChanged.count(), 0);
        QCOMPARE(stateChanged.count(), 1);
        QCOMPARE(session.record().state, StudyState::Finished);
        QCOMPARE(plot->brushes().size(), std::size_t(1));
    }

    void brushingFiltersTheTrialsTable() {
        StudySession session;
        AnalysisView analysis(&session, [](const QString&) { return std::nullopt; });
        TrialsView trialsView(&session);
        QObject::connect(&analysis, &AnalysisView::brushChanged, &trialsView,
                         &TrialsView::setBrushFilter);
        QObject::connect(&trialsView, &TrialsView::clearBrushRequested,
                         analysis.parallelPage()->plot(), &ParallelCoordinatesPlot::clearBrushes);
        analysis.resize(1000, 600);
        analysis.show();
        analysis.showPage(AnalysisView::ParallelView);
        session.show(recordOf(multiSpec()), multiTrials());
        ParallelCoordinatesPlot* plot = analysis.parallelPage()->plot();
        QVERIFY(QTest::qWaitForWindowExposed(&analysis));
        QCOMPARE(plot->lineCount(), 7);
        QCOMPARE(trialsView.proxy()->rowCount(), 8);

        // Drag along the latency axis (index 4) over its lower half.
        const int x = static_cast<int>(plot->axisX(4));
        const QPoint from(x, static_cast<int>(plot->positionY(0.0)));
        const QPoint to(x, static_cast<int>(plot->positionY(0.5)));
        QSignalSpy spy(&analysis, &AnalysisView::brushChanged);
        QTest::mousePress(plot, Qt::LeftButton, {}, from);
        QMouseEvent move(QEvent::MouseMove, QPointF(to), plot->mapToGlobal(QPointF(to)),
                         Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(plot, &move);
        QTest::mouseRelease(plot, Qt::LeftButton, {}, to);
        QVERIFY(spy.count() >= 1);
        QCOMPARE(plot->brushes().size(), std::size_t(1));
        QCOMPARE(*plot->brushedTrials(), (std::set<int>{0, 1, 2, 4, 5}));
        QCOMPARE(trialsView.proxy()->rowCount(), 5);
        QVERIFY(trialsView.brushNote()->text().contains("5 trials"));
        // The other filters still apply on top.
        trialsView.proxy()->setTextFilter(QStringLiteral("adam"));
        QCOMPARE(trialsView.proxy()->rowCount(), 2);  // trials 1 and 5
        trialsView.proxy()->setTextFilter({});

        // A click on the axis clears its brush; the table shows all again.
        QTest::mouseClick(plot, Qt::LeftButton, {}, from);
        QVERIFY(plot->brushes().empty());
        QCOMPARE(trialsView.proxy()->rowCount(), 8);
        // And "Show all trials" in the Trials tab clears brushes too.
        plot->setBrushes({{0, 0.0, 0.05}});
        QCOMPARE(trialsView.proxy()->rowCount(), 1);
        emit trialsView.clearBrushRequested();
        QCOMPARE(trialsView.proxy()->rowCount(), 8);
    }

    void pagesDrawTheShownStudy() {
        StudySession session;
        AnalysisView analysis(&session, [](const QString&) { return std::nullopt; });
        analysis.resize(1100, 700);
        analysis.show();
        session.show(recordOf(singleSpec()), singleTrials(25));
        // Importance and contour fit in the background.
        analysis.showPage(AnalysisView::ImportanceView);
        QTRY_COMPARE_WITH_TIMEOUT(analysis.importancePage()->plot()->barCount(), 3, 20000);
        analysis.showPage(AnalysisView::ContourView);
        // Numbers first, then the categorical (a row per choice).
        QCOMPARE(analysis.contourPage()->xChooser()->count(), 3);
        QCOMPARE(analysis.contourPage()->xChooser()->itemText(2), QString("opt"));
        QTRY_COMPARE_WITH_TIMEOUT(analysis.contourPage()->plot()->observedPointCount(), 25, 20000);
        analysis.showPage(AnalysisView::SlicesView);
        QCOMPARE(analysis.sliceGrid()->plots()[0]->pointCount(), 25);
        QVERIFY(!analysis.slicesPage()->objectiveChooser()->isEnabled());
        // Without constraints the one ring is the selected trial's, and the
        // note does not call it a broken constraint.
        QVERIFY(analysis.slicesPage()->note()->text().contains("selected trial in a pink ring"));
        QVERIFY(!analysis.slicesPage()->note()->text().contains("constraint"));
        // A single-objective study has no Pareto front, and says so.
        analysis.showPage(AnalysisView::ParetoView);
        QCOMPARE(analysis.paretoPage()->plot()->frontPointCount(), 0);
        QVERIFY(analysis.paretoPage()->plot()->emptyMessage().contains("single-objective"));
        analysis.showPage(AnalysisView::ParallelView);
        QCOMPARE(analysis.parallelPage()->plot()->axisCount(), 4);  // 3 params + value
        QCOMPARE(analysis.parallelPage()->plot()->lineCount(), 25);

        // A multi-objective study: the Pareto page updates as trials finish.
        auto trials = multiTrials();
        trials.resize(2);
        session.show(recordOf(multiSpec()), trials);
        analysis.showPage(AnalysisView::ParetoView);
        QCOMPARE(analysis.paretoPage()->plot()->frontPointCount(), 2);
        Trial better;
        better.number = 2;
        better.state = TrialState::Complete;
        better.params["x1"] = 0.5;
        better.params["x2"] = 0.5;
        better.params["opt"] = std::string("sgd");
        better.values = {0.95, 2.0};  // dominates both
        session.applyUpdates({better});
        // A live redraw may wait for its share of the GUI thread (a slow
        // first draw, e.g. under a sanitizer, defers the next one).
        QTRY_COMPARE(analysis.paretoPage()->plot()->frontPointCount(), 1);
        QCOMPARE(analysis.paretoPage()->plot()->dominatedPointCount(), 2);
        // Clicking a point selects its trial like the other plots.
        QSignalSpy selected(&session, &StudySession::selectedTrialChanged);
        emit analysis.paretoPage()->plot()->trialClicked(2);
        QCOMPARE(session.selectedTrial(), 2);
        analysis.showPage(AnalysisView::SlicesView);
        QVERIFY(analysis.slicesPage()->objectiveChooser()->isEnabled());
        analysis.slicesPage()->objectiveChooser()->setCurrentIndex(1);
        QCOMPARE(analysis.sliceGrid()->plots()[0]->pointCount(), 3);
        QVERIFY(
            analysis.slicesPage()->note()->text().contains("break a constraint as hollow rings"));
    }

    // A single-objective NAS study has no front of its own, but its cells
    // report a latency: the page sets the accuracy against it, lower taken
    // as better, and offers each measure the trials report as it appears.
    void aSingleObjectiveStudyTradesItsObjectiveAgainstAMeasure() {
        Json spec = singleSpec();
        spec["direction"] = "maximize";
        auto trial = [](int number, double accuracy, double latency) {
            // suggest_seconds is the strategy's, not a measure.
            return measuredTrial(number, accuracy,
                                 {{"latency_ms", latency}, {"suggest_seconds", 0.01}});
        };
        // (83, 4) beats (80, 5) and (79, 6); (85, 9) is the other end.
        std::vector<Trial> trials{trial(0, 80, 5), trial(1, 85, 9), trial(2, 79, 6),
                                  trial(3, 83, 4)};
        StudySession session;
        ParetoPage page(&session);
        page.resize(900, 600);
        page.show();
        session.show(recordOf(spec), trials);
        QCOMPARE(page.xChooser()->count(), 2);
        QCOMPARE(page.xChooser()->itemText(0), QString("value"));
        QCOMPARE(page.yChooser()->currentText(), QString("latency_ms"));
        QVERIFY(page.measureDirection()->isVisible());
        QCOMPARE(page.plot()->frontPointCount(), 2);
        QCOMPARE(page.plot()->dominatedPointCount(), 2);
        QVERIFY2(page.plot()->chartTitle().contains("latency_ms (minimize) vs value (maximize)"),
                 qPrintable(page.plot()->chartTitle()));
        // A measure named with brackets of its own is not nested in more.
        Json nas = spec;
        nas["objective"] = {{"kind", "fashion-mnist"}};
        session.show(recordOf(nas), trials);
        QCOMPARE(page.plot()->chart()->axes(Qt::Horizontal).front()->titleText(),
                 QString("Validation accuracy (%), maximize"));
        session.show(recordOf(spec), trials);
        // Higher latency taken as better: (85, 9) beats every other.
        page.measureDirection()->setCurrentIndex(1);
        QCOMPARE(page.plot()->frontPointCount(), 1);
        page.measureDirection()->setCurrentIndex(0);

        // A measure first reported later is offered; the choice stays.
        Trial later = trial(4, 84, 7);
        later.attrs["flops"] = 3.0e6;
        session.applyUpdates({later});
        QTRY_COMPARE(page.xChooser()->count(), 3);
        QCOMPARE(page.yChooser()->currentText(), QString("latency_ms"));
        QCOMPARE(page.plot()->frontPointCount(), 3);  // (84, 7) joins the front

        // Trials that report nothing to set it against: the page says so.
        session.show(recordOf(singleSpec()), singleTrials(5));
        QVERIFY2(page.plot()->emptyMessage().contains("report no measure"),
                 qPrintable(page.plot()->emptyMessage()));
        // Several objectives have a front of their own.
        session.show(recordOf(multiSpec()), multiTrials());
        QVERIFY(!page.measureDirection()->isVisible());
        QVERIFY(page.plot()->frontPointCount() > 0);
    }

    // The direction follows the measure's name until the user picks one:
    // a test accuracy is better higher, a latency lower; a choice made by
    // hand stays while the axes change, and a new study reads names again.
    void aMeasureIsTakenInTheWayItsNameReadsAsBetterUntilTheUserChooses() {
        Json spec = singleSpec();
        spec["direction"] = "maximize";
        auto trial = [](int number, double accuracy, double testAccuracy, double latency) {
            return measuredTrial(number, accuracy,
                                 {{"latency_ms", latency}, {"test_accuracy", testAccuracy}});
        };
        // Against test_accuracy (higher better) only (85, 84) is on the
        // front; taken lower-is-better, every trial is: none is both better
        // and lower.
        const std::vector<Trial> trials{trial(0, 80, 70, 5), trial(1, 85, 84, 9),
                                        trial(2, 79, 60, 6), trial(3, 83, 80, 4)};
        StudySession session;
        ParetoPage page(&session);
        page.resize(900, 600);
        page.show();
        session.show(recordOf(spec), trials);
        QComboBox* direction = page.measureDirection();
        QCOMPARE(page.yChooser()->currentText(), QString("latency_ms"));
        QCOMPARE(direction->currentText(), QString("lower is better"));
        QCOMPARE(page.plot()->frontPointCount(), 2);

        page.yChooser()->setCurrentIndex(page.yChooser()->findText("test_accuracy"));
        QCOMPARE(direction->currentText(), QString("higher is better"));
        QCOMPARE(page.plot()->frontPointCount(), 1);
        QVERIFY2(page.plot()->chartTitle().contains("test_accuracy (maximize)"),
                 qPrintable(page.plot()->chartTitle()));

        // The user's choice, made on the combo box itself, outlives a change of axis.
        direction->setFocus();
        QTest::keyClick(direction, Qt::Key_Up);
        QCOMPARE(direction->currentText(), QString("lower is better"));
        QCOMPARE(page.plot()->frontPointCount(), 4);
        page.yChooser()->setCurrentIndex(page.yChooser()->findText("latency_ms"));
        page.yChooser()->setCurrentIndex(page.yChooser()->findText("test_accuracy"));
        QCOMPARE(direction->currentText(), QString("lower is better"));

        // Another study starts from the names again.
        session.show(recordOf(spec), trials);
        page.yChooser()->setCurrentIndex(page.yChooser()->findText("test_accuracy"));
        QCOMPARE(direction->currentText(), QString("higher is better"));
    }

    void everyViewExports() {
        const auto trials = singleTrials(20);
        auto relevance = parameterImportanceOf(recordOf(singleSpec()), trials);
        QVERIFY(relevance);
        ImportancePlot importance;
        importance.setRelevance(*relevance);
        checkExport(&importance, "importance");
        ContourPlot contour;
        contour.setGrid(*posteriorGridOf(recordOf(singleSpec()), trials, "x1", "x2", 16));
        checkExport(&contour, "contour");
        EdfPlot edf;
        edf.setCurves({{"a", empiricalDistribution(objectivePoints(trials)), {}, false}});
        checkExport(&edf, "edf");
        const auto record = recordOf(multiSpec());
        ParetoPlot pareto;
        pareto.setView(
            paretoView(multiTrials(), studyObjectives(record), studyConstraints(record), 0, 1),
            "accuracy", "latency", true);
        checkExport(&pareto, "pareto");
        ParallelCoordinatesPlot parallel;
        parallel.setData(parallelData(multiTrials(), SearchSpace::fromJson(record.spec["space"]),
                                      studyObjectives(record)));
        checkExport(&parallel, "parallel");
    }
};

QTEST_MAIN(TestAnalysisViews)
#include "tst_analysis_views.moc"

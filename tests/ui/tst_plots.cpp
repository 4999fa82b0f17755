// The charts draw exactly the trial list: point counts, pruned markers,
// acquisition values, the posterior slice struct, compare curves; and any
// chart exports to PNG and SVG.

#include <QApplication>
#include <QCategoryAxis>
#include <QChartView>
#include <QFile>
#include <QFontMetricsF>
#include <QGraphicsTextItem>
#include <QImage>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <QValueAxis>

#include "analysis/trial_series.h"
#include "plots/acquisition_plot.h"
#include "plots/chart_export.h"
#include "plots/compare_plot.h"
#include "plots/edf_plot.h"
#include "plots/hypervolume_plot.h"
#include "plots/learning_curve_plot.h"
#include "plots/objective_plot.h"
#include "plots/off_scale.h"
#include "plots/plot_style.h"
#include "plots/point_layer.h"
#include "plots/posterior_slice_plot.h"
#include "plots/slice_plot.h"
#include "plots/tick_labels.h"

using namespace bonsai;
using namespace bonsai::ui;

namespace {

// Complete trials numbered 0.. with these values.
// Thirty values going up and down around `centre` by `amplitude`, drifting
// up by `drift` a trial.
std::vector<double> wavyValues(double centre, double amplitude, double drift = 0) {
    std::vector<double> values;
    for (int i = 0; i < 30; ++i)
        values.push_back(centre + amplitude * std::sin(i) + drift * i);
    return values;
}

std::vector<Trial> completeTrials(const std::vector<double>& values) {
    std::vector<Trial> trials;
    for (double value : values) {
        Trial trial;
        trial.number = static_cast<int>(trials.size());
        trial.state = TrialState::Complete;
        trial.value = value;
        trials.push_back(trial);
    }
    return trials;
}

// 12 trials: complete ones with curves, two pruned, one failed, one running.
std::vector<Trial> mixedTrials() {
    std::vector<Trial> trials;
    for (int i = 0; i < 12; ++i) {
        Trial trial;
        trial.number = i;
        trial.params["x"] = 0.1 * i;
        trial.params["opt"] = std::string(i % 2 ? "adam" : "sgd");
        trial.state = TrialState::Complete;
        for (int step = 1; step <= 4; ++step)
            trial.intermediate.emplace_back(step, 1.0 / (step + i));
        trial.value = 5.0 - 0.3 * i + (i % 3);
        if (i == 4 || i == 7) {
            trial.state = TrialState::Pruned;
            trial.intermediate.resize(2);
            trial.value = trial.intermediate.back().second;
        }
        if (i == 9) {
            trial.state = TrialState::Failed;
            trial.value.reset();
        }
        if (i == 11) {
            trial.state = TrialState::Running;
            trial.value.reset();
            trial.intermediate.resize(1);
        }
        if (i >= 3)
            trial.attrs["acquisition"] = 0.1 * i;
        trials.push_back(trial);
    }
    return trials;
}

ParamSpec floatParam() {
    ParamSpec param;
    param.name = "x";
    param.low = 0;
    param.high = 2;
    return param;
}

// A posterior slice along x1 over 0..20: mean x, standard deviation 1 and
// acquisition -x (named `acquisitionName`).
PosteriorSlice straightSlice(const QString& acquisitionName) {
    PosteriorSlice slice;
    slice.parameter = QStringLiteral("x1");
    slice.acquisitionName = acquisitionName;
    for (int i = 0; i <= 20; ++i) {
        slice.x.push_back(i);
        slice.median.push_back(i);
        slice.lower.push_back(i - 2);
        slice.upper.push_back(i + 2);
        slice.acquisition.push_back(-i);
    }
    return slice;
}

// A posterior slice along cell edge 1←0, one category per name.
// The horizontal category axis a chart shows (a cell edge's operations), or null.
QCategoryAxis* categoryAxisOf(ChartView& view) {
    for (QAbstractAxis* axis : view.chart()->axes(Qt::Horizontal))
        if (auto* found = qobject_cast<QCategoryAxis*>(axis); found && found->isVisible())
            return found;
    return nullptr;
}

PosteriorSlice edgeSlice(const QStringList& categories) {
    PosteriorSlice slice;
    slice.parameter = QStringLiteral("1←0");
    slice.categories = categories;
    for (int c = 0; c < categories.size(); ++c) {
        slice.x.push_back(c);
        slice.median.push_back(c);
        slice.lower.push_back(c - 2);
        slice.upper.push_back(c + 2);
        slice.acquisition.push_back(-c);
    }
    return slice;
}

// The chart's title as drawn: Qt Charts sets it as HTML.
QString shownTitle(QChartView& plot) {
    QTextDocument title;
    title.setHtml(plot.chart()->title());
    return title.toPlainText();
}

// The tick labels Qt Charts has elided to "..." (not the chart's title).
QStringList elidedTickLabels(QChartView& plot) {
    QStringList out;
    for (QGraphicsItem* item : plot.scene()->items())
        if (auto* text = dynamic_cast<QGraphicsTextItem*>(item); text && text->isVisible()) {
            const QString shown = text->toPlainText();
            if (shown.endsWith("...") &&
                (shown == "..." || !shownTitle(plot).startsWith(shown.chopped(3))))
                out << shown;
        }
    return out;
}

// The text items drawn in the chart whose text starts with `start`.
QStringList drawnTextsStartingWith(QChartView& plot, const QString& start) {
    QStringList out;
    for (QGraphicsItem* item : plot.scene()->items())
        if (auto* text = dynamic_cast<QGraphicsTextItem*>(item); text && text->isVisible())
            if (text->toPlainText().startsWith(start))
                out << text->toPlainText();
    return out;
}

// The names of the legend's entries.
QStringList legendNames(QChartView& plot) {
    QStringList out;
    for (QLegendMarker* marker : plot.chart()->legend()->markers())
        out << marker->label();
    return out;
}

}  // namespace

class TestPlots : public QObject {
    Q_OBJECT

  private slots:
    // Why a chart is empty can be a long sentence; in a small chart it wraps
    // inside the plot area instead of running off both sides.
    void aLongEmptyMessageWrapsInsideThePlotArea() {
        ChartView view(QStringLiteral("Acquisition value per suggestion"));
        view.resize(320, 260);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QString message = QStringLiteral(
            "No acquisition function: the evolution strategy does not use one (gp does)");
        view.setEmptyMessage(message);
        QApplication::processEvents();
        // The chart's title is a text item too: find the message's.
        QGraphicsTextItem* text = nullptr;
        for (QGraphicsItem* item : view.chart()->childItems())
            if (auto* found = dynamic_cast<QGraphicsTextItem*>(item);
                found && found->isVisible() && found->toPlainText() == message)
                text = found;
        QVERIFY(text);
        const QRectF area = view.chart()->plotArea();
        const QRectF box = text->mapRectToParent(text->boundingRect());
        QVERIFY2(box.left() >= area.left() - 1 && box.right() <= area.right() + 1,
                 qPrintable(QStringLiteral("text %1..%2, plot area %3..%4")
                                .arg(box.left())
                                .arg(box.right())
                                .arg(area.left())
                                .arg(area.right())));
        QVERIFY(box.height() > 1.5 * QFontMetricsF(text->font()).height());  // it wrapped
    }

    void seriesFollowTheTrialList() {
        const auto trials = mixedTrials();
        QCOMPARE(objectivePoints(trials).size(), std::size_t(8));
        QCOMPARE(prunedPoints(trials).size(), std::size_t(2));
        auto best = bestSoFar(trials, Direction::Minimize);
        QCOMPARE(best.size(), std::size_t(8));
        for (std::size_t i = 1; i < best.size(); ++i)
            QVERIFY(best[i].y() <= best[i - 1].y());
        auto bestMax = bestSoFar(trials, Direction::Maximize);
        for (std::size_t i = 1; i < bestMax.size(); ++i)
            QVERIFY(bestMax[i].y() >= bestMax[i - 1].y());
        QCOMPARE(acquisitionPoints(trials).size(), std::size_t(9));
        QCOMPARE(learningCurve(trials[0]).size(), std::size_t(4));
        ParameterSlice slice = parameterSlice(trials, floatParam());
        QCOMPARE(slice.points.size(), std::size_t(8));
        QCOMPARE(slice.trialNumbers.front(), 0);
    }

    void objectivePlotCountsPoints() {
        ObjectivePlot plot;
        plot.resize(500, 400);
        plot.show();
        const auto trials = mixedTrials();
        plot.setTrials(trials, Direction::Minimize);
        QCOMPARE(plot.completePointCount(), 8);
        QCOMPARE(plot.prunedPointCount(), 2);
        QVERIFY(plot.bestPointCount() >= 2);
        QVERIFY(plot.emptyMessage().isEmpty());
        plot.setTrials({}, Direction::Minimize);
        QCOMPARE(plot.completePointCount(), 0);
        QVERIFY(!plot.emptyMessage().isEmpty());
    }

    // A live chart whose range jumps (Branin's first values, then one of
    // 1e4) never lays out thousands of ticks on the way: the ticks of the
    // old range's step over the new range took a 130 ms stall in bench-gui.
    void aRangeThatJumpsNeverLaysOutThousandsOfTicks() {
        ObjectivePlot plot;
        plot.resize(500, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setTrials(completeTrials({0.5, 1.0}), Direction::Minimize);
        auto* axis = qobject_cast<QValueAxis*>(plot.chart()->axes(Qt::Vertical).front());
        QVERIFY(axis);
        double mostTicks = 0;
        auto count = [&] {
            if (axis->tickInterval() > 0)
                mostTicks = std::max(mostTicks, (axis->max() - axis->min()) / axis->tickInterval());
        };
        connect(axis, &QValueAxis::rangeChanged, this, count);
        connect(axis, &QValueAxis::tickIntervalChanged, this, count);
        plot.setTrials(completeTrials({0.5, 1.0, -300, 1e4}), Direction::Minimize);
        QVERIFY2(mostTicks <= 60, qPrintable(QString::number(mostTicks)));
        QVERIFY(axis->max() > 1e4);
    }

    // Drag a rectangle over a chart to zoom into it (the Pareto front of a
    // NAS study sat in a tenth of its chart beside a cell that learns
    // nothing); double-click to see everything again.
    void dragARectangleToZoomDoubleClickToReset() {
        ObjectivePlot plot;
        plot.resize(500, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        std::vector<double> values = wavyValues(10.0, 3.0, 0.1);
        plot.setTrials(completeTrials(values), Direction::Minimize);
        QApplication::processEvents();
        auto* x = qobject_cast<QValueAxis*>(plot.chart()->axes(Qt::Horizontal).front());
        auto* y = qobject_cast<QValueAxis*>(plot.chart()->axes(Qt::Vertical).front());
        QVERIFY(x && y);
        const QRectF fitted(QPointF(x->min(), y->min()), QPointF(x->max(), y->max()));
        const double fittedStep = y->tickInterval();
        const QRectF area = plot.chart()->plotArea();
        auto viewAt = [&](double fx, double fy) {  // fractions of the plot area from its top left
            return plot.mapFromScene(plot.chart()->mapToScene(
                QPointF(area.left() + fx * area.width(), area.top() + fy * area.height())));
        };
        auto drag = [&](QPoint from, QPoint to) {
            QTest::mousePress(plot.viewport(), Qt::LeftButton, {}, from);
            QMouseEvent move(QEvent::MouseMove, QPointF(to), plot.viewport()->mapToGlobal(to),
                             Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(plot.viewport(), &move);
            QTest::mouseRelease(plot.viewport(), Qt::LeftButton, {}, to);
        };

        // A click is no zoom.
        QTest::mouseClick(plot.viewport(), Qt::LeftButton, {}, viewAt(0.5, 0.5));
        QVERIFY(!plot.isZoomed());

        // The rectangle from a quarter to a half across, a fifth to three
        // fifths down, becomes the axes' ranges (to the pixel).
        drag(viewAt(0.25, 0.2), viewAt(0.5, 0.6));
        QVERIFY(plot.isZoomed());
        const double pixelX = fitted.width() / area.width(),
                     pixelY = fitted.height() / area.height();
        QVERIFY(std::abs(x->min() - (fitted.left() + 0.25 * fitted.width())) <= 1.5 * pixelX);
        QVERIFY(std::abs(x->max() - (fitted.left() + 0.5 * fitted.width())) <= 1.5 * pixelX);
        QVERIFY(std::abs(y->max() - (fitted.bottom() - 0.2 * fitted.height())) <= 1.5 * pixelY);
        QVERIFY(std::abs(y->min() - (fitted.bottom() - 0.6 * fitted.height())) <= 1.5 * pixelY);
        QVERIFY(x->tickInterval() >= 1.0);  // trial numbers stay whole
        QVERIFY(y->tickInterval() < fittedStep);
        const QRectF zoomed(QPointF(x->min(), y->min()), QPointF(x->max(), y->max()));

        // A live update that keeps what is zoomed into keeps the zoom.
        values.push_back(11.0);
        plot.setTrials(completeTrials(values), Direction::Minimize);
        QTRY_COMPARE(x->min(), zoomed.left());
        QCOMPARE(x->max(), zoomed.right());
        QCOMPARE(y->min(), zoomed.top());
        QVERIFY(plot.isZoomed());

        // A double-click shows everything again, as fitted (one more trial).
        QTest::mouseDClick(plot.viewport(), Qt::LeftButton, {}, viewAt(0.5, 0.5));
        QVERIFY(!plot.isZoomed());
        ObjectivePlot fresh;
        fresh.resize(500, 400);
        fresh.show();
        QVERIFY(QTest::qWaitForWindowExposed(&fresh));
        fresh.setTrials(completeTrials(values), Direction::Minimize);
        auto* freshY = qobject_cast<QValueAxis*>(fresh.chart()->axes(Qt::Vertical).front());
        auto* freshX = qobject_cast<QValueAxis*>(fresh.chart()->axes(Qt::Horizontal).front());
        QCOMPARE(y->min(), freshY->min());
        QCOMPARE(y->max(), freshY->max());
        QCOMPARE(x->max(), freshX->max());

        // A thin drag along x zooms x only, and y stays fitted to the
        // trials as they come.
        drag(viewAt(0.1, 0.5), viewAt(0.4, 0.51));
        QVERIFY(plot.isZoomed());
        const double xLow = x->min(), xHigh = x->max();
        QVERIFY(xHigh - xLow < 0.5 * (freshX->max() - freshX->min()));
        QCOMPARE(y->min(), freshY->min());
        QCOMPARE(y->max(), freshY->max());
        values.push_back(-20.0);  // a new best, far below the rest
        plot.setTrials(completeTrials(values), Direction::Minimize);
        fresh.setTrials(completeTrials(values), Direction::Minimize);
        QApplication::processEvents();
        QCOMPARE(x->min(), xLow);
        QCOMPARE(x->max(), xHigh);
        QCOMPARE(y->min(), freshY->min());
        QVERIFY(y->min() < -20);
        plot.resetZoom();

        // A zoom dragged past the right end follows new trials there.
        drag(viewAt(0.6, 0.05), viewAt(1.1, 1.1));
        QVERIFY(plot.isZoomed());
        const double followFrom = x->min();
        values.push_back(12.0);
        plot.setTrials(completeTrials(values), Direction::Minimize);
        fresh.setTrials(completeTrials(values), Direction::Minimize);
        QApplication::processEvents();
        QCOMPARE(x->min(), followFrom);
        QCOMPARE(x->max(), freshX->max());
        QVERIFY(plot.isZoomed());
        plot.resetZoom();

        // Other data (another study) drops the zoom.
        plot.setTrials(completeTrials({500, 700, 900}), Direction::Minimize);
        QVERIFY(!plot.isZoomed());
        QVERIFY(y->min() < 500 && y->max() > 900);
        QApplication::processEvents();
        QVERIFY(y->min() < 500 && y->max() > 900);

        // On a log axis the rectangle's ends are read on the log scale.
        std::vector<double> losses{1e4, 3e3, 800, 90, 20, 6, 1.5, 0.4, 0.1};
        plot.setTrials(completeTrials(losses), Direction::Minimize);
        QApplication::processEvents();
        auto* log = qobject_cast<QLogValueAxis*>(plot.chart()->axes(Qt::Vertical).front());
        QVERIFY(log);
        const double low = log->min(), high = log->max();
        const QRectF logArea = plot.chart()->plotArea();
        const QPoint top = plot.mapFromScene(plot.chart()->mapToScene(QPointF(
            logArea.left() + 0.2 * logArea.width(), logArea.top() + 0.25 * logArea.height())));
        const QPoint bottom = plot.mapFromScene(plot.chart()->mapToScene(QPointF(
            logArea.left() + 0.8 * logArea.width(), logArea.top() + 0.75 * logArea.height())));
        drag(top, bottom);
        const double decades = std::log10(high / low);
        QVERIFY(std::abs(std::log10(log->max() / high) + 0.25 * decades) < 0.05);
        QVERIFY(std::abs(std::log10(log->min() / low) - 0.25 * decades) < 0.05);
        plot.resetZoom();
        QCOMPARE(log->min(), low);
        QCOMPARE(log->max(), high);

        // A cell edge's operations are categories, not a range: a drag over
        // the GP slice along an edge zooms the values only.
        PosteriorSlicePlot slice;
        slice.setSlice(edgeSlice({"none", "skip", "conv1x1", "conv3x3", "avgpool"}));
        slice.resize(400, 400);
        slice.show();
        QVERIFY(QTest::qWaitForWindowExposed(&slice));
        QCategoryAxis* categories = categoryAxisOf(slice);
        QVERIFY(categories);
        const double first = categories->min(), last = categories->max();
        QValueAxis* valueAxis = nullptr;
        for (QAbstractAxis* axis : slice.chart()->axes(Qt::Vertical))
            if (auto* found = qobject_cast<QValueAxis*>(axis);
                found && found->isVisible() && found->alignment() == Qt::AlignLeft)
                valueAxis = found;
        QVERIFY(valueAxis);
        const double span = valueAxis->max() - valueAxis->min();
        const QRectF sliceArea = slice.chart()->plotArea();
        slice.zoomTo(QRectF(sliceArea.left() + 0.3 * sliceArea.width(),
                            sliceArea.top() + 0.2 * sliceArea.height(), 0.4 * sliceArea.width(),
                            0.5 * sliceArea.height()));
        QVERIFY(slice.isZoomed());
        QCOMPARE(categories->min(), first);
        QCOMPARE(categories->max(), last);
        QVERIFY(std::abs((valueAxis->max() - valueAxis->min()) - 0.5 * span) < 0.01 * span);
    }

    // A title too long for a narrow chart goes on two lines, whole, and back
    // on one when the chart is wide again.
    void aLongTitleWrapsInANarrowChartRatherThanBeingCut() {
        HypervolumePlot plot;
        plot.resize(215, 300);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        const QString title = plot.chartTitle();
        QCOMPARE(title, QStringLiteral("Hypervolume of the Pareto set"));
        QTRY_COMPARE(drawnTextsStartingWith(plot, QStringLiteral("Hypervolume")).size(), 1);
        const QString narrow = drawnTextsStartingWith(plot, QStringLiteral("Hypervolume")).front();
        QVERIFY2(!narrow.contains(QStringLiteral("...")), qPrintable(narrow));
        QCOMPARE(narrow.simplified(), title);  // all of it, on more than one line
        QVERIFY2(narrow.contains(QChar(QChar::LineSeparator)) || narrow.contains('\n'),
                 qPrintable(narrow));

        plot.resize(600, 300);
        QTRY_COMPARE(drawnTextsStartingWith(plot, QStringLiteral("Hypervolume")).value(0), title);
    }

    // A title's detail (the hypervolume's reference point) shows where it
    // fits on two lines with the title, and is left out, not cut, where not;
    // the tooltip keeps it.
    void aTitleDetailShowsWhereItFitsAndIsLeftOutWhereNot() {
        HypervolumePlot plot;
        plot.setReference(QStringLiteral("accuracy = 80.1, lat_pixel3_ms = 12.3"), true);
        const QString whole = QStringLiteral(
            "Hypervolume of the Pareto set (reference accuracy = 80.1, lat_pixel3_ms = 12.3)");
        plot.resize(900, 300);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        QTRY_COMPARE(drawnTextsStartingWith(plot, QStringLiteral("Hypervolume")).value(0), whole);

        plot.resize(420, 300);
        QTRY_COMPARE(
            drawnTextsStartingWith(plot, QStringLiteral("Hypervolume")).value(0).simplified(),
            whole);

        plot.resize(215, 300);
        QTRY_COMPARE(
            drawnTextsStartingWith(plot, QStringLiteral("Hypervolume")).value(0).simplified(),
            QStringLiteral("Hypervolume of the Pareto set"));
        QVERIFY(plot.toolTip().contains(QStringLiteral("accuracy = 80.1, lat_pixel3_ms = 12.3")));
    }

    // A study's first trial: its value has labelled round ticks either side
    // (a range of zero width once left the axis without a single label).
    void aSingleValueGetsLabelledTicksAroundIt() {
        ObjectivePlot plot;
        plot.resize(220, 500);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setTrials(completeTrials({82.85}), Direction::Maximize);
        auto* axis = qobject_cast<QValueAxis*>(plot.chart()->axes(Qt::Vertical).front());
        QVERIFY(axis);
        QVERIFY(axis->min() < 82.85 && axis->max() > 82.85);
        const double step = axis->tickInterval();
        QVERIFY(step > 0);
        const double ticks = std::floor(axis->max() / step) - std::ceil(axis->min() / step) + 1;
        QVERIFY2(
            ticks >= 2,
            qPrintable(
                QStringLiteral("%1 ticks in %2..%3").arg(ticks).arg(axis->min()).arg(axis->max())));
    }

    // Every tick label reads as the round number it stands for, zero as
    // "0.0" rather than "-2.776e-16" or "-0.0", with the ticks Qt Charts
    // computes: the first one from the anchor, then adding the interval.
    void tickLabelsAreRoundNumbers() {
        auto labels = [](double min, double max, double step) {
            QStringList out;
            const auto labelling = decimalTicks(min, max, step);
            if (!labelling)
                return QStringList{"general"};
            const QByteArray format = labelling->format.toLatin1();
            const double first =
                labelling->anchor - std::floor((labelling->anchor - min) / step) * step;
            for (double value = first; value <= max; value += step)
                out << QString::asprintf(format.constData(), value);
            return out;
        };
        QCOMPARE(labels(-1.47, 0.07, 0.2),
                 (QStringList{"-1.4", "-1.2", "-1.0", "-0.8", "-0.6", "-0.4", "-0.2", "0.0"}));
        QCOMPARE(labels(-0.3, 0.6, 0.25), (QStringList{"-0.25", "0.00", "0.25", "0.50"}));
        QCOMPARE(labels(2, 31, 5), (QStringList{"5", "10", "15", "20", "25", "30"}));
        QCOMPARE(labels(0, 5e6, 1e6), QStringList{"general"});  // "%.4g" is shorter there
        QCOMPARE(labels(0, 1e-4, 2e-5), QStringList{"general"});
        for (double step : {0.1, 0.2, 0.5, 0.25, 0.05, 0.02, 0.002, 0.0005, 2.0, 20.0, 0.4})
            for (int below = 0; below < 60; ++below)
                for (double slack : {0.0, 0.3, 0.77}) {
                    const double min = -(below + slack) * step;
                    const QStringList shown = labels(min, min + 17.3 * step, step);
                    for (const QString& label : shown) {
                        const bool negativeZero = label.startsWith('-') && label.toDouble() == 0;
                        QVERIFY2(
                            !label.contains('e') && !negativeZero,
                            qPrintable(
                                QStringLiteral("%1 from %2 by %3").arg(label).arg(min).arg(step)));
                        const double multiple = label.toDouble() / step;
                        QVERIFY2(std::fabs(multiple - std::round(multiple)) < 1e-6,
                                 qPrintable(label));
                    }
                }
        // A chart puts it on its axes: Hartmann's values, -1.4 to 0.
        ObjectivePlot plot;
        plot.resize(400, 500);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setTrials(completeTrials({-0.02, -0.7, -1.4}), Direction::Minimize);
        auto* axis = qobject_cast<QValueAxis*>(plot.chart()->axes(Qt::Vertical).front());
        const auto labelling = decimalTicks(axis->min(), axis->max(), axis->tickInterval());
        QVERIFY(labelling);
        QCOMPARE(axis->labelFormat(), labelling->format);
        QCOMPARE(axis->tickAnchor(), labelling->anchor);
    }

    // A study opened before the window is shown (the last study, at start)
    // has no pruned trials: no "pruned" legend entry once it is shown.
    void prunedLegendEntryOnlyWithPrunedTrials() {
        ObjectivePlot plot;
        plot.resize(500, 400);
        auto prunedMarker = [&plot] {
            for (QLegendMarker* marker : plot.chart()->legend()->markers())
                if (marker->label() == QStringLiteral("pruned"))
                    return marker;
            return static_cast<QLegendMarker*>(nullptr);
        };
        QVERIFY(prunedMarker());
        const std::vector<Trial> mixed = mixedTrials();
        const std::vector<Trial> completeOnly(mixed.begin(), mixed.begin() + 3);
        plot.setTrials(completeOnly, Direction::Minimize);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        QVERIFY(!prunedMarker()->isVisible());
        plot.setTrials(mixed, Direction::Minimize);
        QVERIFY(prunedMarker()->isVisible());
        plot.setTrials(completeOnly, Direction::Minimize);
        QVERIFY(!prunedMarker()->isVisible());

        // An entry that appears during a run is laid out like one shown from
        // the start (not drawn over "best so far" without its name).
        plot.setTrials({}, Direction::Minimize);
        QApplication::processEvents();
        plot.setTrials(completeOnly, Direction::Minimize);
        QApplication::processEvents();
        plot.setTrials(mixed, Direction::Minimize);
        QApplication::processEvents();
        ObjectivePlot fresh;
        fresh.resize(plot.size());
        fresh.setTrials(mixed, Direction::Minimize);
        fresh.show();
        QVERIFY(QTest::qWaitForWindowExposed(&fresh));
        QApplication::processEvents();
        const QRect legendBand(0, 0, plot.width(), 70);
        QCOMPARE(plot.grab(legendBand).toImage(), fresh.grab(legendBand).toImage());
    }

    // A live study whose values come to span decades moves its value axis
    // from linear to log: a zoom goes with it, the range zoomed into kept
    // (it was all lost before, the trials' too).
    void aZoomOutlivesTheSwitchBetweenLinearAndLogValues() {
        ObjectivePlot plot;
        plot.resize(500, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        std::vector<double> values = wavyValues(500.0, 300.0);
        plot.setTrials(completeTrials(values), Direction::Minimize);
        QApplication::processEvents();
        auto* x = qobject_cast<QValueAxis*>(plot.chart()->axes(Qt::Horizontal).front());
        QVERIFY(x && qobject_cast<QValueAxis*>(plot.chart()->axes(Qt::Vertical).front()));
        const QRectF area = plot.chart()->plotArea();
        plot.zoomTo(QRectF(area.left() + 0.25 * area.width(), area.top() + 0.2 * area.height(),
                           0.25 * area.width(), 0.4 * area.height()));
        auto* linear = qobject_cast<QValueAxis*>(plot.chart()->axes(Qt::Vertical).front());
        const double xLow = x->min(), xHigh = x->max();
        const double yLow = linear->min(), yHigh = linear->max();
        QVERIFY(yLow > 0);

        for (double better : {10.0, 1.0, 0.1, 0.05})  // now over three decades: log
            values.push_back(better);
        plot.setTrials(completeTrials(values), Direction::Minimize);
        QApplication::processEvents();
        auto* log = qobject_cast<QLogValueAxis*>(plot.chart()->axes(Qt::Vertical).front());
        QVERIFY(log);
        QVERIFY(plot.isZoomed());
        QCOMPARE(x->min(), xLow);
        QCOMPARE(x->max(), xHigh);
        QCOMPARE(log->min(), yLow);
        QCOMPARE(log->max(), yHigh);

        // And back (another run of the view, say): the axis linear, the
        // zoom on it.
        values.resize(30);
        plot.setTrials(completeTrials(values), Direction::Minimize);
        QApplication::processEvents();
        QCOMPARE(plot.chart()->axes(Qt::Vertical).front(), linear);
        QVERIFY(plot.isZoomed());
        QCOMPARE(linear->min(), yLow);
        QCOMPARE(linear->max(), yHigh);
        QCOMPARE(x->min(), xLow);

        // Reset shows the log axis's fitted range had it stayed: everything.
        plot.resetZoom();
        QVERIFY(linear->min() < 200.5 && linear->max() > 799.5);
        QVERIFY(x->min() <= 0 && x->max() >= 29);
    }

    // The note on the arrows goes with their band: zoomed into the trials
    // kept, it would name arrows out of view; a zoom along x alone keeps it.
    void theOffScaleNoteGoesWithItsBandWhenZoomed() {
        const std::vector<double> fashion{82.85, 84.6,  81.3,  82.75, 83.4,  84.85, 10.7,
                                          82.1,  83.2,  81.95, 84.7,  84.0,  84.1,  85.2,
                                          9.6,   84.35, 84.3,  82.15, 81.05, 81.6};
        ObjectivePlot plot;
        plot.resize(500, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setTrials(completeTrials(fashion), Direction::Maximize);
        QApplication::processEvents();
        const QString note = plot.offScaleNote();
        QVERIFY(!note.isEmpty());
        const QRectF area = plot.chart()->plotArea();
        plot.zoomTo(QRectF(area.left(), area.top(), area.width(), area.height() / 2));
        QVERIFY(plot.offScaleNote().isEmpty());
        plot.resetZoom();
        QCOMPARE(plot.offScaleNote(), note);
        plot.zoomTo(
            QRectF(area.left() + area.width() / 4, area.top(), area.width() / 2, area.height()));
        QVERIFY(plot.isZoomed());
        QCOMPARE(plot.offScaleNote(), note);
        // Zoomed onto the band itself, the note stays with its arrows.
        plot.resetZoom();
        plot.zoomTo(
            QRectF(area.left(), area.top() + area.height() / 2, area.width(), area.height() / 2));
        QCOMPARE(plot.offScaleNote(), note);
    }

    // A few trials far off on the worse side would squash the rest into a
    // sliver: a NAS cell with no path from input to output learns nothing
    // (about 10 % against 81-85 % here, a real Fashion-MNIST study's values).
    // They are drawn as arrows at the axis's edge, and still open their trial.
    void farOffTrialsAreArrowsAtTheAxissEdge() {
        const std::vector<double> fashion{82.85, 84.6,  81.3,  82.75, 83.4,  84.85, 10.7,
                                          82.1,  83.2,  81.95, 84.7,  84.0,  84.1,  85.2,
                                          9.6,   84.35, 84.3,  82.15, 81.05, 81.6};
        QCOMPARE(offScaleLimit(fashion, Direction::Maximize), std::optional<double>(81.05));
        // Minimized, the same picture upside down; the best trials never go.
        std::vector<double> losses;
        for (double accuracy : fashion)
            losses.push_back(100 - accuracy);
        QCOMPARE(offScaleLimit(losses, Direction::Minimize), std::optional<double>(100 - 81.05));
        QCOMPARE(offScaleLimit(fashion, Direction::Minimize), std::nullopt);
        // A descent spread over the range (the welcome study's Branin values,
        // 146 down to 0.398) is not split.
        const std::vector<double> branin{
            108.68, 47.136, 2.3165, 7.2805, 81.924, 57.487, 140.81, 1.8504, 21.003, 41.763,
            12.497, 3.9389, 9.5973, 3.547,  4.1468, 0.6328, 8.1427, 9.3914, 1.2931, 145.87,
            0.6073, 1.0948, 1.9487, 0.3982, 17.508, 0.4004, 0.4822, 0.4667, 0.4172, 0.4174,
            0.4399, 0.4214, 0.4125, 0.5987, 0.4639, 0.415,  0.3988, 0.424,  0.4132, 0.4045};
        QCOMPARE(offScaleLimit(branin, Direction::Minimize), std::nullopt);
        // Over decades the axis is a log one, and gaps are ratios there.
        QCOMPARE(offScaleLimit(std::vector<double>{1.2e5, 3.0e4, 900.0, 40.0, 5.0, 1.3},
                               Direction::Minimize),
                 std::nullopt);
        // Two clusters under the band both go; more than a fifth never does,
        // nor does anything among fewer than five values.
        std::vector<double> twoClusters{0, 40};
        for (int i = 0; i < 18; ++i)
            twoClusters.push_back(80 + 0.25 * i);
        QCOMPARE(offScaleLimit(twoClusters, Direction::Maximize), std::optional<double>(80));
        std::vector<double> manyFailed(5, 10.0);
        for (int i = 0; i < 15; ++i)
            manyFailed.push_back(80 + 0.25 * i);
        QCOMPARE(offScaleLimit(manyFailed, Direction::Maximize), std::nullopt);
        QCOMPARE(offScaleLimit(std::vector<double>{85, 84, 10}, Direction::Maximize), std::nullopt);

        ObjectivePlot plot;
        plot.resize(500, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setTrials(completeTrials(fashion), Direction::Maximize);
        QApplication::processEvents();  // lays the chart out
        QCOMPARE(plot.completePointCount(), 18);
        const std::vector<QPointF> arrows = plot.offScalePoints();
        QCOMPARE(arrows.size(), std::size_t(2));
        auto* axis = qobject_cast<QValueAxis*>(plot.chart()->axes(Qt::Vertical).front());
        QVERIFY(axis);
        QVERIFY2(axis->min() > 70 && axis->min() <= 81.05,
                 qPrintable(QString::number(axis->min())));
        for (const QPointF& arrow : arrows)
            QVERIFY(arrow.y() > axis->min() && arrow.y() < 81.05);
        QCOMPARE(arrows[0].x(), 6.0);
        QCOMPARE(arrows[1].x(), 14.0);
        QLineSeries* anchor = nullptr;
        for (QAbstractSeries* series : plot.chart()->series())
            if (series->name() == QStringLiteral("off scale"))
                anchor = qobject_cast<QLineSeries*>(series);
        QVERIFY(anchor);
        // A note in their band says what they are: a compact chart has no legend.
        QCOMPARE(plot.offScaleNote(), QStringLiteral("▼ 2 far below (9.6–10.7)"));
        QSignalSpy clicked(&plot, &ChartView::trialClicked);
        const QPoint at = plot.mapFromScene(
            plot.chart()->mapToScene(plot.chart()->mapToPosition(arrows[0], anchor)));
        QTest::mouseClick(plot.viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.front().front().toInt(), 6);

        // Minimized, they are above; spread-out values keep their whole axis.
        plot.setTrials(completeTrials(losses), Direction::Minimize);
        QCOMPARE(plot.offScaleNote(), QStringLiteral("▲ 2 far above (89.3–90.4)"));
        plot.setTrials(completeTrials(branin), Direction::Minimize);
        QVERIFY(plot.offScalePoints().empty());
        QCOMPARE(plot.completePointCount(), 40);
        QCOMPARE(plot.offScaleNote(), QString());
    }

    // A pruned trial's last report is a partial result, often far below the
    // final values (an Optuna study imported with 13 trials pruned at their
    // first step, 14-18 against 78-90): any number of them may go to the
    // arrows, drawn grey, while the final values keep their one-fifth rule.
    // A study's first final values keep every pruned trial on the axis.
    void prunedTrialsFarBelowAreArrowsToo() {
        std::vector<double> finals, partial;
        for (int i = 0; i < 27; ++i)
            finals.push_back(78.5 + 0.4 * i);
        for (int i = 0; i < 13; ++i)
            partial.push_back(14.0 + 0.3 * i);
        QCOMPARE(offScaleLimit(finals, Direction::Maximize, partial), std::optional<double>(78.5));
        QCOMPARE(offScaleLimit(finals, Direction::Maximize), std::nullopt);
        QCOMPARE(offScaleLimit(std::vector<double>{85.0}, Direction::Maximize, partial),
                 std::nullopt);  // fewer than five values would stay

        std::vector<Trial> trials = completeTrials(finals);
        for (Trial trial : completeTrials(partial)) {  // pruned at their first report
            trial.number += static_cast<int>(finals.size());
            trial.state = TrialState::Pruned;
            trial.intermediate.emplace_back(1, *trial.value);
            trials.push_back(trial);
        }
        ObjectivePlot plot;
        plot.resize(500, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setTrials(trials, Direction::Maximize);
        QCOMPARE(plot.completePointCount(), 27);
        QCOMPARE(plot.prunedPointCount(), 0);
        QCOMPARE(plot.offScalePrunedPoints().size(), std::size_t(13));
        QVERIFY(plot.offScalePoints().empty());
        QCOMPARE(plot.offScaleNote(), QStringLiteral("▼ 13 pruned far below (14–17.6)"));
        auto* axis = qobject_cast<QValueAxis*>(plot.chart()->axes(Qt::Vertical).front());
        QVERIFY(axis);
        QVERIFY2(axis->min() > 60, qPrintable(QString::number(axis->min())));
        // With a complete trial among them, the note says how many were pruned.
        trials.front().value = 9.5;
        plot.setTrials(trials, Direction::Maximize);
        QCOMPARE(plot.offScalePoints().size(), std::size_t(1));
        QCOMPARE(plot.offScaleNote(), QStringLiteral("▼ 14 far below, 13 pruned (9.5–17.6)"));
    }

    void objectivePointsAreDrawnAndClickable() {
        // The points are a layer over the chart, not a series: they are still
        // drawn where the axes put them, and a click on one selects its trial.
        ObjectivePlot plot;
        plot.resize(500, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        const auto trials = mixedTrials();
        plot.setTrials(trials, Direction::Minimize);
        QApplication::processEvents();  // lays the chart out
        QLineSeries* anchor = nullptr;
        for (QAbstractSeries* series : plot.chart()->series())
            if (series->name() == QStringLiteral("complete"))
                anchor = qobject_cast<QLineSeries*>(series);
        QVERIFY(anchor);
        const QPointF point = objectivePoints(trials)[3];
        const QPoint at =
            plot.mapFromScene(plot.chart()->mapToScene(plot.chart()->mapToPosition(point, anchor)));
        const QImage image = plot.grab().toImage();
        const QColor drawn = image.pixelColor(at * image.devicePixelRatio());
        const QColor dot = plotColors::complete();
        QVERIFY2(std::abs(drawn.red() - dot.red()) < 40 &&
                     std::abs(drawn.green() - dot.green()) < 40 &&
                     std::abs(drawn.blue() - dot.blue()) < 40,
                 qPrintable(drawn.name()));
        QSignalSpy clicked(&plot, &ChartView::trialClicked);
        QTest::mouseClick(plot.viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.front().front().toInt(), static_cast<int>(point.x()));
        // Far from any point: no trial.
        QTest::mouseClick(plot.viewport(), Qt::LeftButton, {}, QPoint(2, 2));
        QCOMPARE(clicked.count(), 1);
    }

    void pointLayerRedrawsWhatChanged() {
        // The markers come from a cached image: appended points must appear,
        // replaced ones go, and a new axis range moves every point.
        QChartView view;
        QChart* chart = view.chart();
        auto* anchor = new QLineSeries;
        chart->addSeries(anchor);
        auto* x = new QValueAxis;
        auto* y = new QValueAxis;
        chart->addAxis(x, Qt::AlignBottom);
        chart->addAxis(y, Qt::AlignLeft);
        anchor->attachAxis(x);
        anchor->attachAxis(y);
        x->setRange(0, 10);
        y->setRange(0, 10);
        auto* layer = new PointLayer(chart, anchor, dotMarker(QColor(Qt::red), 9));
        layer->followAxes();
        view.resize(400, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QApplication::processEvents();
        auto redAt = [&](QPointF value) {
            const QPoint at =
                view.mapFromScene(chart->mapToScene(chart->mapToPosition(value, anchor)));
            const QImage image = view.grab().toImage();
            const QColor colour = image.pixelColor(at * image.devicePixelRatio());
            return colour.red() > 200 && colour.green() < 80 && colour.blue() < 80;
        };
        layer->setPoints({{2, 2}});
        QVERIFY(redAt({2, 2}));
        QVERIFY(!redAt({7, 7}));
        layer->setPoints({{2, 2}, {7, 7}});  // appended
        QVERIFY(redAt({2, 2}));
        QVERIFY(redAt({7, 7}));
        layer->setPoints({{7, 7}});  // not an append: drawn afresh
        QVERIFY(!redAt({2, 2}));
        QVERIFY(redAt({7, 7}));
        x->setRange(0, 20);  // (7, 7) moves to where (14, 7) was
        QVERIFY(redAt({7, 7}));
        QVERIFY(!redAt({14, 7}));
    }

    void learningCurvesMarkPrunedTrials() {
        LearningCurvePlot plot(QStringLiteral("curves"));
        const auto trials = mixedTrials();
        plot.setTrials(trials);
        QCOMPARE(plot.curveCount(), 12);
        QCOMPARE(plot.prunedMarkerCount(), 2);
        plot.setMaxCurves(5);
        plot.setTrials(trials);
        QCOMPARE(plot.curveCount(), 5);
        plot.setSelectedTrial(0);
        plot.setTrials(trials);
        QCOMPARE(plot.curveCount(), 6);  // the selected one is always drawn
    }

    // The title names what is plotted where it fits; a name with brackets
    // of its own is set off by a dash, not nested in brackets.
    void theTitleNamesTheMeasureWithoutNestedBrackets() {
        ObjectivePlot plot;
        plot.resize(900, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setValueName(QStringLiteral("cifar10_valid_acc_12ep"));
        QCOMPARE(shownTitle(plot), QStringLiteral("Objective per trial (cifar10_valid_acc_12ep)"));
        plot.setValueName(QStringLiteral("Validation accuracy (%)"));
        QCOMPARE(shownTitle(plot),
                 QString::fromUtf8("Objective per trial — Validation accuracy (%)"));
    }

    // A trial that has reported one epoch has no line to draw yet: it is a
    // dot, or the running trial's first epoch is nowhere on the chart (seen
    // live: a cell at 19.6 % after epoch 1 stretched the axis to 20 and
    // showed nothing there).
    void aCurveOfOneEpochIsADot() {
        LearningCurvePlot plot(QStringLiteral("curves"));
        plot.resize(500, 360);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        std::vector<Trial> trials(2);
        trials[0].number = 0;
        trials[0].state = TrialState::Complete;
        trials[0].value = 84.0;
        trials[0].intermediate = {{1, 70.0}, {2, 80.0}, {3, 84.0}};
        trials[1].number = 1;
        trials[1].state = TrialState::Running;
        trials[1].intermediate = {{1, 22.0}};
        plot.setTrials(trials);
        QCOMPARE(plot.curveCount(), 2);
        QCoreApplication::processEvents();

        QLineSeries* anchor = nullptr;
        for (QAbstractSeries* series : plot.chart()->series())
            if (auto* line = qobject_cast<QLineSeries*>(series); line && line->count() == 1)
                anchor = line;
        QVERIFY(anchor);
        const QPoint at = plot.mapFromScene(
            plot.chart()->mapToScene(plot.chart()->mapToPosition(QPointF(1, 22.0), anchor)));
        const QImage image = plot.grab().toImage();
        const QColor running = plotColors::running();
        int painted = 0;
        for (int dx = -2; dx <= 2; ++dx)
            for (int dy = -2; dy <= 2; ++dy) {
                const QColor c = image.pixelColor((at + QPoint(dx, dy)) * image.devicePixelRatio());
                if (std::abs(c.red() - running.red()) + std::abs(c.green() - running.green()) +
                        std::abs(c.blue() - running.blue()) <
                    60)
                    ++painted;
            }
        QVERIFY2(painted >= 9, qPrintable(QStringLiteral("%1 pixels of the dot").arg(painted)));

        // Its second epoch makes it a line: no marker on every epoch.
        trials[1].intermediate.emplace_back(2, 60.0);
        plot.setTrials(trials);
        QVERIFY(!anchor->pointsVisible());
        // Pruned at its first report, it has its cross and no dot under it.
        trials[1].intermediate.resize(1);
        trials[1].state = TrialState::Pruned;
        plot.setTrials(trials);
        QCOMPARE(plot.prunedMarkerCount(), 1);
        QVERIFY(!anchor->pointsVisible());
    }

    // A quarter panel's LogEI chart as the first values arrive: the third
    // widens the range at the same tick step (1.9..2.3 to 1.6..2.3 at 0.1),
    // and the ticks must still be spaced so no label is cut to "...".
    void aRangeThatWidensAtTheSameStepKeepsItsLabels() {
        AcquisitionPlot plot;
        plot.resize(330, 165);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        std::vector<Trial> trials;
        for (double value : {2.31, 1.92, 1.61, 1.7}) {
            Trial trial;
            trial.number = 8 + static_cast<int>(trials.size());
            trial.state = TrialState::Complete;
            trial.value = 1.0;
            trial.attrs["acquisition"] = value;
            trials.push_back(trial);
            plot.setTrials(trials);
            QCoreApplication::processEvents();
            QVERIFY2(elidedTickLabels(plot).isEmpty(),
                     qPrintable(QStringLiteral("%1 values: %2")
                                    .arg(trials.size())
                                    .arg(elidedTickLabels(plot).join(", "))));
        }
    }

    // An empty chart draws no axis title either: Qt drew the title of a
    // hidden axis in the chart's corner ("Acquisition value" above the
    // initial design's message) once the chart was big enough for titles.
    void anEmptyChartShowsNoAxisTitle() {
        AcquisitionPlot plot;
        plot.setScore("acquisition", QStringLiteral("LogEI per suggestion"),
                      QStringLiteral("LogEI"));
        plot.resize(700, 300);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setTrials({});
        QVERIFY(!plot.emptyMessage().isEmpty());
        QCoreApplication::processEvents();
        QCOMPARE(drawnTextsStartingWith(plot, QStringLiteral("LogEI")).size(), 1);  // the title
        for (QAbstractAxis* axis : plot.chart()->axes())
            QVERIFY(!axis->isTitleVisible());
        // Values arrive: the axes and their titles are back.
        std::vector<Trial> trials = completeTrials({1.0, 2.0});
        trials[0].attrs["acquisition"] = -1.0;
        trials[1].attrs["acquisition"] = -2.0;
        plot.setTrials(trials);
        QCoreApplication::processEvents();
        QVERIFY(plot.chart()->axes(Qt::Vertical).front()->isTitleVisible());
        QCOMPARE(drawnTextsStartingWith(plot, QStringLiteral("LogEI")).size(), 2);
    }

    // A log axis labels both its ends: Branin's best, 0.398, puts the
    // bottom at 0.1, whose label Qt dropped (0.1 is not exact in binary).
    void aLogAxisLabelsItsLowestPowerOfTen() {
        ObjectivePlot plot;
        plot.resize(500, 500);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setTrials(completeTrials({3.5e5, 0.398}), Direction::Minimize);
        QVERIFY(plot.logScale());
        QCoreApplication::processEvents();
        QCOMPARE(drawnTextsStartingWith(plot, QStringLiteral("1e-01")).size(), 1);
        QCOMPARE(drawnTextsStartingWith(plot, QStringLiteral("1e+06")).size(), 1);
    }

    // The gp's last trials see a shrunk variance (exploit_last), so their
    // acquisition values fall; the title says from which trial.
    void theAcquisitionTitleSaysWhereTheLastTrialsExploit() {
        AcquisitionPlot plot;
        plot.setScore("acquisition", QStringLiteral("EHVI per suggestion"), QStringLiteral("EHVI"));
        std::vector<Trial> trials = completeTrials({1.0, 2.0, 3.0, 4.0});
        for (std::size_t i = 0; i < trials.size(); ++i)
            trials[i].attrs["acquisition"] = 0.5 / static_cast<double>(i + 1);
        plot.setTrials(trials);
        QCOMPARE(plot.chartTitleDetail(), QString());
        trials[2].attrs["acquisition_variance_scale"] = 0.5;
        trials[3].attrs["acquisition_variance_scale"] = 0.25;
        plot.setTrials(trials);
        QCOMPARE(plot.chartTitle(), QStringLiteral("EHVI per suggestion"));
        QCOMPARE(plot.chartTitleDetail(), QStringLiteral("exploiting from trial 2"));
        plot.setTrials(std::span<const Trial>(trials).first(2));  // another study
        QCOMPARE(plot.chartTitleDetail(), QString());
    }

    void acquisitionPlotShowsStoredValues() {
        AcquisitionPlot plot;
        plot.setTrials(mixedTrials());
        QCOMPARE(plot.pointCount(), 9);
        std::vector<Trial> none(3);
        plot.setTrials(none);
        QCOMPARE(plot.pointCount(), 0);
        QVERIFY(plot.emptyMessage().contains("gp"));
    }

    // Rosenbrock's losses fall from 1e5 to about 1: on a log axis the best-so-far
    // line and the good trials are told apart instead of sitting on zero. A
    // study with negative values (Hartmann) keeps a linear axis.
    void objectiveValuesSpanningDecadesTakeALogAxis() {
        std::vector<Trial> trials = completeTrials({1.2e5, 3.0e4, 900.0, 40.0, 5.0, 1.3});
        ObjectivePlot plot;
        plot.resize(500, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setTrials(trials, Direction::Minimize);
        QVERIFY(plot.logScale());
        QList<QAbstractAxis*> vertical = plot.chart()->axes(Qt::Vertical);
        QCOMPARE(vertical.size(), 1);
        auto* log = qobject_cast<QLogValueAxis*>(vertical.front());
        QVERIFY(log);
        QCOMPARE(log->min(), 1.0);
        QCOMPARE(log->max(), 1e6);
        QCOMPARE(log->titleText(), QStringLiteral("Objective value (log scale)"));
        QCOMPARE(plot.completePointCount(), 6);
        QCOMPARE(plot.lastBestValue(), 1.3);
        // The best trial is drawn inside the plot area, near its bottom.
        QLineSeries* best = nullptr;
        for (QAbstractSeries* series : plot.chart()->series())
            if (series->name() == "best so far")
                best = qobject_cast<QLineSeries*>(series);
        QVERIFY(best && best->attachedAxes().contains(log));
        const QPointF at = plot.chart()->mapToPosition(QPointF(5, 1.3), best);
        const QRectF area = plot.chart()->plotArea();
        QVERIFY(area.contains(at));
        QVERIFY(at.y() > area.top() + 0.9 * area.height());

        for (Trial& trial : trials)
            *trial.value = -*trial.value / 1e5;  // negative: linear again
        plot.setTrials(trials, Direction::Minimize);
        QVERIFY(!plot.logScale());
        vertical = plot.chart()->axes(Qt::Vertical);
        QCOMPARE(vertical.size(), 1);
        QVERIFY(qobject_cast<QValueAxis*>(vertical.front()));
        QVERIFY(best->attachedAxes().contains(vertical.front()));
    }

    // EHVI's values of a long study fall by decades: they are drawn on a log
    // axis, whose ticks are powers of ten. LogEI's (negative) values and a
    // narrow positive range stay on a linear axis.
    void acquisitionValuesSpanningDecadesTakeALogAxis() {
        auto trialsWith = [](std::vector<double> values) {
            std::vector<Trial> trials;
            for (std::size_t i = 0; i < values.size(); ++i) {
                Trial trial;
                trial.number = static_cast<int>(i) + 7;
                trial.state = TrialState::Complete;
                trial.value = 1.0;
                trial.attrs["acquisition"] = values[i];
                trials.push_back(trial);
            }
            return trials;
        };
        auto leftAxis = [](AcquisitionPlot& plot) -> QAbstractAxis* {
            for (QAbstractAxis* axis : plot.chart()->axes(Qt::Vertical))
                if (axis->alignment() == Qt::AlignLeft)
                    return axis;
            return nullptr;
        };
        AcquisitionPlot plot;
        plot.setTrials(trialsWith({12.0, 3.5, 0.9, 0.01, 0.0007, 0.0005}));
        QCOMPARE(plot.pointCount(), 6);
        QVERIFY(plot.logScale());
        auto* log = qobject_cast<QLogValueAxis*>(leftAxis(plot));
        QVERIFY(log);
        QCOMPARE(log->min(), 1e-4);
        QCOMPARE(log->max(), 100.0);
        QCOMPARE(log->titleText(), QStringLiteral("Acquisition (log scale)"));
        QCOMPARE(plot.chart()->axes(Qt::Vertical).size(), 1);

        plot.setTrials(trialsWith({-0.5, -3.0, -12.0}));  // LogEI
        QVERIFY(!plot.logScale());
        QVERIFY(qobject_cast<QValueAxis*>(leftAxis(plot)));
        QCOMPARE(plot.chart()->axes(Qt::Vertical).size(), 1);
        plot.setTrials(trialsWith({2.0, 1.0, 0.5}));  // positive, two decades short
        QVERIFY(!plot.logScale());
    }

    // A narrow chart (the Live tab's acquisition panel at 1024x700 is about
    // 200 px wide) with acquisition values up to 120 over trials 7 to 79:
    // its trial axis once showed ten ticks, every label elided to "...".
    void narrowChartsKeepEveryTickLabelReadable() {
        std::vector<Trial> trials;
        for (int number = 7; number < 80; ++number) {
            Trial trial;
            trial.number = number;
            trial.state = TrialState::Complete;
            trial.value = number;
            trial.attrs["acquisition"] = 120.0 * 7 / number;
            trials.push_back(trial);
        }
        AcquisitionPlot plot;
        plot.resize(200, 210);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        auto elided = [&plot] { return elidedTickLabels(plot); };
        plot.setTrials(trials);
        QTest::qWait(50);  // the layout that follows the new range
        QVERIFY2(elided().isEmpty(), qPrintable(elided().join(", ")));
        plot.resize(700, 210);  // room again: the fitted step comes back
        QTest::qWait(50);
        QVERIFY2(elided().isEmpty(), qPrintable(elided().join(", ")));
    }

    // With a constraint, the best-so-far line is the study's best feasible
    // value (the header's), and trials that break it are drawn apart.
    void objectivePlotRanksFeasibleTrialsOnly() {
        std::vector<Trial> trials = completeTrials({1.0, 5.0, 3.0, 4.0});
        for (Trial& trial : trials)
            trial.attrs["latency_ms"] = *trial.value == 5.0 ? 10.0 : 2.0;
        const std::vector<ConstraintSpec> constraints{{"latency_ms", std::nullopt, 8.0}};
        ObjectivePlot plot;
        plot.resize(500, 400);
        plot.setTrials(trials, Direction::Maximize);
        QCOMPARE(plot.lastBestValue(), 5.0);
        QCOMPARE(plot.infeasiblePointCount(), 0);
        auto legendShows = [&plot](const QString& name) {
            for (QLegendMarker* marker : plot.chart()->legend()->markers())
                if (marker->label() == name)
                    return marker->isVisible();
            return false;
        };
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        QVERIFY(!legendShows("infeasible"));

        plot.setTrials(trials, Direction::Maximize, Feasibility{{}, constraints});
        QCOMPARE(plot.lastBestValue(), 4.0);
        QCOMPARE(plot.completePointCount(), 3);
        QCOMPARE(plot.infeasiblePointCount(), 1);
        QVERIFY(legendShows("infeasible"));
        QCOMPARE(bestSoFar(trials, Direction::Maximize, Feasibility{{}, constraints}),
                 (std::vector<QPointF>{{0, 1}, {2, 3}, {3, 4}}));
    }

    // A trial axis labels whole numbers, so its ticks stay whole however much
    // room a short study leaves (3 trials on a wide chart once read
    // "-1 0 1 2 2 3": ticks every 0.5, labels rounded).
    void wholeNumberAxesKeepWholeTicksWhenRoomy() {
        std::vector<Trial> trials;
        for (int number = 0; number < 3; ++number) {
            Trial trial;
            trial.number = number;
            trial.state = TrialState::Complete;
            trial.value = 0.7 + 0.01 * number;
            trials.push_back(trial);
        }
        ObjectivePlot plot;
        plot.resize(700, 520);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setTrials(trials, Direction::Maximize);
        QTest::qWait(50);
        const auto horizontal = plot.chart()->axes(Qt::Horizontal);
        QCOMPARE(horizontal.size(), 1);
        auto* axis = qobject_cast<QValueAxis*>(horizontal.front());
        QVERIFY(axis);
        QCOMPARE(axis->tickInterval(), 1.0);
        plot.resize(250, 200);  // narrow: coarser, still whole
        QTest::qWait(50);
        QVERIFY(axis->tickInterval() >= 1.0);
        QCOMPARE(axis->tickInterval(), std::round(axis->tickInterval()));
    }

    void posteriorSlicePlotTakesPlainNumbers() {
        PosteriorSlicePlot plot;
        PosteriorSlice slice;
        slice.parameter = QStringLiteral("x1");
        for (int i = 0; i <= 50; ++i) {
            const double x = -5 + 15.0 * i / 50;
            slice.x.push_back(x);
            slice.median.push_back(x * x / 10);
            slice.lower.push_back(x * x / 10 - 2 * (0.5 + 0.1 * std::abs(x)));
            slice.upper.push_back(x * x / 10 + 2 * (0.5 + 0.1 * std::abs(x)));
            slice.acquisition.push_back(std::exp(-x * x));
        }
        slice.observedX = {-3, 0, 2};
        slice.observedY = {0.9, 0.0, 0.4};
        slice.incumbentX = 0.0;
        plot.setSlice(slice);
        QCOMPARE(plot.meanPointCount(), 51);
        QCOMPARE(plot.observedPointCount(), 3);
        QVERIFY(plot.emptyMessage().isEmpty());
        // Grid lines of the objective's axis only; the acquisition's right-hand
        // axis would stripe the band between them.
        for (QAbstractAxis* axis : plot.chart()->axes(Qt::Vertical))
            QCOMPARE(axis->isGridLineVisible(), axis->alignment() == Qt::AlignLeft);
        plot.clearSlice(QStringLiteral("no model"));
        QCOMPARE(plot.meanPointCount(), 0);
        QCOMPARE(plot.emptyMessage(), QStringLiteral("no model"));
    }

    // What a user sees of the axes as the slice switches between a numeric
    // parameter and a categorical one (a cell edge), starting from the empty
    // message: one parameter axis (numbers, or the category names), and the
    // acquisition axis only beside its curve.
    void posteriorSliceShowsTheAxesOfWhatItDraws() {
        PosteriorSlicePlot plot;
        auto visible = [&plot](Qt::Alignment side) {
            QStringList out;
            for (QAbstractAxis* axis : plot.chart()->axes(Qt::Horizontal | Qt::Vertical))
                if (axis->isVisible() && axis->alignment() == side)
                    out << (axis->type() == QAbstractAxis::AxisTypeCategory
                                ? QStringLiteral("categories")
                                : axis->titleText());
            return out;
        };
        QVERIFY(visible(Qt::AlignBottom).isEmpty());  // "No posterior to show yet"

        const PosteriorSlice edge = edgeSlice({"none", "skip", "1x1", "3x3", "pool"});
        plot.setSlice(edge);
        QCOMPARE(visible(Qt::AlignBottom), QStringList{"categories"});
        QCOMPARE(visible(Qt::AlignLeft), QStringList{"Objective value"});
        QVERIFY(visible(Qt::AlignRight).isEmpty());

        PosteriorSlice numeric = straightSlice("logei");
        plot.setSlice(numeric);
        QCOMPARE(visible(Qt::AlignBottom), QStringList{"x1"});
        QCOMPARE(visible(Qt::AlignRight), QStringList{"logei"});
        numeric.acquisition.clear();  // a model without an acquisition curve
        plot.setSlice(numeric);
        QVERIFY(visible(Qt::AlignRight).isEmpty());

        plot.clearSlice(QStringLiteral("no model"));
        plot.setSlice(edge);  // straight from the message to categories
        QCOMPARE(visible(Qt::AlignBottom), QStringList{"categories"});
        QVERIFY(visible(Qt::AlignRight).isEmpty());
        plot.clearSlice(QStringLiteral("no model"));
        QVERIFY(visible(Qt::AlignBottom).isEmpty());
        QVERIFY(visible(Qt::AlignLeft).isEmpty());
    }

    // Qt Charts elides a category label wider than its share of the plot
    // ("conv3x3" became "c..." on the Live tab at 1024x700): such labels
    // stand upright instead, and lie flat again when there is room.
    void categoryLabelsStandUprightWhenTheyWouldBeElided() {
        QCategoryAxis axis;
        for (int c = 0; c < 5; ++c)
            axis.append(QStringLiteral("conv3x3 %1").arg(c), c + 0.5);
        const qreal widest = QFontMetricsF(axis.labelsFont()).horizontalAdvance("conv3x3 0");
        const qreal fits = 6 * (widest + 8) + 6;  // Qt's share: width / (5 + 1) - 2 x 4 px
        fitCategoryLabels(&axis, fits);
        QCOMPARE(axis.labelsAngle(), 0);
        fitCategoryLabels(&axis, fits - 12);
        QCOMPARE(axis.labelsAngle(), -90);
        fitCategoryLabels(&axis, fits);
        QCOMPARE(axis.labelsAngle(), 0);

        // The GP slice of a cell edge, drawn narrow and then wide.
        PosteriorSlicePlot plot;
        plot.setSlice(edgeSlice({"none", "skip", "conv1x1", "conv3x3", "avgpool"}));
        plot.resize(200, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        QCategoryAxis* categories = categoryAxisOf(plot);
        QVERIFY(categories);
        QTRY_COMPARE(categories->labelsAngle(), -90);
        plot.resize(1200, 400);
        QTRY_COMPARE(categories->labelsAngle(), 0);
    }

    // At 1024x700 the Live tab's posterior panel is about 340 px wide: its
    // five legend entries (a marker and a name each) must share that row
    // without Qt eliding names to "mea..." and "incu...".
    void posteriorLegendFitsTheLiveTabsNarrowPanel() {
        PosteriorSlicePlot plot;
        PosteriorSlice slice = straightSlice("logei");
        slice.observedX = {1, 5};
        slice.observedY = {1, 5};
        slice.incumbentX = 1.0;
        plot.setSlice(slice);
        plot.resize(340, 440);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        // Qt Charts draws each legend name as a text item, elided to fit.
        QStringList names;
        for (QGraphicsItem* item : plot.scene()->items())
            if (auto* text = dynamic_cast<QGraphicsTextItem*>(item); text && text->isVisible())
                names << text->toPlainText();
        int visible = 0;
        for (QLegendMarker* marker : plot.chart()->legend()->markers())
            if (marker->isVisible()) {
                ++visible;
                QVERIFY2(names.contains(marker->label()), qPrintable(names.join(" | ")));
            }
        QCOMPARE(visible, 5);
    }

    void comparePlotOverlaysStudies() {
        ComparePlot plot;
        const auto trials = mixedTrials();
        plot.setCurves({{"a", bestSoFar(trials, Direction::Minimize), {}, {}, {}},
                        {"b", {{0, 3.0}, {5, 1.0}}, {}, {}, {}}});
        QCOMPARE(plot.curveCount(), 2);
        QVERIFY(!plot.logScale());
        plot.setCurves({});
        QCOMPARE(plot.curveCount(), 0);
    }

    // Compare's two charts put positive values over three decades (two
    // Rosenbrock studies) on log axes, every curve on the same one.
    void compareChartsTakeLogAxesForValuesSpanningDecades() {
        ComparePlot best;
        best.setCurves({{"gp", {{0, 2e5}, {10, 300.0}, {40, 2.5}}, {}, {}, {}},
                        {"tpe", {{0, 8e4}, {30, 90.0}}, {}, {}, {}}});
        QVERIFY(best.logScale());
        QList<QAbstractAxis*> vertical = best.chart()->axes(Qt::Vertical);
        QCOMPARE(vertical.size(), 1);
        auto* log = qobject_cast<QLogValueAxis*>(vertical.front());
        QVERIFY(log);
        QCOMPARE(log->min(), 1.0);
        QCOMPARE(log->max(), 1e6);
        for (QAbstractSeries* series : best.chart()->series())
            QVERIFY(series->attachedAxes().contains(log));
        best.setCurves({{"hartmann", {{0, -1.0}, {10, -3.2}}, {}, {}, {}}});
        QVERIFY(!best.logScale());
        QVERIFY(qobject_cast<QValueAxis*>(best.chart()->axes(Qt::Vertical).front()));

        EdfPlot values;
        values.setCurves({{"gp", {{2.5, 0.5}, {3e5, 1.0}}, {2, 0}, true}});
        QVERIFY(values.logScale());
        QList<QAbstractAxis*> horizontal = values.chart()->axes(Qt::Horizontal);
        QCOMPARE(horizontal.size(), 1);
        QVERIFY(qobject_cast<QLogValueAxis*>(horizontal.front()));
        QCOMPARE(values.stepPointCount(0), 4);
        values.setCurves({{"gp", {{2.5, 0.5}, {30.0, 1.0}}, {2, 0}, true}});
        QVERIFY(!values.logScale());

        // Narrow (Compare's half of a 1024x700 window): seven decades along
        // the value axis get a tick every few decades, so no label is elided
        // to "1e...".
        values.resize(260, 480);
        values.show();
        QVERIFY(QTest::qWaitForWindowExposed(&values));
        values.setCurves(
            {{"rosenbrock", {{12.0, 0.25}, {900.0, 0.5}, {2e6, 1.0}}, {0, 1, 2}, true}});
        QTest::qWait(50);  // the layout that follows the new range
        auto* axis = qobject_cast<QLogValueAxis*>(values.chart()->axes(Qt::Horizontal).front());
        QVERIFY(axis);
        QVERIFY(axis->base() > 10);
        QVERIFY2(elidedTickLabels(values).isEmpty(),
                 qPrintable(elidedTickLabels(values).join(", ")));
        values.resize(1400, 480);  // room again: a tick per decade
        QTest::qWait(50);
        QCOMPARE(axis->base(), 10.0);
        QVERIFY2(elidedTickLabels(values).isEmpty(),
                 qPrintable(elidedTickLabels(values).join(", ")));
    }

    void theSliceValueAxisFitsWarpedBandsAndLargeValues() {
        // A warped GP's slice (Rosenbrock): trials from 20 to 2e6, a band
        // whose lower end falls below zero and whose upper end is unbounded.
        // The value axis is a log axis fitted to the trials and the median,
        // and the band is drawn to its edges.
        PosteriorSlicePlot plot;
        plot.resize(330, 480);  // the Live tab's slice panel at 1024x700
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        PosteriorSlice slice;
        slice.parameter = QStringLiteral("x1");
        slice.acquisitionName = QStringLiteral("logei");
        slice.outputWarping = QStringLiteral("log(0.001)");
        for (int i = 0; i <= 40; ++i) {
            const double x = -5 + 15.0 * i / 40, median = 20 + 1e4 * x * x;
            slice.x.push_back(x);
            slice.median.push_back(median);
            slice.lower.push_back(i == 20 ? -300.0 : median / 8);
            slice.upper.push_back(i == 0 ? std::numeric_limits<double>::infinity() : median * 8);
            slice.acquisition.push_back(-std::abs(x));
        }
        slice.observedX = {-4, 0, 9};
        slice.observedY = {2e6, 21.6, 8e5};
        slice.incumbentX = 0.0;
        plot.setSlice(slice);
        auto* log = qobject_cast<QLogValueAxis*>(plot.valueAxis());
        QVERIFY(log);
        QCOMPARE(log->min(), 1.0);  // the band's 20 / 8 = 2.5 below the median's 20
        QCOMPARE(log->max(), 1e8);  // the band's 8 x 1e6 above the trials' 2e6
        QVERIFY(log->titleText().contains("log scale"));
        for (QAbstractSeries* series : plot.chart()->series())
            if (auto* xy = qobject_cast<QXYSeries*>(series))
                for (const QPointF& p : xy->points())
                    QVERIFY2(
                        std::isfinite(p.y()) && (xy->attachedAxes().contains(log)
                                                     ? p.y() >= log->min() && p.y() <= log->max()
                                                     : true),
                        qPrintable(QString::number(p.y())));
        QVERIFY(legendNames(plot).contains("median"));
        QTest::qWait(50);
        QVERIFY2(elidedTickLabels(plot).isEmpty(), qPrintable(elidedTickLabels(plot).join(", ")));

        // Large values within one decade (a parameter count, unwarped) stay
        // on a linear axis, drawn in millions, so "2.5e+06" is not elided
        // to "2.5e..." beside the acquisition axis.
        for (std::size_t i = 0; i < slice.x.size(); ++i) {
            slice.median[i] = 1.5e6 + 5e4 * slice.x[i];
            slice.lower[i] = slice.median[i] - 2e5;
            slice.upper[i] = slice.median[i] + 2e5;
        }
        slice.outputWarping.clear();
        slice.observedY = {1.3e6, 1.5e6, 2e6};
        plot.setSlice(slice);
        auto* linear = qobject_cast<QValueAxis*>(plot.valueAxis());
        QVERIFY(linear);
        QCOMPARE(plot.valueScale(), 1e6);
        QVERIFY2(linear->titleText().contains("×10⁶"), qPrintable(linear->titleText()));
        QVERIFY(linear->max() > 2.0 && linear->max() < 3.0);  // 2e6 + the band, in millions
        QVERIFY(legendNames(plot).contains("mean"));
        QTest::qWait(50);
        QVERIFY2(elidedTickLabels(plot).isEmpty(), qPrintable(elidedTickLabels(plot).join(", ")));
        // Values of ordinary size are drawn as they are.
        for (double& v : slice.median)
            v /= 1e5;
        for (double& v : slice.lower)
            v /= 1e5;
        for (double& v : slice.upper)
            v /= 1e5;
        slice.observedY = {13, 15, 20};
        plot.setSlice(slice);
        QCOMPARE(plot.valueScale(), 1.0);
        QCOMPARE(plot.valueAxis()->titleText(), QStringLiteral("Objective value"));
    }

    void slicePlotsCoverTheSpace() {
        Json space = Json::array(
            {{{"name", "x"}, {"type", "float"}, {"low", 0}, {"high", 2}},
             {{"name", "opt"}, {"type", "categorical"}, {"choices", {"sgd", "adam"}}},
             {{"name", "lr"}, {"type", "float"}, {"low", 1e-4}, {"high", 1}, {"log", true}}});
        SliceGrid grid;
        grid.setSpace(SearchSpace::fromJson(space), {});
        QCOMPARE(grid.plots().size(), std::size_t(3));
        grid.setTrials(mixedTrials(), Direction::Minimize);
        QCOMPARE(grid.plots()[0]->pointCount(), 8);
        QCOMPARE(grid.plots()[1]->pointCount(), 8);
        QCOMPARE(grid.plots()[2]->pointCount(), 0);  // no trial has lr
    }

    // Rosenbrock's values, 21 to 2e6, against a parameter: on a log axis,
    // where on a linear one every good trial sat on zero; back to linear for
    // values within three decades.
    void slicesOfValuesOverDecadesUseALogAxis() {
        const SearchSpace space = SearchSpace::fromJson(
            Json::array({{{"name", "x"}, {"type", "float"}, {"low", -5}, {"high", 10}}}));
        SlicePlot plot(space.params()[0]);
        plot.resize(400, 300);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        std::vector<Trial> trials = completeTrials({21.6, 480, 9.3e4, 2.4e6});
        for (Trial& trial : trials)
            trial.params["x"] = static_cast<double>(trial.number);
        plot.setTrials(trials, Direction::Minimize, {}, 0, QStringLiteral("loss"));
        QVERIFY(plot.logScale());
        auto* axis = qobject_cast<QLogValueAxis*>(plot.chart()->axes(Qt::Vertical).front());
        QVERIFY(axis);
        QVERIFY(axis->min() <= 21.6 && axis->max() >= 2.4e6);
        QCOMPARE(axis->titleText(), QStringLiteral("loss (log scale)"));
        QCOMPARE(plot.pointCount(), 4);
        trials = completeTrials({0.2, 0.5, 0.9});
        for (Trial& trial : trials)
            trial.params["x"] = static_cast<double>(trial.number);
        plot.setTrials(trials, Direction::Minimize);
        QVERIFY(!plot.logScale());
        QCOMPARE(plot.pointCount(), 3);
    }

    // The arrows' band and place in closed form: a band of 20 % of the
    // widened axis below 80..85 starts at 78.75; the arrows sit 3 % of the
    // axis in from its worse end, a ratio on a log axis.
    void theArrowsBandAndPlaceInClosedForm() {
        double low = 80, high = 85;
        widenForArrows(low, high, true, 0.2);
        QCOMPARE(low, 78.75);
        QCOMPARE(high, 85.0);
        QCOMPARE((80 - low) / (high - low), 0.2);
        low = 0.1, high = 0.5;
        widenForArrows(low, high, false, 0.2);  // minimized: the band goes on top
        QCOMPARE(low, 0.1);
        QCOMPARE(high, 0.6);
        QCOMPARE(arrowEdge(0, 100, false, true), 3.0);
        QCOMPARE(arrowEdge(0, 100, false, false), 97.0);
        QCOMPARE(arrowEdge(1, 1e4, true, true), std::pow(10.0, 0.12));
        QCOMPARE(arrowEdge(1, 1e4, true, false), 1e4 / std::pow(10.0, 0.12));
    }

    // The slices of a NAS study have the objective chart's problem: two cells
    // that learn nothing (9.6 and 10.7 among 81-85) squashed every slice.
    // They are arrows under a note there too, still opening their trial; a
    // slice too narrow for the note shows its short form.
    void slicesDrawFarOffTrialsAsArrowsToo() {
        const SearchSpace space = SearchSpace::fromJson(
            Json::array({{{"name", "lr"}, {"type", "float"}, {"low", 0}, {"high", 20}}}));
        std::vector<Trial> trials =
            completeTrials({82.85, 84.6, 81.3, 82.75, 83.4, 84.85, 10.7, 82.1,  83.2,  81.95,
                            84.7,  84.0, 84.1, 85.2,  9.6,  84.35, 84.3, 82.15, 81.05, 81.6});
        for (Trial& trial : trials)
            trial.params["lr"] = static_cast<double>(trial.number);
        SlicePlot plot(space.params()[0]);
        plot.resize(500, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setTrials(trials, Direction::Maximize);
        QApplication::processEvents();  // lays the chart out
        QCOMPARE(plot.pointCount(), 18);
        QCOMPARE(plot.offScalePointCount(), 2);
        QCOMPARE(plot.offScaleNote(), QStringLiteral("▼ 2 far below (9.6–10.7)"));
        auto* axis = qobject_cast<QValueAxis*>(plot.chart()->axes(Qt::Vertical).front());
        QVERIFY(axis);
        QVERIFY2(axis->min() > 70, qPrintable(QString::number(axis->min())));
        // The arrow of trial 6 sits at x = 6, at the axis's bottom edge.
        QLineSeries* anchor = qobject_cast<QLineSeries*>(plot.chart()->series().front());
        QVERIFY(anchor);
        const double edge = axis->min() + 0.03 * (axis->max() - axis->min());
        const QPoint at = plot.mapFromScene(
            plot.chart()->mapToScene(plot.chart()->mapToPosition(QPointF(6, edge), anchor)));
        QSignalSpy clicked(&plot, &ChartView::trialClicked);
        QTest::mouseClick(plot.viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.front().front().toInt(), 6);
        // The band beyond the lowest trial kept (81.05) holds the arrows and
        // the note; in a small slice it takes a larger share, so the note
        // stays clear of the trials there too.
        auto noteClearOfTrials = [&] {
            const QRectF area = plot.chart()->plotArea();
            const double lowest = plot.chart()->mapToPosition(QPointF(0, 81.05), anchor).y();
            const double note = 0.03 * area.height() + 7 + plot.fontMetrics().height();
            return lowest < area.bottom() - note;
        };
        QTRY_VERIFY(noteClearOfTrials());
        // A slice of a cell edge at 1024x700 is about 200 px wide.
        plot.resize(200, 220);
        QTRY_COMPARE(plot.offScaleNote(), QStringLiteral("▼ 2 (9.6–10.7)"));
        QTRY_VERIFY(noteClearOfTrials());
        // Minimized, the same values are the best ones: nothing is off scale.
        plot.setTrials(trials, Direction::Minimize);
        QCOMPARE(plot.offScalePointCount(), 0);
        QCOMPARE(plot.offScaleNote(), QString());
    }

    void chartsExportAsPngAndSvg() {
        QTemporaryDir dir;
        ObjectivePlot plot;
        plot.resize(640, 420);
        plot.setTrials(mixedTrials(), Direction::Minimize);
        const QString png = dir.filePath("objective.png");
        const QString svg = dir.filePath("objective.svg");
        QCOMPARE(saveWidgetImage(&plot, png), QString());
        QCOMPARE(saveWidgetImage(&plot, svg), QString());
        QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(640, 420) * 2);  // exported at twice the size
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("<svg"));
        QVERIFY(text.size() > 2000);
        QVERIFY(saveWidgetImage(&plot, dir.filePath("objective.bmp")).contains(".png or .svg"));
        QVERIFY(!saveWidgetImage(&plot, "/no/such/folder/x.png").isEmpty());
    }

    // The name a save dialog suggests says whose chart and which, as a file
    // name without spaces; the study's name keeps its case and letters.
    void exportedImagesAreNamedAfterTheStudyAndTheChart() {
        QCOMPARE(
            imageFileName(QStringLiteral("hw-nas-pixel3"), {QStringLiteral("Objective per trial")}),
            QStringLiteral("hw-nas-pixel3-objective-per-trial.png"));
        QCOMPARE(imageFileName(QStringLiteral("ResNet étude"),
                               {QStringLiteral("Analysis"), QStringLiteral("Pareto")}),
                 QStringLiteral("ResNet-étude-analysis-pareto.png"));
        QCOMPARE(imageFileName(QString(), {QStringLiteral("GP posterior: x1 (log)")}),
                 QStringLiteral("gp-posterior-x1-log.png"));
        QCOMPARE(imageFileName(QStringLiteral("a/b"), {QStringLiteral("lr=0.1")}),
                 QStringLiteral("a-b-lr-0.1.png"));
        QCOMPARE(imageFileName(QString(), {}), QStringLiteral("chart.png"));
    }
};

QTEST_MAIN(TestPlots)
#include "tst_plots.moc"

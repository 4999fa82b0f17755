#include "plots/compare_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QPen>

#include "analysis/trial_series.h"
#include "plots/off_scale.h"
#include "plots/plot_style.h"

namespace bonsai::ui {

namespace {

// "Validation accuracy (%)" after "Best" reads "Best validation accuracy
// (%)"; an acronym ("FLOPs", "MSE") keeps its capitals.
QString midSentence(QString name) {
    if (name.size() > 1 && name[0].isUpper() && name[1].isLower())
        name[0] = name[0].toLower();
    return name;
}

}  // namespace

std::optional<Direction> sharedDirection(std::span<const CompareCurve> curves) {
    if (curves.empty() || !std::all_of(curves.begin(), curves.end(), [&](const CompareCurve& c) {
            return c.direction == curves.front().direction;
        }))
        return std::nullopt;
    return curves.front().direction;
}

ComparePlot::ComparePlot(QWidget* parent) : ChartView(tr("Best so far: compare studies"), parent) {
    setZoomable(true);
    m_x = makeAxis(tr("Trial"), Qt::AlignBottom);
    m_y = makeAxis(tr("Best value"), Qt::AlignLeft);
    fitAxis(m_x, 0, 10, true);
    fitAxis(m_y, 0, 1);
    m_yLog = makeLogAxis(tr("Best value (log scale)"));
    setLegendShown(true);
    chart()->legend()->setAlignment(Qt::AlignTop);
    setEmptyMessage(tr("Select studies in the browser to compare them (Ctrl+click)"));
}

void ComparePlot::setValueName(const QString& name) {
    titleAxisPair(m_y, m_yLog,
                  name.isEmpty() ? tr("Best value") : tr("Best %1").arg(midSentence(name)));
}

void ComparePlot::setHypervolumes(bool hypervolumes) {
    m_hypervolumes = hypervolumes;
    setChartTitle(hypervolumes ? tr("Hypervolume so far: compare studies")
                               : tr("Best so far: compare studies"));
    if (hypervolumes)
        titleAxisPair(m_y, m_yLog, tr("Hypervolume"));
}

void ComparePlot::setTimeAxis(const QString& unit) {
    m_byTime = true;
    m_x->setTitleText(tr("Time (%1)").arg(unit));
}

void ComparePlot::setTrialAxis() {
    m_byTime = false;
    m_x->setTitleText(tr("Trial"));
}

void ComparePlot::setCurves(const std::vector<CompareCurve>& curves) {
    for (QLineSeries* series : m_series) {
        chart()->removeSeries(series);
        delete series;
    }
    m_series.clear();
    // The best values so far, pooled: the first trials' (a NAS cell that
    // learns nothing, Branin's 120 before its 0.4) can lie so far from where
    // the curves end that the axis holding them flattens what tells the
    // studies apart. Those stay off the axis (offScaleLimit's rule).
    FarOffValues far;
    const std::optional<Direction> direction =
        m_hypervolumes ? std::optional(Direction::Maximize) : sharedDirection(curves);
    if (direction) {
        std::vector<double> best;
        for (const CompareCurve& curve : curves)
            for (const QPointF& point : curve.best)
                best.push_back(point.y());
        far = farOffValues(best, *direction);
    }
    double xHigh = m_byTime ? 0 : 1, yLow = std::numeric_limits<double>::infinity(), yHigh = -yLow;
    for (const CompareCurve& curve : curves)
        for (const QPointF& point : curve.best) {
            xHigh = std::max(xHigh, point.x());
            if (!far.off(point.y())) {
                yLow = std::min(yLow, point.y());
                yHigh = std::max(yHigh, point.y());
            }
        }
    QAbstractAxis* values = fitValueAxis(m_y, m_yLog, Qt::AlignLeft, {}, yLow, yHigh);
    setChartTitle(chartTitle(),
                  far.count == 0
                      ? QString()
                      : offScaleWords(far.count, 0, far.low, far.high, far.maximize).full);
    for (std::size_t i = 0; i < curves.size(); ++i) {
        auto* series = new QLineSeries;
        series->setName(curves[i].name);
        series->setPen(QPen(plotColors::series(static_cast<int>(i)), 2.0));
        QList<QPointF> points;
        const auto& best = curves[i].best;
        for (std::size_t k = 0; k < best.size(); ++k) {
            if (k > 0 && best[k].y() != best[k - 1].y())
                points.append({best[k].x(), best[k - 1].y()});
            points.append(best[k]);
        }
        series->replace(points);
        chart()->addSeries(series);
        series->attachAxis(m_x);
        series->attachAxis(values);
        m_series.push_back(series);
    }
    fitAxis(m_x, 0, xHigh, !m_byTime);
    setEmptyMessage(curves.empty()
                        ? tr("Select studies in the browser to compare them (Ctrl+click)")
                        : QString());
}

}  // namespace bonsai::ui

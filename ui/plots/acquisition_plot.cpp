#include "plots/acquisition_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QPen>

#include "analysis/trial_series.h"
#include "plots/plot_style.h"

namespace bonsai::ui {

AcquisitionPlot::AcquisitionPlot(QWidget* parent)
    : ChartView(tr("Acquisition value per suggestion"), parent) {
    setZoomable(true);
    m_points = makePointSeries(dotMarker(plotColors::series(4), 6));
    chart()->addSeries(m_points);
    m_x = makeAxis(tr("Trial"), Qt::AlignBottom);
    m_y = makeAxis(tr("Acquisition"), Qt::AlignLeft);
    for (QAbstractSeries* series : chart()->series()) {
        series->attachAxis(m_x);
        series->attachAxis(m_y);
    }
    fitAxis(m_x, 0, 10, true);
    fitAxis(m_y, 0, 1);
    m_yLog = makeLogAxis(tr("%1 (log scale)").arg(m_y->titleText()));
    connect(m_points, &QLineSeries::hovered, this, [this](const QPointF& point, bool state) {
        showTrialTooltip(static_cast<int>(std::lround(point.x())), state);
    });
    connect(m_points, &QLineSeries::clicked, this, [this](const QPointF& point) {
        emit trialClicked(static_cast<int>(std::lround(point.x())));
    });
    m_emptyReason = tr("No acquisition values: model-based strategies (gp) store them");
    setEmptyMessage(m_emptyReason);
}

void AcquisitionPlot::setScore(const std::string& key, const QString& title,
                               const QString& axisTitle) {
    m_key = key;
    setChartTitle(title);
    titleAxisPair(m_y, m_yLog, axisTitle);
}

void AcquisitionPlot::setEmptyReason(const QString& reason) {
    m_emptyReason = reason;
    if (m_points->count() == 0)
        setEmptyMessage(reason);
}

void AcquisitionPlot::setTrials(std::span<const Trial> trials) {
    std::vector<QPointF> points = acquisitionPoints(trials, m_key);
    double low = std::numeric_limits<double>::infinity(), high = -low;
    for (const QPointF& p : points) {
        low = std::min(low, p.y());
        high = std::max(high, p.y());
    }
    // The x axis grows with every live trial: fit it while the series is
    // empty, so the points are laid out once per redraw.
    m_points->clear();
    if (!points.empty()) {
        fitAxis(m_x, points.front().x(), points.back().x(), true);
        // EHVI's values fall by decades over a study (the first suggestions
        // add much of the front, later ones refine it): on a log axis. LogEI
        // and TPE's scores are logarithms already, often negative: linear.
        fitValueAxis(m_y, m_yLog, Qt::AlignLeft, {m_points}, low, high);
    }
    m_points->replace(QList<QPointF>(points.begin(), points.end()));
    setEmptyMessage(points.empty() ? m_emptyReason : QString());
    // The gp's last trials see a shrunk variance (exploit_last), so their
    // values fall: say from where, or the fall reads as a fault.
    const auto exploiting = std::find_if(trials.begin(), trials.end(), [](const Trial& trial) {
        return trial.attrs.value("acquisition_variance_scale", 1.0) < 1.0;
    });
    setChartTitle(chartTitle(), exploiting == trials.end()
                                    ? QString()
                                    : tr("exploiting from trial %1").arg(exploiting->number));
}

}  // namespace bonsai::ui

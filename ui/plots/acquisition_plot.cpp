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
    m_line = new QLineSeries;
    m_line->setPen(QPen(plotColors::series(4), 1.2));
    m_points = new QScatterSeries;
    m_points->setMarkerSize(6);
    m_points->setColor(plotColors::series(4));
    m_points->setBorderColor(plotColors::series(4).darker(130));
    chart()->addSeries(m_line);
    chart()->addSeries(m_points);
    m_x = makeAxis(tr("Trial"), Qt::AlignBottom);
    m_y = makeAxis(tr("Acquisition"), Qt::AlignLeft);
    for (QAbstractSeries* series : chart()->series()) {
        series->attachAxis(m_x);
        series->attachAxis(m_y);
    }
    fitAxis(m_x, 0, 10, true);
    fitAxis(m_y, 0, 1);
    connect(m_points, &QScatterSeries::hovered, this, [this](const QPointF& point, bool state) {
        showTrialTooltip(static_cast<int>(std::lround(point.x())), state);
    });
    connect(m_points, &QScatterSeries::clicked, this, [this](const QPointF& point) {
        emit trialClicked(static_cast<int>(std::lround(point.x())));
    });
    setEmptyMessage(tr("No acquisition values: model-based strategies (gp) store them"));
}

void AcquisitionPlot::setTrials(std::span<const Trial> trials) {
    std::vector<QPointF> points = acquisitionPoints(trials);
    QList<QPointF> list(points.begin(), points.end());
    m_line->replace(list);
    m_points->replace(list);
    double low = std::numeric_limits<double>::infinity(), high = -low;
    for (const QPointF& p : points) {
        low = std::min(low, p.y());
        high = std::max(high, p.y());
    }
    if (!points.empty()) {
        fitAxis(m_x, points.front().x(), points.back().x(), true);
        fitAxis(m_y, low, high);
    }
    setEmptyMessage(points.empty()
                        ? tr("No acquisition values: model-based strategies (gp) store them")
                        : QString());
}

}  // namespace bonsai::ui

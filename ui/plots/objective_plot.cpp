#include "plots/objective_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QLegendMarker>
#include <QPen>

#include "analysis/trial_series.h"
#include "plots/plot_style.h"

namespace bonsai::ui {

ObjectivePlot::ObjectivePlot(QWidget* parent) : ChartView(tr("Objective per trial"), parent) {
    m_complete = makePointSeries(dotMarker(plotColors::complete()));
    m_complete->setName(tr("complete"));
    m_pruned = makePointSeries(crossMarker(plotColors::pruned()));
    m_pruned->setName(tr("pruned"));

    m_best = new QLineSeries;
    m_best->setName(tr("best so far"));
    m_best->setPen(QPen(plotColors::best(), 2.2));

    m_selected = makePointSeries(ringMarker(plotColors::selected()));
    m_selected->setName(tr("selected"));

    for (QXYSeries* series :
         std::initializer_list<QXYSeries*>{m_best, m_complete, m_pruned, m_selected})
        chart()->addSeries(series);
    m_x = makeAxis(tr("Trial"), Qt::AlignBottom);
    m_y = makeAxis(tr("Objective value"), Qt::AlignLeft);
    for (QAbstractSeries* series : chart()->series()) {
        series->attachAxis(m_x);
        series->attachAxis(m_y);
    }
    setLegendShown(true);
    chart()->legend()->setAlignment(Qt::AlignTop);
    chart()->legend()->markers(m_selected).front()->setVisible(false);
    setLegendColor(chart(), m_complete, plotColors::complete());
    setLegendColor(chart(), m_pruned, plotColors::pruned());
    fitAxis(m_x, 0, 10, true);
    fitAxis(m_y, 0, 1);
    setEmptyMessage(tr("No complete trial yet"));

    for (QLineSeries* series : {m_complete, m_pruned}) {
        connect(series, &QLineSeries::hovered, this, [this](const QPointF& point, bool state) {
            showTrialTooltip(static_cast<int>(std::lround(point.x())), state);
        });
        connect(series, &QLineSeries::clicked, this, [this](const QPointF& point) {
            emit trialClicked(static_cast<int>(std::lround(point.x())));
        });
    }
}

void ObjectivePlot::setTrials(std::span<const Trial> trials, Direction direction) {
    m_points = objectivePoints(trials);
    m_prunedPoints = prunedPoints(trials);
    const double lastTrial = trials.empty() ? 0.0 : trials.back().number;
    double low = std::numeric_limits<double>::infinity(), high = -low;
    for (const auto* points : {&m_points, &m_prunedPoints})
        for (const QPointF& p : *points) {
            low = std::min(low, p.y());
            high = std::max(high, p.y());
        }
    // Axes first: every range change re-lays out each series, so do it while
    // they are still small.
    fitAxis(m_x, trials.empty() ? 0 : trials.front().number, std::max(lastTrial, 1.0), true);
    fitAxis(m_y, low, high);
    m_complete->replace(QList<QPointF>(m_points.begin(), m_points.end()));
    m_pruned->replace(QList<QPointF>(m_prunedPoints.begin(), m_prunedPoints.end()));
    m_best->replace(staircase(bestSoFar(trials, direction), lastTrial));
    setEmptyMessage(m_points.empty() && m_prunedPoints.empty() ? tr("No complete trial yet")
                                                               : QString());
    // Pruned trials only get a legend entry when there are some.
    chart()->legend()->markers(m_pruned).front()->setVisible(!m_prunedPoints.empty());
    updateSelection();
}

void ObjectivePlot::setSelectedTrial(int number) {
    m_selectedTrial = number;
    updateSelection();
}

void ObjectivePlot::updateSelection() {
    for (const auto* points : {&m_points, &m_prunedPoints}) {
        auto it = std::find_if(points->begin(), points->end(), [this](const QPointF& p) {
            return static_cast<int>(std::lround(p.x())) == m_selectedTrial;
        });
        if (it != points->end()) {
            m_selected->replace(QList<QPointF>{*it});
            return;
        }
    }
    m_selected->clear();
}

}  // namespace bonsai::ui

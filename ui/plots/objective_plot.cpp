#include "plots/objective_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QLegend>
#include <QLegendMarker>
#include <QPen>

#include "analysis/trial_series.h"
#include "plots/plot_style.h"

namespace bonsai::ui {

ObjectivePlot::ObjectivePlot(QWidget* parent) : ChartView(tr("Objective per trial"), parent) {
    const QImage dot = dotMarker(plotColors::complete());
    const QImage cross = crossMarker(plotColors::pruned());
    m_complete = makePointSeries(dot);
    m_complete->setName(tr("complete"));
    m_pruned = makePointSeries(cross);
    m_pruned->setName(tr("pruned"));
    const QImage ring = ringMarker(plotColors::complete(), 9);
    m_infeasible = makePointSeries(ring);
    m_infeasible->setName(tr("infeasible"));

    m_best = new QLineSeries;
    m_best->setName(tr("best so far"));
    m_best->setPen(QPen(plotColors::best(), 2.2));

    for (QXYSeries* series :
         std::initializer_list<QXYSeries*>{m_best, m_complete, m_infeasible, m_pruned})
        chart()->addSeries(series);
    m_x = makeAxis(tr("Trial"), Qt::AlignBottom);
    m_y = makeAxis(tr("Objective value"), Qt::AlignLeft);
    for (QAbstractSeries* series : chart()->series()) {
        series->attachAxis(m_x);
        series->attachAxis(m_y);
    }
    m_completeDots = new PointLayer(chart(), m_complete, dot);
    m_prunedDots = new PointLayer(chart(), m_pruned, cross);
    m_infeasibleDots = new PointLayer(chart(), m_infeasible, ring);
    m_selected = new PointLayer(chart(), m_complete, ringMarker(plotColors::selected()));
    for (PointLayer* layer : {m_completeDots, m_infeasibleDots, m_prunedDots, m_selected})
        layer->followAxes();
    setLegendShown(true);
    chart()->legend()->setAlignment(Qt::AlignTop);
    setLegendColor(chart(), m_complete, plotColors::complete());
    setLegendColor(chart(), m_pruned, plotColors::pruned());
    setLegendColor(chart(), m_infeasible, plotColors::complete(), true);
    fitAxis(m_x, 0, 10, true);
    fitAxis(m_y, 0, 1);
    m_yLog = makeLogAxis(tr("Objective value (log scale)"));
    setEmptyMessage(tr("No complete trial yet"));

    for (PointLayer* layer : {m_completeDots, m_infeasibleDots, m_prunedDots}) {
        auto numberAt = [layer](int index) {
            return static_cast<int>(
                std::lround(layer->points()[static_cast<std::size_t>(index)].x()));
        };
        connect(layer, &PointLayer::hovered, this, [this, numberAt](int index, bool state) {
            showTrialTooltip(numberAt(index), state);
        });
        connect(layer, &PointLayer::clicked, this,
                [this, numberAt](int index) { emit trialClicked(numberAt(index)); });
    }
}

void ObjectivePlot::setValueName(const QString& name) {
    titleAxisPair(m_y, m_yLog, name.isEmpty() ? tr("Objective value") : name);
    // Also in the title, where it fits: a compact chart hides axis titles.
    setChartTitle(chartTitle(), name);
}

void ObjectivePlot::setTrials(std::span<const Trial> trials, Direction direction,
                              const Feasibility& feasible) {
    std::vector<QPointF> points = objectivePoints(trials, feasible);
    std::vector<QPointF> infeasible = objectivePoints(trials, feasible, true);
    std::vector<QPointF> pruned = prunedPoints(trials);
    const double lastTrial = trials.empty() ? 0.0 : trials.back().number;
    double low = std::numeric_limits<double>::infinity(), high = -low;
    for (const auto* list : {&points, &infeasible, &pruned})
        for (const QPointF& p : *list) {
            low = std::min(low, p.y());
            high = std::max(high, p.y());
        }
    // The best-so-far line is re-laid out on every range change: fit the
    // axes while it is empty (the points are layers and only repaint).
    m_best->clear();
    fitAxis(m_x, trials.empty() ? 0 : trials.front().number, std::max(lastTrial, 1.0), true);
    // Losses over many orders of magnitude (Rosenbrock's from 1e5 down to 1)
    // go on a log axis: on a linear one the best-so-far line and every good
    // trial sit on zero.
    fitValueAxis(m_y, m_yLog, Qt::AlignLeft, {m_best, m_complete, m_infeasible, m_pruned}, low,
                 high);
    m_best->replace(staircase(bestSoFar(trials, direction, feasible), lastTrial));
    const bool empty = points.empty() && infeasible.empty() && pruned.empty();
    showLegendEntry(m_pruned, !pruned.empty());
    showLegendEntry(m_infeasible, !infeasible.empty());
    m_completeDots->setPoints(std::move(points));
    m_infeasibleDots->setPoints(std::move(infeasible));
    m_prunedDots->setPoints(std::move(pruned));
    setEmptyMessage(empty ? tr("No complete trial yet") : QString());
    updateSelection();
}

void ObjectivePlot::setSelectedTrial(int number) {
    m_selectedTrial = number;
    updateSelection();
}

double ObjectivePlot::lastBestValue() const {
    return m_best->count() > 0 ? m_best->at(m_best->count() - 1).y()
                               : std::numeric_limits<double>::quiet_NaN();
}

void ObjectivePlot::updateSelection() {
    for (const PointLayer* layer : {m_completeDots, m_infeasibleDots, m_prunedDots}) {
        const auto& points = layer->points();
        auto it = std::find_if(points.begin(), points.end(), [this](const QPointF& p) {
            return static_cast<int>(std::lround(p.x())) == m_selectedTrial;
        });
        if (it != points.end()) {
            m_selected->setPoints({*it});
            return;
        }
    }
    m_selected->clear();
}

}  // namespace bonsai::ui

#include "plots/objective_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QLegend>
#include <QLegendMarker>
#include <QPen>

#include "analysis/trial_series.h"
#include "plots/off_scale.h"
#include "plots/plot_style.h"

namespace bonsai::ui {

namespace {

// Trials far off on the worse side (offScaleLimit), moved out of the lists
// they would be drawn in: final values to `finals`, pruned trials' last
// reports (partial results, often far below) to `pruned`.
struct OffScale {
    std::vector<QPointF> finals, pruned;
    bool empty() const { return finals.empty() && pruned.empty(); }
};

OffScale takeOffScale(std::vector<QPointF>& complete, std::vector<QPointF>& infeasible,
                      std::vector<QPointF>& pruned, Direction direction) {
    std::vector<double> finals, partial;
    for (const auto* list : {&complete, &infeasible})
        for (const QPointF& p : *list)
            finals.push_back(p.y());
    for (const QPointF& p : pruned)
        partial.push_back(p.y());
    OffScale out;
    const std::optional<double> limit = offScaleLimit(finals, direction, partial);
    if (!limit)
        return out;
    const bool maximize = direction == Direction::Maximize;
    for (auto* list : {&complete, &infeasible, &pruned}) {
        auto off = std::stable_partition(list->begin(), list->end(), [&](const QPointF& p) {
            return maximize ? p.y() >= *limit : p.y() <= *limit;
        });
        auto& to = list == &pruned ? out.pruned : out.finals;
        to.insert(to.end(), off, list->end());
        list->erase(off, list->end());
    }
    return out;
}

}  // namespace

ObjectivePlot::ObjectivePlot(QWidget* parent) : ChartView(tr("Objective per trial"), parent) {
    setZoomable(true);
    const QImage dot = dotMarker(plotColors::complete());
    const QImage cross = crossMarker(plotColors::pruned());
    m_complete = makePointSeries(dot);
    m_complete->setName(tr("complete"));
    m_pruned = makePointSeries(cross);
    m_pruned->setName(tr("pruned"));
    const QImage ring = ringMarker(plotColors::complete(), 9);
    m_infeasible = makePointSeries(ring);
    m_infeasible->setName(tr("infeasible"));
    const QImage arrow = arrowMarker(plotColors::complete(), true);
    m_offScale = makePointSeries(arrow);
    m_offScale->setName(tr("off scale"));

    m_best = new QLineSeries;
    m_best->setName(tr("best so far"));
    m_best->setPen(QPen(plotColors::best(), 2.2));

    for (QXYSeries* series :
         std::initializer_list<QXYSeries*>{m_best, m_complete, m_infeasible, m_pruned, m_offScale})
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
    m_offScaleDots = new PointLayer(chart(), m_offScale, arrow);
    m_offScalePrunedDots =
        new PointLayer(chart(), m_offScale, arrowMarker(plotColors::pruned(), true));
    m_selected = new PointLayer(chart(), m_complete, ringMarker(plotColors::selected()));
    for (PointLayer* layer : {m_completeDots, m_infeasibleDots, m_prunedDots, m_offScaleDots,
                              m_offScalePrunedDots, m_selected})
        layer->followAxes();
    setLegendShown(true);
    chart()->legend()->setAlignment(Qt::AlignTop);
    setLegendColor(chart(), m_complete, plotColors::complete());
    setLegendColor(chart(), m_pruned, plotColors::pruned());
    setLegendColor(chart(), m_infeasible, plotColors::complete(), true);
    // The arrows are explained by a note beside them, not the legend, which
    // a compact chart (the Live tab's at 1024x700) hides.
    showLegendEntry(m_offScale, false);
    m_offScaleNote = new OffScaleNote(chart());
    m_offScaleNote->followZoom(this);
    m_offScaleNote->setRefit([this] { fitValues(); });
    fitAxis(m_x, 0, 10, true);
    fitAxis(m_y, 0, 1);
    m_yLog = makeLogAxis(tr("Objective value (log scale)"));
    setEmptyMessage(tr("No complete trial yet"));

    for (PointLayer* layer :
         {m_completeDots, m_infeasibleDots, m_prunedDots, m_offScaleDots, m_offScalePrunedDots}) {
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
    m_maximize = direction == Direction::Maximize;
    // Trials far off on the worse side leave the lists for the arrows.
    OffScale offScale = takeOffScale(points, infeasible, pruned, direction);
    m_keptLow = std::numeric_limits<double>::infinity();
    m_keptHigh = -m_keptLow;
    for (const auto* list : {&points, &infeasible, &pruned})
        for (const QPointF& p : *list) {
            m_keptLow = std::min(m_keptLow, p.y());
            m_keptHigh = std::max(m_keptHigh, p.y());
        }
    m_bestLine = staircase(bestSoFar(trials, direction, feasible), lastTrial);
    m_best->clear();  // see fitValues
    fitAxis(m_x, trials.empty() ? 0 : trials.front().number, std::max(lastTrial, 1.0), true);
    const bool empty = points.empty() && infeasible.empty() && pruned.empty() && offScale.empty();
    showLegendEntry(m_pruned, !pruned.empty());
    showLegendEntry(m_infeasible, !infeasible.empty());
    m_offScaleDots->setMarker(arrowMarker(plotColors::complete(), m_maximize));
    m_offScalePrunedDots->setMarker(arrowMarker(plotColors::pruned(), m_maximize));
    m_completeDots->setPoints(std::move(points));
    m_infeasibleDots->setPoints(std::move(infeasible));
    m_prunedDots->setPoints(std::move(pruned));
    m_offScaleDots->setPoints(offScale.finals);
    m_offScalePrunedDots->setPoints(offScale.pruned);
    fitValues();
    m_offScaleNote->show(offScale.finals, offScale.pruned, m_maximize);
    setEmptyMessage(empty ? tr("No complete trial yet") : QString());
    updateSelection();
}

void ObjectivePlot::fitValues() {
    // The best-so-far line is re-laid out on every range change: fit the
    // axis while it is empty (the points are layers and only repaint).
    m_best->clear();
    double low = m_keptLow, high = m_keptHigh;
    // Room beyond the worst value kept for the arrows and, above them, their
    // note, apart from the trials drawn at their values.
    const bool arrows = m_offScaleDots->count() + m_offScalePrunedDots->count() > 0;
    if (arrows && !spansDecades(low, high))
        widenForArrows(low, high, m_maximize, m_offScaleNote->bandFraction());
    // Losses over many orders of magnitude (Rosenbrock's from 1e5 down to 1)
    // go on a log axis: on a linear one the best-so-far line and every good
    // trial sit on zero.
    putArrowsAtEdge(
        fitValueAxis(m_y, m_yLog, Qt::AlignLeft,
                     {m_best, m_complete, m_infeasible, m_pruned, m_offScale}, low, high),
        m_maximize, {m_offScaleDots, m_offScalePrunedDots});
    m_best->replace(m_bestLine);
}

QString ObjectivePlot::offScaleNote() const {
    return m_offScaleNote->text();
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
    for (const PointLayer* layer :
         {m_completeDots, m_infeasibleDots, m_prunedDots, m_offScaleDots, m_offScalePrunedDots}) {
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

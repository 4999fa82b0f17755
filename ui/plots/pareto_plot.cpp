#include "plots/pareto_plot.h"

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

// The share of an axis its band of far-off arrows takes.
constexpr double kFarOffBand = 0.06;

QColor dimmed() {
    QColor dim = plotColors::complete();
    dim.setAlpha(70);
    return dim;
}

}  // namespace

ParetoPlot::ParetoPlot(QWidget* parent) : ChartView(tr("Pareto front"), parent) {
    setZoomable(true);
    m_line = new QLineSeries;
    m_line->setName(tr("front"));
    m_line->setPen(QPen(plotColors::best(), 1.6));
    const QColor dim = dimmed();
    const QImage dominated = dotMarker(dim, 6);
    const QImage infeasible = crossMarker(QColor(0x80, 0x80, 0x80), 9);
    const QImage front = dotMarker(plotColors::best(), 9);
    m_dominated = makePointSeries(dominated);
    m_dominated->setName(tr("dominated"));
    m_infeasible = makePointSeries(infeasible);
    m_infeasible->setName(tr("infeasible"));
    m_front = makePointSeries(front);
    m_front->setName(tr("Pareto set"));
    for (QLineSeries* series : {m_line, m_dominated, m_infeasible, m_front})
        chart()->addSeries(series);
    m_x = makeAxis(tr("Objective 1"), Qt::AlignBottom);
    m_y = makeAxis(tr("Objective 2"), Qt::AlignLeft);
    for (QLineSeries* series : {m_line, m_dominated, m_infeasible, m_front}) {
        series->attachAxis(m_x);
        series->attachAxis(m_y);
    }
    // Stacked in this order: the Pareto set over the rest, the ring on top.
    m_dominatedDots = new PointLayer(chart(), m_dominated, dominated);
    m_infeasibleDots = new PointLayer(chart(), m_infeasible, infeasible);
    m_frontDots = new PointLayer(chart(), m_front, front);
    makeFarOffArrows(m_farX, Qt::Horizontal);
    makeFarOffArrows(m_farY, Qt::Vertical);
    m_selected = new PointLayer(chart(), m_front, ringMarker(plotColors::selected()));
    for (PointLayer* layer : {m_dominatedDots, m_infeasibleDots, m_frontDots, m_selected})
        layer->followAxes();
    setLegendShown(true);
    chart()->legend()->setAlignment(Qt::AlignTop);
    setLegendColor(chart(), m_dominated, dim);
    setLegendColor(chart(), m_infeasible, QColor(0x80, 0x80, 0x80));
    setLegendColor(chart(), m_front, plotColors::best());
    // The line needs no entry of its own (it joins the Pareto set's points).
    for (QLegendMarker* marker : chart()->legend()->markers(m_line))
        marker->setVisible(false);
    fitAxis(m_x, 0, 1);
    fitAxis(m_y, 0, 1);
    connectPoints(m_frontDots, &m_view.frontTrials);
    connectPoints(m_dominatedDots, &m_view.dominatedTrials);
    connectPoints(m_infeasibleDots, &m_view.infeasibleTrials);
    clearView(tr("No study selected"));
}

void ParetoPlot::connectPoints(PointLayer* layer, const std::vector<int>* numbers) {
    auto trialAt = [numbers](int index) {
        return index >= 0 && index < static_cast<int>(numbers->size())
                   ? (*numbers)[static_cast<std::size_t>(index)]
                   : -1;
    };
    connect(layer, &PointLayer::hovered, this, [this, trialAt](int index, bool state) {
        if (int number = trialAt(index); number >= 0)
            showTrialTooltip(number, state);
    });
    connect(layer, &PointLayer::clicked, this, [this, trialAt](int index) {
        if (int number = trialAt(index); number >= 0)
            emit trialClicked(number);
    });
}

// The values of one axis far off on its worse side (farOffValues): a NAS
// cell that learns nothing scores 10 % at almost no latency, so it is on
// every hardware-aware front, and drawn where it lies it squashes the others
// into a corner.
FarOffValues ParetoPlot::farOffOn(const ParetoView& view, Qt::Orientation axis,
                                  Direction direction) {
    std::vector<double> values;
    for (const auto* points : {&view.front, &view.dominated, &view.infeasible})
        for (const QPointF& p : *points)
            values.push_back(axis == Qt::Horizontal ? p.x() : p.y());
    return farOffValues(values, direction);
}

void ParetoPlot::makeFarOffArrows(FarOffArrows& arrows, Qt::Orientation axis) {
    const bool horizontal = axis == Qt::Horizontal;
    auto marker = [horizontal](const QColor& color) {
        return horizontal ? sideArrowMarker(color, true) : arrowMarker(color, true);
    };
    arrows.front = new PointLayer(chart(), m_front, marker(plotColors::best()));
    arrows.other = new PointLayer(chart(), m_dominated, marker(dimmed()));
    for (PointLayer* layer : {arrows.front, arrows.other})
        layer->followAxes();
    connectPoints(arrows.front, &arrows.frontTrials);
    connectPoints(arrows.other, &arrows.otherTrials);
}

int ParetoPlot::farOffPointCount(Qt::Orientation axis) const {
    const FarOffArrows& arrows = axis == Qt::Horizontal ? m_farX : m_farY;
    return arrows.front->count() + arrows.other->count();
}

void ParetoPlot::setView(const ParetoView& view, const QString& xName, const QString& yName,
                         bool frontLine) {
    const FarOffValues farX = farOffOn(view, Qt::Horizontal, view.xDirection);
    const FarOffValues farY = farOffOn(view, Qt::Vertical, view.yDirection);
    double xl = std::numeric_limits<double>::infinity(), xh = -xl, yl = xl, yh = -xl;
    for (const auto* points : {&view.front, &view.dominated, &view.infeasible})
        for (const QPointF& p : *points) {
            if (!farX.off(p.x())) {
                xl = std::min(xl, p.x());
                xh = std::max(xh, p.x());
            }
            if (!farY.off(p.y())) {
                yl = std::min(yl, p.y());
                yh = std::max(yh, p.y());
            }
        }
    // A bound near the data (within one data span of it) widens the range
    // so its line shows; a far one would squash the points, so it is left out.
    std::vector<ParetoView::Bound> shownBounds;
    if (std::isfinite(xl))
        for (const ParetoView::Bound& bound : view.bounds) {
            double& low = bound.axis == Qt::Horizontal ? xl : yl;
            double& high = bound.axis == Qt::Horizontal ? xh : yh;
            const double span = std::max(high - low, std::fabs(high) * 0.1);
            if (bound.value < low - span || bound.value > high + span)
                continue;
            low = std::min(low, bound.value);
            high = std::max(high, bound.value);
            shownBounds.push_back(bound);
        }
    // A range change re-lays out the front line: fit the axes while it is
    // empty (the points are layers and only repaint).
    m_line->clear();
    if (std::isfinite(xl)) {
        if (farX.count > 0)
            widenForArrows(xl, xh, farX.maximize, kFarOffBand);
        if (farY.count > 0)
            widenForArrows(yl, yh, farY.maximize, kFarOffBand);
        fitAxis(m_x, xl, xh);
        fitAxis(m_y, yl, yh);
    }
    drawBounds(shownBounds);
    QList<QPointF> front = takeFarOff(view, farX, farY);
    m_frontDots->setPoints(m_view.front);
    m_dominatedDots->setPoints(m_view.dominated);
    m_infeasibleDots->setPoints(m_view.infeasible);
    showLegendEntry(m_infeasible, !view.infeasible.empty());
    // The attainment line: from each front point across to the next one's x,
    // then to its y (front sorted best-first on x).
    QList<QPointF> line;
    if (frontLine)
        for (qsizetype k = 0; k < front.size(); ++k) {
            if (k > 0)
                line.append({front[k].x(), front[k - 1].y()});
            line.append(front[k]);
        }
    m_line->replace(line);
    m_x->setTitleText(xName);
    m_y->setTitleText(yName);
    // Setting even the same title lays the chart out again.
    const QString title = tr("Pareto front: %1 vs %2").arg(yName, xName);
    QString detail = tr("%1 of %2 trials in the Pareto set")
                         .arg(view.front.size())
                         .arg(view.front.size() + view.dominated.size() + view.infeasible.size());
    for (const auto& [far, axis] : {std::pair{&farX, Qt::Horizontal}, {&farY, Qt::Vertical}})
        if (far->count > 0)
            detail += QStringLiteral("; ") +
                      offScaleWords(far->count, 0, far->low, far->high, far->maximize, axis).full;
    if (chartTitle() != title || chartTitleDetail() != detail)
        setChartTitle(title, detail);
    const int selected = m_selectedTrial;
    m_selectedTrial = -2;
    setSelectedTrial(selected);
    setEmptyMessage(std::isfinite(xl) ? QString() : tr("No complete trial yet"));
}

QList<QPointF> ParetoPlot::takeFarOff(const ParetoView& view, const FarOffValues& farX,
                                      const FarOffValues& farY) {
    const double edgeX = arrowEdge(m_x->min(), m_x->max(), false, farX.maximize);
    const double edgeY = arrowEdge(m_y->min(), m_y->max(), false, farY.maximize);
    m_view = view;
    m_view.front.clear();
    m_view.frontTrials.clear();
    m_view.dominated.clear();
    m_view.dominatedTrials.clear();
    m_view.infeasible.clear();
    m_view.infeasibleTrials.clear();
    for (FarOffArrows* arrows : {&m_farX, &m_farY}) {
        arrows->frontPoints.clear();
        arrows->otherPoints.clear();
        arrows->frontTrials.clear();
        arrows->otherTrials.clear();
    }
    QList<QPointF> frontAtEdges;
    auto place = [&](const std::vector<QPointF>& points, const std::vector<int>& trials,
                     std::vector<QPointF>& keptPoints, std::vector<int>& keptTrials, bool onFront) {
        for (std::size_t i = 0; i < points.size(); ++i) {
            QPointF p = points[i];
            const bool offX = farX.off(p.x()), offY = farY.off(p.y());
            if (offX)
                p.setX(edgeX);
            if (offY)
                p.setY(edgeY);
            if (onFront)
                frontAtEdges.append(p);
            if (!offX && !offY) {
                keptPoints.push_back(p);
                keptTrials.push_back(trials[i]);
                continue;
            }
            FarOffArrows& arrows = offX ? m_farX : m_farY;
            (onFront ? arrows.frontPoints : arrows.otherPoints).push_back(p);
            (onFront ? arrows.frontTrials : arrows.otherTrials).push_back(trials[i]);
        }
    };
    place(view.front, view.frontTrials, m_view.front, m_view.frontTrials, true);
    place(view.dominated, view.dominatedTrials, m_view.dominated, m_view.dominatedTrials, false);
    place(view.infeasible, view.infeasibleTrials, m_view.infeasible, m_view.infeasibleTrials,
          false);
    // Arrows point the way the trials lie: left or down on a maximized axis.
    m_farX.front->setMarker(sideArrowMarker(plotColors::best(), farX.maximize));
    m_farX.other->setMarker(sideArrowMarker(dimmed(), farX.maximize));
    m_farY.front->setMarker(arrowMarker(plotColors::best(), farY.maximize));
    m_farY.other->setMarker(arrowMarker(dimmed(), farY.maximize));
    for (FarOffArrows* arrows : {&m_farX, &m_farY}) {
        arrows->front->setPoints(arrows->frontPoints);
        arrows->other->setPoints(arrows->otherPoints);
    }
    return frontAtEdges;
}

void ParetoPlot::drawBounds(const std::vector<ParetoView::Bound>& bounds) {
    // Live redraws keep the series (adding one lays the legend out again).
    while (m_bounds.size() > bounds.size()) {
        chart()->removeSeries(m_bounds.back());
        delete m_bounds.back();
        m_bounds.pop_back();
    }
    while (m_bounds.size() < bounds.size()) {
        auto* series = new QLineSeries;
        series->setPen(QPen(QColor(0x80, 0x80, 0x80), 1.4, Qt::DashLine));
        chart()->addSeries(series);
        series->attachAxis(m_x);
        series->attachAxis(m_y);
        m_bounds.push_back(series);
    }
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        const ParetoView::Bound& bound = bounds[i];
        if (m_bounds[i]->name() != bound.label)
            m_bounds[i]->setName(bound.label);
        m_bounds[i]->replace(
            bound.axis == Qt::Horizontal
                ? QList<QPointF>{{bound.value, m_y->min()}, {bound.value, m_y->max()}}
                : QList<QPointF>{{m_x->min(), bound.value}, {m_x->max(), bound.value}});
    }
}

void ParetoPlot::clearView(const QString& reason) {
    m_view = ParetoView{};
    drawBounds({});
    m_line->clear();
    for (PointLayer* layer : {m_dominatedDots, m_infeasibleDots, m_frontDots, m_selected,
                              m_farX.front, m_farX.other, m_farY.front, m_farY.other})
        layer->clear();
    setChartTitle(tr("Pareto front"));
    setEmptyMessage(reason);
}

void ParetoPlot::setSelectedTrial(int number) {
    if (number == m_selectedTrial)
        return;
    m_selectedTrial = number;
    m_selected->clear();
    const std::pair<const std::vector<QPointF>*, const std::vector<int>*> groups[] = {
        {&m_view.front, &m_view.frontTrials},
        {&m_view.dominated, &m_view.dominatedTrials},
        {&m_view.infeasible, &m_view.infeasibleTrials},
        {&m_farX.frontPoints, &m_farX.frontTrials},
        {&m_farX.otherPoints, &m_farX.otherTrials},
        {&m_farY.frontPoints, &m_farY.frontTrials},
        {&m_farY.otherPoints, &m_farY.otherTrials}};
    for (auto [points, numbers] : groups) {
        auto it = std::find(numbers->begin(), numbers->end(), number);
        if (it != numbers->end()) {
            m_selected->setPoints({(*points)[static_cast<std::size_t>(it - numbers->begin())]});
            return;
        }
    }
}

}  // namespace bonsai::ui

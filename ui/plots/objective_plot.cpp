#include "plots/objective_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QLegendMarker>
#include <QPen>

#include "analysis/trial_series.h"
#include "plots/plot_style.h"

namespace bonsai::ui {

namespace {

// Best-so-far as a staircase: the best holds until the next improvement.
QList<QPointF> staircase(const std::vector<QPointF>& best, double lastTrial) {
    QList<QPointF> out;
    out.reserve(static_cast<qsizetype>(best.size() * 2 + 1));
    for (std::size_t i = 0; i < best.size(); ++i) {
        if (i > 0 && best[i].y() != best[i - 1].y())
            out.append(QPointF(best[i].x(), best[i - 1].y()));
        if (i == 0 || best[i].y() != best[i - 1].y())
            out.append(best[i]);
    }
    if (!best.empty() && lastTrial > out.back().x())
        out.append(QPointF(lastTrial, best.back().y()));
    return out;
}

}  // namespace

ObjectivePlot::ObjectivePlot(QWidget* parent) : ChartView(tr("Objective per trial"), parent) {
    m_complete = new QScatterSeries;
    m_complete->setName(tr("complete"));
    m_complete->setMarkerSize(7);
    m_complete->setColor(plotColors::complete());
    m_complete->setBorderColor(plotColors::complete().darker(130));

    m_pruned = new QScatterSeries;
    m_pruned->setName(tr("pruned"));
    m_pruned->setMarkerSize(11);
    m_pruned->setLightMarker(crossMarker(plotColors::pruned()));
    m_pruned->setColor(plotColors::pruned());

    m_best = new QLineSeries;
    m_best->setName(tr("best so far"));
    m_best->setPen(QPen(plotColors::best(), 2.2));

    m_selected = new QScatterSeries;
    m_selected->setName(tr("selected"));
    m_selected->setMarkerSize(15);
    m_selected->setColor(Qt::transparent);
    m_selected->setBorderColor(plotColors::selected());
    m_selected->setPen(QPen(plotColors::selected(), 2.5));

    for (QXYSeries* series :
         std::initializer_list<QXYSeries*>{m_best, m_complete, m_pruned, m_selected})
        chart()->addSeries(series);
    m_x = makeAxis(tr("Trial"), Qt::AlignBottom);
    m_y = makeAxis(tr("Objective value"), Qt::AlignLeft);
    for (QAbstractSeries* series : chart()->series()) {
        series->attachAxis(m_x);
        series->attachAxis(m_y);
    }
    chart()->legend()->setVisible(true);
    chart()->legend()->setAlignment(Qt::AlignTop);
    chart()->legend()->markers(m_selected).front()->setVisible(false);
    fitAxis(m_x, 0, 10, true);
    fitAxis(m_y, 0, 1);
    setEmptyMessage(tr("No complete trial yet"));

    for (QScatterSeries* series : {m_complete, m_pruned}) {
        connect(series, &QScatterSeries::hovered, this, [this](const QPointF& point, bool state) {
            showTrialTooltip(static_cast<int>(std::lround(point.x())), state);
        });
        connect(series, &QScatterSeries::clicked, this, [this](const QPointF& point) {
            emit trialClicked(static_cast<int>(std::lround(point.x())));
        });
    }
}

void ObjectivePlot::setTrials(std::span<const Trial> trials, Direction direction) {
    m_points = objectivePoints(trials);
    m_prunedPoints = prunedPoints(trials);
    const double lastTrial = trials.empty() ? 0.0 : trials.back().number;
    m_complete->replace(QList<QPointF>(m_points.begin(), m_points.end()));
    m_pruned->replace(QList<QPointF>(m_prunedPoints.begin(), m_prunedPoints.end()));
    m_best->replace(staircase(bestSoFar(trials, direction), lastTrial));

    double low = std::numeric_limits<double>::infinity(), high = -low;
    for (const auto* points : {&m_points, &m_prunedPoints})
        for (const QPointF& p : *points) {
            low = std::min(low, p.y());
            high = std::max(high, p.y());
        }
    fitAxis(m_x, trials.empty() ? 0 : trials.front().number, std::max(lastTrial, 1.0), true);
    fitAxis(m_y, low, high);
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

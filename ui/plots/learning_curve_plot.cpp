#include "plots/learning_curve_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QPen>

#include "analysis/trial_series.h"
#include "plots/plot_style.h"

namespace bonsai::ui {

LearningCurvePlot::LearningCurvePlot(const QString& title, QWidget* parent)
    : ChartView(title, parent) {
    setZoomable(true);
    m_prunedEnds = makePointSeries(crossMarker(plotColors::pruned().darker(120)));
    chart()->addSeries(m_prunedEnds);
    const CurveMeasure measure = genericCurveMeasure();
    m_x = makeAxis(measure.step, Qt::AlignBottom);
    m_y = makeAxis(measure.value, Qt::AlignLeft);
    m_prunedEnds->attachAxis(m_x);
    m_prunedEnds->attachAxis(m_y);
    fitAxis(m_x, 0, 10, true);
    fitAxis(m_y, 0, 1);
    setEmptyMessage(tr("No intermediate values reported"));
}

QLineSeries* LearningCurvePlot::seriesAt(int index) {
    while (static_cast<int>(m_pool.size()) <= index) {
        auto* series = new QLineSeries;
        chart()->addSeries(series);
        series->attachAxis(m_x);
        series->attachAxis(m_y);
        const int slot = static_cast<int>(m_pool.size());
        connect(series, &QLineSeries::hovered, this, [this, slot](const QPointF&, bool state) {
            if (slot < m_shown)
                showTrialTooltip(m_numbers[static_cast<std::size_t>(slot)], state);
        });
        connect(series, &QLineSeries::clicked, this, [this, slot](const QPointF&) {
            if (slot < m_shown)
                emit trialClicked(m_numbers[static_cast<std::size_t>(slot)]);
        });
        m_pool.push_back(series);
        m_numbers.push_back(-1);
        m_states.push_back(TrialState::Running);
    }
    return m_pool[static_cast<std::size_t>(index)];
}

void LearningCurvePlot::setTrials(std::span<const Trial> trials) {
    std::vector<const Trial*> shown;
    for (auto it = trials.rbegin(); it != trials.rend(); ++it) {
        if (it->intermediate.empty())
            continue;
        if (static_cast<int>(shown.size()) < m_maxCurves || it->number == m_selectedTrial)
            shown.push_back(&*it);
    }
    std::reverse(shown.begin(), shown.end());

    double xLow = std::numeric_limits<double>::infinity(), xHigh = -xLow;
    double yLow = xLow, yHigh = -xLow;
    QList<QPointF> prunedEnds;
    for (std::size_t i = 0; i < shown.size(); ++i) {
        const Trial& trial = *shown[i];
        std::vector<QPointF> curve = learningCurve(trial);
        QLineSeries* series = seriesAt(static_cast<int>(i));
        series->replace(QList<QPointF>(curve.begin(), curve.end()));
        // A line needs two points: a trial that has reported one epoch so
        // far (the running one, at first) is a dot. One pruned at its first
        // report has its cross already.
        series->setPointsVisible(curve.size() == 1 && trial.state != TrialState::Pruned);
        series->setVisible(true);
        m_numbers[i] = trial.number;
        m_states[i] = trial.state;
        for (const QPointF& p : curve) {
            xLow = std::min(xLow, p.x());
            xHigh = std::max(xHigh, p.x());
            yLow = std::min(yLow, p.y());
            yHigh = std::max(yHigh, p.y());
        }
        if (trial.state == TrialState::Pruned && !curve.empty())
            prunedEnds.append(curve.back());
    }
    for (std::size_t i = shown.size(); i < m_pool.size(); ++i) {
        m_pool[i]->clear();
        m_pool[i]->setVisible(false);
        m_numbers[i] = -1;
    }
    m_shown = static_cast<int>(shown.size());
    m_prunedEnds->replace(prunedEnds);
    restyle();
    if (m_shown > 0) {
        fitAxis(m_x, xLow, xHigh, true);
        fitAxis(m_y, yLow, yHigh);
    }
    setEmptyMessage(m_shown == 0 ? tr("No intermediate values reported") : QString());
}

void LearningCurvePlot::setMeasure(const CurveMeasure& measure) {
    m_x->setTitleText(measure.step);
    m_y->setTitleText(measure.value);
    // A compact chart hides its axis titles; the title's detail still says
    // what the lines are where it fits.
    setChartTitle(chartTitle(), measure.phrase);
}

void LearningCurvePlot::setSelectedTrial(int number) {
    m_selectedTrial = number;
    restyle();
}

void LearningCurvePlot::restyle() {
    for (int i = 0; i < m_shown; ++i) {
        QLineSeries* series = m_pool[static_cast<std::size_t>(i)];
        const bool selected = m_numbers[static_cast<std::size_t>(i)] == m_selectedTrial;
        QPen pen;
        switch (m_states[static_cast<std::size_t>(i)]) {
            case TrialState::Running:
                pen = QPen(plotColors::running(), 2.4);
                break;
            case TrialState::Pruned:
                pen = QPen(plotColors::pruned(), 1.2, Qt::DashLine);
                break;
            case TrialState::Failed:
                pen = QPen(QColor(0xc6, 0x28, 0x28, 150), 1.0, Qt::DotLine);
                break;
            case TrialState::Complete: {
                QColor color = plotColors::series(m_numbers[static_cast<std::size_t>(i)]);
                color.setAlpha(200);
                pen = QPen(color, 1.4);
                break;
            }
        }
        if (selected)
            pen = QPen(plotColors::selected(), 3.0);
        series->setPen(pen);
        series->setMarkerSize(2.0 * pen.widthF() + 3.0);
    }
}

}  // namespace bonsai::ui

#pragma once

#include <span>
#include <vector>

#include <QLineSeries>

#include "analysis/measure_names.h"
#include "plots/chart_view.h"

namespace bonsai::ui {

// Intermediate values per step, one line per trial: running trials bold,
// finished ones thin, pruned ones grey and dashed with a cross where they
// stopped. Only the most recent `maxCurves` trials with reports (plus the
// selected one) are drawn, so a long study stays responsive.
class LearningCurvePlot : public ChartView {
    Q_OBJECT
  public:
    explicit LearningCurvePlot(const QString& title, QWidget* parent = nullptr);

    void setMaxCurves(int count) { m_maxCurves = count; }
    void setTrials(std::span<const Trial> trials);
    void setSelectedTrial(int number);
    // Names the axes, and the title's detail, after what the reports measure.
    void setMeasure(const CurveMeasure& measure);

    int curveCount() const { return m_shown; }
    int prunedMarkerCount() const { return static_cast<int>(m_prunedEnds->count()); }

  private:
    QLineSeries* seriesAt(int index);
    void restyle();

    std::vector<QLineSeries*> m_pool;  // reused between refreshes
    std::vector<int> m_numbers;        // trial number drawn by m_pool[i]
    std::vector<TrialState> m_states;
    QLineSeries* m_prunedEnds;
    QValueAxis* m_x;
    QValueAxis* m_y;
    int m_shown = 0;
    int m_maxCurves = 100;
    int m_selectedTrial = -1;
};

}  // namespace bonsai::ui

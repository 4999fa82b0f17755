#pragma once

#include <span>
#include <vector>

#include <QAbstractAxis>
#include <QLineSeries>

#include "analysis/trial_series.h"
#include "plots/chart_view.h"
#include "plots/point_layer.h"
#include "space/search_space.h"

namespace bonsai::ui {

class OffScaleNote;

// Objective value against one parameter (complete trials where it is active):
// log axis for log parameters, named ticks for categorical ones; values over
// three decades or more on a log axis too. For an
// nb201-cell parameter, one edge: operations as categories, each trial a dot
// spread across its operation's strip.
class SlicePlot : public ChartView {
    Q_OBJECT
  public:
    explicit SlicePlot(const ParamSpec& param, QWidget* parent = nullptr, int edge = -1,
                       const QString& axisName = {});

    // y: objective `objective` of `objectives` (empty: the trial's value),
    // which `direction` optimizes. Trials that `feasible` rejects are drawn
    // as rings; a few far off on the worse side, as arrows at the axis's
    // edge under a note (as on the objective chart).
    void setTrials(std::span<const Trial> trials, Direction direction,
                   std::span<const ObjectiveSpec> objectives = {}, std::size_t objective = 0,
                   const QString& objectiveName = {}, const Feasibility& feasible = {});
    void setSelectedTrial(int number);
    int pointCount() const { return m_dots->count() + m_infeasibleDots->count(); }
    int infeasiblePointCount() const { return m_infeasibleDots->count(); }
    int offScalePointCount() const { return m_offScaleDots->count(); }
    // The note beside the arrows, "" when there are none.
    QString offScaleNote() const;
    const ParamSpec& param() const { return m_param; }
    int edge() const { return m_edge; }
    // The parameter's name, or the edge's (e.g. "1←0").
    QString axisName() const { return m_axisName; }
    // Values spanning three decades or more are drawn on a log axis.
    bool logScale() const { return isOnChart(m_yLog); }

  private:
    // Fits the value axis to the trials kept (and the arrows' band), then
    // puts the arrows at its edge.
    void fitValues();

    ParamSpec m_param;
    int m_edge = -1;
    QString m_axisName;
    QLineSeries* m_points;  // empty: the axes' series; the points are m_dots
    PointLayer* m_dots;
    PointLayer* m_infeasibleDots;
    PointLayer* m_offScaleDots;
    PointLayer* m_selected;
    OffScaleNote* m_offScaleNote;          // owned by the chart
    double m_keptLow = 0, m_keptHigh = 1;  // the values kept on the axis
    bool m_maximize = false;
    int m_selectedTrial = -1;
    QAbstractAxis* m_x = nullptr;
    QValueAxis* m_y;
    QLogValueAxis* m_yLog;  // owned by the chart only while in use
    // The trial number of each point of m_dots, m_infeasibleDots and
    // m_offScaleDots.
    std::vector<int> m_numbers;
    std::vector<int> m_infeasibleNumbers;
    std::vector<int> m_offScaleNumbers;
};

// A grid of slice plots, one per parameter of the study's space and one per
// edge of each nb201 cell.
class SliceGrid : public QWidget {
    Q_OBJECT
  public:
    explicit SliceGrid(QWidget* parent = nullptr);

    void setSpace(const SearchSpace& space, TrialLookup lookup);
    // Every plot at once (the Slices page redraws a big live study plot by plot).
    void setTrials(std::span<const Trial> trials, Direction direction,
                   std::span<const ObjectiveSpec> objectives = {}, std::size_t objective = 0,
                   const QString& objectiveName = {}, const Feasibility& feasible = {});
    void setSelectedTrial(int number);
    const std::vector<SlicePlot*>& plots() const { return m_plots; }
    SlicePlot* plotOf(const QString& parameter) const;

  signals:
    void trialClicked(int number);

  private:
    std::vector<SlicePlot*> m_plots;
};

}  // namespace bonsai::ui

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

    // y: objective `objective` of `objectives` (empty: the trial's value).
    // Trials that `feasible` rejects are drawn as rings.
    void setTrials(std::span<const Trial> trials, std::span<const ObjectiveSpec> objectives = {},
                   std::size_t objective = 0, const QString& objectiveName = {},
                   const Feasibility& feasible = {});
    void setSelectedTrial(int number);
    int pointCount() const { return m_dots->count() + m_infeasibleDots->count(); }
    int infeasiblePointCount() const { return m_infeasibleDots->count(); }
    const ParamSpec& param() const { return m_param; }
    int edge() const { return m_edge; }
    // The parameter's name, or the edge's (e.g. "1←0").
    QString axisName() const { return m_axisName; }
    // Values spanning three decades or more are drawn on a log axis.
    bool logScale() const { return isOnChart(m_yLog); }

  private:
    ParamSpec m_param;
    int m_edge = -1;
    QString m_axisName;
    QLineSeries* m_points;  // empty: the axes' series; the points are m_dots
    PointLayer* m_dots;
    PointLayer* m_infeasibleDots;
    PointLayer* m_selected;
    int m_selectedTrial = -1;
    QAbstractAxis* m_x = nullptr;
    QValueAxis* m_y;
    QLogValueAxis* m_yLog;  // owned by the chart only while in use
    // The trial number of each point of m_dots and of m_infeasibleDots.
    std::vector<int> m_numbers;
    std::vector<int> m_infeasibleNumbers;
};

// A grid of slice plots, one per parameter of the study's space and one per
// edge of each nb201 cell.
class SliceGrid : public QWidget {
    Q_OBJECT
  public:
    explicit SliceGrid(QWidget* parent = nullptr);

    void setSpace(const SearchSpace& space, TrialLookup lookup);
    // Every plot at once (the Slices page redraws a big live study plot by plot).
    void setTrials(std::span<const Trial> trials, std::span<const ObjectiveSpec> objectives = {},
                   std::size_t objective = 0, const QString& objectiveName = {},
                   const Feasibility& feasible = {});
    void setSelectedTrial(int number);
    const std::vector<SlicePlot*>& plots() const { return m_plots; }
    SlicePlot* plotOf(const QString& parameter) const;

  signals:
    void trialClicked(int number);

  private:
    std::vector<SlicePlot*> m_plots;
};

}  // namespace bonsai::ui

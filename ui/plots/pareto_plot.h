#pragma once

#include <vector>

#include <QLineSeries>

#include "analysis/study_analysis.h"
#include "plots/chart_view.h"
#include "plots/point_layer.h"

namespace bonsai::ui {

// Two objectives of a study against each other: the Pareto set in strong
// colour (with its attainment line when the study has exactly two
// objectives), dominated trials dimmed, infeasible ones as grey crosses.
class ParetoPlot : public ChartView {
    Q_OBJECT
  public:
    explicit ParetoPlot(QWidget* parent = nullptr);

    // `frontLine`: draw the step line through the front (only meaningful when
    // the pair is all the objectives).
    void setView(const ParetoView& view, const QString& xName, const QString& yName,
                 bool frontLine);
    void clearView(const QString& reason);
    void setSelectedTrial(int number);

    int frontPointCount() const { return m_frontDots->count(); }
    int dominatedPointCount() const { return m_dominatedDots->count(); }
    int infeasiblePointCount() const { return m_infeasibleDots->count(); }
    int frontLinePointCount() const { return static_cast<int>(m_line->count()); }
    // The constraint lines drawn (a dashed line and a legend entry each).
    const std::vector<QLineSeries*>& boundLines() const { return m_bounds; }

  private:
    void connectPoints(PointLayer* layer, const std::vector<int>* numbers);
    // Draws the view's constraint bounds that lie near the data, across the
    // other axis's fitted range.
    void drawBounds(const std::vector<ParetoView::Bound>& bounds);

    QLineSeries* m_line;
    std::vector<QLineSeries*> m_bounds;
    // Empty series for the legend and the axes; the points are in the layers.
    QLineSeries* m_dominated;
    QLineSeries* m_infeasible;
    QLineSeries* m_front;
    PointLayer* m_dominatedDots;
    PointLayer* m_infeasibleDots;
    PointLayer* m_frontDots;
    PointLayer* m_selected;
    QValueAxis* m_x;
    QValueAxis* m_y;
    ParetoView m_view;
    int m_selectedTrial = -1;
};

}  // namespace bonsai::ui

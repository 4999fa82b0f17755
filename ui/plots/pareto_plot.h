#pragma once

#include <vector>

#include <QLineSeries>

#include "analysis/study_analysis.h"
#include "analysis/trial_series.h"
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
    // Trials far off on an axis's worse side, drawn as arrows at its edge.
    int farOffPointCount(Qt::Orientation axis) const;
    const QLineSeries* frontLine() const { return m_line; }
    // The constraint lines drawn (a dashed line and a legend entry each).
    const std::vector<QLineSeries*>& boundLines() const { return m_bounds; }

  private:
    // The arrows of the trials far off on one axis: of the Pareto set in its
    // colour, the others dimmed, each with its trials' numbers.
    struct FarOffArrows {
        PointLayer* front = nullptr;
        PointLayer* other = nullptr;
        std::vector<QPointF> frontPoints, otherPoints;
        std::vector<int> frontTrials, otherTrials;
    };
    void makeFarOffArrows(FarOffArrows& arrows, Qt::Orientation axis);
    static FarOffValues farOffOn(const ParetoView& view, Qt::Orientation axis, Direction direction);
    // Sets m_view to `view` without the points far off on either axis,
    // which go to the arrows at that axis's edge; returns the front in order
    // with those points at the edges, for its line.
    QList<QPointF> takeFarOff(const ParetoView& view, const FarOffValues& farX,
                              const FarOffValues& farY);
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
    FarOffArrows m_farX, m_farY;
    QValueAxis* m_x;
    QValueAxis* m_y;
    ParetoView m_view;
    int m_selectedTrial = -1;
};

}  // namespace bonsai::ui

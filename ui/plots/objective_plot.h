#pragma once

#include <span>

#include <QLineSeries>

#include "analysis/trial_series.h"
#include "plots/chart_view.h"
#include "plots/point_layer.h"

namespace bonsai::ui {

class OffScaleNote;

// Objective value of each trial (points; pruned ones as grey crosses at their
// last report, complete ones that break a constraint as rings) with the
// best-so-far line over feasible trials. A few trials far off on the worse
// side (offScaleLimit: a NAS cell that learns nothing) are drawn as arrows
// at the axis's edge, so they do not squash the rest; their tooltips give
// the value. A pure function of the trial list.
class ObjectivePlot : public ChartView {
    Q_OBJECT
  public:
    explicit ObjectivePlot(QWidget* parent = nullptr);

    // What the objective measures ("cifar10_valid_acc_12ep"), on the value
    // axis and after the chart's title where it fits; "" says "Objective value".
    void setValueName(const QString& name);
    void setTrials(std::span<const Trial> trials, Direction direction,
                   const Feasibility& feasible = {});
    // Highlights one trial (-1: none).
    void setSelectedTrial(int number);

    int completePointCount() const { return m_completeDots->count(); }
    int prunedPointCount() const { return m_prunedDots->count(); }
    int infeasiblePointCount() const { return m_infeasibleDots->count(); }
    // Where the arrows of off-scale trials are drawn (x: the trial's number).
    const std::vector<QPointF>& offScalePoints() const { return m_offScaleDots->points(); }
    const std::vector<QPointF>& offScalePrunedPoints() const {
        return m_offScalePrunedDots->points();
    }
    // The note beside them ("▼ 2 far below (9.6–10.7)"), "" when none.
    QString offScaleNote() const;
    // The best-so-far line's last value (NaN when it is empty).
    double lastBestValue() const;
    int bestPointCount() const { return static_cast<int>(m_best->count()); }
    // The values are drawn on a log axis (positive, over three decades or
    // more, as Rosenbrock's losses are).
    bool logScale() const { return isOnChart(m_yLog); }

  private:
    void updateSelection();
    // Fits the value axis to the trials kept (and the arrows' band), then
    // puts the arrows at its edge and the best-so-far line back.
    void fitValues();

    // Empty series for the legend and the axes; the points are in the layers.
    QLineSeries* m_complete;
    QLineSeries* m_pruned;
    QLineSeries* m_infeasible;
    QLineSeries* m_offScale;
    QLineSeries* m_best;
    PointLayer* m_completeDots;
    PointLayer* m_offScaleDots;
    PointLayer* m_offScalePrunedDots;
    OffScaleNote* m_offScaleNote;  // owned by the chart
    // What fitValues fits: the values kept on the axis, the worse side, the
    // best-so-far line.
    double m_keptLow = 0, m_keptHigh = 1;
    bool m_maximize = false;
    QList<QPointF> m_bestLine;
    PointLayer* m_prunedDots;
    PointLayer* m_infeasibleDots;
    PointLayer* m_selected;
    QValueAxis* m_x;
    QValueAxis* m_y;
    QLogValueAxis* m_yLog;  // owned by the chart only while in use
    int m_selectedTrial = -1;
};

}  // namespace bonsai::ui

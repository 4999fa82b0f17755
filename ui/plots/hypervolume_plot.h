#pragma once

#include <span>
#include <vector>

#include <QLineSeries>
#include <QPointF>

#include "plots/chart_view.h"

namespace bonsai::ui {

// Hypervolume of the feasible Pareto set after each trial: the progress line
// of a multi-objective study, where there is no best-so-far value.
class HypervolumePlot : public ChartView {
    Q_OBJECT
  public:
    explicit HypervolumePlot(QWidget* parent = nullptr);

    // (trial number, hypervolume) points from hypervolumeHistory.
    void setCurve(const std::vector<QPointF>& curve, double lastTrial);
    int pointCount() const { return static_cast<int>(m_line->count()); }
    // Names the reference point in the title ("accuracy = 80, latency_ms =
    // 12"), and in the tooltip whether it is the spec's or derived from the
    // trials; empty `reference` leaves the plain title.
    void setReference(const QString& reference, bool derived);

  private:
    QLineSeries* m_line;
    QValueAxis* m_x;
    QValueAxis* m_y;
};

}  // namespace bonsai::ui

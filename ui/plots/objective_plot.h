#pragma once

#include <span>

#include <QLineSeries>

#include "plots/chart_view.h"
#include "plots/point_layer.h"

namespace bonsai::ui {

// Objective value of each trial (points; pruned ones as grey crosses at their
// last report) with the best-so-far line. A pure function of the trial list.
class ObjectivePlot : public ChartView {
    Q_OBJECT
  public:
    explicit ObjectivePlot(QWidget* parent = nullptr);

    void setTrials(std::span<const Trial> trials, Direction direction);
    // Highlights one trial (-1: none).
    void setSelectedTrial(int number);

    int completePointCount() const { return m_completeDots->count(); }
    int prunedPointCount() const { return m_prunedDots->count(); }
    int bestPointCount() const { return static_cast<int>(m_best->count()); }

  private:
    void updateSelection();

    // Empty series for the legend and the axes; the points are in the layers.
    QLineSeries* m_complete;
    QLineSeries* m_pruned;
    bool m_prunedInLegend = true;  // the legend entry of m_pruned is shown
    QLineSeries* m_best;
    PointLayer* m_completeDots;
    PointLayer* m_prunedDots;
    PointLayer* m_selected;
    QValueAxis* m_x;
    QValueAxis* m_y;
    int m_selectedTrial = -1;
};

}  // namespace bonsai::ui

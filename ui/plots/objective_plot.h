#pragma once

#include <span>

#include <QLineSeries>
#include <QScatterSeries>

#include "plots/chart_view.h"

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

    int completePointCount() const { return static_cast<int>(m_complete->count()); }
    int prunedPointCount() const { return static_cast<int>(m_pruned->count()); }
    int bestPointCount() const { return static_cast<int>(m_best->count()); }

  private:
    void updateSelection();

    QScatterSeries* m_complete;
    QScatterSeries* m_pruned;
    QLineSeries* m_best;
    QScatterSeries* m_selected;
    QValueAxis* m_x;
    QValueAxis* m_y;
    std::vector<QPointF> m_points;
    std::vector<QPointF> m_prunedPoints;
    int m_selectedTrial = -1;
};

}  // namespace bonsai::ui

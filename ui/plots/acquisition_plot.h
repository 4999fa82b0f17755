#pragma once

#include <span>

#include <QLineSeries>
#include <QScatterSeries>

#include "plots/chart_view.h"

namespace bonsai::ui {

// The acquisition value the strategy gave each suggestion (trial attribute
// "acquisition", stored by the GP strategy), over the iterations.
class AcquisitionPlot : public ChartView {
    Q_OBJECT
  public:
    explicit AcquisitionPlot(QWidget* parent = nullptr);

    void setTrials(std::span<const Trial> trials);
    int pointCount() const { return static_cast<int>(m_points->count()); }

  private:
    QLineSeries* m_line;
    QScatterSeries* m_points;
    QValueAxis* m_x;
    QValueAxis* m_y;
};

}  // namespace bonsai::ui

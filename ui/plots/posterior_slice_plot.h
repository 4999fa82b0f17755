#pragma once

#include <optional>
#include <vector>

#include <QAreaSeries>
#include <QLineSeries>
#include <QScatterSeries>
#include <QString>

#include "plots/chart_view.h"

namespace bonsai::ui {

// A 1-D cut through the surrogate model along one parameter, all others held
// at the incumbent: what PosteriorSlicePlot draws. Plain numbers, so any
// model can fill it. x is in the parameter's own units; mean and std are of
// the objective value in the user's sense.
struct PosteriorSlice {
    QString parameter;
    std::vector<double> x;
    std::vector<double> mean;
    std::vector<double> std;          // standard deviation at x
    std::vector<double> acquisition;  // optional: empty or same length as x
    std::vector<double> observedX;    // trials near the slice
    std::vector<double> observedY;
    std::optional<double> incumbentX;
};

// Posterior mean with a ±2σ band, observed points and the acquisition curve
// (on its own right-hand axis).
class PosteriorSlicePlot : public ChartView {
    Q_OBJECT
  public:
    explicit PosteriorSlicePlot(QWidget* parent = nullptr);

    void setSlice(const PosteriorSlice& slice);
    // No slice to show, and why.
    void clearSlice(const QString& reason);

    int meanPointCount() const { return static_cast<int>(m_mean->count()); }
    int observedPointCount() const { return static_cast<int>(m_observed->count()); }

  private:
    QLineSeries* m_upper;
    QLineSeries* m_lower;
    QAreaSeries* m_band;
    QLineSeries* m_mean;
    QScatterSeries* m_observed;
    QLineSeries* m_acquisition;
    QLineSeries* m_incumbent;
    QValueAxis* m_x;
    QValueAxis* m_y;
    QValueAxis* m_acquisitionAxis;
};

}  // namespace bonsai::ui

#pragma once

#include <optional>
#include <utility>
#include <vector>

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QString>

#include "analysis/posterior_slice.h"
#include "plots/chart_view.h"

namespace bonsai::ui {

// Posterior mean with a ±2σ band, observed points and the acquisition curve
// (on its own right-hand axis). A categorical slice (a categorical parameter
// or a cell edge) draws, per category, the mean as a dot on a ±2σ bar.
class PosteriorSlicePlot : public ChartView {
    Q_OBJECT
  public:
    explicit PosteriorSlicePlot(QWidget* parent = nullptr);

    void setSlice(const PosteriorSlice& slice);
    // No slice to show, and why.
    void clearSlice(const QString& reason);

    int meanPointCount() const { return static_cast<int>(m_mean->count()); }
    // Observed trials drawn as dots, and as rings (those breaking a constraint).
    int observedPointCount() const { return static_cast<int>(m_observed->count()); }
    int infeasiblePointCount() const { return static_cast<int>(m_infeasible->count()); }
    int prunedPointCount() const { return static_cast<int>(m_pruned->count()); }
    // The parameter axis: a log axis for a log-scale parameter.
    QAbstractAxis* parameterAxis() const;
    // Categories drawn (0 for a numeric slice).
    int categoryCount() const { return static_cast<int>(m_bars.size()); }

    // The value axis in use: linear, or log for positive values spanning
    // decades (Rosenbrock's losses).
    QAbstractAxis* valueAxis() const;
    // A linear value axis draws values divided by this power of ten, named
    // in its title ("Objective value (×10⁶)"); 1 otherwise.
    double valueScale() const { return m_valueScale; }

  private:
    void useLogAxis(bool log);
    // Puts the value axis (linear or log) on the chart and fits it to
    // [low, high], titled `title` and its label power of ten.
    QAbstractAxis* fitValues(double low, double high, bool log, const QString& title);
    std::pair<double, double> valueRange() const;
    // `value` where the value axis draws it: scaled, and clamped to the axis.
    double onValueAxis(double value) const;
    // The incumbent's dotted line across the value axis.
    void showIncumbent(std::optional<double> x);
    // Which axes a drawn slice shows (none when nothing is drawn).
    void showAxes(bool drawn, bool categorical, bool acquisition);

    void clearBars();
    // The observed trials: dots, and rings for those breaking a constraint
    // (with a legend entry only when there are some).
    // Complete trials as dots, those breaking a constraint as rings, pruned
    // ones as crosses (all in axis units).
    void showObserved(const QList<QPointF>& dots, const QList<QPointF>& rings,
                      const QList<QPointF>& crosses);
    QLineSeries* m_upper;
    QLineSeries* m_lower;
    QAreaSeries* m_band;
    QLineSeries* m_mean;
    QLineSeries* m_observed;
    QLineSeries* m_infeasible;
    QLineSeries* m_pruned;
    QLineSeries* m_acquisition;
    QLineSeries* m_incumbent;
    QValueAxis* m_x;
    QLogValueAxis* m_xLog;  // owned by the chart only while in use
    QValueAxis* m_y;
    QLogValueAxis* m_yLog;  // owned by the chart only while in use
    double m_valueScale = 1.0;
    QValueAxis* m_acquisitionAxis;
    QCategoryAxis* m_categoryX;
    QLineSeries* m_categoryMean;
    std::vector<QLineSeries*> m_bars;  // one ±2σ bar per category
};

}  // namespace bonsai::ui

#pragma once

#include <optional>
#include <vector>

#include <QLineSeries>

#include "model/trial.h"
#include "plots/chart_view.h"

namespace bonsai::ui {

struct EdfCurve {
    QString name;              // the study
    std::vector<QPointF> edf;  // (value, fraction of trials with value <= it), ascending
    std::vector<int> trials;   // the trial behind each point, parallel to edf
    bool clickable = false;    // the shown study: clicking a point selects its trial
};

// Empirical distribution functions of the objective values of several
// studies as step lines: a curve further left (minimize) or right (maximize)
// means a study that found good values more often, not just once.
class EdfPlot : public ChartView {
    Q_OBJECT
  public:
    explicit EdfPlot(QWidget* parent = nullptr);

    // `direction`, when the compared studies share one, says which side is
    // worse: values far off there (offScaleLimit's rule; NAS cells that learn
    // nothing, at ~10 % among 81-85 %) stay off the axis, each curve entering
    // at the edge at the fraction beyond it, and the title says how many.
    void setCurves(const std::vector<EdfCurve>& curves,
                   std::optional<Direction> direction = std::nullopt);
    // The value axis; "" says "Objective value".
    void setValueName(const QString& name);
    int curveCount() const { return static_cast<int>(m_series.size()); }
    // Values that are positive and span three decades or more go on a log axis.
    bool logScale() const { return isOnChart(m_xLog); }
    // Points of curve i's step line (two per value but the first).
    int stepPointCount(int i) const {
        return static_cast<int>(m_series.at(static_cast<std::size_t>(i))->count());
    }

  private:
    std::vector<QLineSeries*> m_series;
    std::vector<EdfCurve> m_curves;
    QValueAxis* m_x;
    QValueAxis* m_y;
    QLogValueAxis* m_xLog;  // owned by the chart only while in use
};

}  // namespace bonsai::ui

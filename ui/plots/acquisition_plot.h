#pragma once

#include <span>
#include <string>

#include <QLineSeries>
#include <QLogValueAxis>

#include "plots/chart_view.h"

namespace bonsai::ui {

// The acquisition value the strategy gave each suggestion (trial attribute
// "acquisition", stored by the GP strategy), over the iterations. The title
// says from which trial the gp's last trials exploit (exploit_last).
class AcquisitionPlot : public ChartView {
    Q_OBJECT
  public:
    explicit AcquisitionPlot(QWidget* parent = nullptr);

    void setTrials(std::span<const Trial> trials);
    // What to say when there are no values (the default names gp).
    void setEmptyReason(const QString& reason);
    // Draws attribute `key` (TPE's "tpe_score") under these titles instead.
    void setScore(const std::string& key, const QString& title, const QString& axisTitle);
    int pointCount() const { return static_cast<int>(m_points->count()); }
    // The values are drawn on a log axis (positive, over three decades or more).
    bool logScale() const { return isOnChart(m_yLog); }

  private:
    QLineSeries* m_points;
    QValueAxis* m_x;
    QValueAxis* m_y;
    QLogValueAxis* m_yLog;  // owned by the chart only while in use
    QString m_emptyReason;
    std::string m_key = "acquisition";
};

}  // namespace bonsai::ui

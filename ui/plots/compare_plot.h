#pragma once

#include <optional>
#include <span>
#include <vector>

#include <QLineSeries>
#include <QString>

#include "analysis/study_counts.h"
#include "plots/chart_view.h"
#include "study/spec.h"

namespace bonsai::ui {

struct CompareCurve {
    QString name;                 // the study
    std::vector<QPointF> best;    // best-so-far points (trial number, value)
    std::vector<QPointF> values;  // (trial number, value) of complete trials, for the EDF
    // A study with several objectives is drawn by its first: that one's name
    // (empty for one objective).
    QString firstOfSeveral;
    // What a single-objective study's value is (objectiveValueName); empty
    // when only "value" can be said.
    QString valueName;
    // Which way the curves' values are better (with several objectives, the
    // first's).
    Direction direction = Direction::Minimize;
    // A study with several objectives: its objective sections and its
    // scored trials' losses in trial order, so that studies of the same
    // objectives can be compared by hypervolume against one reference.
    StudySpec sections = {};
    std::vector<ScoredLosses> scored = {};
    // The best so far against time (bestSoFarByTime), for Compare by time.
    std::vector<QPointF> bestByTime = {};
};

// The direction the curves share, if they do: only then is one side of the
// value axis worse for all of them.
std::optional<Direction> sharedDirection(std::span<const CompareCurve> curves);

// Best-so-far curves of several studies on one chart (e.g. gp vs tpe vs random).
// Best values far off on the worse side (offScaleLimit over all the curves'
// points, where the studies share a direction: a first NAS cell that learns
// nothing at ~10 % among 81-85 %, Branin's first 120 before 0.4) are off the
// axis, each curve entering from its edge, and the title says how many.
class ComparePlot : public ChartView {
    Q_OBJECT
  public:
    explicit ComparePlot(QWidget* parent = nullptr);
    // The value axis: "Best <name>"; "" says "Best value".
    void setValueName(const QString& name);
    // The curves are hypervolumes so far (of studies of several objectives,
    // against one reference point), or best values.
    void setHypervolumes(bool hypervolumes);
    // The x axis: trial numbers, or time in `unit` ("s", "min", "h").
    void setTimeAxis(const QString& unit);
    void setTrialAxis();

    void setCurves(const std::vector<CompareCurve>& curves);
    int curveCount() const { return static_cast<int>(m_series.size()); }
    // Best values that are positive and span three decades or more go on a log axis.
    bool logScale() const { return isOnChart(m_yLog); }

  private:
    bool m_byTime = false;
    bool m_hypervolumes = false;
    std::vector<QLineSeries*> m_series;
    QValueAxis* m_x;
    QValueAxis* m_y;
    QLogValueAxis* m_yLog;  // owned by the chart only while in use
};

}  // namespace bonsai::ui

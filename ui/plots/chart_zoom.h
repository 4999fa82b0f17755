#pragma once

#include <functional>
#include <vector>

#include <QObject>
#include <QPointer>
#include <QRectF>

class QAbstractAxis;
class QChart;
class QLogValueAxis;

namespace bonsai::ui {

// What ChartView::fitAxis keeps on a value axis for the zoom: the tick
// step it chose, and whether the axis counts whole things (trials).
inline constexpr const char* kFittedStepProperty = "bonsaiFittedStep";
inline constexpr const char* kIntegerAxisProperty = "bonsaiIntegerAxis";

// The zoom of one chart: the ranges its value and log axes show while
// zoomed, kept through the chart's own refits (a running study's updates),
// and the fitted ranges to go back to. Category axes are not zoomed.
// ChartView drives it from the mouse.
class ChartZoom : public QObject {
    Q_OBJECT
  public:
    // `respaceLog` lays out a log axis's ticks after its range changed.
    ChartZoom(QChart* chart, std::function<void(QLogValueAxis*)> respaceLog, QObject* parent);

    // Zooms into `box`, a rectangle of the plot area in chart coordinates.
    void zoomTo(const QRectF& box);
    // Every axis back to the range its chart fitted.
    void reset();
    bool isZoomed() const { return !m_axes.empty(); }
    // `swap` puts `to` on the chart in place of `from` (ChartView::swapAxis).
    // The zoom along `from` goes; with `sameValues` (the other scale of the
    // same values: linear and log) its range moves to `to` where that axis
    // can show it. The zoom along the other axes stays.
    void replaceAxis(QAbstractAxis* from, QAbstractAxis* to, bool sameValues,
                     const std::function<void()>& swap);
    // Whether the fitted range's low (or high) end along `orientation` is in
    // view: not zoomed that way, or the zoom's end pinned to it.
    bool showsFittedEnd(Qt::Orientation orientation, bool low) const;

  signals:
    void changed();

  private:
    // A zoomed axis: the range its chart fitted (kept up to date while
    // zoomed, as live updates refit it) and the range shown. An end dragged
    // to the plot's edge is pinned to the fitted range's: a zoom to the
    // last trials keeps following new ones, and a zoom along x alone keeps
    // y fitted to what is shown.
    struct AxisZoom {
        QPointer<QAbstractAxis> axis;
        double fittedMin = 0, fittedMax = 0, fittedStep = 0;
        double min = 0, max = 0;
        bool pinnedLow = false, pinnedHigh = false;
        QMetaObject::Connection refitted;
    };
    // Keeps the entry's fitted range up to date as the chart refits `axis`.
    QMetaObject::Connection followRefits(QAbstractAxis* axis);
    // `axis` zoomed into `box` of the plot `area`: a new entry, or the one
    // it has zoomed further in.
    AxisZoom zoomAlong(QAbstractAxis* axis, const QRectF& box, const QRectF& area);
    // Shows [min, max] on `axis`, ticks every `step` (0: a round step).
    void show(QAbstractAxis* axis, double min, double max, double step);
    // The chart fitted a zoomed axis again: the zoom stays while it is
    // still inside the new range, else it goes.
    void onRefit(QAbstractAxis* axis);
    void apply();

    QChart* m_chart;
    std::function<void(QLogValueAxis*)> m_respaceLog;
    std::vector<AxisZoom> m_axes;
    bool m_showing = false;  // the range changes are the zoom's own
};

}  // namespace bonsai::ui

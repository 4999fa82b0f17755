#include "plots/chart_zoom.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include <QCategoryAxis>
#include <QChart>
#include <QLogValueAxis>
#include <QTimer>
#include <QValueAxis>

#include "analysis/trial_series.h"
#include "plots/tick_labels.h"

namespace bonsai::ui {

namespace {

// A zoom's end this close to the plot's edge is pinned to the fitted range's.
constexpr double kEdgePixels = 2.0;

double rangeMin(const QAbstractAxis* axis) {
    if (auto* log = qobject_cast<const QLogValueAxis*>(axis))
        return log->min();
    return static_cast<const QValueAxis*>(axis)->min();
}

double rangeMax(const QAbstractAxis* axis) {
    if (auto* log = qobject_cast<const QLogValueAxis*>(axis))
        return log->max();
    return static_cast<const QValueAxis*>(axis)->max();
}

}  // namespace

ChartZoom::ChartZoom(QChart* chart, std::function<void(QLogValueAxis*)> respaceLog, QObject* parent)
    : QObject(parent), m_chart(chart), m_respaceLog(std::move(respaceLog)) {}

void ChartZoom::zoomTo(const QRectF& box) {
    const QRectF area = m_chart->plotArea();
    const QRectF inside = box.normalized().intersected(area);
    if (area.isEmpty() || inside.width() < 1 || inside.height() < 1)
        return;
    std::vector<AxisZoom> axes;
    for (QAbstractAxis* axis : m_chart->axes()) {
        // Categories (a cell edge's operations) are not a range to zoom into.
        const bool range = qobject_cast<QLogValueAxis*>(axis) ||
                           (qobject_cast<QValueAxis*>(axis) && !qobject_cast<QCategoryAxis*>(axis));
        if (range && axis->isVisible())
            axes.push_back(zoomAlong(axis, inside, area));
    }
    for (const AxisZoom& old : m_axes)
        if (std::none_of(axes.begin(), axes.end(),
                         [&](const AxisZoom& zoom) { return zoom.axis == old.axis; }))
            disconnect(old.refitted);
    m_axes = std::move(axes);
    apply();
    emit changed();
}

ChartZoom::AxisZoom ChartZoom::zoomAlong(QAbstractAxis* axis, const QRectF& box,
                                         const QRectF& area) {
    // The box's ends as fractions of the axis from its low end.
    const bool horizontal = axis->orientation() == Qt::Horizontal;
    double from = horizontal ? (box.left() - area.left()) / area.width()
                             : (area.bottom() - box.bottom()) / area.height();
    double to = horizontal ? (box.right() - area.left()) / area.width()
                           : (area.bottom() - box.top()) / area.height();
    if (axis->isReverse()) {
        from = 1 - from;
        to = 1 - to;
        std::swap(from, to);
    }
    const double length = horizontal ? area.width() : area.height();
    const bool atLow = from * length <= kEdgePixels;
    const bool atHigh = (1 - to) * length <= kEdgePixels;
    const double min = rangeMin(axis), max = rangeMax(axis);
    const bool log = qobject_cast<QLogValueAxis*>(axis);
    auto at = [&](double fraction) {
        return log ? std::exp(std::log(min) + fraction * (std::log(max) - std::log(min)))
                   : min + fraction * (max - min);
    };
    AxisZoom zoom;
    auto known = std::find_if(m_axes.begin(), m_axes.end(),
                              [&](const AxisZoom& z) { return z.axis == axis; });
    if (known != m_axes.end()) {
        zoom = *known;  // zooming further in: the fitted range stays the chart's
        zoom.pinnedLow = atLow && known->pinnedLow;
        zoom.pinnedHigh = atHigh && known->pinnedHigh;
    } else {
        zoom.axis = axis;
        zoom.fittedMin = min;
        zoom.fittedMax = max;
        zoom.fittedStep = axis->property(kFittedStepProperty).toDouble();
        zoom.pinnedLow = atLow;
        zoom.pinnedHigh = atHigh;
        zoom.refitted = followRefits(axis);
    }
    zoom.min = at(from);
    zoom.max = at(to);
    return zoom;
}

QMetaObject::Connection ChartZoom::followRefits(QAbstractAxis* axis) {
    auto refit = [this, axis] { onRefit(axis); };
    if (auto* log = qobject_cast<QLogValueAxis*>(axis))
        return connect(log, &QLogValueAxis::rangeChanged, this, refit);
    return connect(static_cast<QValueAxis*>(axis), &QValueAxis::rangeChanged, this, refit);
}

void ChartZoom::replaceAxis(QAbstractAxis* from, QAbstractAxis* to, bool sameValues,
                            const std::function<void()>& swap) {
    auto zoom = std::find_if(m_axes.begin(), m_axes.end(),
                             [&](const AxisZoom& z) { return z.axis == from; });
    if (zoom == m_axes.end()) {
        swap();
        return;
    }
    AxisZoom moved = *zoom;
    disconnect(zoom->refitted);
    m_axes.erase(zoom);
    // Not followed while the chart takes one axis off and puts the other on:
    // their ranges pass through defaults on the way.
    swap();
    // A log axis shows positive ranges only; what was zoomed into on a linear
    // axis from zero or below is not on it.
    const bool fits = !qobject_cast<QLogValueAxis*>(to) || moved.min > 0;
    if (!sameValues || !fits) {
        emit changed();
        return;
    }
    // The chart refits `to` next (onRefit); until then its range is the
    // fitted one.
    moved.axis = to;
    moved.fittedMin = rangeMin(to);
    moved.fittedMax = rangeMax(to);
    moved.fittedStep = to->property(kFittedStepProperty).toDouble();
    moved.refitted = followRefits(to);
    m_axes.push_back(moved);
    QTimer::singleShot(0, this, [this] {
        if (isZoomed())
            apply();
    });
}

bool ChartZoom::showsFittedEnd(Qt::Orientation orientation, bool low) const {
    return std::all_of(m_axes.begin(), m_axes.end(), [&](const AxisZoom& zoom) {
        return !zoom.axis || zoom.axis->orientation() != orientation ||
               (low ? zoom.pinnedLow : zoom.pinnedHigh);
    });
}

void ChartZoom::apply() {
    m_showing = true;
    for (const AxisZoom& zoom : m_axes)
        if (zoom.axis)
            show(zoom.axis, zoom.min, zoom.max, 0);
    m_showing = false;
}

void ChartZoom::reset() {
    if (m_axes.empty())
        return;
    const std::vector<AxisZoom> axes = std::exchange(m_axes, {});
    m_showing = true;
    for (const AxisZoom& zoom : axes) {
        disconnect(zoom.refitted);
        if (zoom.axis)
            show(zoom.axis, zoom.fittedMin, zoom.fittedMax, zoom.fittedStep);
    }
    m_showing = false;
    emit changed();
}

void ChartZoom::onRefit(QAbstractAxis* axis) {
    if (m_showing)
        return;
    auto zoom = std::find_if(m_axes.begin(), m_axes.end(),
                             [&](const AxisZoom& z) { return z.axis == axis; });
    if (zoom == m_axes.end())
        return;
    zoom->fittedMin = rangeMin(axis);
    zoom->fittedMax = rangeMax(axis);
    zoom->fittedStep = axis->property(kFittedStepProperty).toDouble();
    if (zoom->pinnedLow)
        zoom->min = zoom->fittedMin;
    if (zoom->pinnedHigh)
        zoom->max = zoom->fittedMax;
    // A live update grows the range around what is zoomed into: the zoom
    // stays (shown again once the chart is done). A range that no longer
    // holds it is other data, and the zoom goes.
    const double tolerance = 1e-9 * (zoom->fittedMax - zoom->fittedMin);
    if (zoom->min < zoom->fittedMin - tolerance || zoom->max > zoom->fittedMax + tolerance) {
        reset();
        return;
    }
    QTimer::singleShot(0, this, [this] {
        if (isZoomed())
            apply();
    });
}

void ChartZoom::show(QAbstractAxis* axis, double min, double max, double step) {
    if (auto* log = qobject_cast<QLogValueAxis*>(axis)) {
        log->setRange(min, max);
        m_respaceLog(log);
        return;
    }
    auto* value = qobject_cast<QValueAxis*>(axis);
    if (!value)
        return;
    if (value->tickType() != QValueAxis::TicksDynamic) {
        value->setRange(min, max);
        return;
    }
    const double span = max - min;
    if (step <= 0) {
        step = niceStep(span, 5);
        if (value->property(kIntegerAxisProperty).toBool())
            step = std::max(1.0, std::round(step));
    }
    value->setProperty(kFittedStepProperty, step);
    if (value->tickInterval() <= 0 || span / value->tickInterval() > 50)
        value->setTickInterval(std::max(step, span));  // never thousands of labels for a moment
    value->setRange(min, max);
    value->setTickInterval(step);
    labelRoundTicks(value);
}

}  // namespace bonsai::ui

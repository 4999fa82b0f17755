#include "plots/point_layer.h"

#include <algorithm>
#include <cmath>

#include <QAbstractAxis>
#include <QChart>
#include <QGraphicsSceneHoverEvent>
#include <QGraphicsSceneMouseEvent>
#include <QLogValueAxis>
#include <QPainter>
#include <QValueAxis>
#include <QXYSeries>

namespace bonsai::ui {

PointLayer::PointLayer(QChart* chart, QXYSeries* anchor, const QImage& marker)
    : QGraphicsObject(chart), m_chart(chart), m_anchor(anchor), m_marker(marker) {
    // Above the series items (Qt Charts' series z value), below the legend.
    setZValue(4.5);
    setAcceptHoverEvents(true);
    setAcceptedMouseButtons(Qt::LeftButton);
    m_area = chart->plotArea();
    connect(chart, &QChart::plotAreaChanged, this, [this](const QRectF& area) {
        prepareGeometryChange();
        m_area = area;
        update();
    });
}

void PointLayer::followAxes() {
    for (const QMetaObject::Connection& connection : m_axisConnections)
        disconnect(connection);
    m_axisConnections.clear();
    for (QAbstractAxis* axis : m_anchor->attachedAxes()) {
        if (auto* value = qobject_cast<QValueAxis*>(axis))
            m_axisConnections.push_back(
                connect(value, &QValueAxis::rangeChanged, this, [this] { update(); }));
        else if (auto* log = qobject_cast<QLogValueAxis*>(axis))
            m_axisConnections.push_back(
                connect(log, &QLogValueAxis::rangeChanged, this, [this] { update(); }));
    }
}

void PointLayer::setPoints(std::vector<QPointF> points) {
    // The same points and more: the cache keeps what it has drawn.
    const bool appended = points.size() >= m_points.size() &&
                          std::equal(m_points.begin(), m_points.end(), points.begin());
    if (!appended)
        m_cached = 0;
    m_points = std::move(points);
    m_hovered.reset();
    m_pressed.reset();
    update();
}

void PointLayer::setMarker(const QImage& marker) {
    if (marker == m_marker)
        return;
    prepareGeometryChange();  // the hover reach depends on its size
    m_marker = marker;
    m_cached = 0;
    update();
}

QRectF PointLayer::boundingRect() const {
    return m_area;
}

QPainterPath PointLayer::shape() const {
    QPainterPath path;
    path.addRect(m_area);
    return path;
}

std::vector<double> PointLayer::cacheKey(double pixelRatio) const {
    std::vector<double> key = {m_area.x(), m_area.y(), m_area.width(), m_area.height(), pixelRatio};
    for (QAbstractAxis* axis : m_anchor->attachedAxes()) {
        if (auto* value = qobject_cast<QValueAxis*>(axis))
            key.insert(key.end(), {0.0, value->min(), value->max()});
        else if (auto* log = qobject_cast<QLogValueAxis*>(axis))
            key.insert(key.end(), {1.0, log->min(), log->max(), log->base()});
    }
    return key;
}

void PointLayer::drawMarkers(QPainter* painter, std::size_t from) const {
    // As Qt Charts places light markers: centred, on whole-pixel halves.
    const int halfWidth = m_marker.width() / 2, halfHeight = m_marker.height() / 2;
    for (std::size_t i = from; i < m_points.size(); ++i) {
        const QPointF at = m_chart->mapToPosition(m_points[i], m_anchor);
        if (!std::isfinite(at.x()) || !std::isfinite(at.y()))
            continue;
        painter->drawImage(QPointF(at.x() - halfWidth, at.y() - halfHeight), m_marker);
    }
}

void PointLayer::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    if (m_points.empty() || !m_anchor->chart() || m_area.isEmpty())
        return;
    const double ratio = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
    std::vector<double> key = cacheKey(ratio);
    if (key != m_cacheKey || m_cache.isNull()) {
        const QSize pixels = (m_area.size() * ratio).toSize().expandedTo(QSize(1, 1));
        m_cache = QImage(pixels, QImage::Format_ARGB32_Premultiplied);
        m_cache.setDevicePixelRatio(ratio);
        m_cacheKey = std::move(key);
        m_cached = 0;
    }
    if (m_cached == 0)
        m_cache.fill(Qt::transparent);
    if (m_cached < m_points.size()) {
        QPainter cache(&m_cache);
        cache.translate(-m_area.topLeft());
        drawMarkers(&cache, m_cached);
        m_cached = m_points.size();
    }
    painter->drawImage(m_area.topLeft(), m_cache);
}

std::optional<int> PointLayer::pointAt(const QPointF& pos) const {
    if (!m_anchor->chart() || !m_area.contains(pos))
        return std::nullopt;
    const double reach = std::max(m_marker.width(), m_marker.height()) / 2.0 + 1.0;
    std::optional<int> best;
    double bestDistance = reach * reach;
    for (std::size_t i = 0; i < m_points.size(); ++i) {
        const QPointF at = m_chart->mapToPosition(m_points[i], m_anchor);
        const double dx = at.x() - pos.x(), dy = at.y() - pos.y();
        if (dx * dx + dy * dy <= bestDistance) {
            bestDistance = dx * dx + dy * dy;
            best = static_cast<int>(i);
        }
    }
    return best;
}

void PointLayer::setHovered(std::optional<int> index) {
    if (index == m_hovered)
        return;
    if (m_hovered)
        emit hovered(*m_hovered, false);
    m_hovered = index;
    if (m_hovered)
        emit hovered(*m_hovered, true);
}

void PointLayer::hoverMoveEvent(QGraphicsSceneHoverEvent* event) {
    setHovered(pointAt(event->pos()));
    QGraphicsObject::hoverMoveEvent(event);
}

void PointLayer::hoverLeaveEvent(QGraphicsSceneHoverEvent* event) {
    setHovered(std::nullopt);
    QGraphicsObject::hoverLeaveEvent(event);
}

void PointLayer::mousePressEvent(QGraphicsSceneMouseEvent* event) {
    m_pressed = pointAt(event->pos());
    if (!m_pressed)
        event->ignore();  // not on a point: the chart's own handling
}

void PointLayer::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
    if (m_pressed && pointAt(event->pos()) == m_pressed)
        emit clicked(*m_pressed);
    m_pressed.reset();
    QGraphicsObject::mouseReleaseEvent(event);
}

}  // namespace bonsai::ui

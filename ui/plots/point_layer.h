#pragma once

#include <optional>
#include <vector>

#include <QGraphicsObject>
#include <QImage>

class QChart;
class QXYSeries;

namespace bonsai::ui {

// Thousands of points that look alike, drawn on a chart as marker images
// where `anchor` (a series on the same axes, left empty) maps them. A point
// series (makePointSeries) strokes a path through all its points on every
// change of its points or of an axis range, ~50 ms for 10,000 trials; here
// new points or a new range cost a repaint only, so a live study's charts
// keep the event loop turning. The markers are drawn into a cached image:
// points appended to the same ones (a live batch) draw only the new ones,
// and other repaints (a hover, a neighbour's update) draw the image alone.
// Reports hovered and clicked points by index.
class PointLayer : public QGraphicsObject {
    Q_OBJECT
  public:
    // Layers drawn later lie on top: create the ring of a selection last.
    PointLayer(QChart* chart, QXYSeries* anchor, const QImage& marker);

    void setPoints(std::vector<QPointF> points);
    void setMarker(const QImage& marker);
    void clear() { setPoints({}); }
    int count() const { return static_cast<int>(m_points.size()); }
    const std::vector<QPointF>& points() const { return m_points; }
    // Repaints on range changes of the anchor's axes (call once it has them,
    // and again after they are swapped: it then follows only the new ones).
    void followAxes();

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

  signals:
    void hovered(int index, bool state);
    void clicked(int index);

  protected:
    void hoverMoveEvent(QGraphicsSceneHoverEvent* event) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent* event) override;
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;

  private:
    // The point drawn under `pos` (the nearest within its marker), if any.
    std::optional<int> pointAt(const QPointF& pos) const;
    void setHovered(std::optional<int> index);
    // What the cached image depends on besides the points: the plot area,
    // the axes' ranges and the device pixel ratio.
    std::vector<double> cacheKey(double pixelRatio) const;
    void drawMarkers(QPainter* painter, std::size_t from) const;

    QChart* m_chart;
    QXYSeries* m_anchor;
    QImage m_marker;
    std::vector<QPointF> m_points;
    QRectF m_area;   // the plot area the points are clipped to
    QImage m_cache;  // m_points[0, m_cached) drawn over the plot area
    std::size_t m_cached = 0;
    std::vector<double> m_cacheKey;
    std::optional<int> m_hovered;
    std::optional<int> m_pressed;
    std::vector<QMetaObject::Connection> m_axisConnections;
};

}  // namespace bonsai::ui

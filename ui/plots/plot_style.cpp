#include "plots/plot_style.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <QFontMetricsF>
#include <QLegend>
#include <QLegendMarker>
#include <QPainter>
#include <QPen>
#include <QPolygonF>

namespace bonsai::ui {

QColor plotColors::series(int i) {
    static const std::array<QRgb, 10> palette{0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
                                              0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac};
    return QColor(palette[static_cast<std::size_t>(i) % palette.size()]);
}

namespace {

// A transparent square image of `size` pixels, drawn by `draw` with
// antialiasing, pen `pen` and brush `brush`.
template <typename Draw>
QImage markerImage(int size, const QPen& pen, const QBrush& brush, Draw draw) {
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(pen);
    painter.setBrush(brush);
    draw(painter);
    return image;
}

}  // namespace

QImage crossMarker(const QColor& color, int size) {
    return markerImage(size, QPen(color, 2.0), Qt::NoBrush, [size](QPainter& painter) {
        painter.drawLine(QPointF(2, 2), QPointF(size - 2, size - 2));
        painter.drawLine(QPointF(2, size - 2), QPointF(size - 2, 2));
    });
}

QImage dotMarker(const QColor& color, int size) {
    return markerImage(size, QPen(color.darker(135), 1.0), color, [size](QPainter& painter) {
        painter.drawEllipse(QRectF(0.5, 0.5, size - 1.0, size - 1.0));
    });
}

QImage ringMarker(const QColor& color, int size) {
    return markerImage(size, QPen(color, 2.5), Qt::NoBrush, [size](QPainter& painter) {
        painter.drawEllipse(QRectF(1.5, 1.5, size - 3.0, size - 3.0));
    });
}

QImage arrowMarker(const QColor& color, bool down, int size) {
    return markerImage(size, QPen(color.darker(135), 1.0), color, [=](QPainter& painter) {
        const double tip = down ? size - 1.0 : 1.0, base = down ? 1.0 : size - 1.0;
        painter.drawPolygon(
            QPolygonF{QPointF(1.0, base), QPointF(size - 1.0, base), QPointF(size / 2.0, tip)});
    });
}

QImage sideArrowMarker(const QColor& color, bool left, int size) {
    return markerImage(size, QPen(color.darker(135), 1.0), color, [=](QPainter& painter) {
        const double tip = left ? 1.0 : size - 1.0, base = left ? size - 1.0 : 1.0;
        painter.drawPolygon(
            QPolygonF{QPointF(base, 1.0), QPointF(base, size - 1.0), QPointF(tip, size / 2.0)});
    });
}

void setLegendColor(QChart* chart, QLineSeries* series, const QColor& color, bool hollow) {
    for (QLegendMarker* marker : chart->legend()->markers(series)) {
        if (hollow) {
            marker->setShape(QLegend::MarkerShapeCircle);
            marker->setBrush(Qt::NoBrush);
            marker->setPen(QPen(color, 2));
        } else {
            marker->setBrush(color);
            marker->setPen(QPen(color.darker(130)));
        }
    }
}

QLineSeries* makePointSeries(const QImage& marker) {
    auto* series = new QLineSeries;
    series->setPen(QPen(Qt::transparent, 0));
    series->setPointsVisible(true);
    series->setMarkerSize(marker.width());
    series->setLightMarker(marker);
    return series;
}

// Best-so-far as a staircase: the best holds until the next improvement.
QList<QPointF> staircase(const std::vector<QPointF>& best, double lastTrial) {
    QList<QPointF> out;
    out.reserve(static_cast<qsizetype>(best.size() * 2 + 1));
    for (std::size_t i = 0; i < best.size(); ++i) {
        if (i > 0 && best[i].y() != best[i - 1].y())
            out.append(QPointF(best[i].x(), best[i - 1].y()));
        if (i == 0 || best[i].y() != best[i - 1].y())
            out.append(best[i]);
    }
    if (!best.empty() && lastTrial > out.back().x())
        out.append(QPointF(lastTrial, best.back().y()));
    return out;
}

qreal horizontalLabelRoom(qreal axisLength, qsizetype layoutPoints) {
    constexpr qreal kLabelPadding = 4.0;
    return axisLength / static_cast<qreal>(std::max<qsizetype>(layoutPoints, 1)) -
           2 * kLabelPadding;
}

void fitCategoryLabels(QCategoryAxis* axis, qreal plotWidth) {
    const QStringList labels = axis->categoriesLabels();
    if (labels.isEmpty() || plotWidth <= 0)
        return;
    const qreal room = horizontalLabelRoom(plotWidth, labels.size() + 1);
    const QFontMetricsF metrics(axis->labelsFont());
    qreal widest = 0;
    for (const QString& label : labels)
        widest = std::max(widest, metrics.horizontalAdvance(label));
    const qreal angle = widest > room ? -90.0 : 0.0;
    if (axis->labelsAngle() != angle)
        axis->setLabelsAngle(static_cast<int>(angle));
}

}  // namespace bonsai::ui

#include "plots/plot_style.h"

#include <array>

#include <QPainter>
#include <QPen>

namespace bonsai::ui {

QColor plotColors::series(int i) {
    static const std::array<QRgb, 10> palette{0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
                                              0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac};
    return QColor(palette[static_cast<std::size_t>(i) % palette.size()]);
}

QImage crossMarker(const QColor& color, int size) {
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(color, 2.0));
    painter.drawLine(QPointF(2, 2), QPointF(size - 2, size - 2));
    painter.drawLine(QPointF(2, size - 2), QPointF(size - 2, 2));
    return image;
}

}  // namespace bonsai::ui

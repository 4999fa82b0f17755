#pragma once

#include <QColor>
#include <QImage>

namespace bonsai::ui {

// The studio's plot colours, in one place so every chart agrees.
namespace plotColors {
inline QColor complete() {
    return QColor(0x2b, 0x6c, 0xb0);
}
inline QColor best() {
    return QColor(0xd9, 0x5f, 0x02);
}
inline QColor pruned() {
    return QColor(0x9a, 0x9a, 0x9a);
}
inline QColor running() {
    return QColor(0x1b, 0x9e, 0x77);
}
inline QColor selected() {
    return QColor(0xe7, 0x29, 0x8a);
}
inline QColor band() {
    return QColor(0x2b, 0x6c, 0xb0, 60);
}
// A distinct colour for series i (Tableau 10).
QColor series(int i);
}  // namespace plotColors

// A small "x" marker image, for points that mark pruned trials.
QImage crossMarker(const QColor& color, int size = 11);

}  // namespace bonsai::ui

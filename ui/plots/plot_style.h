#pragma once

#include <QCategoryAxis>
#include <QChart>
#include <QColor>
#include <QImage>
#include <QLineSeries>
#include <QList>
#include <QPointF>

#include <vector>

#include "helpers/palette.h"

namespace bonsai::ui {

// The studio's plot colours, in one place so every chart agrees; lighter in
// dark mode so they stay readable on a dark plot background.
namespace plotColors {
inline QColor complete() {
    return isDarkPalette() ? QColor(0x6f, 0xa8, 0xe8) : QColor(0x2b, 0x6c, 0xb0);
}
inline QColor best() {
    return isDarkPalette() ? QColor(0xff, 0x99, 0x40) : QColor(0xd9, 0x5f, 0x02);
}
inline QColor pruned() {
    return QColor(0x9a, 0x9a, 0x9a);
}
inline QColor running() {
    return isDarkPalette() ? QColor(0x4c, 0xd1, 0xa6) : QColor(0x1b, 0x9e, 0x77);
}
inline QColor selected() {
    return isDarkPalette() ? QColor(0xff, 0x6e, 0xb4) : QColor(0xe7, 0x29, 0x8a);
}
inline QColor band() {
    QColor color = complete();
    color.setAlpha(60);
    return color;
}
// A distinct colour for series i (Tableau 10).
QColor series(int i);
}  // namespace plotColors

// A small "x" marker image, for points that mark pruned trials.
QImage crossMarker(const QColor& color, int size = 11);
// A filled dot with a darker rim. Scatter series draw "light" (image) markers
// in one paint call instead of one graphics item per point, which keeps
// charts of 10,000 trials fast and small.
QImage dotMarker(const QColor& color, int size = 7);
// A ring, for the selected trial.
QImage ringMarker(const QColor& color, int size = 15);
// A filled triangle pointing down (or up): a trial whose value lies off the
// axis that way, drawn at its edge.
QImage arrowMarker(const QColor& color, bool down, int size = 11);
// The same pointing left (or right), for a horizontal axis.
QImage sideArrowMarker(const QColor& color, bool left, int size = 11);

// Points only: a line series with an invisible line and image markers. Qt
// Charts 6.4 makes one graphics item per point of a QScatterSeries (seconds
// and hundreds of MB for 10,000 trials); a line series paints its markers in
// one pass and still reports hovered and clicked points.
QLineSeries* makePointSeries(const QImage& marker);
// The legend entry of a point series (whose line is invisible) in `color`:
// a filled square, or a ring for a series drawn as rings (`hollow`). Call
// after the series is added to the chart.
void setLegendColor(QChart* chart, QLineSeries* series, const QColor& color, bool hollow = false);

// The width Qt Charts gives each label of a horizontal axis before eliding
// it to "...": the axis length / its layout points (ticks, or categories + 1)
// less 4 px of padding each side (HorizontalAxis::updateGeometry).
qreal horizontalLabelRoom(qreal axisLength, qsizetype layoutPoints);

// Turns the labels of a category axis upright (-90 degrees) when the widest
// would not fit across its category in `plotWidth` pixels, and back when it
// would: on a narrow panel (the Live tab at 1024x700) five operation names all
// became "n...", "s...", "3...". Upright labels need only their height across;
// the axis grows to hold their length. ChartView calls it for its category
// axes whenever the plot area changes.
void fitCategoryLabels(QCategoryAxis* axis, qreal plotWidth);

// A progress line (best so far, hypervolume) as a staircase: each value holds
// until the next change, and the last one until `lastTrial`.
QList<QPointF> staircase(const std::vector<QPointF>& best, double lastTrial);

}  // namespace bonsai::ui

#include "plots/parallel_coordinates_plot.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include <QContextMenuEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPaintEngine>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include "plots/chart_export.h"
#include "plots/contour_plot.h"
#include "plots/off_scale.h"
#include "plots/plot_style.h"

namespace bonsai::ui {

namespace {

constexpr double kLeft = 56, kTop = 46, kBottom = 30;
constexpr double kAxisGrab = 9;  // pixels either side of an axis that start a brush
constexpr int kLabelWidth = 88;  // an axis label's text is elided to this at most

// A label on an axis: its text, and a shorter one for where that does not fit.
struct Label {
    double t;
    QString text;
    QString shorter;
};

// The note in an objective's off-scale band, as the charts' notes read.
Label offScaleLabel(const ParallelAxis& axis, double t) {
    const OffScaleWords words = offScaleWords(axis.offScaleCount, 0, axis.offScaleLow,
                                              axis.offScaleHigh, axis.offScaleBelow);
    return {t, words.full, words.brief};
}

// An axis's labels at their scaled positions: every category, or the values
// at the ends and round ones between (parallelTicks), and the note of an
// off-scale band.
std::vector<Label> axisLabels(const ParallelAxis& axis) {
    std::vector<Label> labels;
    if (!axis.categories.isEmpty()) {
        const qsizetype count = axis.categories.size();
        for (qsizetype c = 0; c < count; ++c)
            labels.push_back(
                {count > 1 ? static_cast<double>(c) / static_cast<double>(count - 1) : 0.5,
                 axis.categories[c],
                 {}});
    } else {
        for (const auto& [t, value] : parallelTicks(axis))
            labels.push_back({t, QString::number(value, 'g', 4), {}});
    }
    if (const auto band = parallelOffScaleBandAt(axis))
        labels.push_back(offScaleLabel(axis, *band));
    return labels;
}

// A label's box right of the axis at x: its text on a light box, so it
// stays readable over thousands of lines.
QRectF labelBox(const QFontMetrics& metrics, double x, double y, const QString& shown) {
    return QRectF(x + 5, y - 8, metrics.horizontalAdvance(shown) + 6, 16);
}

// Source-over blends a one-pixel line segment into a premultiplied ARGB32
// image with a DDA. For thousands of translucent lines this is ~50x faster
// than QPainter, which blends a one-pixel span per call and hands work to
// the global thread pool.
void blendSegment(QImage& image, const QLineF& segment, QColor color) {
    const int width = image.width(), height = image.height();
    const double ratio = image.devicePixelRatio();
    const quint32 alpha = static_cast<quint32>(color.alpha());
    const quint32 red = static_cast<quint32>(color.red()) * alpha / 255;
    const quint32 green = static_cast<quint32>(color.green()) * alpha / 255;
    const quint32 blue = static_cast<quint32>(color.blue()) * alpha / 255;
    const quint32 keep = 255 - alpha;
    auto* bits = reinterpret_cast<quint32*>(image.bits());
    const qsizetype stride = image.bytesPerLine() / 4;
    const double x0 = segment.x1() * ratio, y0 = segment.y1() * ratio;
    const double dx = segment.x2() * ratio - x0, dy = segment.y2() * ratio - y0;
    const int steps =
        std::max(1, static_cast<int>(std::ceil(std::max(std::fabs(dx), std::fabs(dy)))));
    for (int k = 0; k <= steps; ++k) {
        const int x = static_cast<int>(x0 + dx * k / steps + 0.5);
        const int y = static_cast<int>(y0 + dy * k / steps + 0.5);
        if (x < 0 || y < 0 || x >= width || y >= height)
            continue;
        quint32& pixel = bits[y * stride + x];
        const quint32 a = (pixel >> 24) & 0xff, r = (pixel >> 16) & 0xff, g = (pixel >> 8) & 0xff,
                      b = pixel & 0xff;
        pixel = ((alpha + a * keep / 255) << 24) | ((red + r * keep / 255) << 16) |
                ((green + g * keep / 255) << 8) | (blue + b * keep / 255);
    }
}

// Blends every segment in `color`. Lines between categorical axes (a cell's
// edges) coincide by the thousands: k copies of a segment blended at alpha a
// equal one blend at 1 - (1 - a)^k, so each distinct segment is drawn once.
void blendSegments(QImage& image, std::vector<QLineF>& segments, QColor color) {
    std::sort(segments.begin(), segments.end(), [](const QLineF& p, const QLineF& q) {
        return std::make_tuple(p.x1(), p.y1(), p.x2(), p.y2()) <
               std::make_tuple(q.x1(), q.y1(), q.x2(), q.y2());
    });
    const double keep = 1.0 - color.alphaF();
    for (std::size_t i = 0; i < segments.size();) {
        std::size_t j = i + 1;
        while (j < segments.size() && segments[j] == segments[i])
            ++j;
        QColor combined = color;
        if (j - i > 1)
            combined.setAlphaF(
                static_cast<float>(1.0 - std::pow(keep, static_cast<double>(j - i))));
        blendSegment(image, segments[i], combined);
        i = j;
    }
}

}  // namespace

ParallelCoordinatesPlot::ParallelCoordinatesPlot(QWidget* parent) : QWidget(parent) {
    setMinimumSize(320, 220);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setWindowTitle(tr("Parallel coordinates"));
}

void ParallelCoordinatesPlot::setData(ParallelData data) {
    // Brushes survive new trials as long as the axes stay the same.
    bool sameAxes = data.axes.size() == m_data.axes.size();
    bool sameScales = sameAxes;
    for (std::size_t i = 0; sameAxes && i < data.axes.size(); ++i) {
        const ParallelAxis &a = data.axes[i], &b = m_data.axes[i];
        sameAxes = a.name == b.name;
        sameScales = sameScales && sameAxes && a.low == b.low && a.high == b.high &&
                     a.log == b.log && a.categories == b.categories;
    }
    // A live study mostly appends trials on unchanged scales: then only the
    // new lines are blended onto the cached image.
    const std::size_t before = m_data.trialNumbers.size(), after = data.trialNumbers.size();
    const bool append = sameScales && !m_cacheStale && isVisible() &&
                        m_cache.size() == size() * devicePixelRatioF() && after >= before &&
                        before > kManyLines && lineAlpha(before) == lineAlpha(after) &&
                        std::equal(m_data.trialNumbers.begin(), m_data.trialNumbers.end(),
                                   data.trialNumbers.begin());
    m_data = std::move(data);
    fitRightMargin();
    if (!sameAxes)
        m_brushes.clear();
    m_colorValue.assign(m_data.trialNumbers.size(), std::nan(""));
    if (!m_data.axes.empty())
        for (std::size_t i = 0; i < m_data.trialNumbers.size(); ++i)
            m_colorValue[i] = m_data.position(i, m_data.axes.size() - 1);
    if (append) {
        computeInside();
        if (after > before) {
            QPainter painter(&m_cache);
            drawLines(painter, &m_cache, before);
        }
        update();
    } else {
        updateInside();
        // Draw the lines now rather than at the next paint, so whoever set
        // the data pays (and can measure) the cost.
        if (isVisible())
            rebuildCache();
    }
    if (!sameAxes)
        emit brushChanged();
}

void ParallelCoordinatesPlot::setSelectedTrial(int number) {
    if (number == m_selected)
        return;
    m_selected = number;
    update();
}

void ParallelCoordinatesPlot::setBrushes(std::vector<AxisBrush> brushes) {
    m_brushes = std::move(brushes);
    updateInside();
    emit brushChanged();
}

void ParallelCoordinatesPlot::previewBrushes(std::vector<AxisBrush> brushes) {
    m_brushes = std::move(brushes);
    updateInside();
}

void ParallelCoordinatesPlot::computeInside() {
    m_inside.assign(m_data.trialNumbers.size(), 1);
    if (!m_brushes.empty()) {
        const std::set<int> inside = ui::brushedTrials(m_data, m_brushes);
        for (std::size_t i = 0; i < m_data.trialNumbers.size(); ++i)
            m_inside[i] = inside.count(m_data.trialNumbers[i]) ? 1 : 0;
    }
}

void ParallelCoordinatesPlot::updateInside() {
    computeInside();
    m_cacheStale = true;
    update();
}

std::optional<std::set<int>> ParallelCoordinatesPlot::brushedTrials() const {
    if (m_brushes.empty())
        return std::nullopt;
    return ui::brushedTrials(m_data, m_brushes);
}

double ParallelCoordinatesPlot::axisX(std::size_t axis) const {
    const double width = std::max(1.0, this->width() - kLeft - m_right);
    if (m_data.axes.size() <= 1)
        return kLeft + width / 2;
    return kLeft + width * static_cast<double>(axis) / static_cast<double>(m_data.axes.size() - 1);
}

double ParallelCoordinatesPlot::positionY(double t) const {
    const double height = std::max(1.0, this->height() - kTop - kBottom);
    return kTop + (1.0 - t) * height;
}

double ParallelCoordinatesPlot::positionAt(double y) const {
    const double height = std::max(1.0, this->height() - kTop - kBottom);
    return std::clamp(1.0 - (y - kTop) / height, 0.0, 1.0);
}

void ParallelCoordinatesPlot::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    m_cacheStale = true;
}

int ParallelCoordinatesPlot::lineAlpha(std::size_t lines) {
    // Thin, translucent lines: thousands of trials read as densities.
    return lines > 2000 ? 50 : lines > 300 ? 100 : 180;
}

void ParallelCoordinatesPlot::drawLines(QPainter& painter, QImage* raster, std::size_t from) const {
    const std::size_t axes = m_data.axes.size();
    if (axes < 2)
        return;
    std::vector<double> xs(axes);
    for (std::size_t a = 0; a < axes; ++a)
        xs[a] = axisX(a);
    const std::size_t n = m_data.trialNumbers.size();
    const int alpha = lineAlpha(n);
    // Segments between neighbouring axes where both ends are known
    // (inactive parameters, NaN, break the line).
    auto addSegments = [&](std::size_t i, std::vector<QLineF>& out) {
        for (std::size_t a = 0; a + 1 < axes; ++a) {
            const double t0 = m_data.position(i, a), t1 = m_data.position(i, a + 1);
            if (std::isfinite(t0) && std::isfinite(t1))
                out.emplace_back(xs[a], positionY(t0), xs[a + 1], positionY(t1));
        }
    };
    std::vector<QLineF> segments;
    auto flush = [&] {
        if (raster)
            blendSegments(*raster, segments, painter.pen().color());
        else if (!segments.empty())
            painter.drawLines(segments.data(), static_cast<int>(segments.size()));
        segments.clear();
    };
    painter.setBrush(Qt::NoBrush);
    // Cosmetic one-pixel pens take the raster engine's fast line path; lines
    // are batched by colour (32 bands) so the pen changes 33 times, not
    // once per trial.
    painter.setPen(QPen(QColor(0xb0, 0xb0, 0xb0, std::min(alpha, 60)), 0));
    for (std::size_t i = from; i < n; ++i)
        if (!m_inside[i])
            addSegments(i, segments);
    flush();
    constexpr int kBands = 32;
    std::vector<std::vector<std::size_t>> bands(kBands + 1);
    for (std::size_t i = from; i < n; ++i) {
        if (!m_inside[i])
            continue;
        const double t = m_colorValue[i];
        bands[std::isfinite(t) ? std::clamp(static_cast<int>(t * kBands), 0, kBands - 1) : kBands]
            .push_back(i);
    }
    for (int band = 0; band <= kBands; ++band) {
        if (bands[static_cast<std::size_t>(band)].empty())
            continue;
        QColor color =
            band == kBands ? QColor(0x80, 0x80, 0x80) : ContourPlot::colorAt((band + 0.5) / kBands);
        color.setAlpha(alpha);
        painter.setPen(QPen(color, n > 3000 ? 0 : 1.2));
        for (std::size_t i : bands[static_cast<std::size_t>(band)])
            addSegments(i, segments);
        flush();
    }
}

void ParallelCoordinatesPlot::fitRightMargin() {
    // The last axis's labels stand right of it like every other axis's (left
    // of it they ran into the labels of the axis before).
    double widest = 0;
    if (!m_data.axes.empty()) {
        const std::size_t last = m_data.axes.size() - 1;
        for (const AxisLabel& label : axisLabelBoxes(last))
            widest = std::max(widest, label.box.right() - axisX(last));
    }
    m_right = std::max(24.0, widest + 4);
}

QRectF ParallelCoordinatesPlot::titleBox(std::size_t axis, const QString& title) const {
    // Each title owns half the room to its neighbours; the first and the last
    // also the margin beyond them, up to the widget's edge.
    const double x = axisX(axis);
    const double half = m_data.axes.size() > 1 ? (axisX(1) - axisX(0) - 8) / 2 : width() / 2.0;
    const double left = axis == 0 ? x - 2 : half;
    const double right = axis + 1 == m_data.axes.size() ? width() - 2 - x : half;
    QFont bold = font();
    bold.setBold(true);
    const double textWidth = std::clamp(QFontMetrics(bold).horizontalAdvance(title) + 4.0, 0.0,
                                        std::max(24.0, std::min(160.0, left + right)));
    // Centred on the axis where the room allows, else pushed inside it.
    const double start =
        std::clamp(x - textWidth / 2, x - left, std::max(x - left, x + right - textWidth));
    return QRectF(start, 4, textWidth, 18);
}

QString ParallelCoordinatesPlot::axisTitle(std::size_t axis) const {
    return axisTitleHead(axis) + axisTitleScale(axis);
}

QString ParallelCoordinatesPlot::axisTitleHead(std::size_t axis) const {
    const ParallelAxis& a = m_data.axes[axis];
    return a.objective ? QStringLiteral("▶ ") + a.name : a.name;
}

QString ParallelCoordinatesPlot::axisTitleScale(std::size_t axis) const {
    // Its labels are decades, spaced evenly.
    return m_data.axes[axis].log ? tr(" (log)") : QString();
}

QString ParallelCoordinatesPlot::shownTitle(std::size_t axis) const {
    // Elided to its box, the name gives way before " (log)" does: the scale
    // changes how every label reads.
    const QString title = axisTitle(axis), scale = axisTitleScale(axis);
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics metrics(bold);
    const int room = static_cast<int>(titleBox(axis, title).width());
    if (metrics.horizontalAdvance(title) <= room)
        return title;
    return metrics.elidedText(axisTitleHead(axis), Qt::ElideRight,
                              std::max(0, room - metrics.horizontalAdvance(scale))) +
           scale;
}

std::vector<ParallelCoordinatesPlot::AxisLabel> ParallelCoordinatesPlot::axisLabelBoxes(
    std::size_t axis) const {
    const QFontMetrics metrics(font());
    // A label ends before the next axis, where that axis's labels start;
    // the last axis has the right margin (fitRightMargin).
    int room = kLabelWidth;
    if (axis + 1 < m_data.axes.size())
        room = std::clamp(static_cast<int>(axisX(axis + 1) - axisX(axis)) - 14, 12, kLabelWidth);
    std::vector<AxisLabel> out;
    for (const Label& label : axisLabels(m_data.axes[axis])) {
        const bool fits = metrics.horizontalAdvance(label.text) <= room;
        const QString& text = fits || label.shorter.isEmpty() ? label.text : label.shorter;
        const QString shown = metrics.elidedText(text, Qt::ElideRight, room);
        out.push_back({labelBox(metrics, axisX(axis), positionY(label.t), shown), shown});
    }
    // In a short plot the off-scale note (the last label) wins over a value
    // it would cover: the others' end, which the lines show anyway.
    if (parallelOffScaleBandAt(m_data.axes[axis])) {
        const QRectF note = out.back().box;
        std::erase_if(out, [&note](const AxisLabel& label) {
            return label.box != note && label.box.intersects(note);
        });
    }
    return out;
}

void ParallelCoordinatesPlot::drawAxes(QPainter& painter) const {
    for (std::size_t a = 0; a < m_data.axes.size(); ++a) {
        const double x = axisX(a);
        painter.setPen(QPen(QColor(0x30, 0x30, 0x30), 1.5));
        const ParallelAxis& axis = m_data.axes[a];
        if (axis.offScaleCount > 0) {
            // A broken axis: a gap parts the off-scale band from the scale.
            const double band = kParallelOffScaleBand;
            const auto [gapLow, gapHigh] = axis.offScaleBelow ? std::pair{0.8 * band, band}
                                                              : std::pair{1 - band, 1 - 0.8 * band};
            painter.drawLine(QPointF(x, positionY(0)), QPointF(x, positionY(gapLow)));
            painter.drawLine(QPointF(x, positionY(gapHigh)), QPointF(x, positionY(1)));
        } else {
            painter.drawLine(QPointF(x, positionY(0)), QPointF(x, positionY(1)));
        }
        QFont bold = font();
        bold.setBold(true);
        painter.setFont(bold);
        painter.drawText(titleBox(a, axisTitle(a)), Qt::AlignCenter, shownTitle(a));
        painter.setFont(font());
        for (const AxisLabel& label : axisLabelBoxes(a)) {
            const double y = label.box.center().y();
            painter.setPen(QColor(0x50, 0x50, 0x50));
            painter.drawLine(QPointF(x - 3, y), QPointF(x + 3, y));
            painter.fillRect(label.box, QColor(255, 255, 255, 215));
            painter.drawText(label.box, Qt::AlignCenter, label.text);
        }
    }
    // Brushes.
    for (const AxisBrush& brush : m_brushes) {
        if (brush.axis >= m_data.axes.size())
            continue;
        const double x = axisX(brush.axis);
        const QRectF box(QPointF(x - 7, positionY(brush.high)),
                         QPointF(x + 7, positionY(brush.low)));
        painter.setPen(QPen(plotColors::selected(), 1.5));
        painter.setBrush(QColor(0xe7, 0x29, 0x8a, 50));
        painter.drawRect(box);
    }
    painter.setBrush(Qt::NoBrush);
    if (m_data.trialNumbers.empty()) {
        painter.setPen(QColor(0x70, 0x70, 0x70));
        painter.drawText(rect(), Qt::AlignCenter, tr("No complete trial yet"));
    }
}

void ParallelCoordinatesPlot::rebuildCache() {
    const qreal ratio = devicePixelRatioF();
    m_cache = QImage((size() * ratio), QImage::Format_ARGB32_Premultiplied);
    m_cache.setDevicePixelRatio(ratio);
    m_cache.fill(Qt::transparent);
    QPainter painter(&m_cache);
    // Few lines: QPainter, antialiased. Many: the plain blender, much faster.
    const bool many = m_data.trialNumbers.size() > kManyLines;
    painter.setRenderHint(QPainter::Antialiasing, !many);
    drawLines(painter, many ? &m_cache : nullptr);
    m_cacheStale = false;
}

void ParallelCoordinatesPlot::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), Qt::white);
    // On screen (and grabbed as PNG) the lines come from the cache; into
    // an SVG or PDF they are drawn as vectors.
    const QPaintEngine::Type engine = painter.paintEngine()->type();
    const bool screen = engine != QPaintEngine::SVG && engine != QPaintEngine::Pdf &&
                        engine != QPaintEngine::Picture;
    if (screen) {
        if (m_cacheStale || m_cache.size() != size() * devicePixelRatioF())
            rebuildCache();
        painter.drawImage(QPoint(0, 0), m_cache);
    } else {
        painter.setRenderHint(QPainter::Antialiasing);
        drawLines(painter);
    }
    painter.setRenderHint(QPainter::Antialiasing);
    // The selected trial on top.
    auto selected = std::find(m_data.trialNumbers.begin(), m_data.trialNumbers.end(), m_selected);
    if (selected != m_data.trialNumbers.end()) {
        const auto i = static_cast<std::size_t>(selected - m_data.trialNumbers.begin());
        painter.setPen(QPen(plotColors::selected(), 2.5));
        QPolygonF line;
        for (std::size_t a = 0; a < m_data.axes.size(); ++a)
            if (std::isfinite(m_data.position(i, a)))
                line << QPointF(axisX(a), positionY(m_data.position(i, a)));
        painter.drawPolyline(line);
    }
    drawAxes(painter);
}

std::optional<std::size_t> ParallelCoordinatesPlot::axisNear(double x) const {
    for (std::size_t a = 0; a < m_data.axes.size(); ++a)
        if (std::fabs(x - axisX(a)) <= kAxisGrab)
            return a;
    return std::nullopt;
}

std::optional<std::size_t> ParallelCoordinatesPlot::trialNear(const QPointF& pos) const {
    const std::size_t axes = m_data.axes.size();
    if (axes < 2 || pos.x() < axisX(0) || pos.x() > axisX(axes - 1))
        return std::nullopt;
    std::size_t a = 0;
    while (a + 2 < axes && pos.x() > axisX(a + 1))
        ++a;
    const double f = (pos.x() - axisX(a)) / std::max(1.0, axisX(a + 1) - axisX(a));
    std::optional<std::size_t> best;
    double bestDistance = 5.0;  // pixels
    for (std::size_t i = 0; i < m_data.trialNumbers.size(); ++i) {
        const double t0 = m_data.position(i, a), t1 = m_data.position(i, a + 1);
        if (!std::isfinite(t0) || !std::isfinite(t1))
            continue;
        const double y = positionY(t0 + f * (t1 - t0));
        // Prefer lines inside the brushes: they are the ones drawn in colour.
        const double distance = std::fabs(y - pos.y()) + (m_inside[i] ? 0.0 : 2.0);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = i;
        }
    }
    return best;
}

void ParallelCoordinatesPlot::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    const QPointF pos = event->position();
    if (auto axis = axisNear(pos.x());
        axis && pos.y() >= kTop - 4 && pos.y() <= height() - kBottom + 4) {
        m_dragAxis = axis;
        m_dragStart = positionAt(pos.y());
        m_dragged = false;
        return;
    }
    if (auto trial = trialNear(pos))
        emit trialClicked(m_data.trialNumbers[*trial]);
}

void ParallelCoordinatesPlot::mouseMoveEvent(QMouseEvent* event) {
    const QPointF pos = event->position();
    if (m_dragAxis) {
        const double t = positionAt(pos.y());
        if (std::fabs(t - m_dragStart) * (height() - kTop - kBottom) < 3 && !m_dragged)
            return;
        m_dragged = true;
        std::vector<AxisBrush> brushes;
        for (const AxisBrush& brush : m_brushes)
            if (brush.axis != *m_dragAxis)
                brushes.push_back(brush);
        brushes.push_back({*m_dragAxis, std::min(t, m_dragStart), std::max(t, m_dragStart)});
        // While dragging only the plot follows; the table filters on release.
        previewBrushes(std::move(brushes));
        return;
    }
    // A title elided to the room between axes shows in full on hover.
    for (std::size_t a = 0; pos.y() < kTop && a < m_data.axes.size(); ++a) {
        const QString title = axisTitle(a);
        if (titleBox(a, title).contains(pos)) {
            unsetCursor();
            QToolTip::showText(event->globalPosition().toPoint(), title, this);
            return;
        }
    }
    if (axisNear(pos.x())) {
        setCursor(Qt::SizeVerCursor);
        QToolTip::showText(event->globalPosition().toPoint(),
                           tr("Drag along the axis to brush a range; click it to clear"), this);
        return;
    }
    unsetCursor();
    if (auto trial = trialNear(pos)) {
        const int number = m_data.trialNumbers[*trial];
        QToolTip::showText(event->globalPosition().toPoint(), m_lookup.summary(number), this);
    } else {
        QToolTip::hideText();
    }
}

void ParallelCoordinatesPlot::mouseReleaseEvent(QMouseEvent* event) {
    if (m_dragAxis && !m_dragged) {
        // A click on an axis clears its brush.
        std::vector<AxisBrush> brushes;
        for (const AxisBrush& brush : m_brushes)
            if (brush.axis != *m_dragAxis)
                brushes.push_back(brush);
        if (brushes.size() != m_brushes.size())
            setBrushes(std::move(brushes));
    } else if (m_dragAxis) {
        emit brushChanged();
    }
    m_dragAxis.reset();
    QWidget::mouseReleaseEvent(event);
}

void ParallelCoordinatesPlot::contextMenuEvent(QContextMenuEvent* event) {
    QMenu menu(this);
    menu.addAction(tr("Save chart as PNG or SVG…"), this, [this] {
        saveWidgetImageAs(this, tr("Save chart"), tr("parallel coordinates"));
    });
    QAction* clear = menu.addAction(tr("Clear brushes"), this, [this] { clearBrushes(); });
    clear->setEnabled(!m_brushes.empty());
    menu.exec(event->globalPos());
}

}  // namespace bonsai::ui

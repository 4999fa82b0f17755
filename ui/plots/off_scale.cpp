#include "plots/off_scale.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QBrush>
#include <QChart>
#include <QFontMetricsF>
#include <QGraphicsSimpleTextItem>
#include <QLogValueAxis>
#include <QPalette>
#include <QTimer>
#include <QValueAxis>

#include "plots/chart_view.h"
#include "plots/point_layer.h"

namespace bonsai::ui {

namespace {

// The arrows' distance from the axis's end, as a fraction of the axis.
constexpr double kArrowInset = 0.03;
// Pixels from the arrows' centre to clear of them.
constexpr double kArrowReach = 7;

// What the arrows take from the end of a plot area `height` pixels tall.
double arrowsHeight(double height) {
    return kArrowInset * height + kArrowReach;
}

}  // namespace

void widenForArrows(double& low, double& high, bool maximize, double fraction) {
    // The band is `fraction` of the widened axis.
    const double room = std::max(high - low, 1e-9) * fraction / (1 - fraction);
    if (maximize)
        low -= room;
    else
        high += room;
}

double arrowEdge(double bottom, double top, bool log, bool maximize) {
    if (log)
        return maximize ? bottom * std::pow(top / bottom, kArrowInset)
                        : top / std::pow(top / bottom, kArrowInset);
    return maximize ? bottom + kArrowInset * (top - bottom) : top - kArrowInset * (top - bottom);
}

void putArrowsAtEdge(const QAbstractAxis* axis, bool maximize,
                     std::initializer_list<PointLayer*> arrows) {
    double edge = 0;
    if (const auto* log = qobject_cast<const QLogValueAxis*>(axis))
        edge = arrowEdge(log->min(), log->max(), true, maximize);
    else if (const auto* linear = qobject_cast<const QValueAxis*>(axis))
        edge = arrowEdge(linear->min(), linear->max(), false, maximize);
    else
        return;
    for (PointLayer* layer : arrows) {
        std::vector<QPointF> at = layer->points();
        for (QPointF& p : at)
            p.setY(edge);
        layer->setPoints(std::move(at));
    }
}

OffScaleWords offScaleWords(int count, int pruned, double lowest, double highest, bool below,
                            Qt::Orientation axis) {
    // Four digits say how far off they are; the tooltips give each value.
    auto short4 = [](double v) { return QString::number(v, 'g', 4); };
    const QString values = lowest == highest
                               ? short4(lowest)
                               : QObject::tr("%1–%2").arg(short4(lowest), short4(highest));
    const QString arrow = axis == Qt::Horizontal
                              ? (below ? QStringLiteral("◀") : QStringLiteral("▶"))
                          : below ? QStringLiteral("▼")
                                  : QStringLiteral("▲");
    OffScaleWords words;
    // Pruned ones are last reports, partial results: the note says so.
    if (pruned == 0)
        words.full = (below ? QObject::tr("%1 %n far below (%2)", "", count)
                            : QObject::tr("%1 %n far above (%2)", "", count))
                         .arg(arrow, values);
    else if (pruned == count)
        words.full = (below ? QObject::tr("%1 %n pruned far below (%2)", "", count)
                            : QObject::tr("%1 %n pruned far above (%2)", "", count))
                         .arg(arrow, values);
    else
        words.full = (below ? QObject::tr("%1 %n far below, %2 pruned (%3)", "", count)
                            : QObject::tr("%1 %n far above, %2 pruned (%3)", "", count))
                         .arg(arrow, QString::number(pruned), values);
    words.brief = QObject::tr("%1 %2 (%3)").arg(arrow, QString::number(count), values);
    return words;
}

OffScaleNote::OffScaleNote(QChart* chart)
    : QObject(chart), m_chart(chart), m_item(new QGraphicsSimpleTextItem(chart)) {
    m_item->setZValue(5);
    m_item->hide();
    connect(chart, &QChart::plotAreaChanged, this, &OffScaleNote::place);
}

void OffScaleNote::show(std::span<const QPointF> finals, std::span<const QPointF> pruned,
                        bool below) {
    m_below = below;
    m_hasNote = !finals.empty() || !pruned.empty();
    if (!m_hasNote) {
        m_item->hide();
        return;
    }
    double lowest = std::numeric_limits<double>::infinity(), highest = -lowest;
    for (auto list : {finals, pruned})
        for (const QPointF& p : list) {
            lowest = std::min(lowest, p.y());
            highest = std::max(highest, p.y());
        }
    const OffScaleWords words =
        offScaleWords(static_cast<int>(finals.size() + pruned.size()),
                      static_cast<int>(pruned.size()), lowest, highest, below);
    m_long = words.full;
    m_short = words.brief;
    m_item->setBrush(m_chart->palette().color(QPalette::PlaceholderText));
    showIfInView();
}

void OffScaleNote::followZoom(const ChartView* view) {
    connect(view, &ChartView::zoomChanged, this, [this, view] {
        m_bandInView = view->showsFittedEnd(Qt::Vertical, m_below);
        showIfInView();
    });
}

void OffScaleNote::showIfInView() {
    m_item->setVisible(m_hasNote && m_bandInView);
    place();
}

double OffScaleNote::neededFraction() const {
    const double height = m_chart->plotArea().height();
    if (height < 1)
        return 0.12;  // not laid out yet: about a tall chart's
    const double needed = arrowsHeight(height) + QFontMetricsF(m_item->font()).height() + 4;
    return std::clamp(needed / height, 0.08, 0.4);
}

double OffScaleNote::bandFraction() {
    m_fitted = neededFraction();
    return m_fitted;
}

QString OffScaleNote::text() const {
    return m_item->isVisible() ? m_item->text() : QString();
}

void OffScaleNote::place() {
    if (!m_item->isVisible())
        return;
    // A band that no longer fits the note (a layout after the fit): fit
    // again once this layout is done. The tolerance keeps the tick labels'
    // own small layout changes from fitting again and again.
    if (m_refit && std::fabs(neededFraction() - m_fitted) > 0.03) {
        m_fitted = neededFraction();
        QTimer::singleShot(0, this, m_refit);
    }
    // At the right end: a note at the left end met the best-so-far line's
    // start.
    const QRectF area = m_chart->plotArea();
    m_item->setText(m_long);
    if (m_item->boundingRect().width() > area.width() - 8)
        m_item->setText(m_short);
    const QRectF text = m_item->boundingRect();
    const double clear = arrowsHeight(area.height());
    m_item->setPos(area.right() - text.width() - 4,
                   m_below ? area.bottom() - clear - text.height() : area.top() + clear);
}

}  // namespace bonsai::ui

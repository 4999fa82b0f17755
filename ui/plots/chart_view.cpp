#include "plots/chart_view.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include <QAbstractBarSeries>
#include <QApplication>
#include <QAreaSeries>
#include <QBarSet>
#include <QContextMenuEvent>
#include <QCursor>
#include <QFontMetricsF>
#include <QGraphicsLayout>
#include <QLegend>
#include <QLegendMarker>
#include <QMenu>
#include <QMouseEvent>
#include <QRubberBand>
#include <QTextDocument>
#include <QTextOption>
#include <QToolTip>
#include <QXYSeries>

#include "analysis/trial_series.h"
#include "cell/cell_tooltip.h"
#include "plots/chart_export.h"
#include "plots/chart_zoom.h"
#include "plots/plot_style.h"
#include "plots/point_layer.h"
#include "plots/tick_labels.h"

namespace bonsai::ui {

namespace {

// A drag thinner than this zooms along the other direction only.
constexpr int kThinDrag = 8;

}  // namespace

ChartView::ChartView(const QString& title, QWidget* parent)
    : QChartView(new QChart, parent),
      m_zoom(new ChartZoom(
          chart(), [this](QLogValueAxis* axis) { spaceLogTicks(axis); }, this)) {
    connect(m_zoom, &ChartZoom::changed, this, &ChartView::zoomChanged);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(220, 160);
    chart()->legend()->setVisible(false);
    chart()->setMargins(QMargins(4, 4, 4, 4));
    setChartTitle(title);
    chart()->setAnimationOptions(QChart::NoAnimation);
    // A legend of several studies in half a 1024-pixel window cuts their
    // names ("branin..."): hovering one gives it whole.
    chart()->legend()->setShowToolTips(true);
    m_emptyItem = new QGraphicsTextItem(chart());
    m_emptyItem->setZValue(10);
    // A long message (why a strategy has no acquisition values, say) wraps
    // inside the plot area rather than running off both sides.
    QTextOption centred(Qt::AlignHCenter);
    centred.setWrapMode(QTextOption::WordWrap);
    m_emptyItem->document()->setDefaultTextOption(centred);
    followPalette();
    m_emptyItem->hide();
    connect(chart(), &QChart::plotAreaChanged, this, [this] {
        spaceTicks();
        placeEmptyMessage();
    });
}

void ChartView::setEmptyMessage(const QString& message) {
    if (message == m_emptyMessage && m_emptyItem->isVisible() == !message.isEmpty())
        return;
    m_emptyMessage = message;
    m_emptyItem->setPlainText(message);
    m_emptyItem->setVisible(!message.isEmpty());
    // An empty chart shows no axes: they would still carry the ranges and
    // titles of whatever it drew last (another study's, say), on screen and
    // in exported images.
    for (QAbstractAxis* axis : chart()->axes())
        axis->setVisible(message.isEmpty());
    // Nor a legend of series that are not drawn (and the axes' titles follow).
    setLegendShown(m_legendWanted);
    placeEmptyMessage();
    if (!message.isEmpty())
        resetZoom();
}

void ChartView::zoomTo(const QRectF& pixels) {
    m_zoom->zoomTo(pixels);
}

bool ChartView::isZoomed() const {
    return m_zoom->isZoomed();
}

void ChartView::resetZoom() {
    m_zoom->reset();
}

bool ChartView::showsFittedEnd(Qt::Orientation orientation, bool low) const {
    return m_zoom->showsFittedEnd(orientation, low);
}

void ChartView::resetZoomIn(QWidget* root) {
    for (ChartView* view : root->findChildren<ChartView*>())
        view->resetZoom();
}

void ChartView::mousePressEvent(QMouseEvent* event) {
    QChartView::mousePressEvent(event);
    const QRectF area = mapFromScene(chart()->plotArea()).boundingRect();
    if (m_zoomable && event->button() == Qt::LeftButton && m_emptyMessage.isEmpty() &&
        area.contains(event->position()))
        m_dragFrom = event->position().toPoint();
}

void ChartView::mouseMoveEvent(QMouseEvent* event) {
    QChartView::mouseMoveEvent(event);
    if (!m_dragFrom || !(event->buttons() & Qt::LeftButton))
        return;
    const QPoint to = event->position().toPoint();
    if (!m_band) {
        if ((to - *m_dragFrom).manhattanLength() < QApplication::startDragDistance())
            return;  // a click, so far
        m_band = new QRubberBand(QRubberBand::Rectangle, viewport());
    }
    const QRect area = mapFromScene(chart()->plotArea()).boundingRect();
    m_band->setGeometry(QRect(*m_dragFrom, to).normalized().intersected(area));
    m_band->show();
}

void ChartView::mouseReleaseEvent(QMouseEvent* event) {
    QChartView::mouseReleaseEvent(event);
    if (event->button() != Qt::LeftButton)
        return;
    m_dragFrom.reset();
    if (!m_band)
        return;
    QRect band = m_band->geometry();
    delete std::exchange(m_band, nullptr);
    // A thin drag zooms along its length only: the other way keeps it all.
    const QRect area = mapFromScene(chart()->plotArea()).boundingRect();
    if (band.width() < kThinDrag && band.height() < kThinDrag)
        return;
    if (band.height() < kThinDrag)
        band = QRect(band.left(), area.top(), band.width(), area.height());
    else if (band.width() < kThinDrag)
        band = QRect(area.left(), band.top(), area.width(), band.height());
    zoomTo(mapToScene(band).boundingRect());
}

void ChartView::mouseDoubleClickEvent(QMouseEvent* event) {
    if (isZoomed()) {
        resetZoom();
        event->accept();
        return;
    }
    QChartView::mouseDoubleClickEvent(event);
}

void ChartView::changeEvent(QEvent* event) {
    QChartView::changeEvent(event);
    // The system switched between light and dark while the window is open.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        followPalette();
}

void ChartView::followPalette() {
    const QChart::ChartTheme theme =
        isDarkPalette() ? QChart::ChartThemeDark : QChart::ChartThemeLight;
    if (m_themed && chart()->theme() == theme)
        return;
    m_themed = true;
    // A theme restyles every series as well; the series keep their own look.
    struct XyLook {
        QXYSeries* series;
        QPen pen;
        QBrush brush;
    };
    struct AreaLook {
        QAreaSeries* series;
        QPen pen;
        QBrush brush;
    };
    struct BarLook {
        QBarSet* set;
        QColor color, border;
    };
    std::vector<XyLook> lines;
    std::vector<AreaLook> areas;
    std::vector<BarLook> bars;
    for (QAbstractSeries* series : chart()->series()) {
        if (auto* xy = qobject_cast<QXYSeries*>(series))
            lines.push_back({xy, xy->pen(), xy->brush()});
        else if (auto* area = qobject_cast<QAreaSeries*>(series))
            areas.push_back({area, area->pen(), area->brush()});
        else if (auto* barSeries = qobject_cast<QAbstractBarSeries*>(series))
            for (QBarSet* set : barSeries->barSets())
                bars.push_back({set, set->color(), set->borderColor()});
    }
    chart()->setTheme(theme);
    for (const XyLook& look : lines) {
        look.series->setPen(look.pen);
        look.series->setBrush(look.brush);
    }
    for (const AreaLook& look : areas) {
        look.series->setPen(look.pen);
        look.series->setBrush(look.brush);
    }
    for (const BarLook& look : bars) {
        look.set->setColor(look.color);
        look.set->setBorderColor(look.border);
    }
    // The theme also resets the title font and the rounded background.
    chart()->setBackgroundRoundness(0);
    QFont titleFont = chart()->titleFont();
    titleFont.setBold(true);
    chart()->setTitleFont(titleFont);
    m_emptyItem->setDefaultTextColor(theme == QChart::ChartThemeDark ? QColor(0xb0, 0xb0, 0xb0)
                                                                     : QColor(0x70, 0x70, 0x70));
    update();
}

void ChartView::placeEmptyMessage() {
    if (!m_emptyItem->isVisible())
        return;
    QRectF area = chart()->plotArea();
    m_emptyItem->setTextWidth(std::max(80.0, area.width() - 16.0));
    QRectF box = m_emptyItem->boundingRect();
    m_emptyItem->setPos(area.center().x() - box.width() / 2, area.center().y() - box.height() / 2);
}

void ChartView::setChartTitle(const QString& title, const QString& detail) {
    m_title = title;
    m_titleDetail = detail;
    layOutTitle();
}

namespace {

// `text` as title HTML on as few lines as fit `room`, at most two: the
// second line is what the first leaves over, whatever its width (Qt then
// cuts it with "..."). `fits` says whether it fitted whole.
QString titleLines(const QString& text, const QFontMetricsF& metrics, double room, bool* fits) {
    *fits = true;
    if (metrics.horizontalAdvance(text) <= room)
        return text.toHtmlEscaped();
    const QStringList words = text.split(QLatin1Char(' '));
    QString first;
    qsizetype taken = 0;
    for (; taken < words.size(); ++taken) {
        const QString longer =
            first.isEmpty() ? words[taken] : first + QLatin1Char(' ') + words[taken];
        if (!first.isEmpty() && metrics.horizontalAdvance(longer) > room)
            break;
        first = longer;
    }
    const QString second = words.mid(taken).join(QLatin1Char(' '));
    *fits = metrics.horizontalAdvance(first) <= room && metrics.horizontalAdvance(second) <= room;
    if (second.isEmpty())
        return first.toHtmlEscaped();
    return QStringLiteral("<div align=\"center\">%1<br>%2</div>")
        .arg(first.toHtmlEscaped(), second.toHtmlEscaped());
}

}  // namespace

void ChartView::layOutTitle() {
    // Qt Charts sets the title as HTML and cuts it with "..." to one line of
    // the chart's width less its margins and the background's inset.
    constexpr double kInset = 24;
    const QMargins margins = chart()->margins();
    const double room = width() - margins.left() - margins.right() - kInset;
    const QFontMetricsF metrics(chart()->titleFont());
    bool fits = false;
    QString html;
    if (!m_titleDetail.isEmpty()) {
        // A detail with brackets of its own ("Validation accuracy (%)") is
        // set off by a dash: nested brackets read badly.
        const QString joined = m_titleDetail.contains(QLatin1Char('('))
                                   ? QStringLiteral("%1 \u2014 %2")
                                   : QStringLiteral("%1 (%2)");
        html = titleLines(joined.arg(m_title, m_titleDetail), metrics, room, &fits);
    }
    if (!fits)
        html = titleLines(m_title, metrics, room, &fits);
    if (chart()->title() != html)
        chart()->setTitle(html);
}

void ChartView::resizeEvent(QResizeEvent* event) {
    QChartView::resizeEvent(event);
    layOutTitle();
    setLegendShown(m_legendWanted);
    placeEmptyMessage();
}

void ChartView::setLegendShown(bool shown) {
    m_legendWanted = shown;
    const bool compact = isCompact();
    chart()->legend()->setVisible(shown && !compact && m_emptyMessage.isEmpty());
    updateAxisTitles();
}

void ChartView::updateAxisTitles() {
    // Titles of small charts are hidden: Qt Charts gives each side's axes a
    // share of the chart, and a title that takes it elides the tick labels.
    // The chart's title and the tooltips still name the axes. A hidden axis
    // hides its title too: Qt draws the title of a hidden, never laid out
    // axis in the chart's corner ("Acquisition value" over an empty chart).
    const bool compact = isCompact();
    for (QAbstractAxis* axis : chart()->axes())
        axis->setTitleVisible(!compact && axis->isVisible());
}

void ChartView::showLegendEntry(QAbstractSeries* series, bool shown) {
    auto known = m_legendEntries.find(series);
    if (known != m_legendEntries.end() && *known == shown)
        return;
    m_legendEntries[series] = shown;
    for (QLegendMarker* marker : chart()->legend()->markers(series))
        marker->setVisible(shown);
    // The legend lays its markers out again only when told: else an entry
    // shown late overlaps the others without its name.
    chart()->legend()->layout()->invalidate();
}

void ChartView::spaceTicks() {
    // Qt Charts elides tick labels that do not fit to "...": on a vertical
    // axis those closer than a line apart, on a horizontal one those wider
    // than horizontalLabelRoom. A small chart gets fewer, rounder ticks
    // (whole multiples of the fitted step), and category labels stand
    // upright (fitCategoryLabels), so every label is readable.
    const QRectF area = chart()->plotArea();
    const double lineSpacing = tickLineSpacing();
    for (QAbstractAxis* abstract : chart()->axes()) {
        if (auto* categories = qobject_cast<QCategoryAxis*>(abstract);
            categories && categories->orientation() == Qt::Horizontal)
            fitCategoryLabels(categories, area.width());
        if (auto* log = qobject_cast<QLogValueAxis*>(abstract))
            spaceLogTicks(log);
        auto* axis = qobject_cast<QValueAxis*>(abstract);
        if (!axis || axis->tickType() != QValueAxis::TicksDynamic || axis->tickInterval() <= 0)
            continue;
        const bool vertical = axis->orientation() == Qt::Vertical;
        const double length = vertical ? area.height() : area.width();
        const double span = axis->max() - axis->min();
        if (length <= 0 || span <= 0) {
            labelRoundTicks(axis);
            continue;
        }
        const double labelWidth = vertical ? 0.0 : widestTickLabel(axis);
        auto fits = [&](double step) {
            if (vertical)
                return length * step / span >= lineSpacing;
            const auto ticks = static_cast<qsizetype>(std::floor(span / step)) + 1;
            return horizontalLabelRoom(length, ticks) >= labelWidth;
        };
        double step = axis->tickInterval();
        // Back to the fitted step when there is room again: fitAxis's own
        // (whole for integer axes), else the nice step of the range.
        const double fitted = axis->property(kFittedStepProperty).toDouble();
        const double base = fitted > 0 ? fitted : niceStep(span / 1.1, 5);  // 5% margins
        if (base > 0 && base < step && fits(base))
            step = base;
        while (!fits(step) && step < span)
            step *= 2;
        if (step != axis->tickInterval())
            axis->setTickInterval(step);
        labelRoundTicks(axis);
    }
}

double ChartView::tickLineSpacing() const {
    return 1.5 * fontMetrics().height();
}

void ChartView::spaceLogTicks(QLogValueAxis* axis) {
    // A log axis ticks at every power of its base: base 10^k puts a tick
    // every k decades, k the least that lets every label show (seven decades
    // across Compare's half of a 1024-pixel window elided every label to
    // "1e...").
    const QRectF area = chart()->plotArea();
    const double decades = std::log10(axis->max() / axis->min());
    const bool vertical = axis->orientation() == Qt::Vertical;
    const double length = vertical ? area.height() : area.width();
    if (!(decades > 0) || length <= 0)
        return;
    const QFontMetricsF metrics(axis->labelsFont());
    const QByteArray format = axis->labelFormat().toLatin1();
    double labelWidth = 0;
    for (double end : {axis->min(), axis->max()})
        labelWidth = std::max(
            labelWidth, metrics.horizontalAdvance(QString::asprintf(format.constData(), end)));
    auto fits = [&](int every) {
        if (vertical)
            return length * every / decades >= tickLineSpacing();
        const auto ticks = static_cast<qsizetype>(std::floor(decades / every)) + 1;
        return horizontalLabelRoom(length, ticks) >= labelWidth;
    };
    int every = 1;
    while (!fits(every) && every < decades)
        ++every;
    const double base = std::pow(10.0, every);
    if (axis->base() != base)
        axis->setBase(base);
}

double ChartView::widestTickLabel(const QValueAxis* axis) {
    const QFontMetricsF metrics(axis->labelsFont());
    const QByteArray format = axis->labelFormat().toLatin1();
    double widest = 0;
    // The longest labels are at the ends of the range (most digits, a sign).
    for (double value : {axis->min(), axis->max(), (axis->min() + axis->max()) / 2}) {
        const QString label = format.isEmpty() ? QString::number(value, 'g', 6)
                                               : QString::asprintf(format.constData(), value);
        widest = std::max(widest, metrics.horizontalAdvance(label));
    }
    return widest;
}

void ChartView::titleAxisPair(QValueAxis* linear, QLogValueAxis* log, const QString& title) {
    linear->setTitleText(title);
    log->setTitleText(tr("%1 (log scale)").arg(title));
}

bool ChartView::isCompact() const {
    return height() < 240 || width() < 300;
}

void ChartView::showTrialTooltip(int number, bool show) {
    if (!show) {
        QToolTip::hideText();
        hideCellTooltip();
        return;
    }
    const Trial* trial = m_lookup.find(number);
    // In a cell study a point's tooltip draws its cell.
    if (trial && showCellTooltip(QCursor::pos(), *trial, m_lookup.summary(*trial), this))
        return;
    QToolTip::showText(QCursor::pos(), m_lookup.summary(number), this);
}

void ChartView::contextMenuEvent(QContextMenuEvent* event) {
    QMenu menu(this);
    if (m_zoomable) {
        QAction* reset = menu.addAction(tr("Reset zoom"), this, &ChartView::resetZoom);
        reset->setEnabled(isZoomed());
        reset->setToolTip(tr("Drag a rectangle over the plot to zoom into it"));
        menu.addSeparator();
    }
    menu.addAction(tr("Save chart as PNG or SVG…"), this, &ChartView::exportImage);
    menu.exec(event->globalPos());
}

void ChartView::exportImage() {
    saveWidgetImageAs(this, tr("Save chart"), m_title);
}

QValueAxis* ChartView::makeAxis(const QString& title, Qt::Alignment alignment) {
    auto* axis = new QValueAxis;
    axis->setTitleText(title);
    adoptTickLabels(axis);
    QFont font = axis->titleFont();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    axis->setTitleFont(font);
    chart()->addAxis(axis, alignment);
    // fitAxis() sets the fitted step; a new range may not move the plot
    // area (so no plotAreaChanged), and its ticks must still fit: a range
    // that widens at the same step too (LogEI's third value, 1.6..2.3 at a
    // step of 0.1 in a quarter panel, elided every label to "...").
    connect(axis, &QValueAxis::tickIntervalChanged, this, [this] { spaceTicks(); });
    connect(axis, &QValueAxis::rangeChanged, this, [this] { spaceTicks(); });
    return axis;
}

QLogValueAxis* ChartView::makeLogAxis(const QString& title) {
    auto* axis = new QLogValueAxis(this);
    axis->setBase(10);
    axis->setLabelFormat(QStringLiteral("%.0e"));
    axis->setTitleText(title);
    QFont font = axis->titleFont();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    axis->setTitleFont(font);
    return axis;
}

void ChartView::swapAxis(QAbstractAxis* from, QAbstractAxis* to, Qt::Alignment alignment,
                         const QList<QAbstractSeries*>& series, bool sameValues) {
    if (from == to)
        return;
    m_zoom->replaceAxis(from, to, sameValues, [&] {
        for (QAbstractSeries* s : series)
            s->detachAxis(from);
        chart()->removeAxis(from);
        from->setParent(this);              // removeAxis gives it back; keep it for the next swap
        to->setVisible(from->isVisible());  // hidden under an empty message, say
        chart()->addAxis(to, alignment);
        for (QAbstractSeries* s : series)
            s->attachAxis(to);
    });
    // Points drawn as layers repaint on the new axis's range changes.
    for (QGraphicsItem* item : chart()->childItems())
        if (auto* layer = dynamic_cast<PointLayer*>(item))
            layer->followAxes();
    updateAxisTitles();
}

QAbstractAxis* ChartView::fitValueAxis(QValueAxis* linear, QLogValueAxis* log,
                                       Qt::Alignment alignment,
                                       const QList<QAbstractSeries*>& series, double low,
                                       double high) {
    return fitValueAxis(linear, log, alignment, series, low, high, spansDecades(low, high));
}

QAbstractAxis* ChartView::fitValueAxis(QValueAxis* linear, QLogValueAxis* log,
                                       Qt::Alignment alignment,
                                       const QList<QAbstractSeries*>& series, double low,
                                       double high, bool useLog) {
    const bool decades = useLog && std::isfinite(low) && std::isfinite(high) && low > 0;
    QAbstractAxis* in = isOnChart(log) ? static_cast<QAbstractAxis*>(log) : linear;
    QAbstractAxis* wanted = decades ? static_cast<QAbstractAxis*>(log) : linear;
    swapAxis(in, wanted, alignment, series, true);
    if (decades) {
        // A hair below the lowest power of ten: Qt ticks from the ceiling of
        // log10(min), and 0.1 is not exact in binary (log10 gives a shade
        // above -1), so a range from 0.1 lost its bottom label.
        log->setRange(std::pow(10.0, std::floor(std::log10(low))) * (1 - 1e-13),
                      std::pow(10.0, std::ceil(std::log10(high))));
        // A new range may not move the plot area (so no plotAreaChanged).
        spaceLogTicks(log);
    } else {
        fitAxis(linear, low, high);
    }
    return wanted;
}

bool ChartView::isOnChart(const QAbstractAxis* axis) const {
    return chart()->axes().contains(const_cast<QAbstractAxis*>(axis));
}

void ChartView::fitAxis(QValueAxis* axis, double low, double high, bool integer) {
    if (!std::isfinite(low) || !std::isfinite(high)) {
        low = 0;
        high = 1;
    }
    if (high < low)
        std::swap(low, high);
    double span = high - low;
    if (span <= 0) {
        // One value (a study's first trial): a range around it, so the axis
        // has round ticks on both sides rather than none at all.
        span = std::max(1.0, std::fabs(high) * 0.1);
        low -= span / 2;
        high += span / 2;
    }
    const double margin = integer ? std::max(0.5, span * 0.03) : span * 0.05;
    double step = niceStep(span, 5);
    if (integer)
        step = std::max(1.0, std::round(step));
    // Live redraws mostly keep the range: touching the ticks then would lay
    // the chart out again, its thousands of points included. (The interval
    // may differ from `step`: spaceTicks fits it to the plot's size.)
    if (axis->tickType() == QValueAxis::TicksDynamic && axis->min() == low - margin &&
        axis->max() == high + margin && axis->property(kFittedStepProperty).isValid())
        return;
    // Ticks at round numbers whatever the range, rather than at fifths of it.
    // A coarse interval first when the old one over the new range would lay
    // out thousands of tick labels for a moment. Only then: each interval
    // change lays the chart out (a live chart grows its range every batch).
    // The new step is the fitted one from here: each interval change runs
    // spaceTicks, which goes "back to the fitted step" where it fits the
    // range of the moment, and with the old step it undid the coarse
    // interval (Branin's first values, -300..1e4, were laid out at a step of
    // 1 in a live chart: a 130 ms stall).
    // The step is kept on the axis: spaceTicks only ever coarsens it (to
    // whole multiples), so an integer axis never gets half steps.
    axis->setProperty(kFittedStepProperty, step);
    axis->setProperty(kIntegerAxisProperty, integer);
    const bool dynamic = axis->tickType() == QValueAxis::TicksDynamic;
    axis->setTickType(QValueAxis::TicksDynamic);
    const double shown = high - low + 2 * margin;
    if (!dynamic || axis->tickInterval() <= 0 || shown / axis->tickInterval() > 50)
        axis->setTickInterval(std::max(step, shown));
    axis->setRange(low - margin, high + margin);
    axis->setTickInterval(step);
    axis->setMinorTickCount(0);
    labelRoundTicks(axis);  // whole steps of an integer axis: "%.0f"
}

}  // namespace bonsai::ui

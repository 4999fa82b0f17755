#include "plots/contour_plot.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <QCategoryAxis>
#include <QCursor>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QToolTip>
#include <QValueAxis>

#include "analysis/study_analysis.h"
#include "analysis/trial_series.h"
#include "helpers/cell_format.h"
#include "helpers/format.h"
#include "plots/plot_style.h"
#include "plots/tick_labels.h"

namespace bonsai::ui {

namespace {

constexpr int kBarWidth = 14;
constexpr int kRightMargin = 78;  // room for the colour bar and its labels

QAbstractAxis* makeGridAxis(const QString& title, double low, double high, bool log, bool integer) {
    QAbstractAxis* axis;
    if (log) {
        auto* logAxis = new QLogValueAxis;
        logAxis->setBase(10);
        logAxis->setLabelFormat(QStringLiteral("%.3g"));
        logAxis->setRange(low, high);
        axis = logAxis;
    } else {
        auto* valueAxis = new QValueAxis;
        adoptTickLabels(valueAxis);
        // The image spans the plot area, so the range is exactly the grid's;
        // ticks go at round numbers inside it (-5, 0, 5, 10 rather than
        // fifths of the range, -5, -2, 1, 4, 7, 10), whole ones for integers.
        valueAxis->setRange(low, high);
        valueAxis->setTickType(QValueAxis::TicksDynamic);
        valueAxis->setTickAnchor(0.0);
        const double step = niceStep(high - low, 5);
        valueAxis->setTickInterval(integer ? std::max(1.0, std::round(step)) : step);
        labelRoundTicks(valueAxis);  // whole steps of an integer axis: "%.0f"
        axis = valueAxis;
    }
    axis->setTitleText(title);
    axis->setGridLineVisible(false);
    return axis;
}

// One category per choice, labelled at its index; a cell edge's operations
// by the cell drawing's short names.
QAbstractAxis* makeCategoryAxis(const QString& title, const std::vector<std::string>& labels,
                                bool cellEdge) {
    auto* axis = new QCategoryAxis;
    axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    for (std::size_t i = 0; i < labels.size(); ++i)
        axis->append(
            cellEdge ? cellFormat::shortOperationLabel(static_cast<int>(i)) : toQString(labels[i]),
            static_cast<double>(i));
    axis->setRange(-0.5, static_cast<double>(labels.size()) - 0.5);
    axis->setTitleText(title);
    axis->setGridLineVisible(false);
    return axis;
}

// Trials that share a choice would hide behind one dot: each is moved off
// the choice's centre by a fixed amount of its own (up to 0.3 of a cell),
// so the same trial sits in the same place on every redraw.
double spread(double coordinate, int trial) {
    const double golden = 0.6180339887498949;
    const double offset = std::fmod(static_cast<double>(trial) * golden, 1.0) - 0.5;
    return coordinate + 0.6 * offset;
}

}  // namespace

QColor ContourPlot::colorAt(double t) {
    // Viridis at nine stops, linearly interpolated.
    static const std::array<QRgb, 9> stops{0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c,
                                           0x28ae80, 0x5ec962, 0xaadc32, 0xfde725};
    if (!std::isfinite(t))
        return QColor(0xcc, 0xcc, 0xcc);
    t = std::clamp(t, 0.0, 1.0) * (stops.size() - 1);
    const auto i = std::min<std::size_t>(static_cast<std::size_t>(t), stops.size() - 2);
    const double f = t - static_cast<double>(i);
    const QColor a(stops[i]), b(stops[i + 1]);
    return QColor::fromRgbF(static_cast<float>(a.redF() + f * (b.redF() - a.redF())),
                            static_cast<float>(a.greenF() + f * (b.greenF() - a.greenF())),
                            static_cast<float>(a.blueF() + f * (b.blueF() - a.blueF())));
}

ContourPlot::ContourPlot(QWidget* parent) : ChartView(tr("GP mean over two parameters"), parent) {
    chart()->setMargins(QMargins(4, 4, kRightMargin, 4));
    m_heat = new QGraphicsPixmapItem(chart());
    // Above the plot-area background (z 0), below grid, axes and series.
    m_heat->setZValue(0.5);
    m_heat->setTransformationMode(Qt::SmoothTransformation);
    m_bar = new QGraphicsPixmapItem(chart());
    m_bar->setZValue(0.5);
    m_observed = makePointSeries(dotMarker(QColor(0xf0, 0xf0, 0xf0), 6));
    m_observed->setName(tr("observed"));
    m_incumbent = makePointSeries(ringMarker(plotColors::best(), 15));
    m_incumbent->setName(tr("incumbent"));
    chart()->addSeries(m_observed);
    chart()->addSeries(m_incumbent);
    connect(chart(), &QChart::plotAreaChanged, this, [this] { placeImages(); });
    auto trialAt = [this](const QPointF& point) {
        const int index = static_cast<int>(m_observed->points().indexOf(point));
        return index >= 0 && index < static_cast<int>(m_numbers.size())
                   ? m_numbers[static_cast<std::size_t>(index)]
                   : -1;
    };
    connect(m_observed, &QLineSeries::hovered, this,
            [this, trialAt](const QPointF& point, bool state) {
                m_pointHovered = state;
                if (int number = trialAt(point); number >= 0)
                    showTrialTooltip(number, state);
            });
    connect(m_observed, &QLineSeries::clicked, this, [this, trialAt](const QPointF& point) {
        if (int number = trialAt(point); number >= 0)
            emit trialClicked(number);
    });
    connect(m_incumbent, &QLineSeries::clicked, this, [this](const QPointF&) {
        if (m_grid.incumbentTrial >= 0)
            emit trialClicked(m_grid.incumbentTrial);
    });
    setMouseTracking(true);
    clearGrid(tr("No study selected"));
}

void ContourPlot::replaceAxes() {
    for (QAbstractAxis* axis : chart()->axes()) {
        chart()->removeAxis(axis);
        delete axis;
    }
    const QString xTitle = axisTitle(m_grid.paramX, m_grid.edgeX);
    const QString yTitle = axisTitle(m_grid.paramY, m_grid.edgeY);
    m_x = m_grid.xLabels.empty() ? makeGridAxis(xTitle, m_grid.xLow, m_grid.xHigh, m_grid.xLog,
                                                m_integer.count(m_grid.paramX) > 0)
                                 : makeCategoryAxis(xTitle, m_grid.xLabels, m_grid.edgeX >= 0);
    m_y = m_grid.yLabels.empty() ? makeGridAxis(yTitle, m_grid.yLow, m_grid.yHigh, m_grid.yLog,
                                                m_integer.count(m_grid.paramY) > 0)
                                 : makeCategoryAxis(yTitle, m_grid.yLabels, m_grid.edgeY >= 0);
    chart()->addAxis(m_x, Qt::AlignBottom);
    chart()->addAxis(m_y, Qt::AlignLeft);
    for (QLineSeries* series : {m_observed, m_incumbent}) {
        series->attachAxis(m_x);
        series->attachAxis(m_y);
    }
}

void ContourPlot::setGrid(const PosteriorGrid& grid) {
    m_grid = grid;
    m_low = std::numeric_limits<double>::infinity();
    m_high = -m_low;
    for (double v : grid.median)
        if (std::isfinite(v)) {
            m_low = std::min(m_low, v);
            m_high = std::max(m_high, v);
        }
    if (!std::isfinite(m_low))
        m_low = 0, m_high = 1;
    if (m_high <= m_low)
        m_high = m_low + 1;
    // Positive values over decades (Rosenbrock's) get log colours, else all
    // but the highest corner is the darkest colour and the valley is lost.
    const bool log = logColours();
    // One pixel per grid point; placeImages scales it to the plot.
    m_image = QImage(grid.columns, grid.rows, QImage::Format_RGB32);
    for (int row = 0; row < grid.rows; ++row)
        for (int column = 0; column < grid.columns; ++column) {
            const double v = grid.median[static_cast<std::size_t>(row * grid.columns + column)];
            // Image rows run top-down; grid rows bottom-up.
            m_image.setPixelColor(column, grid.rows - 1 - row,
                                  colorAt(unitOf(v, m_low, m_high, log)));
        }
    QImage bar(1, 256, QImage::Format_RGB32);
    for (int i = 0; i < 256; ++i)
        bar.setPixelColor(0, 255 - i, colorAt(i / 255.0));
    m_bar->setPixmap(QPixmap::fromImage(bar));
    // Round values tell a log colour scale (decades) from a linear one.
    ParallelAxis scale;
    scale.low = m_low;
    scale.high = m_high;
    scale.log = log;
    const auto ticks = parallelTicks(scale);
    while (m_barLabels.size() > ticks.size()) {
        delete m_barLabels.back().second;
        m_barLabels.pop_back();
    }
    while (m_barLabels.size() < ticks.size())
        m_barLabels.emplace_back(0.0, new QGraphicsSimpleTextItem(chart()));
    for (std::size_t i = 0; i < ticks.size(); ++i) {
        m_barLabels[i].first = ticks[i].first;
        m_barLabels[i].second->setText(QString::number(ticks[i].second, 'g', 4));
    }

    replaceAxes();
    QList<QPointF> observed;
    m_numbers.clear();
    QList<QPointF> incumbent;
    for (std::size_t i = 0; i < grid.observedX.size(); ++i) {
        const int number = grid.observedTrial[i];
        const QPointF point(
            grid.xLabels.empty() ? grid.observedX[i] : spread(grid.observedX[i], number),
            grid.yLabels.empty() ? grid.observedY[i] : spread(grid.observedY[i], number * 7 + 3));
        observed.append(point);
        m_numbers.push_back(number);
        if (number == grid.incumbentTrial)
            incumbent.append(point);
    }
    m_observed->replace(observed);
    m_incumbent->replace(incumbent);
    setChartTitle(
        tr("GP %1 of %2 over %3 and %4")
            .arg(statisticName(), m_valueName.isEmpty() ? tr("the objective") : m_valueName,
                 axisTitle(grid.paramX, grid.edgeX), axisTitle(grid.paramY, grid.edgeY)),
        tr("others at trial %1").arg(grid.incumbentTrial));
    m_heat->show();
    m_bar->show();
    for (const auto& [t, label] : m_barLabels)
        label->show();
    setEmptyMessage({});
    placeImages();
}

void ContourPlot::clearGrid(const QString& reason) {
    m_grid = PosteriorGrid{};
    m_grid.columns = m_grid.rows = 0;
    m_image = QImage();
    m_observed->clear();
    m_incumbent->clear();
    m_numbers.clear();
    m_heat->hide();
    m_bar->hide();
    for (const auto& [t, label] : m_barLabels)
        label->hide();
    if (!m_x) {
        m_grid.paramX = "x";
        m_grid.paramY = "y";
        replaceAxes();
        m_grid.paramX.clear();
        m_grid.paramY.clear();
    }
    setChartTitle(tr("GP mean over two parameters"));
    setEmptyMessage(reason);
}

void ContourPlot::placeImages() {
    const QRectF area = chart()->plotArea();
    if (m_image.isNull() || area.width() < 2 || area.height() < 2)
        return;
    // Choices are cells with sharp edges, numbers a smooth map. With both
    // kinds, the image is scaled to the plot here, one axis at a time:
    // blended along the numbers, repeated along the choices (scaled at once,
    // the blend ran across the seam between two choices too). Otherwise the
    // item scales it: blended for two numbers, repeated for two choices.
    const bool xChoices = !m_grid.xLabels.empty(), yChoices = !m_grid.yLabels.empty();
    QImage shown = m_image;
    if (xChoices != yChoices) {
        const qreal ratio = devicePixelRatioF();  // a screen's pixels, not the scene's
        const QSize size(std::max(1, qRound(area.width() * ratio)),
                         std::max(1, qRound(area.height() * ratio)));
        shown = xChoices ? m_image.scaled(m_image.width(), size.height(), Qt::IgnoreAspectRatio,
                                          Qt::SmoothTransformation)
                         : m_image.scaled(size.width(), m_image.height(), Qt::IgnoreAspectRatio,
                                          Qt::SmoothTransformation);
        shown = shown.scaled(size, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    }
    m_heat->setTransformationMode(xChoices || yChoices ? Qt::FastTransformation
                                                       : Qt::SmoothTransformation);
    m_heat->setPixmap(QPixmap::fromImage(shown));
    m_heat->setPos(area.topLeft());
    m_heat->setTransform(
        QTransform::fromScale(area.width() / shown.width(), area.height() / shown.height()));
    m_bar->setPos(area.right() + 12, area.top());
    m_bar->setTransform(QTransform::fromScale(kBarWidth, area.height() / 256.0));
    // Centred on their values; the ends' labels stay within the bar's height.
    for (const auto& [t, label] : m_barLabels) {
        const double height = label->boundingRect().height();
        const double y = std::clamp(area.bottom() - t * area.height() - height / 2, area.top() - 6,
                                    area.bottom() - height + 6);
        label->setPos(area.right() + 14 + kBarWidth, y);
    }
}

QString ContourPlot::axisTitle(const std::string& param, int edge) const {
    return edge >= 0 ? cellFormat::edgeAxisName(param, edge, m_singleCell) : toQString(param);
}

QString ContourPlot::positionText(double value, const std::vector<std::string>& labels,
                                  bool cellEdge) const {
    if (labels.empty())
        return formatNumber(value);
    const long index = std::clamp(std::lround(value), 0L, static_cast<long>(labels.size()) - 1);
    return cellEdge ? cellFormat::operationLabel(static_cast<int>(index))
                    : toQString(labels[static_cast<std::size_t>(index)]);
}

double ContourPlot::unitOf(double value, double low, double high, bool log) const {
    if (log)
        return (std::log(value) - std::log(low)) / (std::log(high) - std::log(low));
    return (value - low) / (high - low);
}

void ContourPlot::mouseMoveEvent(QMouseEvent* event) {
    ChartView::mouseMoveEvent(event);
    if (m_image.isNull() || m_pointHovered)
        return;
    const QPointF scenePos = mapToScene(event->position().toPoint());
    const QPointF chartPos = chart()->mapFromScene(scenePos);
    const QRectF area = chart()->plotArea();
    if (!area.contains(chartPos)) {
        QToolTip::hideText();
        return;
    }
    const QPointF value = chart()->mapToValue(chartPos, m_observed);
    const double u = unitOf(value.x(), m_grid.xLow, m_grid.xHigh, m_grid.xLog);
    const double w = unitOf(value.y(), m_grid.yLow, m_grid.yHigh, m_grid.yLog);
    const int column = std::clamp(static_cast<int>(u * m_grid.columns), 0, m_grid.columns - 1);
    const int row = std::clamp(static_cast<int>(w * m_grid.rows), 0, m_grid.rows - 1);
    const double median = m_grid.median[static_cast<std::size_t>(row * m_grid.columns + column)];
    QToolTip::showText(event->globalPosition().toPoint(),
                       tr("%1 = %2, %3 = %4<br>GP %5 <b>%6</b>")
                           .arg(axisTitle(m_grid.paramX, m_grid.edgeX),
                                positionText(value.x(), m_grid.xLabels, m_grid.edgeX >= 0),
                                axisTitle(m_grid.paramY, m_grid.edgeY),
                                positionText(value.y(), m_grid.yLabels, m_grid.edgeY >= 0),
                                statisticName(), formatNumber(median)),
                       this);
}

QString ContourPlot::colourBarLabels() const {
    QStringList labels;
    for (auto it = m_barLabels.rbegin(); it != m_barLabels.rend(); ++it)
        labels << it->second->text();
    return labels.join(QStringLiteral(" / "));
}

QString ContourPlot::statisticName() const {
    // Through an output warping the GP's mean maps back to the median.
    return m_grid.outputWarping.empty() ? tr("mean") : tr("median");
}

}  // namespace bonsai::ui

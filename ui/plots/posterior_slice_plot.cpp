#include "plots/posterior_slice_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QCategoryAxis>
#include <QLegendMarker>
#include <QPen>

#include "analysis/trial_series.h"
#include "plots/plot_style.h"

namespace bonsai::ui {

namespace {

struct Range {
    double low = std::numeric_limits<double>::infinity();
    double high = -std::numeric_limits<double>::infinity();
    void add(double v) {
        if (!std::isfinite(v))
            return;
        low = std::min(low, v);
        high = std::max(high, v);
    }
    // A band's end: an infinite one (a warped GP's) counts, to be clipped.
    void addBound(double v) {
        if (std::isnan(v))
            return;
        low = std::min(low, v);
        high = std::max(high, v);
    }
    bool empty() const { return !(low <= high); }
};

// The value axis's extent: the trials and the median (`core`), widened by
// the band no further than one span of theirs (a decade on a log axis): a
// warped GP's band is lopsided and may be unbounded on one side, and would
// otherwise squash everything else against one edge.
struct ValueExtent {
    double low = 0, high = 1;
    bool log = false;
};
ValueExtent valueExtentOf(Range core, const Range& band) {
    if (core.empty())
        core = band;
    if (core.empty() || !std::isfinite(core.low) || !std::isfinite(core.high))
        return {};
    ValueExtent out;
    out.log = spansDecades(core.low, core.high);
    const double span = std::max(core.high - core.low, 1e-9 * std::max(1.0, std::fabs(core.high)));
    const double floor = out.log ? core.low / 10 : core.low - span;
    const double ceiling = out.log ? core.high * 10 : core.high + span;
    out.low = band.empty() ? core.low : std::min(core.low, std::max(band.low, floor));
    out.high = band.empty() ? core.high : std::max(core.high, std::min(band.high, ceiling));
    return out;
}

// Large or tiny values on a linear axis are drawn divided by a power of ten
// named in its title: a narrow panel's two vertical axes get a fifth of its
// width each, and labels such as "2.5e+06" were elided to "2.5e...".
int labelExponentOf(const ValueExtent& extent) {
    const double magnitude = std::max(std::fabs(extent.low), std::fabs(extent.high));
    if (extent.log || !(magnitude > 0) || (magnitude < 1e5 && magnitude >= 1e-3))
        return 0;
    return static_cast<int>(std::floor(std::log10(magnitude)));
}

QString superscript(int n) {
    static const QString digits = QStringLiteral("⁰¹²³⁴⁵⁶⁷⁸⁹");
    QString out = n < 0 ? QStringLiteral("⁻") : QString();
    for (QChar c : QString::number(std::abs(n)))
        out += digits[c.digitValue()];
    return out;
}

// The slice's observed trials as points: complete feasible ones, those
// breaking a constraint, and pruned ones. Their values widen `ys` (and their
// positions `xs`, if given).
struct ObservedPoints {
    QList<QPointF> dots, rings, crosses;
};
ObservedPoints observedPoints(const PosteriorSlice& slice, Range& ys, Range* xs) {
    ObservedPoints out;
    for (std::size_t i = 0; i < std::min(slice.observedX.size(), slice.observedY.size()); ++i) {
        const bool infeasible = i < slice.observedInfeasible.size() && slice.observedInfeasible[i];
        const bool pruned = i < slice.observedPruned.size() && slice.observedPruned[i];
        QList<QPointF>& into = pruned ? out.crosses : infeasible ? out.rings : out.dots;
        into.append({slice.observedX[i], slice.observedY[i]});
        ys.add(slice.observedY[i]);
        if (xs)
            xs->add(slice.observedX[i]);
    }
    return out;
}

// The points with their values divided by `scale`.
QList<QPointF> scaled(QList<QPointF> points, double scale) {
    for (QPointF& p : points)
        p.setY(p.y() / scale);
    return points;
}

}  // namespace

PosteriorSlicePlot::PosteriorSlicePlot(QWidget* parent)
    : ChartView(tr("GP posterior slice through the best trial"), parent) {
    setZoomable(true);
    m_upper = new QLineSeries(this);
    m_lower = new QLineSeries(this);
    m_band = new QAreaSeries(m_upper, m_lower);
    // Short names: five entries share one row of a narrow panel (1024x700).
    m_band->setName(tr("± 2σ"));
    m_band->setBrush(plotColors::band());
    m_band->setPen(Qt::NoPen);
    m_mean = new QLineSeries;
    m_mean->setName(tr("mean"));
    m_mean->setPen(QPen(plotColors::complete(), 2.0));
    m_observed = makePointSeries(dotMarker(QColor(0x20, 0x20, 0x20)));
    m_observed->setName(tr("trials"));
    m_infeasible = makePointSeries(ringMarker(QColor(0x20, 0x20, 0x20), 9));
    m_infeasible->setName(tr("infeasible"));
    m_pruned = makePointSeries(crossMarker(plotColors::pruned(), 9));
    m_pruned->setName(tr("pruned"));
    m_acquisition = new QLineSeries;
    m_acquisition->setName(tr("acquisition"));
    m_acquisition->setPen(QPen(plotColors::series(4), 1.6, Qt::DashLine));
    m_incumbent = new QLineSeries;
    m_incumbent->setName(tr("best"));
    m_incumbent->setPen(QPen(plotColors::best(), 1.2, Qt::DotLine));

    for (QAbstractSeries* series : std::initializer_list<QAbstractSeries*>{
             m_band, m_mean, m_observed, m_infeasible, m_pruned, m_incumbent, m_acquisition})
        chart()->addSeries(series);
    m_x = makeAxis(tr("Parameter"), Qt::AlignBottom);
    m_y = makeAxis(tr("Objective value"), Qt::AlignLeft);
    m_acquisitionAxis = makeAxis(tr("Acquisition"), Qt::AlignRight);
    // One set of grid lines, the objective's: the acquisition's fell between
    // them and striped the band.
    m_acquisitionAxis->setGridLineVisible(false);
    m_acquisitionAxis->setMinorGridLineVisible(false);
    for (QAbstractSeries* series :
         {static_cast<QAbstractSeries*>(m_band), static_cast<QAbstractSeries*>(m_mean),
          static_cast<QAbstractSeries*>(m_observed), static_cast<QAbstractSeries*>(m_infeasible),
          static_cast<QAbstractSeries*>(m_pruned), static_cast<QAbstractSeries*>(m_incumbent)}) {
        series->attachAxis(m_x);
        series->attachAxis(m_y);
    }
    m_acquisition->attachAxis(m_x);
    m_acquisition->attachAxis(m_acquisitionAxis);
    m_categoryMean = makePointSeries(dotMarker(plotColors::complete(), 11));
    m_categoryMean->setName(tr("mean ± 2σ"));  // short: five entries share one row
    chart()->addSeries(m_categoryMean);
    m_categoryMean->attachAxis(m_x);
    m_categoryMean->attachAxis(m_y);
    m_categoryX = new QCategoryAxis;
    m_categoryX->setLabelsPosition(QCategoryAxis::AxisLabelsPositionCenter);
    m_categoryX->setStartValue(-0.5);
    chart()->addAxis(m_categoryX, Qt::AlignBottom);
    m_categoryX->setVisible(false);
    setLegendShown(true);
    chart()->legend()->setAlignment(Qt::AlignTop);
    setLegendColor(chart(), m_observed, QColor(0x20, 0x20, 0x20));
    setLegendColor(chart(), m_infeasible, QColor(0x20, 0x20, 0x20), true);
    setLegendColor(chart(), m_pruned, plotColors::pruned());
    setLegendColor(chart(), m_categoryMean, plotColors::complete());
    fitAxis(m_x, 0, 1);
    fitAxis(m_y, 0, 1);
    fitAxis(m_acquisitionAxis, 0, 1);
    m_xLog = makeLogAxis(QString());
    m_xLog->setLabelFormat(QStringLiteral("%.3g"));
    m_yLog = makeLogAxis(tr("Objective value"));
    clearSlice(tr("No posterior to show yet"));
}

QAbstractAxis* PosteriorSlicePlot::parameterAxis() const {
    return isOnChart(m_xLog) ? static_cast<QAbstractAxis*>(m_xLog) : m_x;
}

void PosteriorSlicePlot::useLogAxis(bool log) {
    if (log == isOnChart(m_xLog))
        return;
    // Every series on the parameter axis.
    swapAxis(parameterAxis(), log ? static_cast<QAbstractAxis*>(m_xLog) : m_x, Qt::AlignBottom,
             {m_band, m_mean, m_observed, m_infeasible, m_pruned, m_incumbent, m_acquisition,
              m_categoryMean});
}

void PosteriorSlicePlot::clearBars() {
    for (QLineSeries* bar : m_bars) {
        chart()->removeSeries(bar);
        delete bar;
    }
    m_bars.clear();
    m_categoryMean->clear();
}

void PosteriorSlicePlot::setSlice(const PosteriorSlice& slice) {
    const std::size_t n =
        std::min({slice.x.size(), slice.median.size(), slice.lower.size(), slice.upper.size()});
    const bool categorical = !slice.categories.isEmpty();
    clearBars();
    // Category bars and dots sit on the linear axis, at indices 0..n-1.
    if (categorical)
        useLogAxis(false);
    m_acquisition->setName(slice.acquisitionName.isEmpty() ? tr("acquisition")
                                                           : slice.acquisitionName);
    // Through an output warping the GP's mean maps back to the median.
    const bool warped = !slice.outputWarping.isEmpty();
    m_mean->setName(warped ? tr("median") : tr("mean"));
    m_categoryMean->setName(warped ? tr("median ± 2σ") : tr("mean ± 2σ"));
    // The legend lists what this kind of slice draws.
    for (QAbstractSeries* series : std::initializer_list<QAbstractSeries*>{m_band, m_mean})
        for (QLegendMarker* marker : chart()->legend()->markers(series))
            marker->setVisible(!categorical);
    for (QLegendMarker* marker : chart()->legend()->markers(m_categoryMean))
        marker->setVisible(categorical);
    const QString valueTitle = slice.valueName.isEmpty() ? tr("Objective value") : slice.valueName;
    // Also after the title, where it fits: a compact chart hides axis titles.
    setChartTitle(chartTitle(), slice.valueName);
    Range core, band;
    for (std::size_t i = 0; i < n; ++i) {
        core.add(slice.median[i]);
        band.addBound(slice.lower[i]);
        band.addBound(slice.upper[i]);
    }
    if (categorical) {
        // Categories are unordered: a dot and a bar each, no line between them.
        m_band->setVisible(false);
        m_mean->setVisible(false);
        m_acquisition->setVisible(false);
        const auto labelCount = static_cast<int>(slice.categories.size());
        for (const QString& label : m_categoryX->categoriesLabels())
            m_categoryX->remove(label);
        for (int c = 0; c < labelCount; ++c)
            m_categoryX->append(slice.categories[c], c + 0.5);
        const ObservedPoints observed = observedPoints(slice, core, nullptr);
        const ValueExtent extent = valueExtentOf(core, band);
        QAbstractAxis* valueAxis = fitValues(extent.low, extent.high, extent.log, valueTitle);
        QList<QPointF> medians;
        for (std::size_t i = 0; i < n; ++i) {
            const double x = slice.x[i];
            medians.append({x, slice.median[i] / m_valueScale});
            auto* bar = new QLineSeries;
            QPen pen(plotColors::band(), 14);
            pen.setCapStyle(Qt::FlatCap);
            bar->setPen(pen);
            bar->replace(
                QList<QPointF>{{x, onValueAxis(slice.lower[i])}, {x, onValueAxis(slice.upper[i])}});
            chart()->addSeries(bar);
            bar->attachAxis(m_x);
            bar->attachAxis(valueAxis);
            m_bars.push_back(bar);
            if (auto* marker = chart()->legend()->markers(bar).value(0))
                marker->setVisible(false);
        }
        m_categoryMean->replace(medians);
        showObserved(scaled(observed.dots, m_valueScale), scaled(observed.rings, m_valueScale),
                     scaled(observed.crosses, m_valueScale));
        for (QXYSeries* series :
             std::initializer_list<QXYSeries*>{m_upper, m_lower, m_mean, m_acquisition})
            series->clear();
        m_x->setRange(-0.5, labelCount - 0.5);
        m_categoryX->setRange(-0.5, labelCount - 0.5);
        m_categoryX->setTitleText(slice.parameter);
        fitCategoryLabels(m_categoryX, chart()->plotArea().width());
        showIncumbent(slice.incumbentX);
        setLegendShown(true);
        setEmptyMessage(n == 0 ? tr("The model returned an empty slice") : QString());
        showAxes(n > 0, true, false);
        return;
    }
    m_band->setVisible(true);
    m_mean->setVisible(true);
    // A series shown again shows its legend entry again, so this also keeps
    // the entry of an absent acquisition (a multi-objective slice) hidden.
    m_acquisition->setVisible(slice.acquisition.size() == slice.x.size() &&
                              !slice.acquisition.empty());
    Range xs, as;
    QList<QPointF> acquisition;
    for (std::size_t i = 0; i < n; ++i) {
        xs.add(slice.x[i]);
        if (slice.acquisition.size() == slice.x.size()) {
            acquisition.append({slice.x[i], slice.acquisition[i]});
            as.add(slice.acquisition[i]);
        }
    }
    const ObservedPoints observed = observedPoints(slice, core, &xs);
    const ValueExtent extent = valueExtentOf(core, band);
    fitValues(extent.low, extent.high, extent.log, valueTitle);
    QList<QPointF> upper, lower, median;
    for (std::size_t i = 0; i < n; ++i) {
        const double x = slice.x[i];
        median.append({x, onValueAxis(slice.median[i])});
        upper.append({x, onValueAxis(slice.upper[i])});
        lower.append({x, onValueAxis(slice.lower[i])});
    }
    m_upper->replace(upper);
    m_lower->replace(lower);
    m_mean->replace(median);
    m_acquisition->replace(acquisition);
    showObserved(scaled(observed.dots, m_valueScale), scaled(observed.rings, m_valueScale),
                 scaled(observed.crosses, m_valueScale));
    // Log-scale parameters on a log axis (as Slices and Contour draw them),
    // else every point of lr in 1e-4..1e-1 would sit at the left edge.
    useLogAxis(slice.logScale && xs.low > 0);
    parameterAxis()->setTitleText(slice.parameter);
    // Over a budget's last trials (exploit_last) the curve is the exploiting
    // one the next suggestion maximizes, lower and narrower than before: its
    // axis says so (the legend keeps the short name, which fits at 1024x700).
    m_acquisitionAxis->setTitleText(slice.acquisitionVarianceScale < 1.0
                                        ? tr("%1 (exploiting)").arg(m_acquisition->name())
                                        : m_acquisition->name());
    setEmptyMessage(n == 0 ? tr("The model returned an empty slice") : QString());
    const bool logX = isOnChart(m_xLog);
    if (logX)
        m_xLog->setRange(xs.low / 1.15, xs.high * 1.15);
    else
        fitAxis(m_x, xs.low, xs.high, slice.integer);
    if (!acquisition.isEmpty())
        fitAxis(m_acquisitionAxis, as.low, as.high);
    showIncumbent(slice.incumbentX);
    setLegendShown(n > 0);
    showAxes(n > 0, false, !acquisition.isEmpty());
}

QAbstractAxis* PosteriorSlicePlot::fitValues(double low, double high, bool log,
                                             const QString& title) {
    const int exponent = labelExponentOf({low, high, log});
    m_valueScale = std::pow(10.0, exponent);
    QAbstractAxis* axis = fitValueAxis(
        m_y, m_yLog, Qt::AlignLeft,
        {m_band, m_mean, m_observed, m_infeasible, m_pruned, m_incumbent, m_categoryMean},
        low / m_valueScale, high / m_valueScale, log);
    if (isOnChart(m_yLog))
        axis->setTitleText(tr("%1 (log scale)").arg(title));
    else
        axis->setTitleText(exponent == 0 ? title
                                         : tr("%1 (×10%2)").arg(title, superscript(exponent)));
    return axis;
}

QAbstractAxis* PosteriorSlicePlot::valueAxis() const {
    return isOnChart(m_yLog) ? static_cast<QAbstractAxis*>(m_yLog) : m_y;
}

std::pair<double, double> PosteriorSlicePlot::valueRange() const {
    if (isOnChart(m_yLog))
        return {m_yLog->min(), m_yLog->max()};
    return {m_y->min(), m_y->max()};
}

double PosteriorSlicePlot::onValueAxis(double value) const {
    // A band past the axis (unbounded, or at or below zero on a log axis) is
    // drawn to its edge.
    const auto [low, high] = valueRange();
    return std::isnan(value) ? low : std::clamp(value / m_valueScale, low, high);
}

void PosteriorSlicePlot::showIncumbent(std::optional<double> x) {
    const auto [low, high] = valueRange();
    if (x)
        m_incumbent->replace(QList<QPointF>{{*x, low}, {*x, high}});
    else
        m_incumbent->clear();
}

void PosteriorSlicePlot::showObserved(const QList<QPointF>& dots, const QList<QPointF>& rings,
                                      const QList<QPointF>& crosses) {
    m_observed->replace(dots);
    m_infeasible->replace(rings);
    m_pruned->replace(crosses);
    showLegendEntry(m_infeasible, !rings.isEmpty());
    showLegendEntry(m_pruned, !crosses.isEmpty());
}

void PosteriorSlicePlot::showAxes(bool drawn, bool categorical, bool acquisition) {
    // After setEmptyMessage(), which shows every axis of the chart when its
    // message goes: a categorical slice's labels are its category axis, not
    // the numeric axis beneath its bars, and the acquisition axis is only
    // shown with its curve.
    for (QAbstractAxis* axis : chart()->axes())
        axis->setVisible(false);
    if (drawn) {
        valueAxis()->setVisible(true);
        m_categoryX->setVisible(categorical);
        parameterAxis()->setVisible(!categorical);
        m_acquisitionAxis->setVisible(acquisition);
    }
    updateAxisTitles();
}

void PosteriorSlicePlot::clearSlice(const QString& reason) {
    clearBars();
    for (QXYSeries* series :
         std::initializer_list<QXYSeries*>{m_upper, m_lower, m_mean, m_acquisition, m_observed,
                                           m_infeasible, m_pruned, m_incumbent})
        series->clear();
    setLegendShown(false);
    setEmptyMessage(reason.isEmpty() ? tr("No study selected") : reason);
}

}  // namespace bonsai::ui

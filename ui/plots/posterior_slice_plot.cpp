#include "plots/posterior_slice_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QCategoryAxis>
#include <QLegendMarker>
#include <QPen>

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
};

// The slice's observed trials as points: feasible ones, then those breaking a
// constraint. Their values widen `ys` (and their positions `xs`, if given).
std::pair<QList<QPointF>, QList<QPointF>> observedPoints(const PosteriorSlice& slice, Range& ys,
                                                         Range* xs) {
    QList<QPointF> dots, rings;
    for (std::size_t i = 0; i < std::min(slice.observedX.size(), slice.observedY.size()); ++i) {
        const bool infeasible = i < slice.observedInfeasible.size() && slice.observedInfeasible[i];
        (infeasible ? rings : dots).append({slice.observedX[i], slice.observedY[i]});
        ys.add(slice.observedY[i]);
        if (xs)
            xs->add(slice.observedX[i]);
    }
    return {dots, rings};
}

}  // namespace

PosteriorSlicePlot::PosteriorSlicePlot(QWidget* parent)
    : ChartView(tr("GP posterior slice through the best trial"), parent) {
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
    m_acquisition = new QLineSeries;
    m_acquisition->setName(tr("acquisition"));
    m_acquisition->setPen(QPen(plotColors::series(4), 1.6, Qt::DashLine));
    m_incumbent = new QLineSeries;
    m_incumbent->setName(tr("best"));
    m_incumbent->setPen(QPen(plotColors::best(), 1.2, Qt::DotLine));

    for (QAbstractSeries* series : std::initializer_list<QAbstractSeries*>{
             m_band, m_mean, m_observed, m_infeasible, m_incumbent, m_acquisition})
        chart()->addSeries(series);
    m_x = makeAxis(tr("Parameter"), Qt::AlignBottom);
    m_y = makeAxis(tr("Objective value"), Qt::AlignLeft);
    m_acquisitionAxis = makeAxis(tr("Acquisition"), Qt::AlignRight);
    for (QAbstractSeries* series :
         {static_cast<QAbstractSeries*>(m_band), static_cast<QAbstractSeries*>(m_mean),
          static_cast<QAbstractSeries*>(m_observed), static_cast<QAbstractSeries*>(m_infeasible),
          static_cast<QAbstractSeries*>(m_incumbent)}) {
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
    setLegendColor(chart(), m_categoryMean, plotColors::complete());
    fitAxis(m_x, 0, 1);
    fitAxis(m_y, 0, 1);
    fitAxis(m_acquisitionAxis, 0, 1);
    m_xLog = makeLogAxis(QString());
    m_xLog->setLabelFormat(QStringLiteral("%.3g"));
    clearSlice(tr("No posterior to show yet"));
}

QAbstractAxis* PosteriorSlicePlot::parameterAxis() const {
    return m_logX ? static_cast<QAbstractAxis*>(m_xLog) : m_x;
}

void PosteriorSlicePlot::useLogAxis(bool log) {
    if (log == m_logX)
        return;
    // Every series on the parameter axis.
    swapAxis(
        parameterAxis(), log ? static_cast<QAbstractAxis*>(m_xLog) : m_x, Qt::AlignBottom,
        {m_band, m_mean, m_observed, m_infeasible, m_incumbent, m_acquisition, m_categoryMean});
    m_logX = log;
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
    const std::size_t n = std::min({slice.x.size(), slice.mean.size(), slice.std.size()});
    const bool categorical = !slice.categories.isEmpty();
    clearBars();
    // Category bars and dots sit on the linear axis, at indices 0..n-1.
    if (categorical)
        useLogAxis(false);
    m_acquisition->setName(slice.acquisitionName.isEmpty() ? tr("acquisition")
                                                           : slice.acquisitionName);
    // The legend lists what this kind of slice draws.
    for (QAbstractSeries* series : std::initializer_list<QAbstractSeries*>{m_band, m_mean})
        for (QLegendMarker* marker : chart()->legend()->markers(series))
            marker->setVisible(!categorical);
    m_y->setTitleText(slice.valueName.isEmpty() ? tr("Objective value") : slice.valueName);
    for (QLegendMarker* marker : chart()->legend()->markers(m_categoryMean))
        marker->setVisible(categorical);
    if (categorical) {
        // Categories are unordered: a dot and a bar each, no line between them.
        m_band->setVisible(false);
        m_mean->setVisible(false);
        m_acquisition->setVisible(false);
        QList<QPointF> means;
        Range ys;
        const auto labelCount = static_cast<int>(slice.categories.size());
        for (const QString& label : m_categoryX->categoriesLabels())
            m_categoryX->remove(label);
        for (int c = 0; c < labelCount; ++c)
            m_categoryX->append(slice.categories[c], c + 0.5);
        for (std::size_t i = 0; i < n; ++i) {
            const double x = slice.x[i], m = slice.mean[i], s = std::max(0.0, slice.std[i]);
            means.append({x, m});
            auto* bar = new QLineSeries;
            QPen pen(plotColors::band(), 14);
            pen.setCapStyle(Qt::FlatCap);
            bar->setPen(pen);
            bar->replace(QList<QPointF>{{x, m - 2 * s}, {x, m + 2 * s}});
            chart()->addSeries(bar);
            bar->attachAxis(m_x);
            bar->attachAxis(m_y);
            m_bars.push_back(bar);
            if (auto* marker = chart()->legend()->markers(bar).value(0))
                marker->setVisible(false);
            ys.add(m + 2 * s);
            ys.add(m - 2 * s);
        }
        const auto [dots, rings] = observedPoints(slice, ys, nullptr);
        m_categoryMean->replace(means);
        showObserved(dots, rings);
        for (QXYSeries* series :
             std::initializer_list<QXYSeries*>{m_upper, m_lower, m_mean, m_acquisition})
            series->clear();
        m_x->setRange(-0.5, labelCount - 0.5);
        m_categoryX->setRange(-0.5, labelCount - 0.5);
        m_categoryX->setTitleText(slice.parameter);
        fitCategoryLabels(m_categoryX, chart()->plotArea().width());
        fitAxis(m_y, ys.low, ys.high);
        if (slice.incumbentX)
            m_incumbent->replace(
                QList<QPointF>{{*slice.incumbentX, m_y->min()}, {*slice.incumbentX, m_y->max()}});
        else
            m_incumbent->clear();
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
    QList<QPointF> upper, lower, mean, acquisition;
    Range xs, ys, as;
    for (std::size_t i = 0; i < n; ++i) {
        const double x = slice.x[i], m = slice.mean[i], s = std::max(0.0, slice.std[i]);
        mean.append({x, m});
        upper.append({x, m + 2 * s});
        lower.append({x, m - 2 * s});
        xs.add(x);
        ys.add(m + 2 * s);
        ys.add(m - 2 * s);
        if (slice.acquisition.size() == slice.x.size()) {
            acquisition.append({x, slice.acquisition[i]});
            as.add(slice.acquisition[i]);
        }
    }
    const auto [dots, rings] = observedPoints(slice, ys, &xs);
    m_upper->replace(upper);
    m_lower->replace(lower);
    m_mean->replace(mean);
    m_acquisition->replace(acquisition);
    showObserved(dots, rings);
    // Log-scale parameters on a log axis (as Slices and Contour draw them),
    // else every point of lr in 1e-4..1e-1 would sit at the left edge.
    useLogAxis(slice.logScale && xs.low > 0);
    parameterAxis()->setTitleText(slice.parameter);
    m_acquisitionAxis->setTitleText(m_acquisition->name());
    setEmptyMessage(n == 0 ? tr("The model returned an empty slice") : QString());
    if (m_logX)
        m_xLog->setRange(xs.low / 1.15, xs.high * 1.15);
    else
        fitAxis(m_x, xs.low, xs.high, slice.integer);
    if (!slice.integer && !m_logX)
        m_x->setLabelFormat(QStringLiteral("%.4g"));
    fitAxis(m_y, ys.low, ys.high);
    if (!acquisition.isEmpty())
        fitAxis(m_acquisitionAxis, as.low, as.high);
    if (slice.incumbentX)
        m_incumbent->replace(
            QList<QPointF>{{*slice.incumbentX, m_y->min()}, {*slice.incumbentX, m_y->max()}});
    else
        m_incumbent->clear();
    setLegendShown(n > 0);
    showAxes(n > 0, false, !acquisition.isEmpty());
}

void PosteriorSlicePlot::showObserved(const QList<QPointF>& dots, const QList<QPointF>& rings) {
    m_observed->replace(dots);
    m_infeasible->replace(rings);
    showLegendEntry(m_infeasible, !rings.isEmpty());
}

void PosteriorSlicePlot::showAxes(bool drawn, bool categorical, bool acquisition) {
    // After setEmptyMessage(), which shows every axis of the chart when its
    // message goes: a categorical slice's labels are its category axis, not
    // the numeric axis beneath its bars, and the acquisition axis is only
    // shown with its curve.
    for (QAbstractAxis* axis : chart()->axes())
        axis->setVisible(false);
    if (!drawn)
        return;
    m_y->setVisible(true);
    m_categoryX->setVisible(categorical);
    parameterAxis()->setVisible(!categorical);
    m_acquisitionAxis->setVisible(acquisition);
}

void PosteriorSlicePlot::clearSlice(const QString& reason) {
    clearBars();
    for (QXYSeries* series : std::initializer_list<QXYSeries*>{
             m_upper, m_lower, m_mean, m_acquisition, m_observed, m_infeasible, m_incumbent})
        series->clear();
    setLegendShown(false);
    setEmptyMessage(reason.isEmpty() ? tr("No study selected") : reason);
}

}  // namespace bonsai::ui

#include "plots/edf_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QCursor>
#include <QPen>
#include <QToolTip>

#include "analysis/trial_series.h"
#include "helpers/format.h"
#include "plots/off_scale.h"
#include "plots/plot_style.h"

namespace bonsai::ui {

// The title is short enough for half the Analysis tab of a 1024-pixel window.
EdfPlot::EdfPlot(QWidget* parent)
    : ChartView(tr("Distribution of values: compare studies"), parent) {
    setZoomable(true);
    m_x = makeAxis(tr("Objective value"), Qt::AlignBottom);
    m_y = makeAxis(tr("Fraction of complete trials ≤ value"), Qt::AlignLeft);
    fitAxis(m_x, 0, 1);
    // Ticks at 0, 0.2, ..., 1 exactly, with room above 1 for the last step
    // (ticks at fifths of the range put the "1.0" label at 1.02).
    m_y->setRange(0, 1.02);
    m_y->setTickType(QValueAxis::TicksDynamic);
    m_y->setTickAnchor(0);
    m_y->setTickInterval(0.2);
    m_y->setLabelFormat(QStringLiteral("%.1f"));
    m_xLog = makeLogAxis(tr("Objective value (log scale)"));
    setLegendShown(true);
    chart()->legend()->setAlignment(Qt::AlignTop);
    setEmptyMessage(tr("Select studies in the browser to compare them (Ctrl+click)"));
}

void EdfPlot::setValueName(const QString& name) {
    titleAxisPair(m_x, m_xLog, name.isEmpty() ? tr("Objective value") : name);
}

void EdfPlot::setCurves(const std::vector<EdfCurve>& curves, std::optional<Direction> direction) {
    for (QLineSeries* series : m_series) {
        chart()->removeSeries(series);
        delete series;
    }
    m_series.clear();
    m_curves = curves;
    FarOffValues far;
    if (direction) {
        std::vector<double> values;
        for (const EdfCurve& curve : curves)
            for (const QPointF& point : curve.edf)
                values.push_back(point.x());
        far = farOffValues(values, *direction);
    }
    double low = std::numeric_limits<double>::infinity(), high = -low;
    for (const EdfCurve& curve : curves)
        for (const QPointF& point : curve.edf)
            if (!far.off(point.x())) {
                low = std::min(low, point.x());
                high = std::max(high, point.x());
            }
    QAbstractAxis* values = fitValueAxis(m_x, m_xLog, Qt::AlignBottom, {}, low, high);
    const auto* log = qobject_cast<const QLogValueAxis*>(values);
    const double left = log ? log->min() : m_x->min();
    const double right = log ? log->max() : m_x->max();
    setChartTitle(
        chartTitle(),
        far.count == 0
            ? QString()
            : offScaleWords(far.count, 0, far.low, far.high, far.maximize, Qt::Horizontal).full);
    for (std::size_t i = 0; i < curves.size(); ++i) {
        auto* series = new QLineSeries;
        series->setName(curves[i].name);
        series->setPen(QPen(plotColors::series(static_cast<int>(i)), 2.0));
        QList<QPointF> points;
        const auto& edf = curves[i].edf;
        points.reserve(static_cast<qsizetype>(2 * edf.size() + 2));
        double beyondLeft = 0.0;  // the fraction of trials far off to the left
        for (std::size_t k = 0; k < edf.size(); ++k) {
            const double before = k == 0 ? 0.0 : edf[k - 1].y();
            if (far.off(edf[k].x())) {
                // Far below comes first (values ascend); far above, last.
                if (far.maximize)
                    beyondLeft = edf[k].y();
                continue;
            }
            if (points.empty() && beyondLeft > 0)
                points.append({left, beyondLeft});  // entering from off the axis
            // A step: the fraction jumps at each value.
            points.append({edf[k].x(), before});
            points.append(edf[k]);
        }
        if (points.empty() && !edf.empty())  // every value far off
            points = {{left, beyondLeft}, {right, beyondLeft}};
        else if (!far.maximize && !edf.empty() && far.off(edf.back().x()))
            points.append({right, points.back().y()});  // leaving for off the axis
        series->replace(points);
        chart()->addSeries(series);
        series->attachAxis(values);
        series->attachAxis(m_y);
        const std::size_t curve = i;
        connect(
            series, &QLineSeries::hovered, this, [this, curve](const QPointF& point, bool state) {
                if (!state) {
                    QToolTip::hideText();
                    return;
                }
                const EdfCurve& c = m_curves[curve];
                // The nearest value at or below the hovered x.
                auto it = std::upper_bound(c.edf.begin(), c.edf.end(), point.x(),
                                           [](double x, const QPointF& p) { return x < p.x(); });
                const double fraction = it == c.edf.begin() ? 0.0 : std::prev(it)->y();
                QToolTip::showText(QCursor::pos(),
                                   tr("<b>%1</b><br>%2% of %3 complete trials ≤ %4")
                                       .arg(c.name.toHtmlEscaped())
                                       .arg(formatNumber(100 * fraction))
                                       .arg(c.edf.size())
                                       .arg(formatNumber(point.x())),
                                   this);
            });
        connect(series, &QLineSeries::clicked, this, [this, curve](const QPointF& point) {
            const EdfCurve& c = m_curves[curve];
            if (!c.clickable || c.edf.empty())
                return;
            auto it = std::lower_bound(c.edf.begin(), c.edf.end(), point.x(),
                                       [](const QPointF& p, double x) { return p.x() < x; });
            if (it == c.edf.end())
                --it;
            emit trialClicked(c.trials[static_cast<std::size_t>(it - c.edf.begin())]);
        });
        m_series.push_back(series);
    }
    setEmptyMessage(curves.empty()
                        ? tr("Select studies in the browser to compare them (Ctrl+click)")
                        : QString());
}

}  // namespace bonsai::ui

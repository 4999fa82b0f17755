#include "plots/hypervolume_plot.h"

#include <algorithm>
#include <cmath>

#include <QPen>

#include "plots/plot_style.h"

namespace bonsai::ui {

HypervolumePlot::HypervolumePlot(QWidget* parent)
    : ChartView(tr("Hypervolume of the Pareto set"), parent) {
    setZoomable(true);
    m_line = new QLineSeries;
    m_line->setPen(QPen(plotColors::best(), 2.0));
    chart()->addSeries(m_line);
    m_x = makeAxis(tr("Trial"), Qt::AlignBottom);
    m_y = makeAxis(tr("Hypervolume"), Qt::AlignLeft);
    m_line->attachAxis(m_x);
    m_line->attachAxis(m_y);
    fitAxis(m_x, 0, 10, true);
    fitAxis(m_y, 0, 1);
    setEmptyMessage(tr("No complete feasible trial yet"));
}

void HypervolumePlot::setCurve(const std::vector<QPointF>& curve, double lastTrial) {
    double high = 0;
    for (const QPointF& p : curve)
        high = std::max(high, p.y());
    if (!curve.empty()) {
        fitAxis(m_x, curve.front().x(), std::max(lastTrial, curve.front().x() + 1), true);
        fitAxis(m_y, 0, high > 0 ? high : 1);
    }
    m_line->replace(staircase(curve, lastTrial));
    setEmptyMessage(curve.empty() ? tr("No complete feasible trial yet") : QString());
}

void HypervolumePlot::setReference(const QString& reference, bool derived) {
    // A hypervolume means nothing without the corner it is measured from. A
    // narrow chart leaves it out of the title; the tooltip always has it.
    // No line break between an objective and its coordinate ("f1 = 1.1").
    QString unbroken = reference;
    unbroken.replace(QStringLiteral(" = "), QStringLiteral("\u00A0=\u00A0"));
    setChartTitle(tr("Hypervolume of the Pareto set"),
                  reference.isEmpty() ? QString() : tr("reference %1").arg(unbroken));
    if (reference.isEmpty())
        setToolTip(QString());
    else if (derived)
        setToolTip(tr("Reference point %1, derived from the trials (each objective's worst "
                      "value plus 10 % of its range), so it moves as they do. Give each "
                      "objective a reference in the spec to compare runs.")
                       .arg(reference));
    else
        setToolTip(tr("Reference point %1, the objectives' reference in the spec.").arg(reference));
}

}  // namespace bonsai::ui

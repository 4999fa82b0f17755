#include "plots/importance_plot.h"

#include <algorithm>
#include <numeric>

#include <QCursor>
#include <QToolTip>

#include "helpers/format.h"
#include "plots/plot_style.h"

namespace bonsai::ui {

ImportancePlot::ImportancePlot(QWidget* parent)
    : ChartView(tr("Parameter importance (GP ARD relevance)"), parent) {
    m_set = new QBarSet(tr("relevance"));
    m_set->setColor(plotColors::complete());
    m_set->setBorderColor(plotColors::complete().darker(130));
    m_set->setLabelColor(QColor(0x30, 0x30, 0x30));
    m_series = new QHorizontalBarSeries;
    m_series->append(m_set);
    m_series->setBarWidth(0.7);
    m_series->setLabelsVisible(true);
    m_series->setLabelsFormat(QStringLiteral("@value"));
    m_series->setLabelsPrecision(3);
    m_series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    chart()->addSeries(m_series);
    m_categories = new QBarCategoryAxis;
    chart()->addAxis(m_categories, Qt::AlignLeft);
    m_value = makeAxis(tr("Share of importance"), Qt::AlignBottom);
    m_value->setLabelFormat(QStringLiteral("%.2f"));
    m_series->attachAxis(m_categories);
    m_series->attachAxis(m_value);
    m_value->setRange(0, 1);
    connect(m_set, &QBarSet::hovered, this, [this](bool state, int index) {
        if (!state || index < 0 || index >= m_set->count()) {
            QToolTip::hideText();
            return;
        }
        const auto i = static_cast<std::size_t>(index);
        QToolTip::showText(
            QCursor::pos(),
            tr("<b>%1</b><br>relevance %2 of the total<br>shortest lengthscale %3 "
               "(unit cube)<br><i>click: its slice plot</i>")
                .arg(m_categories->at(index).toHtmlEscaped(), formatNumber(m_set->at(index)),
                     formatNumber(m_lengthscales.at(i))),
            this);
    });
    connect(m_set, &QBarSet::clicked, this, [this](int index) {
        if (index >= 0 && index < m_categories->count())
            emit parameterClicked(m_categories->at(index));
    });
    clearRelevance(tr("No study selected"));
}

void ImportancePlot::setRelevance(const ParameterRelevance& relevance) {
    std::vector<std::size_t> order(relevance.params.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    // Ascending: a horizontal bar chart draws its first category at the bottom.
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return relevance.relevance[a] < relevance.relevance[b];
    });
    QStringList names;
    QList<qreal> values;
    m_lengthscales.clear();
    double top = 0;
    for (std::size_t i : order) {
        names << toQString(relevance.params[i]);
        values << relevance.relevance[i];
        m_lengthscales.push_back(relevance.lengthscale[i]);
        top = std::max(top, relevance.relevance[i]);
    }
    m_set->remove(0, m_set->count());
    m_set->append(values);
    m_categories->setCategories(names);
    // Room right of the longest bar for its label.
    m_value->setRange(0, std::max(0.05, top * 1.12));
    m_value->applyNiceNumbers();
    setChartTitle(tr("Parameter importance"),
                  tr("GP ARD relevance, fitted on %1")
                      .arg(countOf(relevance.observations, tr("trial"), tr("trials"))));
    setEmptyMessage(names.isEmpty() ? tr("The space has no parameters") : QString());
}

void ImportancePlot::clearRelevance(const QString& reason) {
    m_set->remove(0, m_set->count());
    m_categories->clear();
    m_lengthscales.clear();
    setChartTitle(tr("Parameter importance"), tr("GP ARD relevance"));
    setEmptyMessage(reason);
}

}  // namespace bonsai::ui

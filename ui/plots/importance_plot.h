#pragma once

#include <vector>

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QHorizontalBarSeries>

#include "insight/gp_insight.h"
#include "plots/chart_view.h"

namespace bonsai::ui {

// Parameter importance as horizontal bars, most important on top.
class ImportancePlot : public ChartView {
    Q_OBJECT
  public:
    explicit ImportancePlot(QWidget* parent = nullptr);

    void setRelevance(const ParameterRelevance& relevance);
    void clearRelevance(const QString& reason);

    int barCount() const { return static_cast<int>(m_set->count()); }
    // Parameter names bottom to top (least to most important).
    QStringList categories() const { return m_categories->categories(); }

  signals:
    void parameterClicked(const QString& name);

  private:
    QHorizontalBarSeries* m_series;
    QBarSet* m_set;
    QBarCategoryAxis* m_categories;
    QValueAxis* m_value;
    std::vector<double> m_lengthscales;  // parallel to the bars
};

}  // namespace bonsai::ui

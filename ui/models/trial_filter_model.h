#pragma once

#include <optional>
#include <set>
#include <vector>

#include <QSortFilterProxyModel>

#include "model/trial.h"
#include "models/trial_query.h"

namespace bonsai::ui {

// Sorts the trials table by raw values (numbers as numbers, missing last in
// ascending order) and filters by state, by a TrialQuery ("x1 > 5, state =
// pruned", or text in any column) and by a set of trial numbers.
class TrialFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
  public:
    explicit TrialFilterModel(QObject* parent = nullptr);
    void setSourceModel(QAbstractItemModel* source) override;

    void setStateFilter(std::optional<TrialState> state);
    void setTextFilter(const QString& text);
    // Why part of the text filter was left out ("'x3' names no column; ..."),
    // or empty.
    QString textFilterError() const { return m_query.error(); }
    // The column the filter's first clause compares, or -1 (text anywhere).
    int textFilterColumn() const { return m_query.firstColumn(); }
    // Only these trials (e.g. the ones brushed in parallel coordinates);
    // nullopt shows every trial.
    void setTrialFilter(std::optional<std::set<int>> numbers);
    bool hasTrialFilter() const { return m_numbers.has_value(); }

  protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

  signals:
    // The text filter was read again (new text, or the columns changed).
    void textFilterChanged();

  private:
    // Reads m_text against the source's current column headers.
    void readTextFilter();

    std::optional<TrialState> m_state;
    QString m_text;
    TrialQuery m_query;
    std::optional<std::set<int>> m_numbers;
    std::vector<QMetaObject::Connection> m_sourceConnections;
};

}  // namespace bonsai::ui

#pragma once

#include <optional>
#include <set>

#include <QSortFilterProxyModel>

#include "model/trial.h"

namespace bonsai::ui {

// Sorts the trials table by raw values (numbers as numbers, missing last in
// ascending order) and filters by state, by text in any column and by a set
// of trial numbers.
class TrialFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
  public:
    explicit TrialFilterModel(QObject* parent = nullptr);

    void setStateFilter(std::optional<TrialState> state);
    void setTextFilter(const QString& text);
    // Only these trials (e.g. the ones brushed in parallel coordinates);
    // nullopt shows every trial.
    void setTrialFilter(std::optional<std::set<int>> numbers);
    bool hasTrialFilter() const { return m_numbers.has_value(); }

  protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

  private:
    std::optional<TrialState> m_state;
    QString m_text;
    std::optional<std::set<int>> m_numbers;
};

}  // namespace bonsai::ui

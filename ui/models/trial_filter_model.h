#pragma once

#include <optional>

#include <QSortFilterProxyModel>

#include "study/trial.h"

namespace bonsai::ui {

// Sorts the trials table by raw values (numbers as numbers, missing last in
// ascending order) and filters by state and by text in any column.
class TrialFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
  public:
    explicit TrialFilterModel(QObject* parent = nullptr);

    void setStateFilter(std::optional<TrialState> state);
    void setTextFilter(const QString& text);

  protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

  private:
    std::optional<TrialState> m_state;
    QString m_text;
};

}  // namespace bonsai::ui

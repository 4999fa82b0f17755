#include "models/trial_filter_model.h"

#include <cmath>

#include "models/trial_table_model.h"

namespace bonsai::ui {

TrialFilterModel::TrialFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(TrialTableModel::SortRole);
}

void TrialFilterModel::setStateFilter(std::optional<TrialState> state) {
    m_state = state;
    invalidateRowsFilter();
}

void TrialFilterModel::setTextFilter(const QString& text) {
    m_text = text.trimmed();
    invalidateRowsFilter();
}

void TrialFilterModel::setTrialFilter(std::optional<std::set<int>> numbers) {
    m_numbers = std::move(numbers);
    invalidateRowsFilter();
}

bool TrialFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const QAbstractItemModel* source = sourceModel();
    if (m_numbers) {
        QModelIndex index = source->index(sourceRow, 0, sourceParent);
        if (!m_numbers->count(source->data(index, TrialTableModel::TrialNumberRole).toInt()))
            return false;
    }
    if (m_state) {
        QModelIndex index = source->index(sourceRow, 0, sourceParent);
        if (source->data(index, TrialTableModel::StateRole).toInt() != static_cast<int>(*m_state))
            return false;
    }
    if (m_text.isEmpty())
        return true;
    for (int column = 0; column < source->columnCount(sourceParent); ++column) {
        QModelIndex index = source->index(sourceRow, column, sourceParent);
        if (source->data(index).toString().contains(m_text, Qt::CaseInsensitive))
            return true;
        // A cell shows a short code; its full string matches too ("nor_conv_3x3~0").
        const QVariant full = source->data(index, TrialTableModel::CopyRole);
        if (full.isValid() && full.toString().contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool TrialFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    QVariant a = left.data(sortRole()), b = right.data(sortRole());
    const bool numeric = a.typeId() != QMetaType::QString && b.typeId() != QMetaType::QString;
    if (!numeric)
        return QString::localeAwareCompare(a.toString(), b.toString()) < 0;
    double x = a.toDouble(), y = b.toDouble();
    // Missing values (NaN) sort after every number.
    if (std::isnan(x))
        return false;
    if (std::isnan(y))
        return true;
    return x < y;
}

}  // namespace bonsai::ui

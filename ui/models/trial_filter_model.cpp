#include "models/trial_filter_model.h"

#include <cmath>

#include "models/trial_table_model.h"

namespace bonsai::ui {

TrialFilterModel::TrialFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(TrialTableModel::SortRole);
}

void TrialFilterModel::setSourceModel(QAbstractItemModel* source) {
    for (const QMetaObject::Connection& connection : m_sourceConnections)
        disconnect(connection);
    m_sourceConnections.clear();
    QSortFilterProxyModel::setSourceModel(source);
    // Columns come and go (an attribute's first value, another study): a
    // clause naming one is read again.
    auto reread = [this] {
        if (!m_text.isEmpty())
            readTextFilter();
    };
    if (source)
        m_sourceConnections = {connect(source, &QAbstractItemModel::modelReset, this, reread),
                               connect(source, &QAbstractItemModel::columnsInserted, this, reread),
                               connect(source, &QAbstractItemModel::columnsRemoved, this, reread)};
    readTextFilter();
}

void TrialFilterModel::readTextFilter() {
    QStringList headers;
    if (const QAbstractItemModel* source = sourceModel())
        for (int column = 0; column < source->columnCount(); ++column)
            headers << source->headerData(column, Qt::Horizontal).toString();
    m_query = TrialQuery(m_text, headers);
    invalidateRowsFilter();
    emit textFilterChanged();
}

void TrialFilterModel::setStateFilter(std::optional<TrialState> state) {
    m_state = state;
    invalidateRowsFilter();
}

void TrialFilterModel::setTextFilter(const QString& text) {
    // Text copied from the studio's labels may carry invisible word joiners
    // (a cell's code kept in one piece) or other zero-width marks.
    m_text = text;
    m_text.remove(QChar(0x2060)).remove(QChar(0x200B)).remove(QChar(0xFEFF));
    m_text = m_text.trimmed();
    readTextFilter();
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
    if (m_query.isEmpty())
        return true;
    auto cell = [&](int column, int role) {
        return source->data(source->index(sourceRow, column, sourceParent), role);
    };
    return m_query.matches(cell, source->columnCount(sourceParent), TrialTableModel::SortRole,
                           TrialTableModel::CopyRole);
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

#include "models/trial_table_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QTimer>

#include "helpers/cell_format.h"
#include "helpers/format.h"
#include "helpers/palette.h"
#include "study/study.h"

namespace bonsai::ui {

namespace {

QColor baseStateColor(const Trial& trial) {
    if (isInterrupted(trial))
        return QColor(0xb0, 0x6d, 0x00);  // amber: abandoned, not judged
    switch (trial.state) {
        case TrialState::Running:
            return QColor(0x1f, 0x6f, 0xb5);
        case TrialState::Complete:
            return QColor(0x2e, 0x7d, 0x32);
        case TrialState::Pruned:
            return QColor(0x8a, 0x8a, 0x8a);
        case TrialState::Failed:
            return QColor(0xc6, 0x28, 0x28);
    }
    return {};
}

QColor stateColor(const Trial& trial) {
    const QColor color = baseStateColor(trial);
    // Dark mode: the same hues, light enough to read on a dark table.
    return isDarkPalette() ? color.lighter(170) : color;
}

}  // namespace

TrialTableModel::TrialTableModel(QObject* parent)
    : QAbstractTableModel(parent), m_clock(new QTimer(this)) {
    m_clock->setInterval(1000);
    connect(m_clock, &QTimer::timeout, this, &TrialTableModel::tickRunningTrials);
}

void TrialTableModel::setClockRunning(bool running) {
    if (running == clockRunning())
        return;
    if (running)
        m_clock->start();
    else
        m_clock->stop();
    tickRunningTrials();  // shown, or no longer
}

bool TrialTableModel::clockRunning() const {
    return m_clock->isActive();
}

void TrialTableModel::tickRunningTrials() {
    int first = -1;
    int last = -1;
    for (int row = 0; row < static_cast<int>(m_trials.size()); ++row) {
        if (m_trials[static_cast<std::size_t>(row)].state != TrialState::Running)
            continue;
        if (first < 0)
            first = row;
        last = row;
    }
    if (first >= 0)
        emit dataChanged(index(first, DurationColumn), index(last, DurationColumn),
                         {Qt::DisplayRole, SortRole});
}

std::optional<double> TrialTableModel::shownSeconds(const Trial& trial) const {
    if (auto seconds = trial.durationSeconds())
        return seconds;
    if (trial.state != TrialState::Running || !clockRunning())
        return std::nullopt;
    const double now = static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    return std::max(0.0, now - trial.startedAt);
}

void TrialTableModel::setTrials(std::vector<std::string> paramNames, std::vector<Trial> trials) {
    beginResetModel();
    m_paramNames = std::move(paramNames);
    m_attributeNames.clear();
    m_flagColumn = false;
    m_flags.clear();
    rebuildColumns();
    m_trials = std::move(trials);
    m_rowByNumber.clear();
    for (int row = 0; row < static_cast<int>(m_trials.size()); ++row)
        m_rowByNumber[m_trials[static_cast<std::size_t>(row)].number] = row;
    endResetModel();
}

void TrialTableModel::clear() {
    setTrials({}, {});
}

void TrialTableModel::setCellParams(std::vector<std::string> names) {
    beginResetModel();
    m_cellParams = std::move(names);
    rebuildColumns();
    endResetModel();
}

void TrialTableModel::setEdgeColumns(bool shown) {
    if (shown == m_edgeColumns)
        return;
    beginResetModel();
    m_edgeColumns = shown;
    rebuildColumns();
    endResetModel();
}

bool TrialTableModel::isCell(std::size_t param) const {
    return std::find(m_cellParams.begin(), m_cellParams.end(), m_paramNames[param]) !=
           m_cellParams.end();
}

void TrialTableModel::rebuildColumns() {
    m_columns.clear();
    for (std::size_t p = 0; p < m_paramNames.size(); ++p) {
        m_columns.push_back({p, -1});
        if (m_edgeColumns && isCell(p))
            for (int edge = 0; edge < Nb201Cell::kEdges; ++edge)
                m_columns.push_back({p, edge});
    }
}

const TrialTableModel::ParamColumn* TrialTableModel::paramColumn(int column) const {
    const int index = column - FirstParamColumn;
    if (index < 0 || index >= static_cast<int>(m_columns.size()))
        return nullptr;
    return &m_columns[static_cast<std::size_t>(index)];
}

QString TrialTableModel::paramText(const Trial& trial, const ParamColumn& column, bool full) const {
    const std::string& name = m_paramNames[column.param];
    auto it = trial.params.find(name);
    if (it == trial.params.end())
        return {};
    if (isCell(column.param)) {
        if (auto cell = cellFormat::cellOf(trial, name)) {
            if (column.edge >= 0)
                return full ? QString::fromLatin1(
                                  Nb201Cell::operationNames()[static_cast<std::size_t>(
                                      cell->ops[static_cast<std::size_t>(column.edge)])])
                            : cellFormat::operationLabel(
                                  cell->ops[static_cast<std::size_t>(column.edge)]);
            if (!full)
                return cellFormat::compact(*cell);
        }
    }
    return toQString(toDisplayString(it->second));
}

void TrialTableModel::applyUpdates(const std::vector<Trial>& updates) {
    std::vector<const Trial*> fresh;
    int firstChanged = std::numeric_limits<int>::max(), lastChanged = -1;
    for (const Trial& trial : updates) {
        auto it = m_rowByNumber.find(trial.number);
        if (it == m_rowByNumber.end()) {
            fresh.push_back(&trial);
            continue;
        }
        m_trials[static_cast<std::size_t>(it->second)] = trial;
        firstChanged = std::min(firstChanged, it->second);
        lastChanged = std::max(lastChanged, it->second);
    }
    if (lastChanged >= 0)
        emit dataChanged(index(firstChanged, 0), index(lastChanged, columnCount() - 1));
    if (fresh.empty())
        return;
    const int first = rowCount();
    beginInsertRows({}, first, first + static_cast<int>(fresh.size()) - 1);
    for (const Trial* trial : fresh) {
        m_rowByNumber[trial->number] = static_cast<int>(m_trials.size());
        m_trials.push_back(*trial);
    }
    endInsertRows();
}

void TrialTableModel::setFlagColumn(bool shown) {
    if (shown == m_flagColumn)
        return;
    const int column = firstExtraColumn();
    if (shown) {
        beginInsertColumns({}, column, column);
        m_flagColumn = true;
        endInsertColumns();
    } else {
        beginRemoveColumns({}, column, column);
        m_flagColumn = false;
        m_flags.clear();
        endRemoveColumns();
    }
}

void TrialTableModel::addAttributeColumns(const std::vector<std::string>& names) {
    std::vector<std::string> fresh;
    for (const std::string& name : names)
        if (attributeColumn(name) < 0 && std::find(fresh.begin(), fresh.end(), name) == fresh.end())
            fresh.push_back(name);
    if (fresh.empty())
        return;
    const int first = noteColumn();
    beginInsertColumns({}, first, first + static_cast<int>(fresh.size()) - 1);
    m_attributeNames.insert(m_attributeNames.end(), fresh.begin(), fresh.end());
    endInsertColumns();
}

void TrialTableModel::setFlags(std::vector<QString> flags) {
    flags.resize(m_trials.size());
    std::vector<std::size_t> rows(m_trials.size());
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    setFlagsOf(rows, flags);
}

void TrialTableModel::setFlagsOf(std::span<const std::size_t> rows,
                                 const std::vector<QString>& flags) {
    // Only rows whose flag changed are signalled: each one is measured again
    // by the column fitter.
    m_flags.resize(m_trials.size());
    int first = -1, last = -1;
    for (std::size_t k = 0; k < rows.size() && k < flags.size(); ++k) {
        const std::size_t row = rows[k];
        if (row >= m_flags.size() || m_flags[row] == flags[k])
            continue;
        m_flags[row] = flags[k];
        first = first < 0 ? static_cast<int>(row) : std::min(first, static_cast<int>(row));
        last = std::max(last, static_cast<int>(row));
    }
    if (m_flagColumn && first >= 0)
        emit dataChanged(index(first, flagColumn()), index(last, flagColumn()));
}

int TrialTableModel::attributeColumn(const std::string& name) const {
    auto it = std::find(m_attributeNames.begin(), m_attributeNames.end(), name);
    return it == m_attributeNames.end()
               ? -1
               : firstAttributeColumn() + static_cast<int>(it - m_attributeNames.begin());
}

const std::string* TrialTableModel::attributeAt(int column) const {
    const int i = column - firstAttributeColumn();
    if (i < 0 || i >= static_cast<int>(m_attributeNames.size()))
        return nullptr;
    return &m_attributeNames[static_cast<std::size_t>(i)];
}

int TrialTableModel::rowOfTrial(int number) const {
    auto it = m_rowByNumber.find(number);
    return it == m_rowByNumber.end() ? -1 : it->second;
}

const Trial* TrialTableModel::trialByNumber(int number) const {
    int row = rowOfTrial(number);
    return row < 0 ? nullptr : &m_trials[static_cast<std::size_t>(row)];
}

int TrialTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_trials.size());
}

int TrialTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : noteColumn() + 1;
}

QVariant TrialTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Trial& trial = m_trials[static_cast<std::size_t>(index.row())];
    switch (role) {
        case Qt::DisplayRole:
            return displayData(trial, index.column());
        case SortRole:
            return sortData(trial, index.column());
        case TrialNumberRole:
            return trial.number;
        case StateRole:
            return static_cast<int>(trial.state);
        case Qt::ForegroundRole:
            // A running trial's Seconds, counting, in the colour of its state.
            if (index.column() == StateColumn ||
                (index.column() == DurationColumn && !trial.finished()))
                return QBrush(stateColor(trial));
            return {};
        case Qt::TextAlignmentRole:
            if (index.column() == StateColumn || index.column() == noteColumn() ||
                index.column() == flagColumn())
                return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
            // Numbers line up on the right, text (choices, cells) on the left.
            if (index.column() >= FirstParamColumn &&
                sortData(trial, index.column()).typeId() == QMetaType::QString)
                return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        case CopyRole:
            if (const ParamColumn* column = paramColumn(index.column()))
                return paramText(trial, *column, true);
            return displayData(trial, index.column());
        case Qt::ToolTipRole:
            // A cell's code names the whole cell; its tooltip spells it out.
            if (const ParamColumn* column = paramColumn(index.column());
                column && isCell(column->param)) {
                const QString full = paramText(trial, *column, true);
                if (!full.isEmpty())
                    return QStringLiteral("%1\n%2\n\n%3")
                        .arg(full, cellFormat::compactLegend(), trialSummary(trial, m_paramNames));
            }
            return trialSummary(trial, m_paramNames);
        default:
            return {};
    }
}

QVariant TrialTableModel::displayData(const Trial& trial, int column) const {
    switch (column) {
        case NumberColumn:
            return trial.number;
        case StateColumn:
            return trialStateText(trial);
        case ValueColumn:
            return trial.value ? formatNumber(*trial.value) : QString();
        case DurationColumn: {
            auto seconds = shownSeconds(trial);
            if (!seconds)
                return QString();
            // Still running: whole seconds, as they tick.
            return trial.finished() ? QString::number(*seconds, 'f', 3)
                                    : QString::number(std::floor(*seconds), 'f', 0);
        }
        default:
            break;
    }
    if (column == noteColumn())
        return toQString(trial.error);
    if (column == flagColumn()) {
        const int row = rowOfTrial(trial.number);
        return row >= 0 && row < static_cast<int>(m_flags.size())
                   ? m_flags[static_cast<std::size_t>(row)]
                   : QString();
    }
    if (const std::string* attribute = attributeAt(column)) {
        auto value = trial.attrs.find(*attribute);
        return value == trial.attrs.end() || value->is_null() ? QString() : jsonText(*value);
    }
    const ParamColumn* param = paramColumn(column);
    return param ? paramText(trial, *param, false) : QString();
}

QVariant TrialTableModel::sortData(const Trial& trial, int column) const {
    const double missing = std::numeric_limits<double>::quiet_NaN();
    switch (column) {
        case NumberColumn:
            return trial.number;
        case StateColumn:
            return trialStateText(trial);
        case ValueColumn:
            return trial.value.value_or(missing);
        case DurationColumn:
            return shownSeconds(trial).value_or(missing);
        default:
            break;
    }
    if (column == noteColumn())
        return toQString(trial.error);
    if (column == flagColumn())
        return displayData(trial, column);
    if (const std::string* attribute = attributeAt(column)) {
        auto value = trial.attrs.find(*attribute);
        if (value == trial.attrs.end() || value->is_null())
            return missing;
        if (value->is_number())
            return value->get<double>();
        return jsonText(*value);
    }
    const ParamColumn* param = paramColumn(column);
    if (!param)
        return QString();
    if (param->edge >= 0)
        return paramText(trial, *param, false);
    const std::string& name = m_paramNames[param->param];
    auto it = trial.params.find(name);
    if (it == trial.params.end())
        return QString();
    if (auto number = numericValue(it->second))
        return *number;
    return toQString(toDisplayString(it->second));
}

void TrialTableModel::setValueMeaning(const QString& text) {
    if (text == m_valueMeaning)
        return;
    m_valueMeaning = text;
    emit headerDataChanged(Qt::Horizontal, ValueColumn, ValueColumn);
}

QVariant TrialTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section == ValueColumn)
        return m_valueMeaning;
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole) {
        const ParamColumn* param = paramColumn(section);
        if (param && isCell(param->param))
            return param->edge >= 0 ? tr("Operation on edge %1 of %2")
                                          .arg(cellFormat::edgeName(param->edge),
                                               toQString(m_paramNames[param->param]))
                                    : cellFormat::compactLegend();
        return {};
    }
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
        case NumberColumn:
            return tr("#");
        case StateColumn:
            return tr("State");
        case ValueColumn:
            return tr("Value");
        case DurationColumn:
            return tr("Seconds");
        default:
            break;
    }
    if (section == noteColumn())
        return tr("Note");
    if (section == flagColumn())
        return tr("Pareto / feasible");
    if (const std::string* attribute = attributeAt(section))
        return toQString(*attribute);
    const ParamColumn* param = paramColumn(section);
    if (!param)
        return {};
    if (param->edge >= 0)
        return cellFormat::edgeName(param->edge);
    return toQString(m_paramNames[param->param]);
}

}  // namespace bonsai::ui

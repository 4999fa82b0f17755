#include "models/study_list_model.h"

#include <limits>

#include "helpers/format.h"
#include "study/warm_start.h"

namespace bonsai::ui {

StudyListModel::StudyListModel(QObject* parent) : QAbstractTableModel(parent) {}

void StudyListModel::setStudies(std::vector<StudySummary> studies) {
    bool sameRows = studies.size() == m_studies.size();
    for (std::size_t i = 0; sameRows && i < studies.size(); ++i)
        sameRows = studies[i].study.id == m_studies[i].study.id;
    if (sameRows) {
        m_studies = std::move(studies);
        if (!m_studies.empty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_studies = std::move(studies);
    endResetModel();
}

void StudyListModel::setShownCounts(qint64 studyId, const StudyCounts& counts) {
    const qint64 previous = m_shownId;
    m_shownId = studyId;
    m_shownCounts = counts;
    for (std::size_t row = 0; row < m_studies.size(); ++row)
        if (m_studies[row].study.id == previous || m_studies[row].study.id == studyId)
            emit dataChanged(index(static_cast<int>(row), TrialsColumn),
                             index(static_cast<int>(row), BestColumn));
}

bool StudyListModel::needsFrontCounts(const StudySummary& summary) const {
    if (summary.study.id == m_shownId || !isMultiObjective(summary.study))
        return false;
    auto it = m_frontCounts.find(summary.study.id);
    return it == m_frontCounts.end() || it->second.trials != summary.trialCount;
}

void StudyListModel::setFrontCounts(qint64 studyId, const StudyCounts& counts) {
    m_frontCounts[studyId] = counts;
    for (std::size_t row = 0; row < m_studies.size(); ++row)
        if (m_studies[row].study.id == studyId)
            emit dataChanged(index(static_cast<int>(row), TrialsColumn),
                             index(static_cast<int>(row), BestColumn));
}

const StudyCounts* StudyListModel::countsOf(const StudySummary& summary) const {
    if (summary.study.id == m_shownId)
        return &m_shownCounts;
    auto it = m_frontCounts.find(summary.study.id);
    return it != m_frontCounts.end() && it->second.trials == summary.trialCount ? &it->second
                                                                                : nullptr;
}

const StudySummary* StudyListModel::find(const QString& name) const {
    int row = rowOf(name);
    return row < 0 ? nullptr : &m_studies[static_cast<std::size_t>(row)];
}

int StudyListModel::rowOf(const QString& name) const {
    const std::string key = toStdString(name);
    for (std::size_t i = 0; i < m_studies.size(); ++i)
        if (m_studies[i].study.name == key)
            return static_cast<int>(i);
    return -1;
}

int StudyListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_studies.size());
}

int StudyListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StudyListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const StudySummary& summary = m_studies[static_cast<std::size_t>(index.row())];
    if (role == NameRole)
        return toQString(summary.study.name);
    if (role == Qt::ToolTipRole) {
        const bool shown = summary.study.id == m_shownId;
        QString tip =
            tr("%1 (%2), %3, %4, strategy %5, created %6")
                .arg(toQString(summary.study.name),
                     QString::fromUtf8(shownStudyStateName(summary.study)),
                     countOf(shown ? m_shownCounts.trials : summary.trialCount, tr("trial"),
                             tr("trials")))
                .arg(shown ? countsSummary(m_shownCounts)
                           : QString::fromUtf8(directionName(summary.study.direction)),
                     toQString(summary.strategy), formatTimestamp(summary.study.createdAt));
        if (summary.study.runnerGone)
            tip +=
                tr("; its runner stopped without finishing it (killed or crashed): Resume "
                   "continues it");
        // Where a warm-started study's prior observations came from.
        if (std::string warm = warmStartSummary(summary.study.spec); !warm.empty())
            tip += tr("; warm start: %1").arg(toQString(warm));
        return tip;
    }
    if (role == Qt::TextAlignmentRole) {
        bool number = index.column() == TrialsColumn || index.column() == BestColumn;
        return QVariant((number ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool sort = role == SortRole;
    const bool shown = summary.study.id == m_shownId;
    const StudyCounts* counts = countsOf(summary);
    switch (index.column()) {
        case NameColumn:
            return toQString(summary.study.name);
        case StateColumn:
            return QString::fromUtf8(shownStudyStateName(summary.study));
        case TrialsColumn:
            return shown ? m_shownCounts.trials : summary.trialCount;
        case BestColumn:
            if (counts && counts->multiObjective)
                return sort ? QVariant(-counts->hypervolume)
                            : QVariant(tr("%1 on front").arg(counts->paretoSize));
            if (shown) {
                const auto best = m_shownCounts.best ? m_shownCounts.best->value : std::nullopt;
                return sort ? QVariant(best.value_or(std::numeric_limits<double>::infinity()))
                            : QVariant(formatOptional(best));
            }
            if (sort)
                return summary.bestValue.value_or(std::numeric_limits<double>::infinity());
            return formatOptional(summary.bestValue);
        case StrategyColumn:
            return toQString(summary.strategy);
        case CreatedColumn:
            // Short in the list; the full date is in the tooltip.
            return sort ? QVariant(summary.study.createdAt)
                        : QVariant(formatTimestamp(summary.study.createdAt).mid(5));
        default:
            return {};
    }
}

QVariant StudyListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
        case NameColumn:
            return tr("Study");
        case StateColumn:
            return tr("State");
        case TrialsColumn:
            return tr("Trials");
        case BestColumn:
            return tr("Best");
        case StrategyColumn:
            return tr("Strategy");
        case CreatedColumn:
            return tr("Created");
        default:
            return {};
    }
}

}  // namespace bonsai::ui

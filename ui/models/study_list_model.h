#pragma once

#include <map>
#include <vector>

#include <QAbstractTableModel>

#include "analysis/study_counts.h"
#include "storage/database.h"

namespace bonsai::ui {

// The studies of the open database: name, state, trials, best value,
// strategy, created. Refreshing with the same studies in the same order
// updates cells in place, so views keep their selection.
class StudyListModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column {
        NameColumn,
        StateColumn,
        TrialsColumn,
        BestColumn,
        StrategyColumn,
        CreatedColumn,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int NameRole = Qt::UserRole + 2;

    explicit StudyListModel(QObject* parent = nullptr);

    void setStudies(std::vector<StudySummary> studies);
    // The study the window shows (-1: none) lists these counts, the ones its
    // Live header and the status bar show, rather than the last database
    // listing, which may be a moment behind or ahead while it runs.
    void setShownCounts(qint64 studyId, const StudyCounts& counts);
    // Multi-objective studies list their Pareto set size (sorted by
    // hypervolume) instead of a best value. The window counts the fronts of
    // studies it does not show; a count is kept until the study's trial count
    // changes.
    bool needsFrontCounts(const StudySummary& summary) const;
    void setFrontCounts(qint64 studyId, const StudyCounts& counts);
    const std::vector<StudySummary>& studies() const { return m_studies; }
    // nullptr when there is no study of that name.
    const StudySummary* find(const QString& name) const;
    int rowOf(const QString& name) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

  private:
    // The counts a row shows: the live ones for the shown study, a counted
    // front for other multi-objective studies, else nullptr.
    const StudyCounts* countsOf(const StudySummary& summary) const;

    std::vector<StudySummary> m_studies;
    qint64 m_shownId = -1;
    StudyCounts m_shownCounts;
    std::map<qint64, StudyCounts> m_frontCounts;
};

}  // namespace bonsai::ui

#pragma once

#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include <QAbstractTableModel>

class QTimer;

#include "model/trial.h"
#include "space/search_space.h"

namespace bonsai::ui {

// The trials of one study, one row each in number order: number, state,
// value, duration, one column per parameter (space order; with edge columns
// on, a cell parameter is followed by one column per edge), then optional
// columns (the flag column "Pareto"/"feasible" and one per reported
// attribute: objectives, metrics), note (error text).
// Live updates arrive in batches (applyUpdates), so a busy study costs one
// insert and one dataChanged per batch, not per event.
class TrialTableModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column { NumberColumn, StateColumn, ValueColumn, DurationColumn, FirstParamColumn };
    // The raw value for sorting: numbers as double, missing values as NaN.
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int TrialNumberRole = Qt::UserRole + 2;
    static constexpr int StateRole = Qt::UserRole + 3;  // TrialState as int
    // The full text a copy should carry (a cell's whole string, not its code).
    static constexpr int CopyRole = Qt::UserRole + 4;

    explicit TrialTableModel(QObject* parent = nullptr);

    // Replaces everything (another study was chosen).
    void setTrials(std::vector<std::string> paramNames, std::vector<Trial> trials);
    // New trials are appended, known ones (same number) replaced.
    void applyUpdates(const std::vector<Trial>& updates);
    void clear();
    // Parameters that are nb201 cells: shown in compact notation (one code
    // per edge, cellFormat::compact), the full string in tooltip and copy.
    void setCellParams(std::vector<std::string> names);
    // Adds one column per edge after each cell parameter's (its operation).
    void setEdgeColumns(bool shown);
    bool edgeColumns() const { return m_edgeColumns; }
    // While the shown study runs, a running trial's Seconds count up from its
    // start, refreshed once a second. Otherwise (paused, finished, its runner
    // gone) a trial that never finished has no duration to show.
    void setClockRunning(bool running);
    bool clockRunning() const;

    // The optional columns: a flag column (multi-objective or constrained
    // studies) and reported attributes by name. Names already shown stay;
    // new ones are inserted before the note.
    void setFlagColumn(bool shown);
    // The Value column's header tooltip: what the value is (the table's
    // metric; with several objectives, the first one's name).
    void setValueMeaning(const QString& text);
    void addAttributeColumns(const std::vector<std::string>& names);
    // One per row, in row order: "Pareto", "dominated", "infeasible",
    // "feasible" or empty. Rows past the end (just arrived) have none yet.
    void setFlags(std::vector<QString> flags);
    // The flags of some rows only (`flags[k]` for `rows[k]`).
    void setFlagsOf(std::span<const std::size_t> rows, const std::vector<QString>& flags);
    const std::vector<std::string>& attributeNames() const { return m_attributeNames; }
    int flagColumn() const { return m_flagColumn ? firstExtraColumn() : -1; }
    // -1 when the attribute has no column.
    int attributeColumn(const std::string& name) const;
    int noteColumnIndex() const { return noteColumn(); }

    const std::vector<Trial>& trials() const { return m_trials; }
    const std::vector<std::string>& paramNames() const { return m_paramNames; }
    // -1 when there is no such trial.
    int rowOfTrial(int number) const;
    const Trial* trialByNumber(int number) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

  private:
    QString m_valueMeaning;
    // A parameter column: the parameter (index into m_paramNames) and, for
    // a cell's edge column, the edge (else -1).
    struct ParamColumn {
        std::size_t param = 0;
        int edge = -1;
    };
    // Parameter columns (edge columns included) come first, then the flag
    // column, the attribute columns and the note.
    int firstExtraColumn() const { return FirstParamColumn + static_cast<int>(m_columns.size()); }
    int firstAttributeColumn() const { return firstExtraColumn() + (m_flagColumn ? 1 : 0); }
    int noteColumn() const {
        return firstAttributeColumn() + static_cast<int>(m_attributeNames.size());
    }
    // The attribute of an attribute column, else nullptr.
    const std::string* attributeAt(int column) const;
    void rebuildColumns();
    const ParamColumn* paramColumn(int column) const;
    bool isCell(std::size_t param) const;
    QVariant displayData(const Trial& trial, int column) const;
    QVariant sortData(const Trial& trial, int column) const;
    // The Seconds of a trial: its duration, or while the clock runs, how
    // long a running trial has run so far.
    std::optional<double> shownSeconds(const Trial& trial) const;
    // Tells the views that the running trials' Seconds moved on.
    void tickRunningTrials();
    // The cell-aware text of a parameter column; `full` for copy and tooltip.
    QString paramText(const Trial& trial, const ParamColumn& column, bool full) const;

    std::vector<std::string> m_paramNames;
    std::vector<std::string> m_attributeNames;
    bool m_flagColumn = false;
    std::vector<QString> m_flags;  // by row
    std::vector<std::string> m_cellParams;
    bool m_edgeColumns = false;
    std::vector<ParamColumn> m_columns;
    std::vector<Trial> m_trials;
    std::unordered_map<int, int> m_rowByNumber;
    QTimer* m_clock;
};

}  // namespace bonsai::ui

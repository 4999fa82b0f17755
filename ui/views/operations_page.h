#pragma once

#include "analysis/cell_analysis.h"
#include "views/lazy_view.h"

class QComboBox;
class QSpinBox;

namespace bonsai::ui {

class StudySession;
class OperationHeatmap;

// Analysis ▸ Operations: which operation each cell edge uses among the best
// k % of trials (or a multi-objective study's Pareto set) against all trials
// (cell studies; others are told why not).
class OperationsPage : public LazyView {
    Q_OBJECT
  public:
    explicit OperationsPage(StudySession* session, QWidget* parent = nullptr);
    OperationHeatmap* heatmap() const { return m_heatmap; }
    QSpinBox* bestPercent() const { return m_percent; }
    QComboBox* objectiveChooser() const { return m_objective; }

    // The "by" choice of a multi-objective study that ranks by its Pareto set.
    static QString paretoSetChoice();

  protected:
    void refresh() override;

  private:
    bool byParetoSet() const;

    StudySession* m_session;
    QSpinBox* m_percent;
    QComboBox* m_objective;
    OperationHeatmap* m_heatmap;
    CellCache m_cells;  // of the shown study
};

}  // namespace bonsai::ui

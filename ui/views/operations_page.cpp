#include "views/operations_page.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

#include "analysis/cell_analysis.h"
#include "analysis/study_analysis.h"
#include "analysis/study_counts.h"
#include "cell/operation_heatmap.h"
#include "controller/study_session.h"
#include "helpers/cell_format.h"
#include "helpers/format.h"
#include "views/page_controls.h"

namespace bonsai::ui {

OperationsPage::OperationsPage(StudySession* session, QWidget* parent)
    : LazyView(parent), m_session(session) {
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    auto* note = new QLabel(
        tr("<b>Operation frequency</b>: how often each operation sits on each cell edge among "
           "the best trials (left) and among all complete trials (right). An operation far "
           "more common on the left than on the right is what good cells share. With "
           "several objectives the best are the Pareto set, or the best by one objective; "
           "with constraints, feasible trials rank first."),
        this);
    note->setWordWrap(true);
    top->addWidget(note, 1);
    top->addWidget(new QLabel(tr("Best"), this));
    m_percent = new QSpinBox(this);
    m_percent->setObjectName(QStringLiteral("analysis.operationsPercent"));
    m_percent->setRange(1, 100);
    m_percent->setValue(10);
    m_percent->setSuffix(QStringLiteral(" %"));
    top->addWidget(m_percent);
    top->addWidget(new QLabel(tr("by"), this));
    m_objective = newObjectiveChooser(QStringLiteral("analysis.operationsObjective"), this);
    top->addWidget(m_objective);
    layout->addLayout(top);
    m_heatmap = new OperationHeatmap(this);
    layout->addWidget(m_heatmap, 1);

    connect(session, &StudySession::studyChanged, this, [this] {
        // With several objectives the best cells are, first of all, the
        // Pareto set's; a fraction by one objective is still a choice.
        QStringList groups = shownObjectiveNames(m_session->record());
        if (isMultiObjective(m_session->record()))
            groups.prepend(paretoSetChoice());
        refillChooser(m_objective, groups, 0);
        m_objective->setEnabled(groups.size() > 1);
        m_cells.clear();
        invalidate();
    });
    connect(session, &StudySession::trialsChanged, this, &OperationsPage::invalidateLive);
    connect(m_percent, &QSpinBox::valueChanged, this, &OperationsPage::invalidate);
    connect(m_objective, &QComboBox::currentIndexChanged, this, &OperationsPage::invalidate);
}

void OperationsPage::refresh() {
    if (!m_session->hasStudy()) {
        m_heatmap->clear(tr("No study selected"));
        return;
    }
    const ParamSpec* cell = cellFormat::firstCellParam(m_session->space());
    if (!cell) {
        m_heatmap->clear(
            tr("Operation frequency needs an nb201-cell parameter, and this study's "
               "space has none."));
        return;
    }
    const auto objectives = studyObjectives(m_session->record());
    const bool pareto = byParetoSet();
    m_percent->setEnabled(!pareto);
    if (pareto) {
        m_heatmap->setFrequency(
            paretoOperationFrequency(m_session->trials(), cell->name, objectives,
                                     m_session->counts().paretoIndices, &m_cells));
        return;
    }
    const int offset = isMultiObjective(m_session->record()) ? 1 : 0;
    const auto objective =
        static_cast<std::size_t>(std::max(0, m_objective->currentIndex() - offset));
    const auto constraints = studyConstraints(m_session->record());
    m_heatmap->setFrequency(operationFrequency(m_session->trials(), cell->name, objectives,
                                               objective, m_percent->value() / 100.0, constraints,
                                               &m_cells));
}

QString OperationsPage::paretoSetChoice() {
    return tr("Pareto set");
}

bool OperationsPage::byParetoSet() const {
    return isMultiObjective(m_session->record()) && m_objective->currentIndex() == 0;
}

}  // namespace bonsai::ui

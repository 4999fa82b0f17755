#include "views/slices_page.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

#include "analysis/measure_names.h"
#include "analysis/study_counts.h"
#include "controller/study_session.h"
#include "plots/slice_plot.h"
#include "views/page_controls.h"

namespace bonsai::ui {

SlicesPage::SlicesPage(StudySession* session, QWidget* parent)
    : LazyView(parent), m_session(session) {
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    m_note = pageNote(QString(), this);
    m_note->setObjectName(QStringLiteral("analysis.slicesNote"));
    top->addWidget(m_note, 1);
    top->addWidget(new QLabel(tr("Objective"), this));
    m_objective = new QComboBox(this);
    m_objective->setObjectName(QStringLiteral("analysis.sliceObjective"));
    top->addWidget(m_objective);
    layout->addLayout(top);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_grid = new SliceGrid(m_scroll);
    m_scroll->setWidget(m_grid);
    layout->addWidget(m_scroll, 1);
    m_empty = new QLabel(this);
    m_empty->setObjectName(QStringLiteral("analysis.slicesEmpty"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->hide();
    layout->addWidget(m_empty, 1);
    const TrialLookup lookup = session->trialLookup();
    connect(m_grid, &SliceGrid::trialClicked, session, &StudySession::selectTrial);
    connect(session, &StudySession::studyChanged, this, [this, lookup] {
        m_grid->setSpace(m_session->space(), lookup);
        refillObjectives(m_objective, m_session->record());
        invalidate();
    });
    connect(session, &StudySession::trialsChanged, this, &SlicesPage::invalidateLive);
    connect(session, &StudySession::selectedTrialChanged, m_grid, &SliceGrid::setSelectedTrial);
    connect(m_objective, &QComboBox::currentIndexChanged, this, &SlicesPage::invalidate);
}

void SlicesPage::refresh() {
    refreshFrame();
    for (std::size_t i = 0; i < m_grid->plots().size(); ++i)
        refreshPlot(i);
}

int SlicesPage::liveParts() const {
    return m_session->trials().size() >= kStagedLiveTrials
               ? std::max(1, static_cast<int>(m_grid->plots().size()))
               : 1;
}

void SlicesPage::refreshPart(int part) {
    if (liveParts() == 1) {
        refresh();
        return;
    }
    if (part == 0)
        refreshFrame();
    refreshPlot(static_cast<std::size_t>(part));
}

void SlicesPage::refreshFrame() {
    // A ring has two meanings only when the study has constraints; otherwise
    // the one ring is the selected trial's, and the note must not call it a
    // broken constraint.
    const bool constrained =
        m_session->hasStudy() && !objectiveSectionsOf(m_session->record()).constraints.empty();
    m_note->setText(constrained ? tr("<b>Objective against each parameter</b> (complete trials "
                                     "of the shown study; categorical parameters by choice; "
                                     "trials that break a constraint as hollow rings, the "
                                     "selected trial in a pink ring)")
                                : tr("<b>Objective against each parameter</b> (complete trials "
                                     "of the shown study; categorical parameters by choice; "
                                     "the selected trial in a pink ring)"));
    const bool empty = m_grid->plots().empty();
    m_empty->setText(m_session->hasStudy() ? tr("This study's space has no parameter to slice.")
                                           : tr("No study selected"));
    m_empty->setVisible(empty);
    m_scroll->setVisible(!empty);
}

void SlicesPage::refreshPlot(std::size_t index) {
    if (index >= m_grid->plots().size())
        return;
    SlicePlot* plot = m_grid->plots()[index];
    const auto objectives = studyObjectives(m_session->record());
    const int chosen = std::max(0, m_objective->currentIndex());
    const StudySpec sections = objectiveSectionsOf(m_session->record());
    const Feasibility feasible{sections.objectives, sections.constraints};
    const Direction direction = objectives[static_cast<std::size_t>(chosen)].direction;
    if (objectives.size() > 1)
        plot->setTrials(m_session->trials(), direction, objectives,
                        static_cast<std::size_t>(chosen), m_objective->currentText(), feasible);
    else
        plot->setTrials(m_session->trials(), direction, {}, 0,
                        objectiveValueName(m_session->record()), feasible);
    plot->setSelectedTrial(m_session->selectedTrial());
}

void SlicesPage::showParameter(const QString& name) {
    if (SlicePlot* plot = m_grid->plotOf(name))
        m_scroll->ensureWidgetVisible(plot, 0, 0);
}

}  // namespace bonsai::ui

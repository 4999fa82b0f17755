#include "views/pareto_page.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "analysis/study_analysis.h"
#include "controller/study_session.h"
#include "helpers/format.h"
#include "plots/pareto_plot.h"
#include "views/page_controls.h"

namespace bonsai::ui {

ParetoPage::ParetoPage(StudySession* session, QWidget* parent)
    : LazyView(parent),
      m_session(session),
      m_axes(new AxisPairChooser(QStringLiteral("analysis.pareto"), this)),
      m_plot(new ParetoPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    top->addWidget(pageNote(tr("<b>Pareto set</b>: feasible trials no other trial beats in every "
                               "objective. Dominated trials are dimmed, infeasible ones crossed; "
                               "dashed lines are constraints. Drag over the chart to zoom, "
                               "double-click to zoom out."),
                            this),
                   1);
    top->addWidget(m_axes);
    layout->addLayout(top);
    layout->addWidget(m_plot, 1);
    m_plot->setTrialLookup(session->trialLookup());
    connect(m_plot, &ParetoPlot::trialClicked, session, &StudySession::selectTrial);
    connect(session, &StudySession::studyChanged, this, &ParetoPage::onStudyChanged);
    connect(session, &StudySession::trialsChanged, this, &ParetoPage::invalidateLive);
    connect(session, &StudySession::selectedTrialChanged, m_plot, &ParetoPlot::setSelectedTrial);
    connect(m_axes, &AxisPairChooser::changed, this, &ParetoPage::invalidate);
}

QComboBox* ParetoPage::xChooser() const {
    return m_axes->x();
}

QComboBox* ParetoPage::yChooser() const {
    return m_axes->y();
}

void ParetoPage::onStudyChanged() {
    const QStringList names = objectiveNames(studyObjectives(m_session->record()));
    m_axes->setNames(names);
    // Two objectives make one pair: nothing to choose.
    m_axes->setEnabled(names.size() > 2);
    invalidate();
}

void ParetoPage::refresh() {
    if (!m_session->hasStudy()) {
        m_plot->clearView(tr("No study selected"));
        return;
    }
    const auto objectives = studyObjectives(m_session->record());
    if (objectives.size() < 2) {
        m_plot->clearView(
            tr("A single-objective study has no Pareto front (give the spec \"objectives\")"));
        return;
    }
    if (!m_axes->isPair()) {
        m_plot->clearView(tr("Choose two different objectives"));
        return;
    }
    const auto constraints = studyConstraints(m_session->record());
    auto label = [&](int i) {
        const ObjectiveSpec& objective = objectives[static_cast<std::size_t>(i)];
        return tr("%1 (%2)").arg(toQString(objective.name),
                                 QString::fromUtf8(directionName(objective.direction)));
    };
    const int x = m_axes->x()->currentIndex(), y = m_axes->y()->currentIndex();
    m_plot->setView(paretoView(m_session->trials(), objectives, constraints,
                               static_cast<std::size_t>(x), static_cast<std::size_t>(y)),
                    label(x), label(y), objectives.size() == 2);
    m_plot->setSelectedTrial(m_session->selectedTrial());
}

}  // namespace bonsai::ui

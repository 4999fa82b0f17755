#include "views/parallel_page.h"

#include <algorithm>

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "analysis/trial_series.h"
#include "controller/study_session.h"
#include "plots/parallel_coordinates_plot.h"
#include "views/page_controls.h"

namespace bonsai::ui {

ParallelPage::ParallelPage(StudySession* session, QWidget* parent)
    : LazyView(parent), m_session(session), m_plot(new ParallelCoordinatesPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    top->addWidget(
        pageNote(tr("<b>Parallel coordinates</b> of the complete trials, coloured by the "
                    "last objective (▶). Drag along an axis to brush a range: the Trials "
                    "tab then lists only the trials inside every brush."),
                 this),
        1);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("analysis.brushStatus"));
    top->addWidget(m_status);
    auto* clear = new QPushButton(tr("Clear brushes"), this);
    top->addWidget(clear);
    layout->addLayout(top);
    layout->addWidget(m_plot, 1);
    m_plot->setTrialLookup(session->trialLookup());
    connect(clear, &QPushButton::clicked, m_plot, &ParallelCoordinatesPlot::clearBrushes);
    connect(m_plot, &ParallelCoordinatesPlot::trialClicked, session, &StudySession::selectTrial);
    connect(m_plot, &ParallelCoordinatesPlot::brushChanged, this, [this] {
        const auto inside = m_plot->brushedTrials();
        m_status->setText(
            inside ? tr("%1 of %2 trials brushed").arg(inside->size()).arg(m_plot->lineCount())
                   : QString());
        emit brushChanged(inside);
    });
    connect(session, &StudySession::studyChanged, this, [this] {
        m_plot->clearBrushes();
        invalidate();
    });
    connect(session, &StudySession::trialsChanged, this, &ParallelPage::invalidateLive);
    connect(session, &StudySession::selectedTrialChanged, m_plot,
            &ParallelCoordinatesPlot::setSelectedTrial);
}

void ParallelPage::refresh() {
    const bool brushed = !m_plot->brushes().empty();
    ParallelData data =
        parallelData(m_session->trials(), m_session->space(), studyObjectives(m_session->record()));
    // The objective axes come last; they go by the names the other pages use.
    const QStringList names = shownObjectiveNames(m_session->record());
    const std::size_t first =
        data.axes.size() - std::min(data.axes.size(), static_cast<std::size_t>(names.size()));
    for (std::size_t k = first; k < data.axes.size(); ++k)
        data.axes[k].name = names[static_cast<qsizetype>(k - first)];
    m_plot->setData(std::move(data));
    m_plot->setSelectedTrial(m_session->selectedTrial());
    // New trials may fall inside the brushes: the table follows.
    if (brushed && !m_plot->brushes().empty())
        emit m_plot->brushChanged();
}

}  // namespace bonsai::ui

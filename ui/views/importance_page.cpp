#include "views/importance_page.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "controller/study_session.h"
#include "plots/importance_plot.h"

namespace bonsai::ui {

ImportancePage::ImportancePage(StudySession* session, QWidget* parent)
    : GpPage(session, QStringLiteral("analysis.importanceObjective"), parent),
      m_plot(new ImportancePlot(this)),
      m_job(this, [this](const std::optional<ParameterRelevance>& relevance) {
          if (relevance)
              m_plot->setRelevance(*relevance);
          else
              m_plot->clearRelevance(tr("Importance needs two complete trials"));
      }) {
    auto* layout = new QVBoxLayout(this);
    QLabel* explanation = pageNote(
        tr("Longer bars: the objective changes more when that parameter changes (hover for "
           "how this is measured)."),
        this);
    explanation->setToolTip(
        tr("<p>How fast the GP's mean changes along each parameter: the GP is fitted to the "
           "complete trials (the study's own GP settings and stored hyperparameters when it "
           "is a gp study; at most the 600 most recent trials plus the best) and each "
           "parameter gets, summed over its coordinates of the unit-cube encoding, how much "
           "the kernel's correlation falls when that coordinate alone changes (output scale / "
           "(2 lengthscale²), plus a categorical coordinate's scale in the additive term), as "
           "a share of the total.</p><p>It is one cheap fit rather than fANOVA's "
           "forest of trees, and it reads what the optimizer itself believes; but it measures "
           "sensitivity, not variance explained, and correlated parameters share it.</p>"));
    layout->addWidget(explanation);
    auto* chooser = new QHBoxLayout;
    chooser->addWidget(new QLabel(tr("Objective"), this));
    chooser->addWidget(m_objective);
    chooser->addStretch();
    layout->addLayout(chooser);
    layout->addWidget(m_plot, 1);
    connect(session, &StudySession::studyChanged, this, [this] {
        refillObjectives(m_objective, m_session->record());
        m_job.reset();
        invalidate();
    });
}

void ImportancePage::refresh() {
    if (!m_session->hasStudy()) {
        m_plot->clearRelevance(tr("No study selected"));
        return;
    }
    const auto& trials = m_session->trials();
    if (completeCount(trials) < 2) {
        m_plot->clearRelevance(tr("Importance needs two complete trials"));
        return;
    }
    m_job.request(fitKey(), [record = m_session->record(), trials, objective = objectiveIndex()] {
        return parameterImportanceOf(record, trials, objective);
    });
}

}  // namespace bonsai::ui

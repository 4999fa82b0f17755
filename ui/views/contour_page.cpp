#include "views/contour_page.h"

#include <set>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "controller/study_session.h"
#include "helpers/format.h"
#include "plots/contour_plot.h"

namespace bonsai::ui {

ContourPage::ContourPage(StudySession* session, QWidget* parent)
    : GpPage(session, QStringLiteral("analysis.contourObjective"), parent),
      m_axes(new AxisPairChooser(QStringLiteral("analysis.contour"), this)),
      m_plot(new ContourPlot(this)),
      m_job(this, [this](const std::optional<PosteriorGrid>& grid) {
          if (grid)
              m_plot->setGrid(*grid);
          else
              m_plot->clearGrid(
                  tr("The GP needs two complete trials whose best one uses both parameters"));
      }) {
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    top->addWidget(pageNote(tr("<b>GP posterior</b> (its mean, or median when the GP models "
                               "warped values) over two numeric parameters, every other "
                               "parameter at the best trial; dots are the complete trials."),
                            this),
                   1);
    top->addWidget(m_axes);
    top->addWidget(new QLabel(tr("of"), this));
    top->addWidget(m_objective);
    layout->addLayout(top);
    layout->addWidget(m_plot, 1);
    m_plot->setTrialLookup(session->trialLookup());
    connect(m_plot, &ContourPlot::trialClicked, session, &StudySession::selectTrial);
    connect(session, &StudySession::studyChanged, this, &ContourPage::onStudyChanged);
    connect(m_axes, &AxisPairChooser::changed, this, &ContourPage::invalidate);
}

void ContourPage::onStudyChanged() {
    QStringList numeric;
    std::set<std::string> integer;
    for (const ParamSpec& param : m_session->space().params()) {
        if (param.type == ParamType::Float || param.type == ParamType::Int)
            numeric << toQString(param.name);
        if (param.type == ParamType::Int)
            integer.insert(param.name);
    }
    m_plot->setIntegerParameters(std::move(integer));
    m_axes->setNames(numeric);
    refillObjectives(m_objective, m_session->record());
    m_job.reset();
    invalidate();
}

void ContourPage::refresh() {
    if (!m_session->hasStudy()) {
        m_plot->clearGrid(tr("No study selected"));
        return;
    }
    if (m_axes->x()->count() < 2) {
        m_plot->clearGrid(tr("The contour needs two numeric parameters"));
        return;
    }
    if (!m_axes->isPair()) {
        m_plot->clearGrid(tr("Choose two different parameters"));
        return;
    }
    const auto& trials = m_session->trials();
    if (completeCount(trials) < 2) {
        m_plot->clearGrid(tr("The GP needs two complete trials"));
        return;
    }
    const QString x = m_axes->x()->currentText(), y = m_axes->y()->currentText();
    m_job.request(fitKey({x, y}), [record = m_session->record(), trials, x = toStdString(x),
                                   y = toStdString(y), objective = objectiveIndex()] {
        return posteriorGridOf(record, trials, x, y, 48, objective);
    });
}

}  // namespace bonsai::ui

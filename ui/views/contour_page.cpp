#include "views/contour_page.h"

#include <set>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include "analysis/cell_analysis.h"
#include "controller/study_session.h"
#include "helpers/cell_format.h"
#include "helpers/format.h"
#include "plots/contour_plot.h"
#include "space/nb201_cell.h"

namespace bonsai::ui {

ContourPage::ContourPage(StudySession* session, QWidget* parent)
    : GpPage(session, QStringLiteral("analysis.contourObjective"), parent),
      m_axes(new AxisPairChooser(QStringLiteral("analysis.contour"), this)),
      m_plot(new ContourPlot(this)),
      m_job(this, [this](const std::optional<PosteriorGrid>& grid) {
          if (grid && m_pickAxes)
              showPickedAxes(*grid);
          // The chooser names the objective as the other pages do
          // ("accuracy", a table's metric column).
          m_plot->setValueName(m_objective->currentText());
          if (grid)
              m_plot->setGrid(*grid);
          else
              m_plot->clearGrid(
                  tr("The GP needs two complete trials whose best one uses both parameters"));
      }) {
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    top->addWidget(pageNote(tr("<b>GP posterior</b> (its mean, or median when the GP models "
                               "warped values) over two parameters or cell edges, every other "
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
    connect(m_axes, &AxisPairChooser::changed, this, [this] {
        m_pickAxes = false;  // the user's pair from now on
        invalidate();
    });
}

void ContourPage::showPickedAxes(const PosteriorGrid& grid) {
    const QSignalBlocker blockX(m_axes->x()), blockY(m_axes->y());
    m_axes->x()->setCurrentText(m_plot->axisTitle(grid.paramX, grid.edgeX));
    m_axes->y()->setCurrentText(m_plot->axisTitle(grid.paramY, grid.edgeY));
}

void ContourPage::onStudyChanged() {
    // Numbers first (a study's usual pair: learning rate against depth), then
    // choices and cell edges, one cell of the map per choice.
    QStringList numeric, categorical;
    std::set<std::string> integer;
    const SearchSpace& space = m_session->space();
    const int cells = cellFormat::cellParamCount(space);
    for (const ParamSpec& param : space.params()) {
        if (param.type == ParamType::Float || param.type == ParamType::Int)
            numeric << toQString(param.name);
        else if (param.type == ParamType::Categorical)
            categorical << toQString(param.name);
        else if (param.type == ParamType::Nb201Cell)
            for (int edge = 0; edge < Nb201Cell::kEdges; ++edge)
                categorical << cellFormat::edgeAxisName(param.name, edge, cells == 1);
        if (param.type == ParamType::Int)
            integer.insert(param.name);
    }
    m_plot->setIntegerParameters(std::move(integer));
    m_plot->setSingleCell(cells == 1);
    m_axes->setNames(numeric + categorical);
    // Without two numbers to start from (a cell's edges, choices), the map
    // is of the two axes that matter most to the GP until the user picks a
    // pair: the first two edges are as likely as any to be ones that do not.
    m_pickAxes = numeric.size() < 2 && numeric.size() + categorical.size() >= 2;
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
        m_plot->clearGrid(tr("The contour needs two parameters"));
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
    const SearchSpace& space = m_session->space();
    m_job.request(
        fitKey(m_pickAxes ? QStringList{QStringLiteral("most relevant")} : QStringList{x, y}),
        [record = m_session->record(), trials, x = gridAxisOf(space, x), y = gridAxisOf(space, y),
         objective = objectiveIndex(), pick = m_pickAxes] {
            return pick ? mostRelevantGridOf(record, trials, 48, objective)
                        : posteriorGridOf(record, trials, x, y, 48, objective);
        });
}

}  // namespace bonsai::ui

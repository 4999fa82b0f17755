#include "views/analysis_pages.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QVBoxLayout>

#include "analysis/trial_series.h"
#include "controller/study_session.h"
#include "helpers/format.h"
#include "plots/compare_plot.h"
#include "plots/contour_plot.h"
#include "plots/edf_plot.h"
#include "plots/importance_plot.h"
#include "plots/parallel_coordinates_plot.h"
#include "plots/pareto_plot.h"
#include "plots/slice_plot.h"

namespace bonsai::ui {

namespace {

int completeCount(const std::vector<Trial>& trials) {
    int complete = 0;
    for (const Trial& trial : trials)
        if (trial.state == TrialState::Complete)
            ++complete;
    return complete;
}

QLabel* note(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::RichText);
    return label;
}

// Fills a chooser with names, keeping the current choice when it remains.
void refill(QComboBox* box, const QStringList& names, int fallback) {
    const QSignalBlocker block(box);
    const QString previous = box->currentText();
    box->clear();
    box->addItems(names);
    const int index = box->findText(previous);
    box->setCurrentIndex(index >= 0 ? index : std::min<int>(fallback, box->count() - 1));
}

QStringList objectiveNames(const std::vector<ObjectiveSpec>& objectives) {
    QStringList names;
    for (const ObjectiveSpec& objective : objectives)
        names << toQString(objective.name);
    return names;
}

// An objective chooser: enabled in multi-objective studies only.
QComboBox* objectiveBox(const QString& name, QWidget* parent) {
    auto* box = new QComboBox(parent);
    box->setObjectName(name);
    box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    return box;
}

void refillObjectives(QComboBox* box, const StudyRecord& record) {
    const auto objectives = studyObjectives(record);
    refill(box, objectiveNames(objectives), 0);
    box->setEnabled(objectives.size() > 1);
}

}  // namespace

// ---- compare ------------------------------------------------------------------

ComparePage::ComparePage(StudySession* session, CurveLoader loader, QWidget* parent)
    : LazyView(parent), m_session(session), m_loader(std::move(loader)) {
    auto* layout = new QVBoxLayout(this);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    m_compare = new ComparePlot(splitter);
    m_edf = new EdfPlot(splitter);
    splitter->addWidget(m_compare);
    splitter->addWidget(m_edf);
    layout->addWidget(splitter);
    auto lookup = [session](int number) { return session->trial(number); };
    m_compare->setTrialLookup(lookup);
    m_edf->setTrialLookup(lookup);
    connect(m_edf, &EdfPlot::trialClicked, session, &StudySession::selectTrial);
    connect(session, &StudySession::studyChanged, this, [this] {
        m_stale = true;
        invalidate();
    });
    connect(session, &StudySession::trialsChanged, this, &ComparePage::invalidateLive);
}

void ComparePage::setComparedStudies(const QStringList& names) {
    m_compared = names;
    m_stale = true;
    invalidate();
}

void ComparePage::refresh() {
    // Compared studies come from the database; the shown one is live, so
    // reload while it runs.
    const QString shown = m_session->hasStudy() ? toQString(m_session->record().name) : QString();
    if (!m_stale && !m_compared.contains(shown))
        return;
    m_stale = false;
    std::vector<CompareCurve> curves;
    std::vector<EdfCurve> edfs;
    for (const QString& name : m_compared)
        if (auto curve = m_loader(name)) {
            EdfCurve edf;
            edf.name = name;
            edf.edf = empiricalDistribution(curve->values, &edf.trials);
            edf.clickable = name == shown;
            edfs.push_back(std::move(edf));
            curves.push_back(std::move(*curve));
        }
    m_compare->setCurves(curves);
    m_edf->setCurves(edfs);
}

// ---- slices -------------------------------------------------------------------

SlicesPage::SlicesPage(StudySession* session, QWidget* parent)
    : LazyView(parent), m_session(session) {
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    top->addWidget(note(tr("<b>Objective against each parameter</b> (complete trials of the "
                           "shown study; categorical parameters by choice)"),
                        this),
                   1);
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
    auto lookup = [session](int number) { return session->trial(number); };
    connect(m_grid, &SliceGrid::trialClicked, session, &StudySession::selectTrial);
    connect(session, &StudySession::studyChanged, this, [this, lookup] {
        m_grid->setSpace(m_session->space(), lookup);
        const auto objectives = studyObjectives(m_session->record());
        refill(m_objective, objectiveNames(objectives), 0);
        m_objective->setEnabled(objectives.size() > 1);
        invalidate();
    });
    connect(session, &StudySession::trialsChanged, this, &SlicesPage::invalidateLive);
    connect(session, &StudySession::selectedTrialChanged, m_grid, &SliceGrid::setSelectedTrial);
    connect(m_objective, &QComboBox::currentIndexChanged, this, &SlicesPage::invalidate);
}

void SlicesPage::refresh() {
    const bool empty = m_grid->plots().empty();
    m_empty->setText(m_session->hasStudy() ? tr("This study's space has no parameter to slice.")
                                           : tr("No study selected"));
    m_empty->setVisible(empty);
    m_scroll->setVisible(!empty);
    const auto objectives = studyObjectives(m_session->record());
    const int index = std::max(0, m_objective->currentIndex());
    if (objectives.size() > 1)
        m_grid->setTrials(m_session->trials(), objectives, static_cast<std::size_t>(index),
                          m_objective->currentText());
    else
        m_grid->setTrials(m_session->trials());
    m_grid->setSelectedTrial(m_session->selectedTrial());
}

void SlicesPage::showParameter(const QString& name) {
    if (SlicePlot* plot = m_grid->plotOf(name))
        m_scroll->ensureWidgetVisible(plot, 0, 0);
}

// ---- importance ---------------------------------------------------------------

ImportancePage::ImportancePage(StudySession* session, QWidget* parent)
    : LazyView(parent),
      m_session(session),
      m_plot(new ImportancePlot(this)),
      m_job(this, [this](const std::optional<ParameterRelevance>& relevance) {
          if (relevance)
              m_plot->setRelevance(*relevance);
          else
              m_plot->clearRelevance(tr("Importance needs two complete trials"));
      }) {
    auto* layout = new QVBoxLayout(this);
    QLabel* explanation =
        note(tr("Longer bars: the objective changes more when that parameter changes (hover for "
                "how this is measured)."),
             this);
    explanation->setToolTip(
        tr("<p>How fast the GP's mean changes along each parameter: the GP is fitted to the "
           "complete trials (the study's own GP settings and stored hyperparameters when it "
           "is a gp study; at most the 600 most recent trials plus the best) and each "
           "parameter gets the sum of 1/lengthscale² over its coordinates of the unit-cube "
           "encoding, as a share of the total.</p><p>It is one cheap fit rather than fANOVA's "
           "forest of trees, and it reads what the optimizer itself believes; but it measures "
           "sensitivity, not variance explained, and correlated parameters share it.</p>"));
    layout->addWidget(explanation);
    auto* chooser = new QHBoxLayout;
    chooser->addWidget(new QLabel(tr("Objective"), this));
    m_objective = objectiveBox(QStringLiteral("analysis.importanceObjective"), this);
    chooser->addWidget(m_objective);
    chooser->addStretch();
    layout->addLayout(chooser);
    layout->addWidget(m_plot, 1);
    connect(session, &StudySession::studyChanged, this, [this] {
        refillObjectives(m_objective, m_session->record());
        m_job.reset();
        invalidate();
    });
    connect(session, &StudySession::trialsChanged, this, &ImportancePage::invalidateLive);
    connect(m_objective, &QComboBox::currentIndexChanged, this, &ImportancePage::invalidate);
}

void ImportancePage::refresh() {
    if (!m_session->hasStudy()) {
        m_plot->clearRelevance(tr("No study selected"));
        return;
    }
    const auto& trials = m_session->trials();
    // Refit once per newly complete trial, not per report.
    const auto objective = static_cast<std::size_t>(std::max(0, m_objective->currentIndex()));
    const QString key = QStringLiteral("%1/%2/%3")
                            .arg(m_session->record().id)
                            .arg(completeCount(trials))
                            .arg(objective);
    if (completeCount(trials) < 2) {
        m_plot->clearRelevance(tr("Importance needs two complete trials"));
        return;
    }
    m_job.request(key, [record = m_session->record(), trials, objective] {
        return parameterImportanceOf(record, trials, objective);
    });
}

// ---- contour ------------------------------------------------------------------

ContourPage::ContourPage(StudySession* session, QWidget* parent)
    : LazyView(parent),
      m_session(session),
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
    top->addWidget(note(tr("<b>GP posterior mean</b> over two numeric parameters, every other "
                           "parameter at the best trial; dots are the complete trials."),
                        this),
                   1);
    top->addWidget(new QLabel(tr("x"), this));
    m_x = new QComboBox(this);
    m_x->setObjectName(QStringLiteral("analysis.contourX"));
    top->addWidget(m_x);
    top->addWidget(new QLabel(tr("y"), this));
    m_y = new QComboBox(this);
    m_y->setObjectName(QStringLiteral("analysis.contourY"));
    top->addWidget(m_y);
    top->addWidget(new QLabel(tr("of"), this));
    m_objective = objectiveBox(QStringLiteral("analysis.contourObjective"), this);
    top->addWidget(m_objective);
    layout->addLayout(top);
    layout->addWidget(m_plot, 1);
    m_plot->setTrialLookup([session](int number) { return session->trial(number); });
    connect(m_plot, &ContourPlot::trialClicked, session, &StudySession::selectTrial);
    connect(m_objective, &QComboBox::currentIndexChanged, this, &ContourPage::invalidate);
    connect(session, &StudySession::studyChanged, this, &ContourPage::onStudyChanged);
    connect(session, &StudySession::trialsChanged, this, &ContourPage::invalidateLive);
    connect(m_x, &QComboBox::currentIndexChanged, this, &ContourPage::invalidate);
    connect(m_y, &QComboBox::currentIndexChanged, this, &ContourPage::invalidate);
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
    refill(m_x, numeric, 0);
    refill(m_y, numeric, 1);
    refillObjectives(m_objective, m_session->record());
    m_job.reset();
    invalidate();
}

void ContourPage::refresh() {
    if (!m_session->hasStudy()) {
        m_plot->clearGrid(tr("No study selected"));
        return;
    }
    if (m_x->count() < 2) {
        m_plot->clearGrid(tr("The contour needs two numeric parameters"));
        return;
    }
    if (m_x->currentText() == m_y->currentText()) {
        m_plot->clearGrid(tr("Choose two different parameters"));
        return;
    }
    const auto& trials = m_session->trials();
    if (completeCount(trials) < 2) {
        m_plot->clearGrid(tr("The GP needs two complete trials"));
        return;
    }
    const auto objective = static_cast<std::size_t>(std::max(0, m_objective->currentIndex()));
    const QString key = QStringLiteral("%1/%2/%3/%4/%5")
                            .arg(m_session->record().id)
                            .arg(m_x->currentText(), m_y->currentText())
                            .arg(completeCount(trials))
                            .arg(objective);
    m_job.request(key, [record = m_session->record(), trials, x = toStdString(m_x->currentText()),
                        y = toStdString(m_y->currentText()), objective] {
        return posteriorGridOf(record, trials, x, y, 48, objective);
    });
}

// ---- Pareto -------------------------------------------------------------------

ParetoPage::ParetoPage(StudySession* session, QWidget* parent)
    : LazyView(parent), m_session(session), m_plot(new ParetoPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    top->addWidget(note(tr("<b>Pareto set</b>: feasible trials no other trial beats in every "
                           "objective. Dominated trials are dimmed, infeasible ones crossed."),
                        this),
                   1);
    top->addWidget(new QLabel(tr("x"), this));
    m_x = new QComboBox(this);
    m_x->setObjectName(QStringLiteral("analysis.paretoX"));
    top->addWidget(m_x);
    top->addWidget(new QLabel(tr("y"), this));
    m_y = new QComboBox(this);
    m_y->setObjectName(QStringLiteral("analysis.paretoY"));
    top->addWidget(m_y);
    layout->addLayout(top);
    layout->addWidget(m_plot, 1);
    m_plot->setTrialLookup([session](int number) { return session->trial(number); });
    connect(m_plot, &ParetoPlot::trialClicked, session, &StudySession::selectTrial);
    connect(session, &StudySession::studyChanged, this, &ParetoPage::onStudyChanged);
    connect(session, &StudySession::trialsChanged, this, &ParetoPage::invalidateLive);
    connect(session, &StudySession::selectedTrialChanged, m_plot, &ParetoPlot::setSelectedTrial);
    connect(m_x, &QComboBox::currentIndexChanged, this, &ParetoPage::invalidate);
    connect(m_y, &QComboBox::currentIndexChanged, this, &ParetoPage::invalidate);
}

void ParetoPage::onStudyChanged() {
    const QStringList names = objectiveNames(studyObjectives(m_session->record()));
    refill(m_x, names, 0);
    refill(m_y, names, 1);
    const bool pairs = names.size() > 2;
    m_x->setEnabled(pairs);
    m_y->setEnabled(pairs);
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
    const int x = m_x->currentIndex(), y = m_y->currentIndex();
    if (x < 0 || y < 0 || x == y) {
        m_plot->clearView(tr("Choose two different objectives"));
        return;
    }
    const auto constraints = studyConstraints(m_session->record());
    auto label = [&](int i) {
        const ObjectiveSpec& objective = objectives[static_cast<std::size_t>(i)];
        return tr("%1 (%2)").arg(toQString(objective.name),
                                 QString::fromUtf8(directionName(objective.direction)));
    };
    m_plot->setView(paretoView(m_session->trials(), objectives, constraints,
                               static_cast<std::size_t>(x), static_cast<std::size_t>(y)),
                    label(x), label(y), objectives.size() == 2);
    m_plot->setSelectedTrial(m_session->selectedTrial());
}

// ---- parallel coordinates -----------------------------------------------------

ParallelPage::ParallelPage(StudySession* session, QWidget* parent)
    : LazyView(parent), m_session(session), m_plot(new ParallelCoordinatesPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    top->addWidget(note(tr("<b>Parallel coordinates</b> of the complete trials, coloured by the "
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
    m_plot->setTrialLookup([session](int number) { return session->trial(number); });
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
    m_plot->setData(parallelData(m_session->trials(), m_session->space(),
                                 studyObjectives(m_session->record())));
    m_plot->setSelectedTrial(m_session->selectedTrial());
    // New trials may fall inside the brushes: the table follows.
    if (brushed && !m_plot->brushes().empty())
        emit m_plot->brushChanged();
}

}  // namespace bonsai::ui

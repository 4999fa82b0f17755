#include "views/live_view.h"

#include <QBoxLayout>
#include <QComboBox>
#include <QCoreApplication>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QThreadPool>
#include <QVBoxLayout>

#include "analysis/measure_names.h"
#include "analysis/panel_notes.h"
#include "analysis/study_counts.h"
#include "cell/best_cell_card.h"
#include "controller/study_session.h"
#include "helpers/cell_format.h"
#include "helpers/format.h"
#include "helpers/latest_job.h"
#include "plots/acquisition_plot.h"
#include "plots/hypervolume_plot.h"
#include "plots/learning_curve_plot.h"
#include "plots/objective_plot.h"
#include "study/multi_objective.h"
#include "study/study.h"
#include "views/page_controls.h"

namespace bonsai::ui {

LiveView::LiveView(StudySession* session, QWidget* parent) : LazyView(parent), m_session(session) {
    auto* layout = new QVBoxLayout(this);
    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("live.header"));
    m_header->setTextFormat(Qt::RichText);
    layout->addWidget(m_header);

    const TrialLookup lookup = session->trialLookup();
    m_objective = new ObjectivePlot(this);
    m_hypervolume = new HypervolumePlot(this);
    m_hypervolume->hide();
    m_curves = new LearningCurvePlot(tr("Learning curves"), this);
    m_acquisition = new AcquisitionPlot(this);
    m_posterior = new PosteriorSlicePlot(this);
    for (ChartView* plot : std::initializer_list<ChartView*>{m_objective, m_hypervolume, m_curves,
                                                             m_acquisition, m_posterior}) {
        plot->setTrialLookup(lookup);
        connect(plot, &ChartView::trialClicked, session, &StudySession::selectTrial);
    }

    auto* posteriorPanel = new QWidget(this);
    auto* posteriorLayout = new QVBoxLayout(posteriorPanel);
    posteriorLayout->setContentsMargins(0, 0, 0, 0);
    // "Slice along [parameter]" and, with several objectives, "of
    // [objective]": side by side where they fit, else the second under the
    // first (arrangeSliceChoosers), so neither is squeezed to "cel...".
    auto* parameterRow = new QHBoxLayout;
    parameterRow->addWidget(new QLabel(tr("Slice along"), posteriorPanel));
    m_parameter = new QComboBox(posteriorPanel);
    m_parameter->setObjectName(QStringLiteral("live.posteriorParameter"));
    m_parameter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    parameterRow->addWidget(m_parameter);
    parameterRow->addStretch();
    // Each objective of a multi-objective study has its own GP.
    auto* objectiveRow = new QHBoxLayout;
    m_sliceObjectiveLabel = new QLabel(tr("of"), posteriorPanel);
    objectiveRow->addWidget(m_sliceObjectiveLabel);
    m_sliceObjective =
        newObjectiveChooser(QStringLiteral("live.posteriorObjective"), posteriorPanel);
    objectiveRow->addWidget(m_sliceObjective);
    objectiveRow->addStretch();
    m_sliceChoosers = new QBoxLayout(QBoxLayout::LeftToRight);
    m_sliceChoosers->addLayout(parameterRow);
    m_sliceChoosers->addLayout(objectiveRow, 1);
    posteriorPanel->installEventFilter(this);
    posteriorLayout->addLayout(m_sliceChoosers);
    posteriorLayout->addWidget(m_posterior, 1);

    auto* grid = new QGridLayout;
    m_grid = grid;
    m_posteriorPanel = posteriorPanel;
    arrangePanels();
    grid->setRowStretch(0, 3);
    grid->setRowStretch(1, 2);
    // In a cell study the best cell so far sits beside the charts.
    m_bestCell = new BestCellCard(this);
    m_bestCell->setMaximumWidth(380);
    m_bestCell->setMinimumWidth(260);
    m_bestCell->hide();
    grid->addWidget(m_bestCell, 0, 2, 2, 1);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    layout->addLayout(grid, 1);

    connect(session, &StudySession::studyChanged, this, &LiveView::onStudyChanged);
    connect(session, &StudySession::trialsChanged, this, [this] {
        refreshHeader();
        invalidateLive();
    });
    connect(session, &StudySession::stateChanged, this, &LiveView::refreshHeader);
    connect(session, &StudySession::selectedTrialChanged, this, [this](int number) {
        m_objective->setSelectedTrial(number);
        m_curves->setSelectedTrial(number);
    });
    connect(m_parameter, &QComboBox::currentIndexChanged, this, &LiveView::refreshPosterior);
    connect(m_sliceObjective, &QComboBox::currentIndexChanged, this, &LiveView::refreshPosterior);
    // While a big study runs, chart redraws take at most a third of the GUI
    // thread (the header follows every batch regardless).
    setRefreshShare(0.3);
    onStudyChanged();
}

void LiveView::setPosteriorProvider(PosteriorProvider provider) {
    m_provider = std::move(provider);
    refreshPosterior();
}

void LiveView::onStudyChanged() {
    const QSignalBlocker block(m_parameter);
    const QString previous = m_parameter->currentText();
    m_parameter->clear();
    // Numeric parameters first; a cell's edges (one value per operation) after.
    for (const ParamSpec& param : m_session->space().params())
        if (param.type == ParamType::Float || param.type == ParamType::Int)
            m_parameter->addItem(toQString(param.name), QVariantList{toQString(param.name), -1});
    const ParamSpec* cell = cellFormat::firstCellParam(m_session->space());
    if (cell)
        for (int edge = 0; edge < Nb201Cell::kEdges; ++edge)
            m_parameter->addItem(
                tr("%1 edge %2").arg(toQString(cell->name), cellFormat::edgeName(edge)),
                QVariantList{toQString(cell->name), edge});
    if (int index = m_parameter->findText(previous); index >= 0)
        m_parameter->setCurrentIndex(index);
    refillObjectives(m_sliceObjective, m_session->record());
    const bool severalObjectives = m_sliceObjective->count() > 1;
    m_sliceObjectiveLabel->setVisible(severalObjectives);
    m_sliceObjective->setVisible(severalObjectives);
    arrangeSliceChoosers();
    m_bestCell->setVisible(cell != nullptr);
    m_curves->setMeasure(curveMeasureOf(m_session->record()));
    m_objective->setValueName(objectiveValueName(m_session->record()));
    arrangePanels();
    invalidate();
}

bool LiveView::sliceChoosersStacked() const {
    return m_sliceChoosers->direction() == QBoxLayout::TopToBottom;
}

bool LiveView::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_posteriorPanel && event->type() == QEvent::Resize)
        arrangeSliceChoosers();
    return LazyView::eventFilter(watched, event);
}

void LiveView::arrangeSliceChoosers() {
    QLayoutItem* parameterRow = m_sliceChoosers->itemAt(0);
    QLayoutItem* objectiveRow = m_sliceChoosers->itemAt(1);
    const int needed = parameterRow->sizeHint().width() + m_sliceChoosers->spacing() +
                       objectiveRow->sizeHint().width();
    const bool stacked =
        m_sliceObjective->isVisibleTo(m_posteriorPanel) && needed > m_posteriorPanel->width();
    const auto direction = stacked ? QBoxLayout::TopToBottom : QBoxLayout::LeftToRight;
    if (m_sliceChoosers->direction() != direction)
        m_sliceChoosers->setDirection(direction);
}

void LiveView::refresh() {
    for (int part = 0; part < PartCount; ++part)
        drawPart(part);
    refreshHeader();
}

int LiveView::liveParts() const {
    return m_session->trials().size() >= kStagedLiveTrials ? PartCount : 1;
}

void LiveView::refreshPart(int part) {
    if (liveParts() == 1)
        refresh();
    else
        drawPart(part);
}

void LiveView::drawPart(int part) {
    const auto& trials = m_session->trials();
    const Direction direction = m_session->direction();
    switch (part) {
        case ObjectivePart: {
            // Several objectives: the hypervolume is the progress line, not a best value.
            const bool multiObjective = m_session->counts().multiObjective;
            m_objective->setVisible(!multiObjective);
            m_hypervolume->setVisible(multiObjective);
            if (multiObjective) {
                const HypervolumeHistory history = hypervolumeHistory(trials, m_session->record());
                m_hypervolume->setCurve(history.curve, trials.empty() ? 0.0 : trials.back().number);
                m_hypervolume->setReference(history.reference, history.derivedReference);
            } else {
                const StudySpec sections = objectiveSectionsOf(m_session->record());
                m_objective->setTrials(trials, direction,
                                       Feasibility{sections.objectives, sections.constraints});
                if (!m_session->hasStudy())
                    m_objective->setEmptyMessage(tr("No study selected"));
            }
            break;
        }
        case CurvesPart:
            m_curves->setTrials(trials);
            arrangePanels();
            break;
        case AcquisitionPart:
            if (strategyKind(m_session->record()) == "tpe") {
                m_acquisition->setScore("tpe_score", tr("TPE score per suggestion"),
                                        tr("log l(x) − log g(x)"));
            } else {
                const QString label = acquisitionLabel(trials);
                m_acquisition->setScore("acquisition", tr("%1 per suggestion").arg(label), label);
            }
            m_acquisition->setTrials(trials);
            m_acquisition->setEmptyReason(m_session->hasStudy()
                                              ? acquisitionNote(m_session->record(), trials)
                                              : tr("No study selected"));
            break;
        case PosteriorPart:
            refreshPosterior();
            if (!m_session->hasStudy())
                break;
            if (const ParamSpec* cell = cellFormat::firstCellParam(m_session->space())) {
                const StudyCounts& counts = m_session->counts();
                // The header's best (feasible) trial; with several objectives, the
                // first objective's best feasible trial (on the Pareto front).
                m_bestCell->showBest(
                    counts.multiObjective
                        ? bestFeasibleTrial(trials, objectiveSectionsOf(m_session->record()))
                        : counts.best,
                    cell->name,
                    counts.multiObjective ? shownObjectiveNames(m_session->record())
                                          : QStringList());
            }
            break;
        default:
            break;
    }
}

LiveView::Panels LiveView::applicablePanels() const {
    const bool study = m_session->hasStudy();
    return {m_curves->curveCount() > 0, study && scoresSuggestions(m_session->record()),
            study && fitsGp(m_session->record())};
}

void LiveView::arrangePanels() {
    // Test functions and tables report no epochs, and random, sobol or
    // evolution studies have no acquisition or GP: an empty chart would take a
    // quarter of the tab each while the charts that apply lose their legends
    // and axis titles for want of room (at 1024x700).
    const Panels panels = applicablePanels();
    if (m_panels == panels)
        return;
    m_panels = panels;
    for (QWidget* widget : std::initializer_list<QWidget*>{m_objective, m_hypervolume, m_curves,
                                                           m_acquisition, m_posteriorPanel})
        m_grid->removeWidget(widget);
    m_curves->setVisible(panels.curves);
    m_acquisition->setVisible(panels.acquisition);
    m_posteriorPanel->setVisible(panels.posterior);

    std::vector<QWidget*> right;
    if (panels.curves)
        right.push_back(m_curves);
    if (panels.posterior)
        right.push_back(m_posteriorPanel);
    const int leftColumns = right.empty() ? 2 : 1;
    const int objectiveRows = panels.acquisition ? 1 : 2;
    m_grid->addWidget(m_objective, 0, 0, objectiveRows, leftColumns);
    m_grid->addWidget(m_hypervolume, 0, 0, objectiveRows, leftColumns);
    if (panels.acquisition)
        m_grid->addWidget(m_acquisition, 1, 0, 1, leftColumns);
    if (right.size() == 1)
        m_grid->addWidget(right[0], 0, 1, 2, 1);
    else
        for (int row = 0; row < static_cast<int>(right.size()); ++row)
            m_grid->addWidget(right[static_cast<std::size_t>(row)], row, 1);
}

void LiveView::refreshHeader() {
    if (!m_session->hasStudy()) {
        m_header->setText(
            tr("<i>No study selected: choose one in the browser, or set one up in "
               "the Setup tab.</i>"));
        return;
    }
    const StudyRecord& record = m_session->record();
    const StudyCounts& counts = m_session->counts();
    const Direction direction = m_session->direction();
    m_header->setText(
        tr("<b>%1</b> — %2 — %3, %4 complete — %5%6")
            .arg(toQString(record.name).toHtmlEscaped(),
                 QString::fromUtf8(shownStudyStateName(record)),
                 countOf(counts.trials, tr("trial"), tr("trials")))
            .arg(counts.complete)
            .arg(countsSummary(counts))
            .arg(counts.multiObjective
                     ? QString()
                     : QStringLiteral(" (%1)").arg(QString::fromUtf8(directionName(direction)))));
}

void LiveView::refreshPosterior() {
    if (!m_session->hasStudy() || m_parameter->count() == 0) {
        m_posteriorKey.clear();
        m_posterior->clearSlice(m_session->hasStudy()
                                    ? tr("The space has no numeric parameter or cell edge to "
                                         "slice along")
                                    : QString());
        return;
    }
    if (QString note = posteriorNote(m_session->record()); !note.isEmpty()) {
        m_posteriorKey.clear();
        m_posterior->clearSlice(note);
        return;
    }
    if (!m_provider) {
        m_posterior->clearSlice(tr("The GP posterior view is not available in this build"));
        return;
    }
    const auto& trials = m_session->trials();
    int complete = 0;
    for (const Trial& trial : trials)
        if (trial.state == TrialState::Complete)
            ++complete;
    const QVariantList choice = m_parameter->currentData().toList();
    const QString parameter = choice.value(0).toString();
    const int edge = choice.value(1, -1).toInt();
    const int objective = std::max(0, m_sliceObjective->currentIndex());
    const QString key = QStringLiteral("%1/%2/%3/%4/%5")
                            .arg(m_session->record().id)
                            .arg(parameter)
                            .arg(edge)
                            .arg(objective)
                            .arg(complete);
    if (key == m_posteriorKey)
        return;
    if (m_posteriorBusy) {
        m_posteriorPending = true;
        return;
    }
    // A live update keeps the slice it redraws until the new fit arrives; a
    // first slice (of this study, or along this parameter) says what the
    // panel is waiting for, rather than a message left from before or
    // another study's slice.
    auto drawing = [](const QString& k) { return k.section(QLatin1Char('/'), 0, 3); };
    if (!m_posterior->emptyMessage().isEmpty() || drawing(m_posteriorKey) != drawing(key))
        m_posterior->clearSlice(tr("Fitting the GP to the complete trials…"));
    m_posteriorKey = key;
    m_posteriorBusy = true;
    QPointer<LiveView> self(this);
    computePool()->start([self, key, provider = m_provider, record = m_session->record(), trials,
                          parameter = toStdString(parameter), edge, objective] {
        std::optional<PosteriorSlice> slice =
            provider(record, trials, parameter, edge, static_cast<std::size_t>(objective));
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, key, slice] {
                if (self)
                    self->posteriorReady(key, slice);
            },
            Qt::QueuedConnection);
    });
}

void LiveView::posteriorReady(const QString& key, const std::optional<PosteriorSlice>& slice) {
    m_posteriorBusy = false;
    if (key == m_posteriorKey) {
        if (slice)
            m_posterior->setSlice(*slice);
        else
            m_posterior->clearSlice(tr("The posterior needs two complete trials"));
    }
    if (m_posteriorPending || key != m_posteriorKey) {
        m_posteriorPending = false;
        if (key != m_posteriorKey)
            m_posteriorKey.clear();
        refreshPosterior();
    }
}

}  // namespace bonsai::ui

#include "views/pareto_page.h"

#include <cmath>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include "analysis/measure_names.h"
#include "analysis/study_analysis.h"
#include "analysis/study_counts.h"
#include "controller/study_session.h"
#include "helpers/format.h"
#include "plots/pareto_plot.h"
#include "views/page_controls.h"

namespace bonsai::ui {

namespace {

QString multiObjectiveNote() {
    return ParetoPage::tr(
        "<b>Pareto set</b>: feasible trials no other trial beats in every objective. Dominated "
        "trials are dimmed, infeasible ones crossed; dashed lines are constraints. Drag over "
        "the chart to zoom, double-click to zoom out.");
}

QString tradeOffNote() {
    return ParetoPage::tr(
        "<b>Trade-off</b>: the objective against a measure the trials report (a cell's "
        "latency_ms, flops or params, say). The front is the trials no other beats on both; "
        "dominated trials are dimmed, infeasible ones crossed. Drag to zoom, double-click to "
        "zoom out.");
}

// An axis's name and which way it is better: "flops (minimize)"; a name
// with brackets of its own, "Validation accuracy (%), maximize".
QString axisLabel(const QString& name, Direction direction) {
    const QString way = QString::fromUtf8(directionName(direction));
    return name.contains(QLatin1Char('(')) ? ParetoPage::tr("%1, %2").arg(name, way)
                                           : ParetoPage::tr("%1 (%2)").arg(name, way);
}

}  // namespace

ParetoPage::ParetoPage(StudySession* session, QWidget* parent)
    : LazyView(parent),
      m_session(session),
      m_axes(new AxisPairChooser(QStringLiteral("analysis.pareto"), this)),
      m_measureDirection(new QComboBox(this)),
      m_note(pageNote(multiObjectiveNote(), this)),
      m_plot(new ParetoPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    top->addWidget(m_note, 1);
    top->addWidget(m_axes);
    m_measureDirection->setObjectName(QStringLiteral("analysis.paretoMeasureDirection"));
    m_measureDirection->addItem(tr("lower is better"), static_cast<int>(Direction::Minimize));
    m_measureDirection->addItem(tr("higher is better"), static_cast<int>(Direction::Maximize));
    m_measureDirection->setToolTip(
        tr("Which way the measure is better. Until you choose, it is read from the measure's "
           "name: higher for an accuracy, lower for a latency, a size or anything else"));
    m_measureDirection->hide();
    top->addWidget(m_measureDirection);
    layout->addLayout(top);
    layout->addWidget(m_plot, 1);
    m_plot->setTrialLookup(session->trialLookup());
    connect(m_plot, &ParetoPlot::trialClicked, session, &StudySession::selectTrial);
    connect(session, &StudySession::studyChanged, this, &ParetoPage::onStudyChanged);
    connect(session, &StudySession::trialsChanged, this, &ParetoPage::invalidateLive);
    connect(session, &StudySession::selectedTrialChanged, m_plot, &ParetoPlot::setSelectedTrial);
    connect(m_axes, &AxisPairChooser::changed, this, &ParetoPage::invalidate);
    // Every change but presetMeasureDirection's (which blocks signals) is a choice.
    connect(m_measureDirection, &QComboBox::currentIndexChanged, this, [this] {
        m_measureDirectionChosen = true;
        invalidate();
    });
}

QComboBox* ParetoPage::xChooser() const {
    return m_axes->x();
}

QComboBox* ParetoPage::yChooser() const {
    return m_axes->y();
}

void ParetoPage::onStudyChanged() {
    m_singleObjective = !m_session->hasStudy() || studyObjectives(m_session->record()).size() < 2;
    m_measureDirection->setVisible(m_singleObjective && m_session->hasStudy());
    m_note->setText(m_singleObjective ? tradeOffNote() : multiObjectiveNote());
    m_offered.clear();
    m_measureDirectionChosen = false;
    if (m_singleObjective) {
        offerMeasures();
    } else {
        const QStringList names = objectiveNames(studyObjectives(m_session->record()));
        m_axes->setNames(names);
        // Two objectives make one pair: nothing to choose.
        m_axes->setEnabled(names.size() > 2);
    }
    invalidate();
}

QStringList ParetoPage::offerMeasures() {
    const StudyRecord& record = m_session->record();
    QString objective = objectiveValueName(record);
    if (objective.isEmpty())
        objective = tr("value");
    QStringList names{objective};
    if (m_session->hasStudy())
        for (const std::string& measure : reportedAttributeNames(m_session->trials(), record))
            names << toQString(measure);
    // Measures appear as trials report them: offer the new ones, keeping
    // the choice made.
    if (names != m_offered) {
        m_offered = names;
        m_axes->setNames(names);
    }
    return names;
}

void ParetoPage::refresh() {
    if (!m_session->hasStudy()) {
        m_plot->clearView(tr("No study selected"));
        return;
    }
    if (m_singleObjective) {
        showTradeOff(offerMeasures());
        return;
    }
    const auto objectives = studyObjectives(m_session->record());
    if (!m_axes->isPair()) {
        m_plot->clearView(tr("Choose two different objectives"));
        return;
    }
    const auto constraints = studyConstraints(m_session->record());
    auto label = [&](int i) {
        const ObjectiveSpec& objective = objectives[static_cast<std::size_t>(i)];
        return axisLabel(toQString(objective.name), objective.direction);
    };
    const int x = m_axes->x()->currentIndex(), y = m_axes->y()->currentIndex();
    m_plot->setView(paretoView(m_session->trials(), objectives, constraints,
                               static_cast<std::size_t>(x), static_cast<std::size_t>(y)),
                    label(x), label(y), objectives.size() == 2);
    m_plot->setSelectedTrial(m_session->selectedTrial());
}

void ParetoPage::showTradeOff(const QStringList& names) {
    if (names.size() < 2) {
        m_plot->clearView(
            tr("A single-objective study has no Pareto front of its own, and its trials report "
               "no measure to set it against (a latency_ms, say); give the spec \"objectives\" "
               "for a front"));
        return;
    }
    if (!m_axes->isPair()) {
        m_plot->clearView(tr("Choose two different measures"));
        return;
    }
    const int x = m_axes->x()->currentIndex(), y = m_axes->y()->currentIndex();
    if (!m_measureDirectionChosen)
        presetMeasureDirection(names[x != 0 ? x : y]);
    // Axis 0 is the objective, in the study's direction; the others are
    // measures, in the direction chosen for them.
    const StudyRecord& record = m_session->record();
    const auto measureDirection = static_cast<Direction>(m_measureDirection->currentData().toInt());
    auto objectiveOf = [&](int axis) {
        return ObjectiveSpec{axis == 0 ? std::string("value") : names[axis].toStdString(),
                             axis == 0 ? record.direction : measureDirection, std::nullopt};
    };
    const std::vector<ObjectiveSpec> pair{objectiveOf(x), objectiveOf(y)};
    // A measure is read as a constraint's quantity is: the trial's attribute.
    auto valueOf = [](const Trial& trial, int axis, const ObjectiveSpec& objective) {
        return axis == 0 ? trial.value : constrainedQuantity(trial, {}, objective.name);
    };
    // The complete trials with both, as trials of those two objectives:
    // what paretoView reads of them (attributes only for constraints).
    const std::vector<ConstraintSpec> constraints = studyConstraints(record);
    std::vector<Trial> scored;
    for (const Trial& trial : m_session->trials()) {
        if (trial.state != TrialState::Complete)
            continue;
        const auto a = valueOf(trial, x, pair[0]), b = valueOf(trial, y, pair[1]);
        if (!a || !b || !std::isfinite(*a) || !std::isfinite(*b))
            continue;
        Trial& copy = scored.emplace_back();
        copy.number = trial.number;
        copy.state = trial.state;
        copy.values = {*a, *b};
        if (!constraints.empty())
            copy.attrs = trial.attrs;
    }
    auto label = [&](int axis, const ObjectiveSpec& objective) {
        return axisLabel(names[axis], objective.direction);
    };
    m_plot->setView(paretoView(scored, pair, constraints, 0, 1), label(x, pair[0]),
                    label(y, pair[1]), true);
    m_plot->setSelectedTrial(m_session->selectedTrial());
}

void ParetoPage::presetMeasureDirection(const QString& measure) {
    const Direction read = directionReadFromName(measure).value_or(Direction::Minimize);
    // Set while the page draws: no second refresh.
    const QSignalBlocker quiet(m_measureDirection);
    m_measureDirection->setCurrentIndex(m_measureDirection->findData(static_cast<int>(read)));
}

}  // namespace bonsai::ui

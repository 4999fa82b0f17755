#include "views/compare_page.h"

#include <algorithm>

#include <QComboBox>
#include <QHBoxLayout>
#include <QSplitter>
#include <QVBoxLayout>

#include "analysis/measure_names.h"
#include "analysis/study_analysis.h"
#include "analysis/study_counts.h"
#include "analysis/trial_series.h"
#include "controller/study_session.h"
#include "helpers/format.h"
#include "plots/edf_plot.h"
#include "study/multi_objective.h"

namespace bonsai::ui {

CompareCurve compareCurveOf(const QString& name, const StudyRecord& record,
                            std::span<const Trial> trials) {
    const StudySpec sections = objectiveSectionsOf(record);
    const bool several = sections.objectives.size() > 1;
    const QString first = several ? toQString(sections.objectives.front().name) : QString();
    // With several objectives the curves are the first's, and its name says
    // what the axes measure ("Best accuracy"), as the note says whose they are.
    const Feasibility feasible{sections.objectives, sections.constraints};
    CompareCurve curve{name, bestSoFar(trials, record.direction, feasible), objectivePoints(trials),
                       first, several ? first : objectiveValueName(record)};
    curve.bestByTime = bestSoFarByTime(trials, record.direction, feasible);
    curve.direction = several ? sections.objectives.front().direction : record.direction;
    if (several) {
        curve.sections = sections;
        curve.scored = scoredLosses(trials, sections);
    }
    return curve;
}

std::optional<LossVector> sharedHypervolumeReference(std::span<const CompareCurve> curves) {
    if (curves.empty())
        return std::nullopt;
    auto sameObjectives = [&](const CompareCurve& curve) {
        const auto& mine = curve.sections.objectives;
        const auto& first = curves.front().sections.objectives;
        return mine.size() > 1 && mine.size() == first.size() &&
               std::equal(mine.begin(), mine.end(), first.begin(),
                          [](const ObjectiveSpec& a, const ObjectiveSpec& b) {
                              return a.name == b.name && a.direction == b.direction;
                          });
    };
    if (!std::all_of(curves.begin(), curves.end(), sameObjectives))
        return std::nullopt;
    std::vector<LossVector> losses;
    for (const CompareCurve& curve : curves)
        for (const ScoredLosses& entry : curve.scored)
            losses.push_back(entry.losses);
    if (losses.empty())
        return std::nullopt;
    // As one study derives its own, from all of them: the worst of each
    // objective plus a tenth of its range, unless the first study fixes it.
    return hypervolumeReferenceFromLosses(losses, curves.front().sections);
}

namespace {

// Seconds read as minutes past ten minutes and as hours past ten hours: the
// unit, with the curves' x scaled to it.
QString inTimeUnit(std::vector<CompareCurve>& curves) {
    double longest = 0;
    for (const CompareCurve& curve : curves)
        for (const QPointF& point : curve.best)
            longest = std::max(longest, point.x());
    const auto [unit, seconds] = longest < 600     ? std::pair{QStringLiteral("s"), 1.0}
                                 : longest < 36000 ? std::pair{QStringLiteral("min"), 60.0}
                                                   : std::pair{QStringLiteral("h"), 3600.0};
    for (CompareCurve& curve : curves)
        for (QPointF& point : curve.best)
            point.setX(point.x() / seconds);
    return unit;
}

}  // namespace

ComparePage::ComparePage(StudySession* session, CurveLoader loader, QWidget* parent)
    : LazyView(parent), m_session(session), m_loader(std::move(loader)) {
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("analysis.compareNote"));
    m_note->setWordWrap(true);
    top->addWidget(m_note, 1);
    top->addWidget(new QLabel(tr("Along"), this));
    m_along = new QComboBox(this);
    m_along->setObjectName(QStringLiteral("analysis.compareAlong"));
    m_along->addItems({tr("trials"), tr("time")});
    m_along->setToolTip(
        tr("Trials: the curves against trial numbers. Time: against the time from each "
           "study's first trial, in the order trials ended (parallel workers, a slower "
           "objective or strategy show here)."));
    top->addWidget(m_along);
    layout->addLayout(top);
    connect(m_along, &QComboBox::currentIndexChanged, this, [this] {
        m_stale = true;
        invalidate();
    });
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    m_compare = new ComparePlot(splitter);
    m_edf = new EdfPlot(splitter);
    splitter->addWidget(m_compare);
    splitter->addWidget(m_edf);
    layout->addWidget(splitter, 1);
    const TrialLookup lookup = session->trialLookup();
    m_compare->setTrialLookup(lookup);
    m_edf->setTrialLookup(lookup);
    connect(m_edf, &EdfPlot::trialClicked, session, &StudySession::selectTrial);
    connect(session, &StudySession::studyChanged, this, [this] {
        m_stale = true;
        invalidate();
    });
    connect(session, &StudySession::trialsChanged, this, &ComparePage::invalidateLive);
    setComparedStudies({});
}

void ComparePage::setComparedStudies(const QStringList& names) {
    m_compared = names;
    m_note->setText(selectionNote(false));
    m_stale = true;
    invalidate();
}

QString ComparePage::selectionNote(bool hypervolumes) const {
    const QString left =
        hypervolumes ? tr("the hypervolume so far (left)") : tr("the best value so far (left)");
    return m_compared.size() < 2
               ? tr("<b>Compare studies</b>: %1 and the distribution of values (right) of the "
                    "studies selected in the browser. Select more with Ctrl+click or "
                    "Shift+click to compare them here.")
                     .arg(left)
               : tr("<b>Comparing %1 studies</b> selected in the browser: %2 and the "
                    "distribution of values (right). Ctrl+click a study to add or remove it.")
                     .arg(m_compared.size())
                     .arg(left);
}

QString ComparePage::noteText() const {
    return m_note->text();
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
    QStringList byFirstObjective;  // "study (objective)"
    for (const QString& name : m_compared)
        if (auto curve = m_loader(name)) {
            if (!curve->firstOfSeveral.isEmpty())
                byFirstObjective << tr("%1 (%2)").arg(name, curve->firstOfSeveral);
            EdfCurve edf;
            edf.name = name;
            edf.edf = empiricalDistribution(curve->values, &edf.trials);
            edf.clickable = name == shown;
            edfs.push_back(std::move(edf));
            curves.push_back(std::move(*curve));
        }
    // Studies that measure the same thing (one table's metric) name it.
    QString shared = curves.empty() ? QString() : curves.front().valueName;
    for (const CompareCurve& curve : curves)
        if (curve.valueName != shared)
            shared.clear();
    m_compare->setValueName(shared);
    m_edf->setValueName(shared);
    // Studies of the same objectives are compared by hypervolume, which
    // only means something against one reference point for all of them.
    const std::optional<LossVector> reference = sharedHypervolumeReference(curves);
    m_compare->setHypervolumes(reference.has_value());
    const bool byTime = m_along->currentIndex() == 1;
    for (CompareCurve& curve : curves) {
        if (reference)
            curve.best = hypervolumeCurve(curve.scored, *reference, byTime);
        else if (byTime)
            curve.best = std::move(curve.bestByTime);
    }
    if (byTime)
        m_compare->setTimeAxis(inTimeUnit(curves));
    else
        m_compare->setTrialAxis();
    m_compare->setCurves(curves);
    m_edf->setCurves(edfs, sharedDirection(curves));
    QString note = selectionNote(reference.has_value());
    if (reference) {
        const StudySpec& sections = curves.front().sections;
        note += QLatin1Char(' ') +
                tr("Each hypervolume is that of a study's Pareto set, against one reference "
                   "point for all (%1); the values are %2's.")
                    .arg(referenceText(*reference, sections),
                         toQString(sections.objectives.front().name));
    } else if (!byFirstObjective.isEmpty()) {
        note +=
            QLatin1Char(' ') + tr("Studies with several objectives are drawn by their first: %1.")
                                   .arg(byFirstObjective.join(QStringLiteral(", ")));
    }
    m_note->setText(note);
}

}  // namespace bonsai::ui

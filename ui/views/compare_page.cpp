#include "views/compare_page.h"

#include <QSplitter>
#include <QVBoxLayout>

#include "analysis/measure_names.h"
#include "analysis/study_analysis.h"
#include "analysis/study_counts.h"
#include "analysis/trial_series.h"
#include "controller/study_session.h"
#include "helpers/format.h"
#include "plots/edf_plot.h"

namespace bonsai::ui {

CompareCurve compareCurveOf(const QString& name, const StudyRecord& record,
                            std::span<const Trial> trials) {
    const StudySpec sections = objectiveSectionsOf(record);
    const bool several = sections.objectives.size() > 1;
    const QString first = several ? toQString(sections.objectives.front().name) : QString();
    // With several objectives the curves are the first's, and its name says
    // what the axes measure ("Best accuracy"), as the note says whose they are.
    return CompareCurve{
        name,
        bestSoFar(trials, record.direction, Feasibility{sections.objectives, sections.constraints}),
        objectivePoints(trials), first, several ? first : objectiveValueName(record)};
}

ComparePage::ComparePage(StudySession* session, CurveLoader loader, QWidget* parent)
    : LazyView(parent), m_session(session), m_loader(std::move(loader)) {
    auto* layout = new QVBoxLayout(this);
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("analysis.compareNote"));
    m_note->setWordWrap(true);
    layout->addWidget(m_note);
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
    m_selectionNote =
        names.size() < 2
            ? tr("<b>Compare studies</b>: the best value so far (left) and the distribution of "
                 "values (right) of the studies selected in the browser. Select more with "
                 "Ctrl+click or Shift+click to compare them here.")
            : tr("<b>Comparing %1 studies</b> selected in the browser: the best value so far "
                 "(left) and the distribution of values (right). Ctrl+click a study to add or "
                 "remove it.")
                  .arg(names.size());
    m_note->setText(m_selectionNote);
    m_stale = true;
    invalidate();
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
    m_compare->setCurves(curves);
    m_edf->setCurves(edfs);
    // The hypervolume of one study is not comparable with another's unless
    // both share a reference point, so the curves stay per objective.
    m_note->setText(byFirstObjective.isEmpty()
                        ? m_selectionNote
                        : m_selectionNote + QLatin1Char(' ') +
                              tr("Studies with several objectives are drawn by their first: %1.")
                                  .arg(byFirstObjective.join(QStringLiteral(", "))));
}

}  // namespace bonsai::ui

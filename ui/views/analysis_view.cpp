#include "views/analysis_view.h"

#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

#include "controller/study_session.h"
#include "plots/slice_plot.h"

namespace bonsai::ui {

AnalysisView::AnalysisView(StudySession* session, CurveLoader loader, QWidget* parent)
    : LazyView(parent), m_session(session), m_loader(std::move(loader)) {
    auto* layout = new QVBoxLayout(this);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    m_compare = new ComparePlot(splitter);
    auto* slicesPanel = new QWidget(splitter);
    auto* slicesLayout = new QVBoxLayout(slicesPanel);
    slicesLayout->setContentsMargins(0, 0, 0, 0);
    slicesLayout->addWidget(new QLabel(tr("<b>Objective value against each parameter</b> "
                                          "(complete trials of the shown study)"),
                                       slicesPanel));
    auto* scroll = new QScrollArea(slicesPanel);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_slices = new SliceGrid(scroll);
    scroll->setWidget(m_slices);
    slicesLayout->addWidget(scroll, 1);
    splitter->addWidget(m_compare);
    splitter->addWidget(slicesPanel);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    layout->addWidget(splitter);

    auto lookup = [session](int number) { return session->trial(number); };
    m_compare->setTrialLookup(lookup);
    connect(m_slices, &SliceGrid::trialClicked, session, &StudySession::selectTrial);
    connect(session, &StudySession::studyChanged, this, [this, lookup] {
        m_slices->setSpace(m_session->space(), lookup);
        m_compareStale = true;
        invalidate();
    });
    connect(session, &StudySession::trialsChanged, this, &AnalysisView::invalidate);
}

void AnalysisView::setComparedStudies(const QStringList& names) {
    m_compared = names;
    m_compareStale = true;
    invalidate();
}

void AnalysisView::refresh() {
    m_slices->setTrials(m_session->trials());
    // Compared studies come from the database; the shown one is live, so
    // reload while it runs.
    const bool showsCompared =
        m_session->hasStudy() &&
        m_compared.contains(QString::fromStdString(m_session->record().name));
    if (!m_compareStale && !showsCompared)
        return;
    m_compareStale = false;
    std::vector<CompareCurve> curves;
    for (const QString& name : m_compared)
        if (auto curve = m_loader(name))
            curves.push_back(std::move(*curve));
    m_compare->setCurves(curves);
}

}  // namespace bonsai::ui

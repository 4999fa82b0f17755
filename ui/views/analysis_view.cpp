#include "views/analysis_view.h"

#include <QTabWidget>
#include <QVBoxLayout>

#include "plots/importance_plot.h"
#include "views/analysis_pages.h"
#include "views/operations_page.h"

namespace bonsai::ui {

AnalysisView::AnalysisView(StudySession* session, CurveLoader loader, QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_pages = new QTabWidget(this);
    m_pages->setObjectName(QStringLiteral("analysisPages"));
    m_pages->setDocumentMode(true);
    m_compare = new ComparePage(session, std::move(loader), m_pages);
    m_importance = new ImportancePage(session, m_pages);
    m_slices = new SlicesPage(session, m_pages);
    m_contour = new ContourPage(session, m_pages);
    m_pareto = new ParetoPage(session, m_pages);
    m_parallel = new ParallelPage(session, m_pages);
    m_operations = new OperationsPage(session, m_pages);
    m_pages->addTab(m_compare, tr("Compare studies"));
    m_pages->addTab(m_importance, tr("Importance"));
    m_pages->addTab(m_slices, tr("Slices"));
    m_pages->addTab(m_contour, tr("Contour"));
    m_pages->addTab(m_pareto, tr("Pareto front"));
    m_pages->addTab(m_parallel, tr("Parallel coordinates"));
    m_pages->addTab(m_operations, tr("Operations"));
    layout->addWidget(m_pages);
    // While a big study runs, redraws take at most a fifth of the GUI thread.
    for (LazyView* page : std::initializer_list<LazyView*>{
             m_compare, m_importance, m_slices, m_contour, m_pareto, m_parallel, m_operations})
        page->setRefreshShare(0.2);
    connect(m_parallel, &ParallelPage::brushChanged, this, &AnalysisView::brushChanged);
    connect(m_importance->plot(), &ImportancePlot::parameterClicked, this,
            [this](const QString& name) {
                showPage(SlicesView);
                m_slices->showParameter(name);
            });
}

QStringList AnalysisView::pageKeys() {
    return {QStringLiteral("compare"),   QStringLiteral("importance"), QStringLiteral("slices"),
            QStringLiteral("contour"),   QStringLiteral("pareto"),     QStringLiteral("parallel"),
            QStringLiteral("operations")};
}

void AnalysisView::setComparedStudies(const QStringList& names) {
    m_compare->setComparedStudies(names);
}

void AnalysisView::showPage(Page page) {
    m_pages->setCurrentIndex(static_cast<int>(page));
}

ComparePlot* AnalysisView::comparePlot() const {
    return m_compare->comparePlot();
}

SliceGrid* AnalysisView::sliceGrid() const {
    return m_slices->grid();
}

}  // namespace bonsai::ui

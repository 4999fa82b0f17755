#include "views/analysis_view.h"

#include <tuple>

#include <QTabWidget>
#include <QVBoxLayout>

#include "plots/importance_plot.h"
#include "views/compare_page.h"
#include "views/contour_page.h"
#include "views/importance_page.h"
#include "views/operations_page.h"
#include "views/parallel_page.h"
#include "views/pareto_page.h"
#include "views/slices_page.h"

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
    // Short names, so all seven fit at 1024 px without scroll arrows; the
    // tooltip says more.
    const std::initializer_list<std::tuple<QWidget*, QString, QString>> pages{
        {m_compare, tr("Compare"), tr("Compare studies: best so far and EDF")},
        {m_importance, tr("Importance"), tr("Parameter importance")},
        {m_slices, tr("Slices"), tr("The objective against each parameter")},
        {m_contour, tr("Contour"), tr("GP mean over two parameters")},
        {m_pareto, tr("Pareto"), tr("Pareto front of two objectives")},
        {m_parallel, tr("Parallel"), tr("Parallel coordinates (drag an axis to brush)")},
        {m_operations, tr("Operations"), tr("Operations of a cell's edges among the best trials")}};
    for (const auto& [page, title, tip] : pages)
        m_pages->setTabToolTip(m_pages->addTab(page, title), tip);
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

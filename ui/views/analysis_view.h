#pragma once

#include <functional>
#include <optional>
#include <set>

#include <QStringList>
#include <QWidget>

#include "plots/compare_plot.h"

class QTabWidget;

namespace bonsai::ui {

class StudySession;
class SliceGrid;
class ComparePage;
class SlicesPage;
class ImportancePage;
class ContourPage;
class ParetoPage;
class ParallelPage;
class OperationsPage;

// The Analysis tab: one page per view (compare studies, importance, slices,
// contour, Pareto front, parallel coordinates). Pages redraw only while shown.
class AnalysisView : public QWidget {
    Q_OBJECT
  public:
    enum Page {
        CompareView,
        ImportanceView,
        SlicesView,
        ContourView,
        ParetoView,
        ParallelView,
        OperationsView
    };
    // Loads the best-so-far curve and values of a study by name.
    using CurveLoader = std::function<std::optional<CompareCurve>(const QString& name)>;

    AnalysisView(StudySession* session, CurveLoader loader, QWidget* parent = nullptr);

    void setComparedStudies(const QStringList& names);
    void showPage(Page page);

    QTabWidget* pages() const { return m_pages; }
    ComparePage* comparePage() const { return m_compare; }
    SlicesPage* slicesPage() const { return m_slices; }
    ImportancePage* importancePage() const { return m_importance; }
    ContourPage* contourPage() const { return m_contour; }
    ParetoPage* paretoPage() const { return m_pareto; }
    ParallelPage* parallelPage() const { return m_parallel; }
    OperationsPage* operationsPage() const { return m_operations; }
    ComparePlot* comparePlot() const;
    SliceGrid* sliceGrid() const;
    // Short names of the pages, for screenshot files.
    static QStringList pageKeys();

  signals:
    // Trials brushed in parallel coordinates; nullopt when nothing is.
    void brushChanged(const std::optional<std::set<int>>& trials);

  private:
    QTabWidget* m_pages;
    ComparePage* m_compare;
    SlicesPage* m_slices;
    ImportancePage* m_importance;
    ContourPage* m_contour;
    ParetoPage* m_pareto;
    ParallelPage* m_parallel;
    OperationsPage* m_operations;
};

}  // namespace bonsai::ui

#pragma once

#include <optional>
#include <set>

#include <QStringList>

#include "analysis/study_analysis.h"
#include "helpers/latest_job.h"
#include "plots/compare_plot.h"
#include "views/lazy_view.h"

class QComboBox;
class QLabel;

// The pages of the Analysis tab. Each redraws only while shown (LazyView)
// and draws from the session; the GP pages fit off the GUI thread.
namespace bonsai::ui {

class StudySession;
class ComparePlot;
class EdfPlot;
class SliceGrid;
class ImportancePlot;
class ContourPlot;
class ParetoPlot;
class ParallelCoordinatesPlot;

// Best-so-far curves and EDFs of the studies selected in the browser.
class ComparePage : public LazyView {
    Q_OBJECT
  public:
    using CurveLoader = std::function<std::optional<CompareCurve>(const QString& name)>;
    ComparePage(StudySession* session, CurveLoader loader, QWidget* parent = nullptr);
    void setComparedStudies(const QStringList& names);
    ComparePlot* comparePlot() const { return m_compare; }
    EdfPlot* edfPlot() const { return m_edf; }

  protected:
    void refresh() override;

  private:
    StudySession* m_session;
    CurveLoader m_loader;
    QStringList m_compared;
    bool m_stale = true;
    ComparePlot* m_compare;
    EdfPlot* m_edf;
};

// One slice plot per parameter; multi-objective studies choose the objective.
class SlicesPage : public LazyView {
    Q_OBJECT
  public:
    explicit SlicesPage(StudySession* session, QWidget* parent = nullptr);
    SliceGrid* grid() const { return m_grid; }
    QComboBox* objectiveChooser() const { return m_objective; }
    void showParameter(const QString& name);

  protected:
    void refresh() override;

  private:
    StudySession* m_session;
    QComboBox* m_objective;
    SliceGrid* m_grid;
    class QScrollArea* m_scroll;
    QLabel* m_empty;  // why there is no slice, instead of a blank area
};

// GP ARD relevance of each parameter.
class ImportancePage : public LazyView {
    Q_OBJECT
  public:
    explicit ImportancePage(StudySession* session, QWidget* parent = nullptr);
    ImportancePlot* plot() const { return m_plot; }
    QComboBox* objectiveChooser() const { return m_objective; }
    bool busy() const { return m_job.busy(); }

  protected:
    void refresh() override;

  private:
    StudySession* m_session;
    QComboBox* m_objective;
    ImportancePlot* m_plot;
    LatestJob<std::optional<ParameterRelevance>> m_job;
};

// The GP mean over two chosen numeric parameters.
class ContourPage : public LazyView {
    Q_OBJECT
  public:
    explicit ContourPage(StudySession* session, QWidget* parent = nullptr);
    ContourPlot* plot() const { return m_plot; }
    QComboBox* xChooser() const { return m_x; }
    QComboBox* yChooser() const { return m_y; }
    QComboBox* objectiveChooser() const { return m_objective; }
    bool busy() const { return m_job.busy(); }

  protected:
    void refresh() override;

  private:
    void onStudyChanged();
    StudySession* m_session;
    QComboBox* m_x;
    QComboBox* m_y;
    QComboBox* m_objective;
    ContourPlot* m_plot;
    LatestJob<std::optional<PosteriorGrid>> m_job;
};

// The Pareto front of two objectives (a pair chooser for three or more).
class ParetoPage : public LazyView {
    Q_OBJECT
  public:
    explicit ParetoPage(StudySession* session, QWidget* parent = nullptr);
    ParetoPlot* plot() const { return m_plot; }
    QComboBox* xChooser() const { return m_x; }
    QComboBox* yChooser() const { return m_y; }

  protected:
    void refresh() override;

  private:
    void onStudyChanged();
    StudySession* m_session;
    QComboBox* m_x;
    QComboBox* m_y;
    ParetoPlot* m_plot;
};

// Parallel coordinates with brushing.
class ParallelPage : public LazyView {
    Q_OBJECT
  public:
    explicit ParallelPage(StudySession* session, QWidget* parent = nullptr);
    ParallelCoordinatesPlot* plot() const { return m_plot; }

  signals:
    // The trials inside every brush; nullopt when nothing is brushed.
    void brushChanged(const std::optional<std::set<int>>& trials);

  protected:
    void refresh() override;

  private:
    StudySession* m_session;
    ParallelCoordinatesPlot* m_plot;
    QLabel* m_status;
};

}  // namespace bonsai::ui

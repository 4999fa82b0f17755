#pragma once

#include <functional>
#include <vector>

#include <QStringList>

#include "plots/compare_plot.h"
#include "views/lazy_view.h"

class QScrollArea;

namespace bonsai::ui {

class StudySession;
class SliceGrid;

// The Analysis tab: best-so-far curves of the studies selected in the
// browser, and value-vs-parameter slices of the shown study.
class AnalysisView : public LazyView {
    Q_OBJECT
  public:
    // Loads the best-so-far curve of a study by name (from the database).
    using CurveLoader = std::function<std::optional<CompareCurve>(const QString& name)>;

    AnalysisView(StudySession* session, CurveLoader loader, QWidget* parent = nullptr);

    void setComparedStudies(const QStringList& names);
    ComparePlot* comparePlot() const { return m_compare; }
    SliceGrid* sliceGrid() const { return m_slices; }

  protected:
    void refresh() override;

  private:
    StudySession* m_session;
    CurveLoader m_loader;
    QStringList m_compared;
    bool m_compareStale = true;
    ComparePlot* m_compare;
    SliceGrid* m_slices;
};

}  // namespace bonsai::ui

#pragma once

#include <optional>
#include <set>

#include "views/lazy_view.h"

class QLabel;

namespace bonsai::ui {

class ParallelCoordinatesPlot;
class StudySession;

// Analysis ▸ Parallel: parallel coordinates with brushing.
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

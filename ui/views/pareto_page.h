#pragma once

#include "views/lazy_view.h"

class QComboBox;

namespace bonsai::ui {

class AxisPairChooser;
class ParetoPlot;
class StudySession;

// Analysis ▸ Pareto: the Pareto front of two objectives (a pair chooser for
// three or more).
class ParetoPage : public LazyView {
    Q_OBJECT
  public:
    explicit ParetoPage(StudySession* session, QWidget* parent = nullptr);
    ParetoPlot* plot() const { return m_plot; }
    QComboBox* xChooser() const;
    QComboBox* yChooser() const;

  protected:
    void refresh() override;

  private:
    void onStudyChanged();
    StudySession* m_session;
    AxisPairChooser* m_axes;
    ParetoPlot* m_plot;
};

}  // namespace bonsai::ui

#pragma once

#include <optional>

#include "analysis/study_analysis.h"
#include "helpers/latest_job.h"
#include "views/page_controls.h"

class QComboBox;

namespace bonsai::ui {

class ContourPlot;

// Analysis ▸ Contour: the GP mean over two chosen parameters or cell edges.
class ContourPage : public GpPage {
    Q_OBJECT
  public:
    explicit ContourPage(StudySession* session, QWidget* parent = nullptr);
    ContourPlot* plot() const { return m_plot; }
    QComboBox* xChooser() const { return m_axes->x(); }
    QComboBox* yChooser() const { return m_axes->y(); }
    bool busy() const override { return m_job.busy(); }

  protected:
    void refresh() override;

  private:
    void onStudyChanged();
    // Sets the choosers to the axes the fit picked, without refitting.
    void showPickedAxes(const PosteriorGrid& grid);
    AxisPairChooser* m_axes;
    bool m_pickAxes = false;  // fits pick the two most relevant axes until the user picks
    ContourPlot* m_plot;
    LatestJob<std::optional<PosteriorGrid>> m_job;
};

}  // namespace bonsai::ui

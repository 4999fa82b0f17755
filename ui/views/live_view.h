#pragma once

#include <functional>
#include <optional>

#include "plots/posterior_slice_plot.h"
#include "storage/database.h"
#include "views/lazy_view.h"

class QBoxLayout;
class QComboBox;
class QGridLayout;
class QLabel;

namespace bonsai::ui {

class StudySession;
class ObjectivePlot;
class LearningCurvePlot;
class AcquisitionPlot;
class HypervolumePlot;
class BestCellCard;

// The Live tab: objective per trial with best so far, learning curves,
// acquisition values and the model's posterior along a chosen parameter.
class LiveView : public LazyView {
    Q_OBJECT
  public:
    // Computes the posterior slice of a study along one parameter through its
    // incumbent; nullopt when there is nothing to draw. Runs on a pool thread.
    // `edge` is -1, or the edge (0..5) of an nb201-cell `parameter`;
    // `objective` indexes a multi-objective study's objectives.
    using PosteriorProvider = std::function<std::optional<PosteriorSlice>(
        const StudyRecord& study, const std::vector<Trial>& trials, const std::string& parameter,
        int edge, std::size_t objective)>;

    explicit LiveView(StudySession* session, QWidget* parent = nullptr);

    void setPosteriorProvider(PosteriorProvider provider);

    ObjectivePlot* objectivePlot() const { return m_objective; }
    // Shown instead of the objective plot for a multi-objective study.
    HypervolumePlot* hypervolumePlot() const { return m_hypervolume; }
    LearningCurvePlot* learningCurvePlot() const { return m_curves; }
    AcquisitionPlot* acquisitionPlot() const { return m_acquisition; }
    PosteriorSlicePlot* posteriorPlot() const { return m_posterior; }
    // The GP slice is being fitted on a pool thread.
    bool posteriorBusy() const { return m_posteriorBusy; }
    QComboBox* posteriorParameter() const { return m_parameter; }
    // Which objective the slice models; shown in multi-objective studies only.
    QComboBox* posteriorObjective() const { return m_sliceObjective; }
    // Shown in cell studies only.
    BestCellCard* bestCellCard() const { return m_bestCell; }

    // The objective chooser sits under the parameter's when both do not fit.
    bool sliceChoosersStacked() const;

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void refresh() override;
    int liveParts() const override;
    void refreshPart(int part) override;

  private:
    // The parts of a redraw, one chart (or two small things) each.
    enum Part { ObjectivePart, CurvesPart, AcquisitionPart, PosteriorPart, PartCount };
    void drawPart(int part);
    // Counts and state: cheap, and kept in step with the browser and the
    // status bar on every batch, whenever the charts redraw.
    void refreshHeader();
    void onStudyChanged();
    void refreshPosterior();
    void arrangeSliceChoosers();
    // Which panels apply to the shown study, and the grid that follows.
    struct Panels {
        bool curves = false;       // some trial reported intermediate values
        bool acquisition = false;  // the strategy scores its suggestions (gp, tpe)
        bool posterior = false;    // the strategy fits a GP
        bool operator==(const Panels&) const = default;
    };
    Panels applicablePanels() const;
    // Shows the panels that apply and lets the others' room go to their
    // neighbours: a panel alone in its column spans both rows, and the left
    // column spans both columns when the right one is empty.
    void arrangePanels();
    void posteriorReady(const QString& key, const std::optional<PosteriorSlice>& slice);

    StudySession* m_session;
    QLabel* m_header;
    ObjectivePlot* m_objective;
    HypervolumePlot* m_hypervolume;
    LearningCurvePlot* m_curves;
    AcquisitionPlot* m_acquisition;
    PosteriorSlicePlot* m_posterior;
    QComboBox* m_parameter;
    QComboBox* m_sliceObjective;
    QLabel* m_sliceObjectiveLabel;
    QBoxLayout* m_sliceChoosers;  // the parameter's row and the objective's
    QGridLayout* m_grid;
    QWidget* m_posteriorPanel;       // the slice with its parameter chooser
    std::optional<Panels> m_panels;  // as arranged
    BestCellCard* m_bestCell;
    PosteriorProvider m_provider;
    // The model is fitted on a pool thread, once per change of its inputs.
    // Study, parameter, objective and complete-trial count drawn (or being drawn).
    QString m_posteriorKey;
    bool m_posteriorBusy = false;  // a fit is running (posteriorBusy())
    bool m_posteriorPending = false;
};

}  // namespace bonsai::ui

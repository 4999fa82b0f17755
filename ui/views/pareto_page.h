#pragma once

#include <optional>
#include <vector>

#include <QStringList>

#include "views/lazy_view.h"

class QComboBox;
class QLabel;

namespace bonsai::ui {

class AxisPairChooser;
class ParetoPlot;
class StudySession;

// Analysis ▸ Pareto: the Pareto front of two objectives (a pair chooser for
// three or more). A single-objective study has no front of its own: there
// the objective is set against a measure its trials report (a NAS cell's
// latency_ms, flops or params), in the direction its name reads as better
// (higher for an accuracy, else lower) until the user chooses one, and the
// front is the trade-off the search found.
class ParetoPage : public LazyView {
    Q_OBJECT
  public:
    explicit ParetoPage(StudySession* session, QWidget* parent = nullptr);
    ParetoPlot* plot() const { return m_plot; }
    QComboBox* xChooser() const;
    QComboBox* yChooser() const;
    // Single-objective studies: whether a lower or a higher reported measure
    // is better (hidden for studies of several objectives).
    QComboBox* measureDirection() const { return m_measureDirection; }

  protected:
    void refresh() override;

  private:
    void onStudyChanged();
    // Single-objective studies: the objective and the measures reported so
    // far, offered on both axes (refilled only when they change); returns
    // the names.
    QStringList offerMeasures();
    void showTradeOff(const QStringList& names);
    // Sets the measure direction from the measure's name (lower if it says
    // nothing), without a second refresh.
    void presetMeasureDirection(const QString& measure);

    StudySession* m_session;
    AxisPairChooser* m_axes;
    QComboBox* m_measureDirection;
    QLabel* m_note;
    ParetoPlot* m_plot;
    bool m_singleObjective = false;
    QStringList m_offered;                  // single objective: the objective, then the measures
    bool m_measureDirectionChosen = false;  // by the user, for this study
};

}  // namespace bonsai::ui

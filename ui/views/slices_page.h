#pragma once

#include "views/lazy_view.h"

class QComboBox;
class QLabel;
class QScrollArea;

namespace bonsai::ui {

class SliceGrid;
class StudySession;

// Analysis ▸ Slices: one slice plot per parameter; multi-objective studies
// choose the objective.
class SlicesPage : public LazyView {
    Q_OBJECT
  public:
    explicit SlicesPage(StudySession* session, QWidget* parent = nullptr);
    SliceGrid* grid() const { return m_grid; }
    QComboBox* objectiveChooser() const { return m_objective; }
    QLabel* note() const { return m_note; }
    void showParameter(const QString& name);

  protected:
    void refresh() override;
    int liveParts() const override;
    void refreshPart(int part) override;

  private:
    void refreshFrame();
    void refreshPlot(std::size_t index);

    StudySession* m_session;
    QComboBox* m_objective;
    SliceGrid* m_grid;
    QScrollArea* m_scroll;
    QLabel* m_note;   // what the marks mean; constraints only where the study has them
    QLabel* m_empty;  // why there is no slice, instead of a blank area
};

}  // namespace bonsai::ui

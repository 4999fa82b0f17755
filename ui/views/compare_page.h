#pragma once

#include <functional>
#include <optional>
#include <span>

#include <QComboBox>
#include <QLabel>
#include <QStringList>

#include "model/trial.h"
#include "plots/compare_plot.h"
#include "storage/database.h"
#include "views/lazy_view.h"

namespace bonsai::ui {

class StudySession;
class ComparePlot;
class EdfPlot;

// A stored or shown study's curves for Compare: the best so far as the
// study ranks trials (feasible ones only; with several objectives, by the
// first), every complete value, and what they measure (the table's metric,
// or the first objective's name).
CompareCurve compareCurveOf(const QString& name, const StudyRecord& record,
                            std::span<const Trial> trials);

// The one hypervolume reference point for studies that all have the same
// several objectives (names and directions), from all their scored trials;
// none otherwise (one objective, or objectives that differ).
std::optional<LossVector> sharedHypervolumeReference(std::span<const CompareCurve> curves);

// Analysis ▸ Compare: best-so-far curves (hypervolume so far for studies of
// the same several objectives) and EDFs of the studies selected in the
// browser.
class ComparePage : public LazyView {
    Q_OBJECT
  public:
    using CurveLoader = std::function<std::optional<CompareCurve>(const QString& name)>;
    ComparePage(StudySession* session, CurveLoader loader, QWidget* parent = nullptr);
    void setComparedStudies(const QStringList& names);
    ComparePlot* comparePlot() const { return m_compare; }
    // The curves' x: trial numbers (0) or time (1).
    QComboBox* alongChooser() const { return m_along; }
    EdfPlot* edfPlot() const { return m_edf; }
    // What is compared, and how to compare more (a single study's page
    // otherwise looks like the whole feature); for a study with several
    // objectives, which one its curves show.
    QString noteText() const;

  protected:
    void refresh() override;

  private:
    // Which studies, what the charts show, and how to pick more.
    QString selectionNote(bool hypervolumes) const;

    StudySession* m_session;
    CurveLoader m_loader;
    QStringList m_compared;
    bool m_stale = true;
    QLabel* m_note;
    QComboBox* m_along;
    ComparePlot* m_compare;
    EdfPlot* m_edf;
};

}  // namespace bonsai::ui

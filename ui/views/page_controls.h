#pragma once

#include <cstddef>
#include <vector>

#include <QStringList>
#include <QWidget>

#include "analysis/study_analysis.h"
#include "views/lazy_view.h"

class QComboBox;
class QLabel;

// What the pages of the Analysis tab share: a wrapped note, choosers that
// keep their choice across refills, the axis-pair chooser and the base of
// the GP pages.
namespace bonsai::ui {

class StudySession;

int completeCount(const std::vector<Trial>& trials);

// A page's word-wrapped rich-text explanation.
QLabel* pageNote(const QString& text, QWidget* parent);

// Fills a chooser with names, keeping the current choice when it remains,
// else choosing `fallback` (or the last name).
void refillChooser(QComboBox* box, const QStringList& names, int fallback);

QStringList objectiveNames(const std::vector<ObjectiveSpec>& objectives);
// The study's objectives as the pages name them: one objective by what it
// measures where the study knows it ("cifar10_valid_acc_12ep"), else by
// the spec's names.
QStringList shownObjectiveNames(const StudyRecord& record);

// An objective chooser, sized to its names.
QComboBox* newObjectiveChooser(const QString& objectName, QWidget* parent);
// Refills it with the study's objectives; enabled in multi-objective studies only.
void refillObjectives(QComboBox* box, const StudyRecord& record);

// "x [..] y [..]": two choosers of one list of names (parameters or
// objectives), the first on the first name and the second on the second.
class AxisPairChooser : public QWidget {
    Q_OBJECT
  public:
    // The choosers are named <objectNamePrefix>X and <objectNamePrefix>Y.
    AxisPairChooser(const QString& objectNamePrefix, QWidget* parent = nullptr);
    QComboBox* x() const { return m_x; }
    QComboBox* y() const { return m_y; }
    // Disabled with fewer than two names.
    void setNames(const QStringList& names);
    // Both chosen and different.
    bool isPair() const;

  signals:
    void changed();

  private:
    QComboBox* m_x;
    QComboBox* m_y;
};

// The GP pages (importance, contour): an objective chooser, a fit in the
// background (busy() while it runs), and a fit key so the GP is refitted once
// per newly complete trial, not per report.
class GpPage : public LazyView {
    Q_OBJECT
  public:
    QComboBox* objectiveChooser() const { return m_objective; }
    virtual bool busy() const = 0;

  protected:
    GpPage(StudySession* session, const QString& objectiveName, QWidget* parent);
    std::size_t objectiveIndex() const;
    // Study, complete trials and objective, then `extra`, joined by '/'.
    QString fitKey(const QStringList& extra = {}) const;

    StudySession* m_session;
    QComboBox* m_objective;
};

}  // namespace bonsai::ui

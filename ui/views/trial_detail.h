#pragma once

#include <QWidget>

#include "model/trial.h"

class QTextBrowser;

namespace bonsai::ui {

class LearningCurvePlot;

// Everything about one trial: state, value, timing, parameters, attributes,
// error text, and its learning curve.
class TrialDetail : public QWidget {
    Q_OBJECT
  public:
    explicit TrialDetail(QWidget* parent = nullptr);

    // nullptr shows a hint instead.
    void showTrial(const Trial* trial);
    QString text() const;
    // Strategy internals (isStrategyAttribute) are folded away until asked for.
    bool strategyDetailsShown() const { return m_showStrategy; }
    void setStrategyDetailsShown(bool shown);

  private:
    QTextBrowser* m_text;
    Trial m_shown;
    bool m_hasTrial = false;
    bool m_showStrategy = false;
    LearningCurvePlot* m_curve;
};

}  // namespace bonsai::ui

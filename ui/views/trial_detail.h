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

  private:
    QTextBrowser* m_text;
    LearningCurvePlot* m_curve;
};

}  // namespace bonsai::ui

#pragma once

#include <QDialog>

#include "setup/objective_test_run.h"

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace bonsai::ui {

// Shows one objective test run: the parameters it uses, reports as they
// arrive, then the value or the reason it failed and the output tails.
// Cancel stops the run; Close appears once it has ended.
class TestRunDialog : public QDialog {
    Q_OBJECT
  public:
    // Starts the run at once; a spec error shows in the dialog instead.
    TestRunDialog(const Json& spec, const ObjectiveRegistry& objectives, QWidget* parent = nullptr);

    QString resultText() const;
    QString reportText() const;
    QString outputText() const;
    bool isRunning() const { return m_run->isRunning(); }
    QPushButton* cancelButton() const { return m_cancel; }

  private:
    void showOutcome(const ObjectiveTestRun::Outcome& outcome);

    ObjectiveTestRun* m_run;
    QLabel* m_params;
    QLabel* m_result;
    QPlainTextEdit* m_reports;
    QPlainTextEdit* m_output;
    QPushButton* m_cancel;
};

}  // namespace bonsai::ui

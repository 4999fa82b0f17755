#pragma once

#include <QWidget>

#include "objectives/objective.h"

class QDialog;
class QLabel;
class QPushButton;

Q_DECLARE_METATYPE(bonsai::Json)

namespace bonsai::ui {

class SetupForm;
class SpecJsonView;

// The Setup tab: the spec form, its JSON, the validation banner and Start.
// Start stays disabled while the form has an error or a study is running.
class SetupPage : public QWidget {
    Q_OBJECT
  public:
    explicit SetupPage(ObjectiveRegistry objectives, QWidget* parent = nullptr);

    SetupForm* form() const { return m_form; }
    SpecJsonView* jsonView() const { return m_json; }
    QPushButton* startButton() const { return m_start; }
    QPushButton* testRunButton() const { return m_testRun; }
    // The banner's text: the first error, or empty when the spec is valid.
    QString bannerText() const;

    void setRunning(bool running);
    bool canStart() const;

  signals:
    void startRequested(const bonsai::Json& spec);
    void canStartChanged(bool canStart);
    // A test run's dialog, just opened (tests and screenshots use it).
    void testRunOpened(QDialog* dialog);

  private:
    void updateState();

    SetupForm* m_form;
    SpecJsonView* m_json;
    QLabel* m_banner;
    QPushButton* m_start;
    QPushButton* m_testRun;
    bool m_running = false;
};

}  // namespace bonsai::ui

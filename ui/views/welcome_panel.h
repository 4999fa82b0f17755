#pragma once

#include <QFrame>

class QPushButton;

namespace bonsai::ui {

// A short note above the study area on first launch: what is running and
// what to do next. Dismissed for good with its close button.
class WelcomePanel : public QFrame {
    Q_OBJECT
  public:
    explicit WelcomePanel(QWidget* parent = nullptr);

    // Whether the user has dismissed it before (QSettings).
    static bool dismissedBefore();

  signals:
    void newStudyRequested();
    void openSpecRequested();

  private:
    QPushButton* m_close;
};

}  // namespace bonsai::ui

#pragma once

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QProgressBar;

namespace bonsai::ui {

// Trials done of the budget, elapsed time and an estimate of the time left,
// from the pace of this run.
class RunProgress : public QWidget {
    Q_OBJECT
  public:
    explicit RunProgress(QWidget* parent = nullptr);

    // budget < 0: no trial budget (the bar shows activity only).
    void start(qint64 countedTrials, qint64 budget);
    void trialCounted();
    void finish(const QString& text);

    qint64 done() const { return m_done; }
    QString text() const;

  private:
    void refresh();

    QProgressBar* m_bar;
    QLabel* m_label;
    QElapsedTimer m_clock;
    QTimer m_tick;
    qint64 m_startCount = 0;
    qint64 m_done = 0;
    qint64 m_budget = -1;
};

}  // namespace bonsai::ui

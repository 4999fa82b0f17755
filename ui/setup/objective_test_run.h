#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include <QObject>
#include <QString>

#include "study/spec.h"

namespace bonsai::ui {

// One evaluation of a spec's objective, outside any study: nothing is
// stored. It runs at the centre of the search space on its own thread, so a
// user can check a training command (or a table, or a data folder) before
// starting a long study. Signals arrive on the GUI thread.
class ObjectiveTestRun : public QObject {
    Q_OBJECT
  public:
    struct Outcome {
        bool ok = false;
        double value = 0.0;
        QString message;  // why it failed, or "" when ok
        QString stdoutTail;
        QString stderrTail;
        double seconds = 0.0;
    };

    explicit ObjectiveTestRun(QObject* parent = nullptr);
    ~ObjectiveTestRun() override;  // cancels and waits

    // Throws SpecError if the spec does not validate. Returns the parameters
    // the run uses.
    ParamMap start(const Json& spec, const ObjectiveRegistry& objectives);
    // Asks the objective to stop (a command gets SIGTERM, then SIGKILL).
    void cancel();
    bool isRunning() const { return m_running; }

  signals:
    void reported(qint64 step, double value);
    void finished(const bonsai::ui::ObjectiveTestRun::Outcome& outcome);

  private:
    class Context;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    bool m_running = false;
};

}  // namespace bonsai::ui

Q_DECLARE_METATYPE(bonsai::ui::ObjectiveTestRun::Outcome)

#pragma once

#include <atomic>
#include <cstdint>
#include <optional>

#include <QMetaType>
#include <QObject>
#include <QString>

#include "model/trial.h"
#include "objectives/objective.h"

Q_DECLARE_METATYPE(bonsai::Trial)

namespace bonsai::ui {

// What the worker should run: a new study created from `newSpec`, or the
// stored study `studyName` continued (with `moreTrials` on top of what it has).
struct RunRequest {
    QString databasePath;
    std::optional<Json> newSpec;
    QString studyName;
    std::optional<std::int64_t> moreTrials;
};

// How a running study is asked to end: Pause lets the running trials finish
// and stores the study as paused; PauseNow interrupts them (closing the
// window) and stores it as paused; StopNow interrupts them and stores it as
// stopped. Interrupted trials do not count against the budget.
enum class StopMode { Pause, PauseNow, StopNow };

// Runs one study at a time on the thread it lives on (a QThread owned by
// StudyController). Trials leave the thread as copies through queued signals;
// requestStop() is the only call made from another thread.
class StudyWorker : public QObject {
    Q_OBJECT
  public:
    explicit StudyWorker(ObjectiveRegistry objectives);

    // Thread-safe. No new trial starts; with PauseNow and StopNow the running
    // trial sees TrialContext::stopRequested and is abandoned. A Pause can be
    // escalated by a later PauseNow or StopNow.
    void requestStop(StopMode mode);
    // Called before queueing run(), so a stop pressed before run() starts counts.
    void clearStopRequest();

    // Blocks until the study ends; call through a queued invocation.
    void run(const RunRequest& request);

  signals:
    // countedTrials: finished trials that count against the budget so far;
    // trialBudget is -1 when the study has no trial budget.
    void studyStarted(const QString& name, qint64 studyId, qint64 countedTrials,
                      qint64 trialBudget);
    // Started, reported an intermediate value, or finished: the latest copy.
    void trialChanged(const bonsai::Trial& trial);
    // state: "finished", "paused" or "stopped"; reason in words.
    void studyEnded(const QString& name, const QString& state, const QString& reason);
    // The study could not start or crashed: one sentence for the user.
    void studyFailed(const QString& message);

  private:
    ObjectiveRegistry m_objectives;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_interrupt{false};
    std::atomic<bool> m_pause{false};
};

}  // namespace bonsai::ui

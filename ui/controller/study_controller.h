#pragma once

#include <optional>

#include <QObject>
#include <QString>
#include <QThread>

#include "controller/study_worker.h"

namespace bonsai::ui {

// Owns the worker thread and its StudyWorker; the GUI's one entry point for
// running, pausing and stopping a study. Destroying the controller stops a
// running study (it is stored as "stopped"), quits the thread and waits.
class StudyController : public QObject {
    Q_OBJECT
  public:
    explicit StudyController(ObjectiveRegistry objectives, QObject* parent = nullptr);
    ~StudyController() override;

    bool isRunning() const { return m_running; }
    // The study running now (empty when idle).
    QString runningStudy() const { return m_runningStudy; }

    void startNew(const QString& databasePath, const Json& spec);
    void resume(const QString& databasePath, const QString& name,
                std::optional<qint64> moreTrials = std::nullopt);
    // Ends the study after the running trial; stored as paused.
    void pause();
    // Interrupts the running trial; the study is stored as paused (for
    // closing the window) or stopped.
    void pauseNow();
    void stop();
    // A pause was asked for and the running trial is still finishing.
    bool isPausing() const { return m_pausing; }

  signals:
    void runningChanged(bool running);
    void pausingChanged(bool pausing);
    void studyStarted(const QString& name, qint64 studyId, qint64 countedTrials,
                      qint64 trialBudget);
    void trialChanged(const bonsai::Trial& trial);
    void studyEnded(const QString& name, const QString& state, const QString& reason);
    void studyFailed(const QString& message);

  private:
    void launch(RunRequest request, const QString& name);
    void setIdle();

    QThread m_thread;
    StudyWorker* m_worker = nullptr;
    bool m_running = false;
    bool m_pausing = false;
    QString m_runningStudy;
};

}  // namespace bonsai::ui

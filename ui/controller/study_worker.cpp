#include "controller/study_worker.h"

#include "helpers/format.h"
#include "study/study.h"

namespace bonsai::ui {

namespace {

// Forwards engine callbacks (made on the study's threads, under its lock) as
// queued signals carrying copies.
class SignalEvents final : public StudyEvents {
  public:
    explicit SignalEvents(StudyWorker& worker) : m_worker(worker) {}
    void trialStarted(const Trial& trial) override { emit m_worker.trialChanged(trial); }
    void intermediateReported(const Trial& trial, std::int64_t, double) override {
        emit m_worker.trialChanged(trial);
    }
    void trialFinished(const Trial& trial) override { emit m_worker.trialChanged(trial); }

  private:
    StudyWorker& m_worker;
};

}  // namespace

StudyWorker::StudyWorker(ObjectiveRegistry objectives) : m_objectives(std::move(objectives)) {}

void StudyWorker::requestStop(StopMode mode) {
    m_pause.store(mode != StopMode::StopNow);
    if (mode != StopMode::Pause)
        m_interrupt.store(true);
    m_stop.store(true);
}

void StudyWorker::clearStopRequest() {
    m_stop.store(false);
    m_interrupt.store(false);
    m_pause.store(false);
}

void StudyWorker::run(const RunRequest& request) {
    QString name = request.studyName;
    try {
        Database database(toStdString(request.databasePath));
        std::optional<Study> study;
        if (request.newSpec) {
            StudySpec spec = parseStudySpec(*request.newSpec, m_objectives);
            name = toQString(spec.name);
            study.emplace(Study::create(database, std::move(spec), m_objectives));
        } else {
            study.emplace(Study::open(database, toStdString(name), m_objectives));
        }
        if (request.moreTrials)
            study->extendTrialBudget(*request.moreTrials);
        emit studyStarted(name, study->id(), study->countedTrials(),
                          study->trialBudget().value_or(-1));

        SignalEvents events(*this);
        StopReason reason = study->run(m_stop, m_interrupt, &events);
        StudyState state = StudyState::Finished;
        if (reason == StopReason::StopRequested) {
            state = m_pause.load() ? StudyState::Paused : StudyState::Stopped;
            if (m_pause.load())
                database.setStudyState(study->id(), StudyState::Paused);
        }
        emit studyEnded(name, QString::fromUtf8(studyStateName(state)),
                        QString::fromUtf8(stopReasonText(reason)));
    } catch (const SpecError& error) {
        emit studyFailed(
            QStringLiteral("The spec is invalid: %1").arg(QString::fromUtf8(error.what())));
    } catch (const StorageError& error) {
        emit studyFailed(QString::fromUtf8(error.what()));
    } catch (const std::exception& error) {
        emit studyFailed(QStringLiteral("Study '%1' stopped with an error: %2")
                             .arg(name, QString::fromUtf8(error.what())));
    }
}

}  // namespace bonsai::ui

#include "controller/study_controller.h"

namespace bonsai::ui {

StudyController::StudyController(ObjectiveRegistry objectives, QObject* parent)
    : QObject(parent), m_worker(new StudyWorker(std::move(objectives))) {
    m_thread.setObjectName(QStringLiteral("bonsai-study"));
    m_worker->moveToThread(&m_thread);
    connect(m_worker, &StudyWorker::studyStarted, this,
            [this](const QString& name, qint64 id, qint64 counted, qint64 budget) {
                m_runningStudy = name;
                emit studyStarted(name, id, counted, budget);
            });
    connect(m_worker, &StudyWorker::trialChanged, this, &StudyController::trialChanged);
    connect(m_worker, &StudyWorker::studyEnded, this,
            [this](const QString& name, const QString& state, const QString& reason) {
                setIdle();
                emit studyEnded(name, state, reason);
            });
    connect(m_worker, &StudyWorker::studyFailed, this, [this](const QString& message) {
        setIdle();
        emit studyFailed(message);
    });
    m_thread.start();
}

StudyController::~StudyController() {
    m_worker->requestStop(StopMode::StopNow);
    m_thread.quit();
    m_thread.wait();
    delete m_worker;  // its thread has ended, so deleting here is safe
}

void StudyController::startNew(const QString& databasePath, const Json& spec) {
    RunRequest request;
    request.databasePath = databasePath;
    request.newSpec = spec;
    launch(std::move(request), QString::fromStdString(spec.value("name", std::string())));
}

void StudyController::resume(const QString& databasePath, const QString& name,
                             std::optional<qint64> moreTrials) {
    RunRequest request;
    request.databasePath = databasePath;
    request.studyName = name;
    if (moreTrials)
        request.moreTrials = *moreTrials;
    launch(std::move(request), name);
}

void StudyController::launch(RunRequest request, const QString& name) {
    if (m_running) {
        emit studyFailed(QStringLiteral("Study '%1' is still running; pause or stop it first.")
                             .arg(m_runningStudy));
        return;
    }
    m_running = true;
    m_runningStudy = name;
    emit runningChanged(true);
    m_worker->clearStopRequest();
    StudyWorker* worker = m_worker;
    QMetaObject::invokeMethod(
        m_worker, [worker, request = std::move(request)] { worker->run(request); },
        Qt::QueuedConnection);
}

void StudyController::pause() {
    if (!m_running || m_pausing)
        return;
    m_worker->requestStop(StopMode::Pause);
    m_pausing = true;
    emit pausingChanged(true);
}

void StudyController::pauseNow() {
    if (m_running)
        m_worker->requestStop(StopMode::PauseNow);
}

void StudyController::stop() {
    if (m_running)
        m_worker->requestStop(StopMode::StopNow);
}

void StudyController::setIdle() {
    m_running = false;
    if (m_pausing) {
        m_pausing = false;
        emit pausingChanged(false);
    }
    m_runningStudy.clear();
    emit runningChanged(false);
}

}  // namespace bonsai::ui

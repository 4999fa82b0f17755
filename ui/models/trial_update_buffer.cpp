#include "models/trial_update_buffer.h"

namespace bonsai::ui {

TrialUpdateBuffer::TrialUpdateBuffer(int intervalMs, QObject* parent) : QObject(parent) {
    m_timer.setInterval(intervalMs);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &TrialUpdateBuffer::flush);
}

void TrialUpdateBuffer::add(const Trial& trial) {
    m_pending[trial.number] = trial;
    if (!m_timer.isActive())
        m_timer.start();
}

void TrialUpdateBuffer::flush() {
    m_timer.stop();
    if (m_pending.empty())
        return;
    std::vector<Trial> batch;
    batch.reserve(m_pending.size());
    for (auto& [number, trial] : m_pending)
        batch.push_back(std::move(trial));
    m_pending.clear();
    emit flushed(batch);
}

void TrialUpdateBuffer::discard() {
    m_timer.stop();
    m_pending.clear();
}

}  // namespace bonsai::ui

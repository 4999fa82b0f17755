#include "study/trial_pool.h"

namespace bonsai {

TrialPool::TrialPool(int threads) {
    m_threads.reserve(static_cast<std::size_t>(std::max(0, threads)));
    for (int t = 0; t < threads; ++t)
        m_threads.emplace_back([this] { work(); });
}

TrialPool::~TrialPool() {
    {
        std::lock_guard lock(m_mutex);
        m_closing = true;
    }
    m_ready.notify_all();
    for (std::thread& thread : m_threads)
        thread.join();
}

void TrialPool::submit(Job job) {
    if (m_threads.empty()) {
        runGuarded(job);
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(job));
    }
    m_ready.notify_one();
}

std::exception_ptr TrialPool::firstError() const {
    std::lock_guard lock(m_mutex);
    return m_error;
}

void TrialPool::work() {
    std::unique_lock lock(m_mutex);
    while (true) {
        m_ready.wait(lock, [&] { return m_closing || !m_jobs.empty(); });
        if (m_jobs.empty())
            return;  // closing, and every queued job has run
        Job job = std::move(m_jobs.front());
        m_jobs.pop_front();
        lock.unlock();
        runGuarded(job);
        lock.lock();
    }
}

void TrialPool::runGuarded(Job& job) {
    try {
        job();
    } catch (...) {
        std::lock_guard lock(m_mutex);
        if (!m_error)
            m_error = std::current_exception();
    }
}

}  // namespace bonsai

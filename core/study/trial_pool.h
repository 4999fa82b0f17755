#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace bonsai {

// The threads that evaluate a study's trials: a fixed set of threads taking
// jobs in the order they were submitted, or, with no threads, each job run at
// once on the thread that submits it (a single-worker study keeps its trial on
// the caller's thread, which objectives with process-wide state rely on).
//
// An exception that leaves a job never ends the process: the pool keeps the
// first one for its owner (firstError), and the next jobs still run. The
// destructor lets the queued jobs run, then joins every thread, so an owner
// unwinding from an error never leaves a thread running against freed state.
class TrialPool {
  public:
    using Job = std::function<void()>;

    explicit TrialPool(int threads);
    ~TrialPool();
    TrialPool(const TrialPool&) = delete;
    TrialPool& operator=(const TrialPool&) = delete;

    int threadCount() const { return static_cast<int>(m_threads.size()); }

    // Queues `job` (or, with no threads, runs it before returning).
    void submit(Job job);

    // The first exception a job let escape; null while there was none.
    std::exception_ptr firstError() const;

  private:
    void work();
    void runGuarded(Job& job);

    mutable std::mutex m_mutex;
    std::condition_variable m_ready;
    std::deque<Job> m_jobs;
    bool m_closing = false;
    std::exception_ptr m_error;
    std::vector<std::thread> m_threads;
};

}  // namespace bonsai

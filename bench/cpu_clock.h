#pragma once

#include <time.h>

namespace bonsai::bench {

// Process CPU seconds. The GP work is single-threaded, so on an idle machine
// this equals the wall time, and on a shared one it is what the work costs
// rather than how long it waited for a core.
inline double cpuSeconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// CPU seconds of the calling thread only (e.g. the GUI thread's share of a
// live update, without the worker threads' fits).
inline double threadCpuSeconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

}  // namespace bonsai::bench

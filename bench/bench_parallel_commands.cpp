// Parallel trials: a study of sleep-based `command` trials with 1, 2, 4 and 8
// workers. Each trial's program sleeps a fixed time, so N workers should
// finish about N times faster; the figure also shows the per-trial overhead
// (process start, protocol, SQLite commits) against the ideal.
//
//   bench-parallel-commands [trials=16] [sleep_seconds=0.5] [strategy=random]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "study/study.h"

using namespace bonsai;

namespace {

using Clock = std::chrono::steady_clock;

Json sleepStudy(int workers, int trials, double sleepSeconds, const std::string& strategy) {
    const std::string script = "sleep " + std::to_string(sleepSeconds) +
                               "; echo '{\"step\": 1, \"value\": {x}}'; echo {x}";
    return {{"name", "sleep-" + std::to_string(workers)},
            {"space", {{{"name", "x"}, {"type", "float"}, {"low", 0}, {"high", 1}}}},
            {"objective", {{"kind", "command"}, {"argv", {"sh", "-c", script}}}},
            {"strategy", {{"kind", strategy}}},
            {"budget", {{"trials", trials}}},
            {"workers", workers}};
}

}  // namespace

int main(int argc, char** argv) {
    const int trials = argc > 1 ? std::atoi(argv[1]) : 16;
    const double sleepSeconds = argc > 2 ? std::atof(argv[2]) : 0.5;
    const std::string strategy = argc > 3 ? argv[3] : "random";
    const auto dbPath = std::filesystem::temp_directory_path() / "bonsai-bench-parallel.db";
    std::filesystem::remove(dbPath);
    Database database(dbPath.string());
    ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();

    std::printf("%d trials of `sleep %.2f` (%s), on-disk SQLite\n", trials, sleepSeconds,
                strategy.c_str());
    std::printf("%8s %10s %9s %9s %8s\n", "workers", "seconds", "ideal", "speed-up", "failed");
    double serialSeconds = 0.0;
    for (int workers : {1, 2, 4, 8}) {
        Study study = Study::create(
            database,
            parseStudySpec(sleepStudy(workers, trials, sleepSeconds, strategy), objectives),
            objectives);
        std::atomic<bool> stop{false};
        const auto started = Clock::now();
        study.run(stop);
        const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
        if (workers == 1)
            serialSeconds = seconds;
        int failed = 0;
        for (const Trial& trial : study.trials())
            failed += trial.state != TrialState::Complete;
        const double ideal = sleepSeconds * ((trials + workers - 1) / workers);
        std::printf("%8d %10.2f %9.2f %8.2fx %8d\n", workers, seconds, ideal,
                    serialSeconds / seconds, failed);
    }
    std::filesystem::remove(dbPath);
    return 0;
}

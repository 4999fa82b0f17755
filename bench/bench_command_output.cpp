// What a command objective's output costs the study (README, "Reliability"):
//   1. plain log lines: MB/s read from one trial's stdout (`yes` writes far
//      faster than we read, so this is our reading speed);
//   2. step reports: seconds for one trial that prints N {"step", "value"}
//      lines, stored in a database file (one commit each, or batched).
//
//   bench-command-output [megabytes=100] [reports=100000]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "study/study.h"

using namespace bonsai;

namespace {

using Clock = std::chrono::steady_clock;

Json commandStudy(const std::string& name, const std::string& script, const std::string& runs) {
    return {
        {"name", name},
        {"space", {{{"name", "x"}, {"type", "float"}, {"low", 0}, {"high", 1}}}},
        {"objective", {{"kind", "command"}, {"argv", {"sh", "-c", script}}, {"runs_dir", runs}}},
        {"budget", {{"trials", 1}}}};
}

// Seconds to run the one-trial study; exits if the trial did not complete.
double runStudy(Database& db, const Json& json, std::size_t expectedReports) {
    ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
    Study study = Study::create(db, parseStudySpec(json, objectives), objectives);
    std::atomic<bool> stop{false};
    const auto started = Clock::now();
    study.run(stop);
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    std::vector<Trial> trials = db.loadTrials(study.id());
    if (trials.size() != 1 || trials[0].state != TrialState::Complete ||
        trials[0].intermediate.size() != expectedReports) {
        std::fprintf(stderr, "bench-command-output: the trial did not complete as expected (%s)\n",
                     trials.empty() ? "no trial" : trials[0].error.c_str());
        std::exit(1);
    }
    return seconds;
}

}  // namespace

int main(int argc, char** argv) {
    const long megabytes = argc > 1 ? std::atol(argv[1]) : 100;
    const long reports = argc > 2 ? std::atol(argv[2]) : 100000;
    const auto dir = std::filesystem::temp_directory_path() /
                     ("bonsai-bench-output-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string runs = (dir / "runs").string();

    {
        Database db(":memory:");
        const std::string line = "epoch 3 batch 1200/5000 loss 0.482913 acc 0.8731 lr 1e-3 12.1 ms";
        const std::string script = "yes '" + line + "' | head -c " +
                                   std::to_string(megabytes * 1000000) + "; echo; echo 0.5";
        const double seconds = runStudy(db, commandStudy("logs", script, runs), 0);
        std::printf("plain log lines: %ld MB in %.2f s = %.0f MB/s\n", megabytes, seconds,
                    static_cast<double>(megabytes) / seconds);
    }
    {
        Database db((dir / "reports.db").string());
        const std::string script = "awk 'BEGIN { for (i = 1; i <= " + std::to_string(reports) +
                                   "; i++) printf \"{\\\"step\\\": %d, \\\"value\\\": %g}\\n\", "
                                   "i, 1.0 / i }'; echo 0.5";
        const double seconds =
            runStudy(db, commandStudy("reports", script, runs), static_cast<std::size_t>(reports));
        std::printf("step reports: %ld in %.2f s = %.0f reports/s (database file)\n", reports,
                    seconds, static_cast<double>(reports) / seconds);
    }
    std::filesystem::remove_all(dir);
    return 0;
}

// Per-trial cost as a study grows: a trivial objective (Branin, no delay) with
// the random and tpe strategies, on-disk SQLite, one worker, and an observer
// that asks what `bonsai-cli run` prints after every trial (the best trial and
// the counted trials). It prints the cost of one trial in the window just
// before each milestone (1k, 3k, 10k, 30k trials), split into the strategy's
// own suggest time (stored as the trial attribute suggest_seconds) and the
// rest, the engine's overhead. The overhead should stay flat as n grows; a
// strategy's model may cost more with more data (tpe's density over all trials).
// The last column is the process's CPU time per trial, steadier than the wall
// clock when other programs load the machine.
//
//   bench-study-overhead [trials=30000] [strategies=random,tpe] [workers=1]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "cpu_clock.h"
#include "study/study.h"

using namespace bonsai;

namespace {

using Clock = std::chrono::steady_clock;

Json overheadStudy(const std::string& strategy, int trials, int workers) {
    return {{"name", "overhead-" + strategy},
            {"space",
             {{{"name", "x1"}, {"type", "float"}, {"low", -5}, {"high", 10}},
              {{"name", "x2"}, {"type", "float"}, {"low", 0}, {"high", 15}}}},
            {"objective", {{"kind", "function"}, {"function", "branin"}}},
            {"strategy", {{"kind", strategy}}},
            {"budget", {{"trials", trials}}},
            {"workers", workers},
            {"seed", 1}};
}

// Records when each trial finished, and does per trial what the CLI's line
// printer does, so the figures include that cost.
class Recorder final : public StudyEvents {
  public:
    explicit Recorder(const Study& study) : m_study(study) {}
    void trialFinished(const Trial&) override {
        m_sink += m_study.countedTrials();
        if (auto best = m_study.best())
            m_sink += best->number;
        m_finished.push_back(Clock::now());
        m_cpu.push_back(bench::cpuSeconds());
    }
    const std::vector<Clock::time_point>& finished() const { return m_finished; }
    const std::vector<double>& cpu() const { return m_cpu; }

  private:
    const Study& m_study;
    std::vector<Clock::time_point> m_finished;
    std::vector<double> m_cpu;  // process CPU seconds at each finish
    std::int64_t m_sink = 0;    // keeps the calls from being optimized away
};

double ms(Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

int main(int argc, char** argv) {
    const int trials = argc > 1 ? std::atoi(argv[1]) : 30000;
    const std::string strategyList = argc > 2 ? argv[2] : "random,tpe";
    const int workers = argc > 3 ? std::atoi(argv[3]) : 1;
    if (trials < 1 || workers < 1) {
        std::fprintf(stderr, "usage: bench-study-overhead [trials>0] [strategies] [workers>0]\n");
        return 2;
    }
    const auto dir = std::filesystem::temp_directory_path() /
                     ("bonsai-bench-overhead-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();

    std::vector<int> milestones;
    for (int m : {1000, 3000, 10000, 30000, 100000})
        if (m <= trials)
            milestones.push_back(m);
    if (milestones.empty() || milestones.back() != trials)
        milestones.push_back(trials);

    std::printf(
        "Branin, no delay, %d worker(s), on-disk SQLite; ms per trial in the last 10%%\n"
        "of trials before each milestone (all = wall clock, suggest = strategy,\n"
        "overhead = all - suggest)\n",
        workers);
    std::istringstream strategies(strategyList);
    for (std::string strategy; std::getline(strategies, strategy, ',');) {
        Database database((dir / (strategy + ".db")).string());
        Study study = Study::create(
            database, parseStudySpec(overheadStudy(strategy, trials, workers), objectives),
            objectives);
        Recorder recorder(study);
        std::atomic<bool> stop{false};
        const auto started = Clock::now();
        study.run(stop, &recorder);
        const double total = ms(Clock::now() - started) / 1000.0;

        std::printf("\n%s: %d trials in %.1f s\n", strategy.c_str(), trials, total);
        std::printf("%8s %10s %10s %12s %10s\n", "trials", "all ms", "suggest ms", "overhead ms",
                    "cpu ms");
        const auto& finished = recorder.finished();
        const auto& stored = study.trials();
        for (int milestone : milestones) {
            if (milestone > static_cast<int>(finished.size()) || milestone < 2)
                break;
            // The window (from, milestone]: trials from..milestone-1 by index.
            const int from = std::max(1, milestone - std::max(1, milestone / 10));
            const int count = milestone - from;
            const double all = ms(finished[static_cast<std::size_t>(milestone - 1)] -
                                  finished[static_cast<std::size_t>(from - 1)]) /
                               count;
            double suggest = 0.0;
            for (int i = from; i < milestone; ++i)
                suggest += stored[static_cast<std::size_t>(i)].attrs.value("suggest_seconds", 0.0);
            suggest = suggest * 1000.0 / count;
            const double cpu = (recorder.cpu()[static_cast<std::size_t>(milestone - 1)] -
                                recorder.cpu()[static_cast<std::size_t>(from - 1)]) *
                               1000.0 / count;
            std::printf("%8d %10.3f %10.3f %12.3f %10.3f\n", milestone, all, suggest, all - suggest,
                        cpu);
        }
        std::fflush(stdout);
    }
    std::filesystem::remove_all(dir);
    return 0;
}

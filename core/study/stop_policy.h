#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "model/trial.h"
#include "study/spec.h"

namespace bonsai {

enum class StopReason { TrialBudget, TimeBudget, TargetReached, SpaceExhausted, StopRequested };
const char* stopReasonText(StopReason reason);

// What the stop decision looks at, read under the study's lock.
struct StudyProgress {
    std::int64_t countedTrials = 0;  // finished, not interrupted
    int runningTrials = 0;
    double simulatedSeconds = 0.0;    // summed over every trial
    std::optional<double> bestValue;  // nullopt: no complete (feasible) trial yet
};

// When one run of a study ends: a stop request, the trial budget, the time
// budget or the target. Time counts from the run's start (wall clock plus the
// simulated seconds trials add meanwhile), so a resumed study gets its
// `budget.seconds` again.
class StopPolicy {
  public:
    using Clock = std::chrono::steady_clock;

    // `trialBudget` overrides budget.trials (resume --trials); the simulated
    // seconds before the run are not this run's.
    StopPolicy(const Budget& budget, std::optional<std::int64_t> trialBudget, Direction direction,
               double simulatedAtStart, Clock::time_point started = Clock::now());

    // Why no new trial should start now; running trials count as if they
    // will use their share of the trial budget.
    std::optional<StopReason> reason(bool stopRequested, const StudyProgress& progress) const;

    // Whether the time budget is used; running trials are then stopped.
    bool timeUp(double simulatedSeconds) const;
    bool hasTimeBudget() const { return m_seconds.has_value(); }

  private:
    std::optional<std::int64_t> m_trials;
    std::optional<double> m_seconds;
    std::optional<double> m_target;
    Direction m_direction;
    double m_simulatedAtStart;
    Clock::time_point m_started;
};

}  // namespace bonsai

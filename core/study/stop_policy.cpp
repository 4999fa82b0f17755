#include "study/stop_policy.h"

namespace bonsai {

const char* stopReasonText(StopReason reason) {
    switch (reason) {
        case StopReason::TrialBudget:
            return "trial budget used";
        case StopReason::TimeBudget:
            return "time budget used";
        case StopReason::TargetReached:
            return "target reached";
        case StopReason::SpaceExhausted:
            return "search space exhausted";
        case StopReason::StopRequested:
            return "stopped by user";
    }
    return "";
}

StopPolicy::StopPolicy(const Budget& budget, std::optional<std::int64_t> trialBudget,
                       Direction direction, double simulatedAtStart, Clock::time_point started)
    : m_trials(trialBudget),
      m_seconds(budget.seconds),
      m_target(budget.target),
      m_direction(direction),
      m_simulatedAtStart(simulatedAtStart),
      m_started(started) {}

std::optional<StopReason> StopPolicy::reason(bool stopRequested,
                                             const StudyProgress& progress) const {
    if (stopRequested)
        return StopReason::StopRequested;
    if (m_trials && progress.countedTrials + progress.runningTrials >= *m_trials)
        return StopReason::TrialBudget;
    if (timeUp(progress.simulatedSeconds))
        return StopReason::TimeBudget;
    if (m_target && progress.bestValue && !isBetter(*m_target, *progress.bestValue, m_direction))
        return StopReason::TargetReached;
    return std::nullopt;
}

bool StopPolicy::timeUp(double simulatedSeconds) const {
    if (!m_seconds)
        return false;
    const std::chrono::duration<double> wall = Clock::now() - m_started;
    return wall.count() + simulatedSeconds - m_simulatedAtStart >= *m_seconds;
}

}  // namespace bonsai

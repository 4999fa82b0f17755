#include <algorithm>
#include <cmath>
#include <limits>

#include "pruners/builtin_pruners.h"

namespace bonsai {

namespace {

// Optuna's MedianPruner: once `startup_trials` trials are complete, a trial
// past `warmup_steps` is pruned when its best loss so far is worse than the
// median of the losses that complete trials reported at the same step (if at
// least `min_trials` of them reported there). Judged only at the first report
// of each `interval_steps` window after the warm-up.
class MedianPruner final : public Pruner {
  public:
    MedianPruner(std::int64_t startupTrials, std::int64_t warmupSteps, std::int64_t intervalSteps,
                 std::int64_t minTrials)
        : m_startupTrials(startupTrials),
          m_warmupSteps(warmupSteps),
          m_intervalSteps(intervalSteps),
          m_minTrials(minTrials) {}

    bool shouldPrune(const Trial& trial, std::span<const Trial> trials,
                     Direction direction) override {
        if (trial.intermediate.empty())
            return false;
        const std::int64_t step = trial.intermediate.back().first;
        if (step < m_warmupSteps || !firstInInterval(trial, step))
            return false;

        std::int64_t complete = 0;
        std::vector<double> atStep;
        for (const Trial& other : trials) {
            if (other.state != TrialState::Complete || other.number == trial.number)
                continue;
            ++complete;
            auto it =
                std::lower_bound(other.intermediate.begin(), other.intermediate.end(), step,
                                 [](const auto& point, std::int64_t s) { return point.first < s; });
            if (it != other.intermediate.end() && it->first == step && std::isfinite(it->second))
                atStep.push_back(toLoss(it->second, direction));
        }
        if (complete == 0 || complete < m_startupTrials)
            return false;
        if (static_cast<std::int64_t>(atStep.size()) < std::max<std::int64_t>(m_minTrials, 1))
            return false;

        double best = std::numeric_limits<double>::infinity();
        for (const auto& [s, value] : trial.intermediate)
            if (std::isfinite(value))
                best = std::min(best, toLoss(value, direction));
        return best > median(atStep);
    }

  private:
    // Whether `step` is the first report at or past its interval's start, so a
    // trial reporting every step is judged once per interval (Optuna's rule).
    bool firstInInterval(const Trial& trial, std::int64_t step) const {
        if (m_intervalSteps <= 1)
            return true;
        std::int64_t lowerPruningStep =
            (step - m_warmupSteps) / m_intervalSteps * m_intervalSteps + m_warmupSteps;
        std::int64_t previous = -1;
        for (const auto& point : trial.intermediate)
            if (point.first != step)
                previous = std::max(previous, point.first);
        return previous < lowerPruningStep;
    }

    static double median(std::vector<double> values) {
        std::sort(values.begin(), values.end());
        std::size_t n = values.size();
        return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    }

    std::int64_t m_startupTrials;
    std::int64_t m_warmupSteps;
    std::int64_t m_intervalSteps;
    std::int64_t m_minTrials;
};

}  // namespace

// {"kind": "median"} settings and defaults (Optuna's): startup_trials 5,
// warmup_steps 0, interval_steps 1, min_trials 1.
std::unique_ptr<Pruner> makeMedianPruner(JsonReader& settings) {
    auto atLeast = [&](const char* key, std::int64_t fallback, std::int64_t minimum) {
        std::int64_t value = settings.integerOr(key, fallback);
        if (value < minimum)
            settings.fail(key, "must be at least " + std::to_string(minimum) + " (got " +
                                   std::to_string(value) + ")");
        return value;
    };
    std::int64_t startup = atLeast("startup_trials", 5, 0);
    std::int64_t warmup = atLeast("warmup_steps", 0, 0);
    std::int64_t interval = atLeast("interval_steps", 1, 1);
    std::int64_t minTrials = atLeast("min_trials", 1, 1);
    return std::make_unique<MedianPruner>(startup, warmup, interval, minTrials);
}

}  // namespace bonsai

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

// {"kind": "median"}: the defaults are Optuna's MedianPruner's.
PrunerKind medianPrunerKind() {
    using S = SettingSpec;
    PrunerKind kind;
    kind.kind = "median";
    kind.summary =
        "Optuna's MedianPruner: past the warm-up, prunes a trial whose best value so "
        "far is worse than the median of complete trials at the same step";
    kind.factory = [](SettingsReader& settings) -> std::unique_ptr<Pruner> {
        return std::make_unique<MedianPruner>(
            settings.integer("startup_trials"), settings.integer("warmup_steps"),
            settings.integer("interval_steps"), settings.integer("min_trials"));
    };
    kind.settings = {
        S::integer("startup_trials", 5)
            .atLeast(0)
            .labelled("Startup trials")
            .documented("complete trials before any pruning"),
        S::integer("warmup_steps", 0)
            .atLeast(0)
            .labelled("Warm-up steps")
            .documented("steps of each trial before it can be pruned"),
        S::integer("interval_steps", 1)
            .atLeast(1)
            .labelled("Interval steps")
            .documented("steps between pruning checks"),
        S::integer("min_trials", 1)
            .atLeast(1)
            .labelled("Min trials")
            .documented("complete trials reported at a step before it is judged"),
    };
    return kind;
}

}  // namespace bonsai

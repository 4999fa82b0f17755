#include <algorithm>
#include <cmath>
#include <limits>

#include "pruners/builtin_pruners.h"

namespace bonsai {

namespace {

// Asynchronous successive halving (Li et al., "A System for Massively Parallel
// Hyperparameter Tuning", MLSys 2020), as Optuna's SuccessiveHalvingPruner.
// Rung k sits at step min_resource * reduction_factor^(min_early_stopping_rate + k).
// When a report reaches a rung, the trial continues only if its loss there is
// among the best 1/reduction_factor of every trial that reached the rung
// (running, complete, pruned or failed, itself included); while fewer than
// reduction_factor trials have reached it, only the best one continues.
//
// A trial's value at a rung is its report at the first step at or past the
// rung's step; the pruner must be asked after every report (as the engine's
// objectives do), since only the rungs that the latest report crossed are
// judged: a promotion is never revoked.
class AshaPruner final : public Pruner {
  public:
    AshaPruner(double minResource, double reductionFactor, std::int64_t minEarlyStoppingRate)
        : m_minResource(minResource),
          m_reductionFactor(reductionFactor),
          m_rate(minEarlyStoppingRate) {}

    bool shouldPrune(const Trial& trial, std::span<const Trial> trials,
                     Direction direction) override {
        const auto& curve = trial.intermediate;
        if (curve.empty())
            return false;
        const double step = static_cast<double>(curve.back().first);
        const double previous = curve.size() > 1
                                    ? static_cast<double>(curve[curve.size() - 2].first)
                                    : -std::numeric_limits<double>::infinity();
        const double value = curve.back().second;
        for (std::int64_t k = 0;; ++k) {
            double rung = rungStep(k);
            if (!(rung <= step))
                return false;  // also ends on overflow to inf
            if (rung <= previous)
                continue;  // judged at an earlier report
            if (!std::isfinite(value))
                return true;
            if (!promotable(toLoss(value, direction), rung, trial.number, trials, direction))
                return true;
        }
    }

  private:
    double rungStep(std::int64_t k) const {
        return m_minResource * std::pow(m_reductionFactor, static_cast<double>(m_rate + k));
    }

    bool promotable(double loss, double rung, int self, std::span<const Trial> trials,
                    Direction direction) const {
        std::vector<double> competing{loss};
        for (const Trial& other : trials) {
            if (other.number == self)
                continue;
            for (const auto& [s, v] : other.intermediate) {
                if (static_cast<double>(s) < rung)
                    continue;
                if (std::isfinite(v))
                    competing.push_back(toLoss(v, direction));
                break;
            }
        }
        std::sort(competing.begin(), competing.end());
        auto keep =
            static_cast<std::size_t>(static_cast<double>(competing.size()) / m_reductionFactor);
        std::size_t index = keep == 0 ? 0 : keep - 1;
        return loss <= competing[index];
    }

    double m_minResource;
    double m_reductionFactor;
    std::int64_t m_rate;
};

}  // namespace

// {"kind": "asha"}: the defaults are Optuna's SuccessiveHalvingPruner's.
PrunerKind ashaPrunerKind() {
    using S = SettingSpec;
    PrunerKind kind;
    kind.kind = "asha";
    kind.summary =
        "asynchronous successive halving (Li et al. 2020), as Optuna's "
        "SuccessiveHalvingPruner";
    kind.factory = [](SettingsReader& settings) -> std::unique_ptr<Pruner> {
        return std::make_unique<AshaPruner>(settings.number("min_resource"),
                                            settings.number("reduction_factor"),
                                            settings.integer("min_early_stopping_rate"));
    };
    kind.settings = {
        S::number("min_resource", 1.0)
            .atLeast(0, true)
            .errorsAs("a step", ": the first rung is at this step")
            .labelled("Min resource")
            .documented("the first rung's step"),
        S::number("reduction_factor", 3.0)
            .atLeast(2)
            .errorsAs("", ": each rung keeps the best 1/reduction_factor of the trials")
            .labelled("Reduction factor")
            .documented("each rung keeps the best 1/reduction_factor of the trials"),
        S::integer("min_early_stopping_rate", 0)
            .between(0, 60)
            .labelled("Min early-stopping rate")
            .documented("skips the first rungs"),
    };
    return kind;
}

}  // namespace bonsai

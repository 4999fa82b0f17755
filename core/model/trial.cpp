#include "model/trial.h"

#include <chrono>
#include <cmath>
#include <limits>

namespace bonsai {

const char* trialStateName(TrialState state) {
    switch (state) {
        case TrialState::Running:
            return "running";
        case TrialState::Complete:
            return "complete";
        case TrialState::Pruned:
            return "pruned";
        case TrialState::Failed:
            return "failed";
    }
    return "unknown";
}

std::optional<TrialState> trialStateFromName(const std::string& name) {
    for (TrialState state :
         {TrialState::Running, TrialState::Complete, TrialState::Pruned, TrialState::Failed}) {
        if (name == trialStateName(state))
            return state;
    }
    return std::nullopt;
}

const char* directionName(Direction direction) {
    return direction == Direction::Maximize ? "maximize" : "minimize";
}

double nowSeconds() {
    // system_clock, not steady_clock: the value is stored and shown as a date.
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

std::optional<double> constrainedQuantity(const Trial& trial,
                                          std::span<const ObjectiveSpec> objectives,
                                          const std::string& name) {
    for (std::size_t i = 0; i < objectives.size() && i < trial.values.size(); ++i)
        if (objectives[i].name == name)
            return trial.values[i];
    auto it = trial.attrs.find(name);
    if (it == trial.attrs.end() || !it->is_number())
        return std::nullopt;
    return it->get<double>();
}

double constraintViolation(const Trial& trial, std::span<const ObjectiveSpec> objectives,
                           std::span<const ConstraintSpec> constraints) {
    double violation = 0.0;
    for (const ConstraintSpec& constraint : constraints) {
        std::optional<double> quantity = constrainedQuantity(trial, objectives, constraint.name);
        if (!quantity || std::isnan(*quantity))
            return std::numeric_limits<double>::infinity();
        if (constraint.min && *quantity < *constraint.min)
            violation += *constraint.min - *quantity;
        if (constraint.max && *quantity > *constraint.max)
            violation += *quantity - *constraint.max;
    }
    return violation;
}

std::optional<Trial> bestTrial(std::span<const Trial> trials, Direction direction) {
    const Trial* best = nullptr;
    for (const Trial& trial : trials) {
        if (trial.state != TrialState::Complete || !trial.value || !std::isfinite(*trial.value))
            continue;
        if (!best || isBetter(*trial.value, *best->value, direction))
            best = &trial;
    }
    if (!best)
        return std::nullopt;
    return *best;
}

}  // namespace bonsai

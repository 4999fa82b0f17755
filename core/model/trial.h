#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "space/param_value.h"

namespace bonsai {

enum class TrialState { Running, Complete, Pruned, Failed };
enum class Direction { Minimize, Maximize };

// One objective of a multi-objective study. Its value is the trial attribute
// called `name` (fashion-mnist's params/flops/latency_ms, a command's
// {"values": {...}}), or the objective's returned value when no such
// attribute exists.
struct ObjectiveSpec {
    std::string name;
    Direction direction = Direction::Minimize;
    // This objective's coordinate of the hypervolume reference point, in the
    // user's sense (e.g. 0.0 for a maximized accuracy); derived from the
    // trials when absent (deriveReferencePoint).
    std::optional<double> reference = std::nullopt;
};

// The objective kind an import writes (bonsai-cli import-optuna) in place of
// a runnable objective: the study shows, compares and exports like any other,
// but there is nothing to run, so it cannot be resumed.
inline constexpr const char* kImportedObjectiveKind = "imported";

// A bound on an objective value or trial attribute called `name`. Trials that
// break one are infeasible: shown as such and never reported as best.
struct ConstraintSpec {
    std::string name;
    std::optional<double> min;
    std::optional<double> max;
};

const char* trialStateName(TrialState state);  // "running", "complete", ...
std::optional<TrialState> trialStateFromName(const std::string& name);
const char* directionName(Direction direction);  // "minimize" / "maximize"

// One evaluation of the objective at one point of the space.
struct Trial {
    int number = 0;  // 0-based, unique within a study, in order of asking
    TrialState state = TrialState::Running;
    ParamMap params;              // active parameters only
    std::optional<double> value;  // as the objective reported it (user's sense)
    // Multi-objective studies: one value per StudySpec::objectives entry, in
    // that order and the user's sense; empty in single-objective studies.
    std::vector<double> values;
    std::vector<std::pair<std::int64_t, double>> intermediate;  // (step, value), steps ascending
    Json attrs = Json::object();  // e.g. test_acc, acquisition, gp hyperparameters
    double startedAt = 0.0;       // seconds since the Unix epoch
    std::optional<double> completedAt;
    std::string error;  // why a trial failed (or was pruned)

    bool finished() const { return state != TrialState::Running; }
    std::optional<double> durationSeconds() const {
        if (!completedAt)
            return std::nullopt;
        return *completedAt - startedAt;
    }
};

// The engine's single internal sense is *minimize*: strategies and pruners see
// losses, and the study converts at the edge.
inline double toLoss(double value, Direction direction) {
    return direction == Direction::Maximize ? -value : value;
}

// True if `a` is strictly better than `b` in the study's sense.
inline bool isBetter(double a, double b, Direction direction) {
    return direction == Direction::Maximize ? a > b : a < b;
}

double nowSeconds();

// Multi-objective helpers (study/trial.cpp).
// The value of objective `index` for a complete trial: values[index].
// The best complete trial in the study's direction (ties: the earliest).
std::optional<Trial> bestTrial(std::span<const Trial> trials, Direction direction);

// A constraint's quantity: the objective value of that name if there is one,
// else the trial attribute; nullopt if neither exists or it is not a number.
std::optional<double> constrainedQuantity(const Trial& trial,
                                          std::span<const ObjectiveSpec> objectives,
                                          const std::string& name);
// Sum of how far the trial is outside each bound (0 when feasible). A missing
// quantity counts as infinitely violated.
double constraintViolation(const Trial& trial, std::span<const ObjectiveSpec> objectives,
                           std::span<const ConstraintSpec> constraints);
inline bool isFeasible(const Trial& trial, std::span<const ObjectiveSpec> objectives,
                       std::span<const ConstraintSpec> constraints) {
    return constraintViolation(trial, objectives, constraints) == 0.0;
}

}  // namespace bonsai

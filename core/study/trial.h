#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "space/param_value.h"

namespace bonsai {

enum class TrialState { Running, Complete, Pruned, Failed };
enum class Direction { Minimize, Maximize };

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

}  // namespace bonsai

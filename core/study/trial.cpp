#include "study/trial.h"

#include <chrono>

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

}  // namespace bonsai

#include "strategies/loss_vectors.h"

#include <cmath>

namespace bonsai {

bool hasFiniteLosses(const SuggestContext& context, const Trial& trial) {
    if (trial.state != TrialState::Complete)
        return false;
    if (!context.multiObjective())
        return trial.value && std::isfinite(*trial.value);
    if (trial.values.size() != context.objectives.size())
        return false;
    for (double v : trial.values)
        if (!std::isfinite(v))
            return false;
    return true;
}

std::vector<const Trial*> scoredTrials(const SuggestContext& context) {
    std::vector<const Trial*> out;
    for (const Trial& trial : context.trials)
        if (hasFiniteLosses(context, trial))
            out.push_back(&trial);
    return out;
}

LossVector lossVector(const SuggestContext& context, const Trial& trial) {
    if (context.multiObjective())
        return context.losses(trial);
    return {context.loss(trial)};
}

}  // namespace bonsai

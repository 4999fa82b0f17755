#pragma once

#include <vector>

#include "multi/pareto.h"
#include "strategies/strategy.h"

// The trials a multi-objective strategy can learn from, and their losses as
// vectors: one coordinate per objective in a multi-objective study, the single
// loss otherwise, so the same code serves both kinds of study.
namespace bonsai {

// Whether a complete trial has a finite loss for every objective.
bool hasFiniteLosses(const SuggestContext& context, const Trial& trial);

// Complete trials with finite losses, in the order of context.trials.
std::vector<const Trial*> scoredTrials(const SuggestContext& context);

// The trial's losses (all minimized); requires hasFiniteLosses.
LossVector lossVector(const SuggestContext& context, const Trial& trial);

}  // namespace bonsai

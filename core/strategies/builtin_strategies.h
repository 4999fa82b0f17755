#pragma once

#include "strategies/strategy.h"

// The built-in strategy kinds, each described in its own file and listed in
// StrategyRegistry::builtins() (registry.cpp).
namespace bonsai {

StrategyKind randomStrategyKind();
StrategyKind sobolStrategyKind();
StrategyKind gridStrategyKind();
StrategyKind gpStrategyKind();
StrategyKind tpeStrategyKind();
StrategyKind evolutionStrategyKind();
StrategyKind nsga2StrategyKind();

}  // namespace bonsai

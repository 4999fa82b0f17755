#pragma once

#include <memory>

#include "strategies/strategy.h"

// Factories of the built-in strategies, registered by StrategyRegistry::builtins().
namespace bonsai {

std::unique_ptr<Strategy> makeRandomStrategy(JsonReader& settings, const SearchSpace& space);
std::unique_ptr<Strategy> makeSobolStrategy(JsonReader& settings, const SearchSpace& space);
std::unique_ptr<Strategy> makeGridStrategy(JsonReader& settings, const SearchSpace& space);
std::unique_ptr<Strategy> makeGpStrategy(JsonReader& settings, const SearchSpace& space);
std::unique_ptr<Strategy> makeTpeStrategy(JsonReader& settings, const SearchSpace& space);
std::unique_ptr<Strategy> makeEvolutionStrategy(JsonReader& settings, const SearchSpace& space);
std::unique_ptr<Strategy> makeNsga2Strategy(JsonReader& settings, const SearchSpace& space);

}  // namespace bonsai

#pragma once

#include <memory>

#include "objectives/objective.h"

// Factories of the objective kinds that live in bonsai_core.
namespace bonsai {

std::unique_ptr<Objective> makeFunctionObjective(JsonReader& settings, const SearchSpace& space);
std::unique_ptr<Objective> makeTabularObjective(JsonReader& settings, const SearchSpace& space);
std::unique_ptr<Objective> makeCommandObjective(JsonReader& settings, const SearchSpace& space);

}  // namespace bonsai

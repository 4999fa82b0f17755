#pragma once

#include <memory>

#include "pruners/pruner.h"

// Factories of the built-in pruners, registered by PrunerRegistry::builtins().
namespace bonsai {

std::unique_ptr<Pruner> makeMedianPruner(JsonReader& settings);
std::unique_ptr<Pruner> makeAshaPruner(JsonReader& settings);

}  // namespace bonsai

#pragma once

#include "pruners/pruner.h"

// The built-in pruner kinds, each described in its own file and listed in
// PrunerRegistry::builtins() (pruner_registry.cpp).
namespace bonsai {

PrunerKind medianPrunerKind();
PrunerKind ashaPrunerKind();

}  // namespace bonsai

#pragma once

#include <memory>

#include "pruners/pruner.h"

// Factories of the built-in pruners, registered by PrunerRegistry::builtins().
namespace bonsai {}  // namespace bonsai

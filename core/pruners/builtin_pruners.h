#pragma once

#include "pruners/pruner.h"

// The built-in pruner kinds: each is described in its own file,
// pruners/<name>_pruner.cpp, by `PrunerKind <name>PrunerKind()`. The build
// lists those files (core/CMakeLists.txt); pruner_registry.cpp registers
// every one, so a new pruner needs no line here.
namespace bonsai {

#define BONSAI_BUILTIN_KIND(describe) PrunerKind describe();
#include "pruners/builtin_pruner_list.inc"
#undef BONSAI_BUILTIN_KIND

}  // namespace bonsai

#pragma once

#include "strategies/strategy.h"

// The built-in strategy kinds: each is described in its own file,
// strategies/<name>_strategy.cpp, by `StrategyKind <name>StrategyKind()`.
// The build lists those files (core/CMakeLists.txt); registry.cpp registers
// every one, so a new strategy needs no line here.
namespace bonsai {

#define BONSAI_BUILTIN_KIND(describe) StrategyKind describe();
#include "strategies/builtin_strategy_list.inc"
#undef BONSAI_BUILTIN_KIND

}  // namespace bonsai

#include "strategies/builtin_strategies.h"

namespace bonsai {

const StrategyRegistry& StrategyRegistry::builtins() {
    static const StrategyRegistry registry = [] {
        StrategyRegistry r;
        // Every strategies/<name>_strategy.cpp, in file-name order.
#define BONSAI_BUILTIN_KIND(describe) r.add(describe());
#include "strategies/builtin_strategy_list.inc"
#undef BONSAI_BUILTIN_KIND
        return r;
    }();
    return registry;
}

}  // namespace bonsai

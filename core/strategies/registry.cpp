#include "strategies/builtin_strategies.h"

namespace bonsai {

const StrategyRegistry& StrategyRegistry::builtins() {
    static const StrategyRegistry registry = [] {
        StrategyRegistry r;
        for (StrategyKind (*describe)() :
             {randomStrategyKind, sobolStrategyKind, gridStrategyKind, gpStrategyKind,
              tpeStrategyKind, evolutionStrategyKind, nsga2StrategyKind})
            r.add(describe());
        return r;
    }();
    return registry;
}

}  // namespace bonsai

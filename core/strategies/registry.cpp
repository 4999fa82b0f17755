#include "strategies/builtin_strategies.h"

namespace bonsai {

const StrategyRegistry& StrategyRegistry::builtins() {
    static const StrategyRegistry registry = [] {
        StrategyRegistry r;
        r.add("random", makeRandomStrategy);
        r.add("sobol", makeSobolStrategy);
        r.add("grid", makeGridStrategy);
        r.add("gp", makeGpStrategy);
        r.add("tpe", makeTpeStrategy);
        r.add("evolution", makeEvolutionStrategy);
        r.add("nsga2", makeNsga2Strategy);
        return r;
    }();
    return registry;
}

}  // namespace bonsai

#include "common/objective_kinds.h"

#ifdef BONSAI_WITH_NAS
#include "nas/fashion_mnist_objective.h"
#endif

namespace bonsai::app {

ObjectiveRegistry objectiveRegistry() {
    ObjectiveRegistry registry = ObjectiveRegistry::withBuiltins();
#ifdef BONSAI_WITH_NAS
    registerNasObjectives(registry);
#endif
    return registry;
}

}  // namespace bonsai::app

// Kept apart from fashion_mnist_objective.cpp so that programs which build the
// objective directly (tests, benchmarks) need not link ObjectiveRegistry.
#include "nas/fashion_mnist_objective.h"

namespace bonsai {

void registerNasObjectives(ObjectiveRegistry& registry) {
    registry.add("fashion-mnist", makeFashionMnistObjective);
}

}  // namespace bonsai

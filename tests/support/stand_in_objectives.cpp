#include "support/stand_in_objectives.h"

#include <memory>

#include "objectives/fashion_mnist_space.h"

namespace bonsai::test {

namespace {

class StandInObjective : public Objective {
  public:
    double evaluate(const ParamMap&, TrialContext&) override { return 0.0; }
};

}  // namespace

ObjectiveRegistry withFashionMnistStandIn() {
    ObjectiveRegistry registry = ObjectiveRegistry::withBuiltins();
    registry.add("fashion-mnist", [](JsonReader& settings, const SearchSpace& space) {
        fashionMnistCellParam(space);  // refuses what the training would not read
        for (const auto& [key, value] : settings.json().items())
            settings.optionalValue(key);
        return std::make_unique<StandInObjective>();
    });
    return registry;
}

}  // namespace bonsai::test

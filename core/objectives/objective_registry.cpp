#include "objectives/builtin_objectives.h"

namespace bonsai {

ObjectiveRegistry ObjectiveRegistry::withBuiltins() {
    ObjectiveRegistry registry;
    registry.add("function", makeFunctionObjective);
    registry.add("tabular", makeTabularObjective);
    registry.add("command", makeCommandObjective);
    return registry;
}

std::unique_ptr<Objective> ObjectiveRegistry::create(const Json& spec, const SearchSpace& space,
                                                     const std::string& path) const {
    JsonReader settings(spec, path);
    const ObjectiveKind& kind = require(settings, "objective kind");
    auto objective = kind.factory(settings, space);
    settings.finish();
    return objective;
}

}  // namespace bonsai

#include "objectives/builtin_objectives.h"

#include "model/trial.h"

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
    if (spec.is_object() && spec.contains("kind") && spec["kind"] == kImportedObjectiveKind) {
        const Json& from = spec.contains("from") ? spec["from"] : Json("another tool");
        settings.fail("kind",
                      "'imported' marks a study copied from " +
                          (from.is_string() ? from.get<std::string>() : describeJson(from)) +
                          ", with no objective Bonsai can run: give a new study an "
                          "objective (known: " +
                          joinNames(kinds()) +
                          ") and list the imported study under warm_start.studies to "
                          "search on from its trials");
    }
    const ObjectiveKind& kind = require(settings, "objective kind");
    auto objective = kind.factory(settings, space);
    settings.finish();
    return objective;
}

}  // namespace bonsai

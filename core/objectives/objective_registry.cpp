#include "objectives/builtin_objectives.h"

namespace bonsai {

void ObjectiveRegistry::add(const std::string& kind, ObjectiveFactory factory) {
    m_factories[kind] = std::move(factory);
}

std::vector<std::string> ObjectiveRegistry::kinds() const {
    std::vector<std::string> out;
    for (const auto& [kind, factory] : m_factories)
        out.push_back(kind);
    return out;
}

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
    std::string kind = settings.requireString("kind");
    auto it = m_factories.find(kind);
    if (it == m_factories.end())
        settings.failUnknownName("kind", "objective kind", kind, kinds());
    auto objective = it->second(settings, space);
    settings.finish();
    return objective;
}

}  // namespace bonsai

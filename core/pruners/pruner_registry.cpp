#include "pruners/builtin_pruners.h"

namespace bonsai {

void PrunerRegistry::add(const std::string& kind, PrunerFactory factory) {
    m_factories[kind] = std::move(factory);
}

std::vector<std::string> PrunerRegistry::kinds() const {
    std::vector<std::string> out;
    for (const auto& [kind, factory] : m_factories)
        out.push_back(kind);
    return out;
}

const PrunerRegistry& PrunerRegistry::builtins() {
    static const PrunerRegistry registry = [] {
        PrunerRegistry r;
        r.add("none", [](JsonReader&) -> std::unique_ptr<Pruner> { return nullptr; });
        r.add("median", makeMedianPruner);
        r.add("asha", makeAshaPruner);
        return r;
    }();
    return registry;
}

std::unique_ptr<Pruner> PrunerRegistry::create(const Json& spec, const std::string& path) const {
    if (spec.is_null())
        return nullptr;
    JsonReader settings(spec, path);
    std::string kind = settings.requireString("kind");
    auto it = m_factories.find(kind);
    if (it == m_factories.end())
        settings.failUnknownName("kind", "pruner", kind, kinds());
    auto pruner = it->second(settings);
    settings.finish();
    return pruner;
}

}  // namespace bonsai

#include "pruners/builtin_pruners.h"

namespace bonsai {

const PrunerRegistry& PrunerRegistry::builtins() {
    static const PrunerRegistry registry = [] {
        PrunerRegistry r;
        PrunerKind none;
        none.kind = "none";
        none.summary = "no pruning (also: no `pruner` key)";
        none.factory = [](SettingsReader&) -> std::unique_ptr<Pruner> { return nullptr; };
        r.add(std::move(none));
        // Every pruners/<name>_pruner.cpp, in file-name order.
#define BONSAI_BUILTIN_KIND(describe) r.add(describe());
#include "pruners/builtin_pruner_list.inc"
#undef BONSAI_BUILTIN_KIND
        return r;
    }();
    return registry;
}

std::unique_ptr<Pruner> PrunerRegistry::create(const Json& spec, const std::string& path) const {
    if (spec.is_null())
        return nullptr;
    JsonReader json(spec, path);
    const PrunerKind& kind = require(json, "pruner");
    SettingsReader settings(json, kind.settings);
    auto pruner = kind.factory(settings);
    json.finish();
    return pruner;
}

std::string PrunerRegistry::markdown() const {
    std::string out = "| kind | what it does |\n|---|---|\n";
    for (const PrunerKind* kind : descriptions())
        out += "| `" + kind->kind + "` | " + kind->summary + " |\n";
    out += "\n" + settingsMarkdownHeader();
    for (const PrunerKind* kind : descriptions())
        out += settingsMarkdownRows(kind->kind, kind->settings);
    return out;
}

}  // namespace bonsai

// `bonsai-cli strategies` and `bonsai-cli pruners`: the kinds this build knows,
// read from their own descriptions. With --markdown, the README's tables
// (tests/core/tst_kind_registry.cpp checks that the README has them).
#include <cstdio>

#include "arguments.h"
#include "commands.h"
#include "pruners/pruner.h"
#include "strategies/strategy.h"

namespace bonsai::cli {

namespace {

template <class Kind>
void printPlain(const std::vector<const Kind*>& kinds) {
    for (const Kind* kind : kinds) {
        std::printf("%s: %s\n", kind->kind.c_str(), kind->summary.c_str());
        for (const SettingSpec& setting : kind->settings) {
            std::string range = setting.rangeDisplay();
            std::printf("  %-24s %-7s default %s%s%s  %s\n", setting.key.c_str(),
                        setting.typeName().c_str(), setting.defaultDisplay().c_str(),
                        range.empty() ? "" : ", ", range.c_str(), setting.doc.c_str());
        }
    }
}

// Plain text, or with --markdown the README's tables.
template <class Registry>
int listKinds(const std::vector<std::string>& rawArgs, const Registry& registry) {
    Arguments args(rawArgs, {}, {"markdown"});
    args.expectPositionals(0, "");
    if (args.flag("markdown"))
        std::fputs(registry.markdown().c_str(), stdout);
    else
        printPlain(registry.descriptions());
    return 0;
}

}  // namespace

int strategiesCommand(const std::vector<std::string>& args) {
    return listKinds(args, StrategyRegistry::builtins());
}

int prunersCommand(const std::vector<std::string>& args) {
    return listKinds(args, PrunerRegistry::builtins());
}

}  // namespace bonsai::cli

// `bonsai-cli strategies` and `bonsai-cli pruners`: the kinds this build knows,
// read from their own descriptions. With --markdown, the README's tables
// (tests/core/tst_kind_registry.cpp checks that the README has them).
#include <algorithm>
#include <cstdio>
#include <sstream>
#include <string>

#include "arguments.h"
#include "commands.h"
#include "pruners/pruner.h"
#include "strategies/strategy.h"

namespace bonsai::cli {

namespace {

// Characters as a terminal shows them: UTF-8 continuation bytes do not count.
std::size_t displayWidth(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

// `first` then `text`'s words, in lines of at most kWidth columns where the
// words allow; lines after the first start with `indent` spaces.
std::string wrapped(const std::string& first, const std::string& text, std::size_t indent) {
    constexpr std::size_t kWidth = 80;
    std::string out = first;
    std::size_t column = displayWidth(first);
    std::istringstream words(text);
    for (std::string word; words >> word;) {
        const bool lineStart = column == 0 || out.back() == ' ';
        if (!lineStart && column + 1 + displayWidth(word) > kWidth) {
            out += "\n" + std::string(indent, ' ');
            column = indent;
        } else if (!lineStart) {
            out += ' ';
            ++column;
        }
        out += word;
        column += displayWidth(word);
    }
    return out + "\n";
}

// Each kind with its summary, then each setting: name, type, default and
// range on one line, what it does below, wrapped for an 80-column terminal.
template <class Kind>
void printPlain(const std::vector<const Kind*>& kinds) {
    for (const Kind* kind : kinds) {
        std::fputs(wrapped(kind->kind + ": ", kind->summary, 4).c_str(), stdout);
        for (const SettingSpec& setting : kind->settings) {
            std::string range = setting.rangeDisplay();
            std::string facts = setting.typeName() + ", default " + setting.defaultDisplay() +
                                (range.empty() ? "" : "; " + range);
            std::fputs(wrapped("  " + setting.key + " ", "(" + facts + ")", 6).c_str(), stdout);
            std::fputs(wrapped("      ", setting.doc, 6).c_str(), stdout);
        }
        std::fputs("\n", stdout);
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

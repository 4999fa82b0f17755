#include "strategies/strategy.h"

#include <cmath>

namespace bonsai {

std::vector<const Trial*> SuggestContext::completed() const {
    std::vector<const Trial*> out;
    for (const Trial& trial : trials)
        if (trial.state == TrialState::Complete && trial.value && std::isfinite(*trial.value) &&
            (!multiObjective() || trial.values.size() == objectives.size()))
            out.push_back(&trial);
    return out;
}

std::vector<double> SuggestContext::losses(const Trial& trial) const {
    std::vector<double> out(trial.values.size());
    for (std::size_t i = 0; i < out.size() && i < objectives.size(); ++i)
        out[i] = toLoss(trial.values[i], objectives[i].direction);
    return out;
}

std::vector<const Trial*> SuggestContext::pending() const {
    std::vector<const Trial*> out;
    for (const Trial& trial : trials)
        if (trial.state == TrialState::Running)
            out.push_back(&trial);
    return out;
}

std::unique_ptr<Strategy> StrategyRegistry::create(const Json& spec, const SearchSpace& space,
                                                   const std::string& path) const {
    JsonReader json(spec, path);
    const StrategyKind& kind = require(json, "strategy");
    SettingsReader settings(json, kind.settings);
    auto strategy = kind.factory(settings, space);
    json.finish();
    return strategy;
}

std::string StrategyRegistry::markdown() const {
    auto yes = [](bool b) { return b ? "yes" : "—"; };
    std::string out =
        "| kind | what it does | several objectives | constraints | running trials | "
        "no repeats on finite spaces |\n|---|---|---|---|---|---|\n";
    for (const StrategyKind* kind : descriptions()) {
        const StrategyCapabilities& c = kind->capabilities;
        out += "| `" + kind->kind + "` | " + kind->summary + " | " + yes(c.multiObjective) + " | " +
               yes(c.constraints) + " | " + yes(c.pendingTrials) + " | " + yes(c.finiteSpaces) +
               " |\n";
    }
    out += "\n" + settingsMarkdownHeader();
    for (const StrategyKind* kind : descriptions())
        out += settingsMarkdownRows(kind->kind, kind->settings);
    return out;
}

}  // namespace bonsai

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

void StrategyRegistry::add(const std::string& kind, StrategyFactory factory) {
    m_factories[kind] = std::move(factory);
}

std::vector<std::string> StrategyRegistry::kinds() const {
    std::vector<std::string> out;
    for (const auto& [kind, factory] : m_factories)
        out.push_back(kind);
    return out;
}

std::unique_ptr<Strategy> StrategyRegistry::create(const Json& spec, const SearchSpace& space,
                                                   const std::string& path) const {
    JsonReader settings(spec, path);
    std::string kind = settings.requireString("kind");
    auto it = m_factories.find(kind);
    if (it == m_factories.end())
        settings.failUnknownName("kind", "strategy", kind, kinds());
    auto strategy = it->second(settings, space);
    settings.finish();
    return strategy;
}

}  // namespace bonsai

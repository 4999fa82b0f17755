#include "strategies/strategy.h"

#include <algorithm>
#include <cmath>
#include <map>

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

namespace {

// Values of one objective (index -1: the single `value`).
double valueOf(const Trial& trial, int objective) {
    return objective < 0 ? *trial.value : trial.values[static_cast<std::size_t>(objective)];
}
void setValue(Trial& trial, int objective, double value) {
    if (objective < 0 || objective == 0)
        trial.value = value;
    if (objective >= 0)
        trial.values[static_cast<std::size_t>(objective)] = value;
}

// Maps one source study's prior values onto this study's scale: an earlier
// study on a related task (another dataset, say) ranks points alike but its
// values sit elsewhere (CIFAR-10 accuracies near 85, CIFAR-100 near 60).
// Taken as is, every prior would outrank every trial of this study. The map
// v = a + b p is fitted on pairs (p, v) of a prior's value and this study's
// value at the same point (least squares when at least three pairs differ,
// b > 0; else a shift by the mean difference); without such pairs, a shift by
// the median difference to each own trial's nearest prior in the unit cube.
// Without own trials nothing is mapped (the priors alone are consistent).
void alignSource(const SuggestContext& context, std::vector<Trial>& storage,
                 const std::vector<std::size_t>& source, int objective) {
    std::vector<double> p, v, nearest;
    std::vector<Eigen::VectorXd> encoded;
    for (std::size_t index : source)
        encoded.push_back(context.space.encode(storage[index].params));
    for (const Trial* own : context.completed()) {
        if (objective >= 0 && own->values.size() <= static_cast<std::size_t>(objective))
            continue;
        const double value = valueOf(*own, objective);
        bool matched = false;
        for (std::size_t index : source)
            if (storage[index].params == own->params) {
                p.push_back(valueOf(storage[index], objective));
                v.push_back(value);
                matched = true;
                break;
            }
        if (matched || !p.empty())
            continue;
        const Eigen::VectorXd x = context.space.encode(own->params);
        double best = INFINITY;
        std::size_t closest = 0;
        for (std::size_t i = 0; i < encoded.size(); ++i)
            if (double d = (encoded[i] - x).squaredNorm(); d < best) {
                best = d;
                closest = i;
            }
        if (!encoded.empty())
            nearest.push_back(value - valueOf(storage[source[closest]], objective));
    }
    double a = 0.0, b = 1.0;
    if (!p.empty()) {
        const auto n = static_cast<double>(p.size());
        double mp = 0.0, mv = 0.0;
        for (std::size_t i = 0; i < p.size(); ++i) {
            mp += p[i] / n;
            mv += v[i] / n;
        }
        double spp = 0.0, spv = 0.0;
        for (std::size_t i = 0; i < p.size(); ++i) {
            spp += (p[i] - mp) * (p[i] - mp);
            spv += (p[i] - mp) * (v[i] - mv);
        }
        if (p.size() >= 3 && spp > 0.0 && spv > 0.0) {
            b = spv / spp;
            a = mv - b * mp;
        } else {
            a = mv - mp;
        }
    } else if (!nearest.empty()) {
        std::nth_element(nearest.begin(), nearest.begin() + nearest.size() / 2, nearest.end());
        a = nearest[nearest.size() / 2];
    } else {
        return;
    }
    for (std::size_t index : source)
        setValue(storage[index], objective, a + b * valueOf(storage[index], objective));
}

}  // namespace

SuggestContext SuggestContext::withPriors(std::vector<Trial>& storage) const {
    SuggestContext out = *this;
    out.priors = {};
    if (priors.empty())
        return out;
    storage.clear();
    storage.reserve(priors.size() + trials.size());
    storage.insert(storage.end(), priors.begin(), priors.end());
    // Each source study is mapped onto this study's scale on its own.
    std::map<std::string, std::vector<std::size_t>> sources;
    for (std::size_t i = 0; i < storage.size(); ++i) {
        const Json origin = storage[i].attrs.value("warm_start", Json::object());
        sources[origin.is_object() ? origin.value("study", std::string()) : std::string()]
            .push_back(i);
    }
    for (const auto& [study, indices] : sources) {
        if (multiObjective())
            for (int k = 0; k < static_cast<int>(objectives.size()); ++k)
                alignSource(*this, storage, indices, k);
        else
            alignSource(*this, storage, indices, -1);
    }
    storage.insert(storage.end(), trials.begin(), trials.end());
    out.trials = storage;
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

void StrategyRegistry::checkObjectives(const Json& spec, std::size_t objectives,
                                       const std::string& path) const {
    JsonReader json(spec, path);
    const StrategyKind& kind = require(json, "strategy");
    if (!kind.checkObjectives)
        return;
    SettingsReader settings(json, kind.settings);
    kind.checkObjectives(settings, objectives);
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

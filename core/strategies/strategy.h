#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/trial.h"
#include "space/search_space.h"
#include "util/json_reader.h"
#include "util/kind_registry.h"
#include "util/random.h"
#include "util/setting.h"

namespace bonsai {

// What a strategy sees when asked for the next point: the space, every trial
// so far (running ones are pending: parallel workers still evaluating them),
// the study's direction, and the study's random engine.
struct SuggestContext {
    const SearchSpace& space;
    std::span<const Trial> trials;
    Direction direction;
    Rng& rng;            // this trial's stream: mixSeed(seed, trial number)
    std::uint64_t seed;  // the study's seed, for choices that must stay fixed
                         // across trials (e.g. a Sobol scramble)
    // Multi-objective studies: the objectives (trial.values follow this
    // order); empty in a single-objective study. Constraints apply to both.
    std::span<const ObjectiveSpec> objectives = {};
    std::span<const ConstraintSpec> constraints = {};
    // The study's budget.trials, when it has one: strategies that plan in
    // stages (nsga2's generations) size them from it.
    std::optional<std::int64_t> budgetTrials = std::nullopt;
    // Prior observations (the spec's "warm_start"): complete trials of
    // earlier studies, numbered -N..-1, oldest first. They count toward no
    // budget and are not this study's trials. Strategies that learn from
    // history (gp, tpe, evolution, nsga2) read them through withPriors();
    // the space-filling ones (random, sobol, grid) ignore them.
    std::span<const Trial> priors = {};

    bool multiObjective() const { return objectives.size() > 1; }
    // A complete multi-objective trial's values as losses (all minimized).
    std::vector<double> losses(const Trial& trial) const;
    double violation(const Trial& trial) const {
        return constraintViolation(trial, objectives, constraints);
    }

    // Complete trials with a finite value.
    std::vector<const Trial*> completed() const;
    std::vector<const Trial*> pending() const;
    double loss(const Trial& trial) const { return toLoss(*trial.value, direction); }

    // This context with `trials` = priors followed by this study's trials
    // (copied into `storage` when there are priors) and no separate priors,
    // so a strategy treats the priors as its oldest history. Each source
    // study's prior values are first mapped onto this study's scale, fitted
    // on points both evaluated (see alignSource in strategy.cpp).
    SuggestContext withPriors(std::vector<Trial>& storage) const;
};

struct Suggestion {
    ParamMap params;
    Json attrs =
        Json::object();  // diagnostics stored with the trial (acquisition, hyperparameters)
};

// One sampling or optimization method. Strategies are stateless between calls
// apart from caches: everything they need is in the context, so a resumed
// study suggests exactly what an uninterrupted one would.
class Strategy {
  public:
    virtual ~Strategy() = default;
    // nullopt when the strategy has nothing left to propose (an exhausted grid).
    virtual std::optional<Suggestion> suggest(const SuggestContext& context) = 0;
};

// Creates a strategy from its settings (declared in its StrategyKind, so
// values arrive typed, defaulted and range-checked; cross-field checks throw
// SpecError through settings.fail()).
using StrategyFactory =
    std::function<std::unique_ptr<Strategy>(SettingsReader& settings, const SearchSpace& space)>;

// What a strategy can do; the spec, the form, the README and the conformance
// tests (tests/core/tst_strategy_conformance.cpp) read these.
struct StrategyCapabilities {
    // Optimizes several objectives (a spec with "objectives" may use it).
    bool multiObjective = false;
    // Steers toward points that satisfy the study's constraints.
    bool constraints = false;
    // Takes running trials into account, so parallel workers get different points.
    bool pendingTrials = false;
    // Never repeats a point of a finite space, and ends (suggests nothing)
    // once every point has been tried.
    bool finiteSpaces = false;
};

// A strategy kind, described once: its name in specs, a one-line summary,
// its factory, settings and capabilities.
struct StrategyKind {
    std::string kind;
    std::string summary;
    StrategyFactory factory;
    std::vector<SettingSpec> settings;
    StrategyCapabilities capabilities;
    // Optional: checks the settings against the study's number of objectives
    // (1 for a single objective), failing through settings.fail().
    std::function<void(SettingsReader& settings, std::size_t objectives)> checkObjectives;
};

// Name-keyed strategy kinds; an unknown kind is rejected with the list of known ones.
class StrategyRegistry : public KindRegistry<StrategyKind> {
  public:
    // The built-in strategies (builtin_strategies.h).
    static const StrategyRegistry& builtins();

    // `spec` is the "strategy" object; path is used in errors.
    std::unique_ptr<Strategy> create(const Json& spec, const SearchSpace& space,
                                     const std::string& path = "strategy") const;
    // The kind's checkObjectives, for a study of `objectives` objectives
    // (after create, which checked everything else).
    void checkObjectives(const Json& spec, std::size_t objectives,
                         const std::string& path = "strategy") const;
    // The README's tables (`bonsai-cli strategies --markdown`).
    std::string markdown() const;
};

}  // namespace bonsai

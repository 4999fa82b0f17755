#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/trial.h"
#include "space/search_space.h"
#include "util/json_reader.h"
#include "util/random.h"

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

// Creates a strategy from the spec's "strategy" object (already known to be an
// object); validates its settings and throws SpecError with exact paths.
using StrategyFactory =
    std::function<std::unique_ptr<Strategy>(JsonReader& settings, const SearchSpace& space)>;

// Name-keyed factory; an unknown kind is rejected with the list of known ones.
class StrategyRegistry {
  public:
    // The built-in strategies (random, sobol, grid, gp, tpe, evolution, ...).
    static const StrategyRegistry& builtins();

    void add(const std::string& kind, StrategyFactory factory);
    std::vector<std::string> kinds() const;
    // `spec` is the "strategy" object; path is used in errors.
    std::unique_ptr<Strategy> create(const Json& spec, const SearchSpace& space,
                                     const std::string& path = "strategy") const;

  private:
    std::map<std::string, StrategyFactory> m_factories;
};

}  // namespace bonsai

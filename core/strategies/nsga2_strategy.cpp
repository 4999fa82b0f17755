#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "strategies/builtin_strategies.h"
#include "strategies/loss_vectors.h"
#include "util/sobol.h"

namespace bonsai {

namespace {

// Ordinal coordinates with more levels than this are varied like continuous
// ones (SBX, polynomial mutation, snapped to their bins by decode); with fewer,
// a small real-coded step would rarely leave the bin, so they are varied like
// categoricals (uniform crossover, reset to another level).
constexpr std::int64_t kMaxResetLevels = 10;
// Children drawn before settling for one that repeats an earlier trial.
constexpr int kChildAttempts = 32;
// Uniform draws tried when every child repeats an earlier trial.
constexpr int kRandomAttempts = 1000;
// Population size without a setting or a trial budget (and the most a budget
// sizes it to).
constexpr std::int64_t kDefaultPopulation = 50;

// Defaults and ranges: nsga2StrategyKind() at the end of this file.
struct Nsga2Settings {
    // nullopt: sized from the study's trial budget (populationFor()).
    std::optional<std::int64_t> populationSize;
    double crossoverProb = 0.0;
    std::optional<double> mutationProb;  // default 1 / dimensions
    double eta = 0.0;                    // SBX distribution index (Deb et al. 2002)
    double mutationEta = 0.0;            // polynomial mutation distribution index
};

// One member of a population: a complete trial with its losses, its total
// constraint violation, and its place in the constrained non-dominated order.
struct Member {
    const Trial* trial = nullptr;
    LossVector losses;
    double violation = 0.0;
    int rank = 0;
    double crowding = 0.0;
};

// Deb's constrained non-dominated ranks and crowding distances, in place:
// feasible members are ranked by Pareto dominance; infeasible ones come after
// every feasible rank, ordered by violation (equal violations share a rank).
// Crowding distance is computed within each rank.
void rankAndCrowd(std::vector<Member>& members) {
    std::vector<std::size_t> feasible, infeasible;
    for (std::size_t i = 0; i < members.size(); ++i)
        (members[i].violation == 0.0 ? feasible : infeasible).push_back(i);

    std::vector<LossVector> points;
    for (std::size_t i : feasible)
        points.push_back(members[i].losses);
    std::vector<int> ranks = nonDominatedRanks(points);
    int next = 0;
    for (std::size_t k = 0; k < feasible.size(); ++k) {
        members[feasible[k]].rank = ranks[k];
        next = std::max(next, ranks[k] + 1);
    }
    std::stable_sort(infeasible.begin(), infeasible.end(), [&](std::size_t a, std::size_t b) {
        return members[a].violation < members[b].violation;
    });
    for (std::size_t k = 0; k < infeasible.size(); ++k) {
        if (k > 0 && members[infeasible[k]].violation > members[infeasible[k - 1]].violation)
            ++next;
        members[infeasible[k]].rank = next;
    }

    std::map<int, std::vector<std::size_t>> fronts;
    for (std::size_t i = 0; i < members.size(); ++i)
        fronts[members[i].rank].push_back(i);
    for (const auto& [rank, indices] : fronts) {
        std::vector<LossVector> front;
        for (std::size_t i : indices)
            front.push_back(members[i].losses);
        std::vector<double> distances = crowdingDistances(front);
        for (std::size_t k = 0; k < indices.size(); ++k)
            members[indices[k]].crowding = distances[k];
    }
}

// Elitist (mu + lambda) survival: whole fronts in rank order, the last one cut
// by decreasing crowding distance (ties to the older trial). The survivors are
// re-ranked among themselves, which is what the tournaments compare.
std::vector<Member> survivors(std::vector<Member> pool, std::size_t size) {
    rankAndCrowd(pool);
    std::sort(pool.begin(), pool.end(), [](const Member& a, const Member& b) {
        if (a.rank != b.rank)
            return a.rank < b.rank;
        if (a.crowding != b.crowding)
            return a.crowding > b.crowding;
        return a.trial->number < b.trial->number;
    });
    if (pool.size() > size)
        pool.resize(size);
    rankAndCrowd(pool);
    return pool;
}

// Deb's crowded tournament with constrained domination: lower violation, then
// lower rank, then larger crowding distance wins; a full tie keeps `a`.
const Member& tournamentWinner(const Member& a, const Member& b) {
    if (a.violation != b.violation)
        return a.violation < b.violation ? a : b;
    if (a.rank != b.rank)
        return a.rank < b.rank ? a : b;
    return b.crowding > a.crowding ? b : a;
}

std::string pointKey(const ParamMap& params) {
    return toJson(params).dump();
}

// NSGA-II (Deb, Pratap, Agarwal & Meyarivan, IEEE TEC 2002) over the trial
// list. Trials are grouped into generations of `population_size` by trial
// number; the next trial belongs to generation g = n / population_size.
//  - Generation 0: scrambled Sobol points.
//  - Survivors: P_0 = the complete trials of generation 0 cut to the best
//    population_size; P_k = best of P_{k-1} and generation k's complete
//    trials (elitist mu + lambda), by constrained domination, rank and crowding.
//  - A child of generation g: two parents by binary crowded tournament over
//    P_{g-1}; SBX crossover and polynomial mutation on continuous coordinates
//    of the unit cube, uniform crossover and random resets on categorical,
//    nb201-edge and few-level ordinal ones; decoded by the space, so
//    conditions are resolved as usual.
// Trials still running in the previous generation simply are not in P_{g-1}
// yet (steady-state with parallel workers). A child that repeats any earlier
// trial (running ones included) is redrawn. Single-objective studies work the
// same with one loss per trial.
class Nsga2Strategy final : public Strategy {
  public:
    Nsga2Strategy(const SearchSpace& space, Nsga2Settings settings)
        : m_space(space), m_settings(settings) {
        m_mutationProb =
            m_settings.mutationProb.value_or(1.0 / std::max(1, m_space.dimensionCount()));
    }

    std::optional<Suggestion> suggest(const SuggestContext& given) override {
        // Warm start: the priors are generation 0, the first population, so
        // this study's first trials are already its children.
        std::vector<Trial> history;
        const SuggestContext context = given.withPriors(history);
        const std::int64_t offset = given.priors.empty() ? 0 : 1;
        const auto n = static_cast<std::int64_t>(given.trials.size());
        const std::int64_t size = populationFor(given);
        const std::int64_t generation = n / size + offset;
        if (generation == 0)
            return initial(context, generation);
        std::vector<Member> parents = population(context, generation - 1, size, offset);
        if (parents.empty())
            return initial(context, generation);

        std::set<std::string> seen;
        for (const Trial& trial : context.trials)
            seen.insert(pointKey(trial.params));
        std::optional<Suggestion> child;
        for (int attempt = 0; attempt < kChildAttempts; ++attempt) {
            const Member& a = tournament(parents, context.rng);
            const Member& b = tournament(parents, context.rng);
            ParamMap params = m_space.decode(vary(a, b, context.rng));
            bool fresh = !seen.count(pointKey(params));
            child = Suggestion{
                std::move(params),
                {{"generation", generation}, {"parents", {a.trial->number, b.trial->number}}}};
            if (fresh)
                return child;
        }
        // The population has converged onto taken points (or variation is
        // switched off): an untaken uniform point keeps the study moving; a
        // finite space with every point taken gets the repeated child.
        for (int attempt = 0; attempt < kRandomAttempts; ++attempt) {
            Eigen::VectorXd unit(m_space.dimensionCount());
            for (int d = 0; d < unit.size(); ++d)
                unit[d] = uniform01(context.rng);
            ParamMap params = m_space.decode(unit);
            if (!seen.count(pointKey(params)))
                return Suggestion{std::move(params),
                                  {{"generation", generation}, {"design", "random"}}};
        }
        return child;
    }

  private:
    std::optional<Suggestion> initial(const SuggestContext& context,
                                      std::int64_t generation) const {
        SobolSequence sequence(m_space.dimensionCount(), context.seed);
        return Suggestion{m_space.decode(sequence.point(context.trials.size())),
                          {{"generation", generation}, {"design", "sobol"}}};
    }

    // The population size: population_size when given, else a tenth of the
    // study's trial budget within [10, 50] (50 without a trial budget), so a
    // 100-trial study runs ten generations instead of two: at 50 per
    // generation NSGA-II spends half such a budget on its initial design.
    std::int64_t populationFor(const SuggestContext& context) const {
        if (m_settings.populationSize)
            return *m_settings.populationSize;
        if (!context.budgetTrials)
            return kDefaultPopulation;
        return std::clamp<std::int64_t>(*context.budgetTrials / 10, 10, kDefaultPopulation);
    }

    // P_last: the survivors after generation `last` (see the class comment).
    // `offset` is 1 with a warm start: priors (numbered below 0) are
    // generation 0 and this study's trials start at generation 1.
    std::vector<Member> population(const SuggestContext& context, std::int64_t last,
                                   std::int64_t populationSize, std::int64_t offset) const {
        const auto size = static_cast<std::size_t>(populationSize);
        std::vector<std::vector<Member>> generations(static_cast<std::size_t>(last + 1));
        for (const Trial* trial : scoredTrials(context)) {
            if (trial->number < 0 && offset == 0)
                continue;
            std::int64_t g = trial->number < 0 ? 0 : trial->number / populationSize + offset;
            if (g > last)
                continue;
            try {
                (void)m_space.encode(trial->params);
            } catch (const std::exception&) {
                continue;  // parameters that no longer fit the space (an edited spec)
            }
            generations[static_cast<std::size_t>(g)].push_back(
                {trial, lossVector(context, *trial), context.violation(*trial)});
        }
        std::vector<Member> current;
        for (auto& offspring : generations) {
            current.insert(current.end(), offspring.begin(), offspring.end());
            current = survivors(std::move(current), size);
        }
        return current;
    }

    static const Member& tournament(const std::vector<Member>& population, Rng& rng) {
        const Member& a = population[rng() % population.size()];
        const Member& b = population[rng() % population.size()];
        return tournamentWinner(a, b);
    }

    // Parent coordinates in the cube; parameters inactive in the parent get
    // uniform coordinates, so any the child switches on start somewhere random
    // rather than at the imputed value.
    Eigen::VectorXd coordinates(const Member& parent, Rng& rng) const {
        Eigen::VectorXd unit = m_space.encode(parent.trial->params);
        const auto& params = m_space.params();
        for (std::size_t i = 0; i < params.size(); ++i) {
            if (parent.trial->params.count(params[i].name))
                continue;
            auto [first, count] = m_space.dimensionRange(i);
            for (int d = first; d < first + count; ++d)
                unit[d] = uniform01(rng);
        }
        return unit;
    }

    bool realCoded(const Dimension& dim) const {
        return dim.kind == DimensionKind::Continuous ||
               (dim.kind == DimensionKind::Ordinal && dim.levels > kMaxResetLevels);
    }

    // One child of a and b (one of SBX's two, chosen at random), mutated.
    Eigen::VectorXd vary(const Member& a, const Member& b, Rng& rng) const {
        Eigen::VectorXd x = coordinates(a, rng);
        Eigen::VectorXd y = coordinates(b, rng);
        const auto& dims = m_space.dimensions();
        if (uniform01(rng) < m_settings.crossoverProb) {
            for (int d = 0; d < x.size(); ++d) {
                // Each coordinate crosses with probability 1/2 (Deb's SBX code).
                if (uniform01(rng) >= 0.5)
                    continue;
                if (realCoded(dims[static_cast<std::size_t>(d)]))
                    simulatedBinaryCrossover(x[d], y[d], m_settings.eta, rng);
                else
                    std::swap(x[d], y[d]);
            }
        }
        Eigen::VectorXd child = uniform01(rng) < 0.5 ? x : y;
        for (int d = 0; d < child.size(); ++d) {
            if (uniform01(rng) >= m_mutationProb)
                continue;
            const Dimension& dim = dims[static_cast<std::size_t>(d)];
            if (realCoded(dim))
                child[d] = polynomialMutation(child[d], m_settings.mutationEta, rng);
            else
                child[d] = otherLevel(child[d], dim.levels, rng);
        }
        return child;
    }

    // Bounded SBX on [0, 1] (Deb & Agrawal 1995; the bounded form of Deb's
    // NSGA-II code): the children spread around the parents with a spread
    // factor whose density ~ beta^eta, truncated so that they stay in bounds.
    static void simulatedBinaryCrossover(double& x, double& y, double eta, Rng& rng) {
        if (std::fabs(x - y) <= 1e-14)
            return;
        const double y1 = std::min(x, y), y2 = std::max(x, y);
        const double u = uniform01(rng);
        auto spread = [&](double beta) {
            double alpha = 2.0 - std::pow(beta, -(eta + 1.0));
            return u <= 1.0 / alpha ? std::pow(u * alpha, 1.0 / (eta + 1.0))
                                    : std::pow(1.0 / (2.0 - u * alpha), 1.0 / (eta + 1.0));
        };
        double c1 = 0.5 * ((y1 + y2) - spread(1.0 + 2.0 * y1 / (y2 - y1)) * (y2 - y1));
        double c2 = 0.5 * ((y1 + y2) + spread(1.0 + 2.0 * (1.0 - y2) / (y2 - y1)) * (y2 - y1));
        c1 = std::clamp(c1, 0.0, 1.0);
        c2 = std::clamp(c2, 0.0, 1.0);
        if (uniform01(rng) < 0.5)
            std::swap(c1, c2);
        x = c1;
        y = c2;
    }

    // Deb's bounded polynomial mutation on [0, 1] (Deb & Goyal 1996, as in the
    // NSGA-II code): perturbations near an end shrink towards it.
    static double polynomialMutation(double x, double eta, Rng& rng) {
        const double u = uniform01(rng);
        const double power = 1.0 / (eta + 1.0);
        double delta;
        if (u < 0.5) {
            double value = 2.0 * u + (1.0 - 2.0 * u) * std::pow(1.0 - x, eta + 1.0);
            delta = std::pow(value, power) - 1.0;
        } else {
            double value = 2.0 * (1.0 - u) + 2.0 * (u - 0.5) * std::pow(x, eta + 1.0);
            delta = 1.0 - std::pow(value, power);
        }
        return std::clamp(x + delta, 0.0, 1.0);
    }

    // The centre of a uniformly chosen bin other than the one u falls in.
    static double otherLevel(double u, std::int64_t levels, Rng& rng) {
        if (levels < 2)
            return u;
        auto now = std::clamp<std::int64_t>(
            static_cast<std::int64_t>(std::floor(u * static_cast<double>(levels))), 0, levels - 1);
        auto other = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(levels - 1));
        if (other >= now)
            ++other;
        return (static_cast<double>(other) + 0.5) / static_cast<double>(levels);
    }

    const SearchSpace& m_space;
    Nsga2Settings m_settings;
    double m_mutationProb = 0.0;
};

}  // namespace

StrategyKind nsga2StrategyKind() {
    using S = SettingSpec;
    StrategyKind kind;
    kind.kind = "nsga2";
    kind.summary =
        "NSGA-II (Deb et al. 2002) for several objectives (one objective: ranks by "
        "the loss)";
    kind.factory = [](SettingsReader& settings,
                      const SearchSpace& space) -> std::unique_ptr<Strategy> {
        Nsga2Settings s;
        s.populationSize = settings.optionalInteger("population_size");
        s.crossoverProb = settings.number("crossover_prob");
        s.mutationProb = settings.optionalNumber("mutation_prob");
        s.eta = settings.number("eta");
        s.mutationEta = settings.number("mutation_eta");
        return std::make_unique<Nsga2Strategy>(space, s);
    };
    const std::string indexHint = "; 20 is usual, larger keeps children nearer their parents";
    kind.settings = {
        S::integer("population_size", std::nullopt)
            .between(2, 100000)
            .defaultShownAs("budget.trials / 10 in [10, 50]")
            .labelled("Population size")
            .documented("trials per generation, and survivors kept (50 without a trial budget)"),
        S::number("crossover_prob", 0.9)
            .between(0, 1)
            .errorsAs("a probability")
            .labelled("Crossover probability")
            .documented("chance that two parents are crossed at all"),
        S::number("mutation_prob", std::nullopt)
            .between(0, 1)
            .errorsAs("a probability")
            .defaultShownAs("1/d")
            .labelled("Mutation probability")
            .documented("chance that each encoded coordinate of the child mutates"),
        S::number("eta", 20.0)
            .between(0, 1000)
            .errorsAs("a number", indexHint)
            .labelled("Crossover eta")
            .documented("SBX distribution index (larger: children nearer their parents)"),
        S::number("mutation_eta", 20.0)
            .between(0, 1000)
            .errorsAs("a number", indexHint)
            .labelled("Mutation eta")
            .documented("polynomial mutation distribution index"),
    };
    kind.capabilities.multiObjective = true;
    kind.capabilities.constraints = true;
    // Children that repeat any earlier trial, running ones included, are redrawn.
    kind.capabilities.pendingTrials = true;
    return kind;
}

}  // namespace bonsai

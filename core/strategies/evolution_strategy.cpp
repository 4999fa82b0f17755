#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>

#include "space/nb201_cell.h"
#include "strategies/builtin_strategies.h"

namespace bonsai {

namespace {

// Width of a float's Gaussian mutation and of an ordinal's typical jump, as a
// fraction of the range (unit cube).
constexpr double kMutationSigma = 0.15;
// Mutations tried before settling for a child that was already evaluated: the
// first half change one parameter (an nb201 cell has 24 one-edge neighbours,
// so fresh ones are found while any is left), the rest change two, so a
// parent whose neighbours were all evaluated still yields a new point.
constexpr int kMutationAttempts = 64;
// Of those, the first draw a changed edge's operation from the best trials
// (guide_top); the rest uniformly, since the best trials' operations can
// run out of unevaluated children.
constexpr int kGuidedAttempts = 16;

// What "already evaluated" compares. With `sameFunction`, each nb201 cell is
// replaced by its functional form (Nb201Cell::functionalForm): cells that
// NAS-Bench-201 counts as one architecture compute the same function, so a
// child isomorphic to an earlier trial would spend a query relearning its
// result. On NAS-Bench-201 at 100 queries (seeds 0-299) that took the mean
// regret on cifar10 / cifar100 / imagenet16 from 0.224 / 0.396 / 0.620 to
// 0.205 / 0.322 / 0.604, and at 50 from 0.651 / 1.060 / 1.284 to
// 0.531 / 0.854 / 1.238 (README, search quality).
std::string pointKey(const SearchSpace& space, const ParamMap& params, bool sameFunction) {
    if (!sameFunction)
        return toJson(params).dump();
    ParamMap key = params;
    for (const ParamSpec& spec : space.params()) {
        auto it = key.find(spec.name);
        const auto* cell = it == key.end() ? nullptr : std::get_if<std::string>(&it->second);
        if (spec.type == ParamType::Nb201Cell && cell)
            it->second = Nb201Cell::parse(*cell).functionalForm().toString();
    }
    return toJson(key).dump();
}

// Reflects into [0, 1], so a mutation near an end neither sticks to it nor
// leaves the cube.
double reflectUnit(double u) {
    u = std::fmod(std::fabs(u), 2.0);
    return u > 1.0 ? 2.0 - u : u;
}

// Which operations the best trials hold on each edge of one nb201-cell
// parameter: what a changed edge draws its new operation from. Why: good
// cells share operations edge by edge (the studio's Operations view shows
// it), so a child that takes one of theirs is more often better than one
// that takes any of the four. On NAS-Bench-201 (chosen on seeds 10-509,
// checked on 510-1009) drawing from the best ten took the mean regret at
// 100 queries on cifar10 / cifar100 / imagenet16 from 0.082 / 0.101 / 0.418
// to 0.030 / 0.035 / 0.187, and at 50 from 0.507 / 0.864 / 1.43 to
// 0.454 / 0.649 / 1.13 (README, Evolution).
struct EdgeGuide {
    std::array<std::array<int, Nb201Cell::kOperations>, Nb201Cell::kEdges> counts{};

    // An operation for `edge` other than `current`, drawn in proportion to
    // how many of the best trials hold it there; uniform among the others
    // when every one of them holds `current`.
    int draw(std::size_t edge, int current, Rng& rng) const {
        const auto& onEdge = counts[edge];
        int total = 0;
        for (int op = 0; op < Nb201Cell::kOperations; ++op)
            if (op != current)
                total += onEdge[static_cast<std::size_t>(op)];
        if (total == 0) {
            int other = static_cast<int>(rng() % (Nb201Cell::kOperations - 1));
            return other >= current ? other + 1 : other;
        }
        auto pick = static_cast<int>(rng() % static_cast<std::uint64_t>(total));
        for (int op = 0; op < Nb201Cell::kOperations; ++op) {
            if (op == current)
                continue;
            pick -= onEdge[static_cast<std::size_t>(op)];
            if (pick < 0)
                return op;
        }
        return current == 0 ? 1 : 0;  // not reached: the counts sum to total
    }
};
using EdgeGuides = std::map<std::string, EdgeGuide>;  // by parameter name

// Regularized ("aging") evolution, Real et al., AAAI 2019: the population is
// the `population` most recent complete trials, so the oldest member dies each
// cycle whatever its fitness; a tournament of `sample_size` random members
// picks the best as parent, and the child is the parent with one parameter
// mutated. Until `population` trials are complete, points are uniform random.
//
// Each child stores `parent`, `mutated` (the names of the parameters changed)
// and, for an nb201 cell, `cell_change` ("edge 3←1", "swap 2←0, 3←0").
//
// Mutations: an nb201 cell changes one edge to a different operation (one the
// `guide_top` best complete trials hold on that edge, in proportion to how
// many hold it) or, in a share `swap_rate` of its mutations, swaps the
// operations of two edges; a
// categorical takes a different choice; an int or stepped float jumps at least
// one level (Gaussian, 15% of the range); a continuous float moves by a
// Gaussian of 15% of its range in the unit cube, reflected at the ends.
// Parameters that the mutation switches on are drawn uniformly at random.
class EvolutionStrategy final : public Strategy {
  public:
    EvolutionStrategy(const SearchSpace& space, std::int64_t population, std::int64_t sampleSize,
                      double swapRate, std::int64_t guideTop, bool sameFunction)
        : m_space(space),
          m_population(population),
          m_sampleSize(sampleSize),
          m_swapRate(swapRate),
          m_guideTop(guideTop),
          m_sameFunction(sameFunction) {}

    std::optional<Suggestion> suggest(const SuggestContext& given) override {
        std::vector<Trial> history;  // warm start: priors come first (oldest)
        const SuggestContext context = given.withPriors(history);
        std::vector<const Trial*> complete = context.completed();
        if (static_cast<std::int64_t>(complete.size()) < m_population)
            return random(context.rng);

        // completed() follows the study's order, which is trial-number order.
        std::sort(complete.begin(), complete.end(),
                  [](const Trial* a, const Trial* b) { return a->number < b->number; });
        std::vector<const Trial*> population(complete.end() - m_population, complete.end());
        // Tournament without replacement (partial Fisher-Yates).
        const Trial* parent = nullptr;
        for (std::int64_t i = 0; i < m_sampleSize; ++i) {
            auto j = i + static_cast<std::int64_t>(context.rng() %
                                                   static_cast<std::uint64_t>(m_population - i));
            std::swap(population[static_cast<std::size_t>(i)],
                      population[static_cast<std::size_t>(j)]);
            const Trial* member = population[static_cast<std::size_t>(i)];
            if (!parent || context.loss(*member) < context.loss(*parent))
                parent = member;
        }

        std::set<std::string> seen;
        for (const Trial& trial : context.trials)
            seen.insert(pointKey(m_space, trial.params, m_sameFunction));
        const EdgeGuides guides = edgeGuides(context, std::move(complete));
        const EdgeGuides unguided;
        std::optional<Mutation> child;
        for (int attempt = 0; attempt < kMutationAttempts && hasMutable(parent->params);
             ++attempt) {
            const EdgeGuides& drawFrom = attempt < kGuidedAttempts ? guides : unguided;
            auto candidate = mutate(parent->params, drawFrom, context.rng);
            if (!candidate)
                continue;
            if (attempt >= kMutationAttempts / 2 && hasMutable(candidate->params))
                if (auto twice = mutate(candidate->params, drawFrom, context.rng)) {
                    twice->names = candidate->names + "," + twice->names;
                    if (!candidate->cellChange.empty())
                        twice->cellChange = candidate->cellChange +
                                            (twice->cellChange.empty() ? "" : "; ") +
                                            twice->cellChange;
                    candidate = std::move(twice);
                }
            bool fresh = !seen.count(pointKey(m_space, candidate->params, m_sameFunction));
            child = std::move(candidate);
            if (fresh)
                break;
        }
        if (!child)
            return random(context.rng);
        Json attrs{{"parent", parent->number}, {"mutated", child->names}};
        if (!child->cellChange.empty())
            attrs["cell_change"] = child->cellChange;
        return Suggestion{std::move(child->params), std::move(attrs)};
    }

  private:
    // The operation counts of each nb201-cell parameter among the
    // `guide_top` best of `complete` (earlier trials first among equals);
    // empty when guide_top is 0 or the space has no cell, without sorting.
    EdgeGuides edgeGuides(const SuggestContext& context, std::vector<const Trial*> complete) const {
        EdgeGuides guides;
        const auto& params = m_space.params();
        const bool hasCell = std::any_of(params.begin(), params.end(), [](const ParamSpec& spec) {
            return spec.type == ParamType::Nb201Cell;
        });
        if (m_guideTop == 0 || !hasCell)
            return guides;
        const auto top = static_cast<std::size_t>(
            std::min<std::int64_t>(m_guideTop, static_cast<std::int64_t>(complete.size())));
        std::partial_sort(complete.begin(), complete.begin() + static_cast<std::ptrdiff_t>(top),
                          complete.end(), [&](const Trial* a, const Trial* b) {
                              const double la = context.loss(*a), lb = context.loss(*b);
                              return la != lb ? la < lb : a->number < b->number;
                          });
        for (const ParamSpec& spec : m_space.params()) {
            if (spec.type != ParamType::Nb201Cell)
                continue;
            EdgeGuide& guide = guides[spec.name];
            for (std::size_t i = 0; i < top; ++i) {
                auto it = complete[i]->params.find(spec.name);
                const auto* text = it == complete[i]->params.end()
                                       ? nullptr
                                       : std::get_if<std::string>(&it->second);
                if (!text)
                    continue;
                const Nb201Cell cell = Nb201Cell::parse(*text);
                for (std::size_t e = 0; e < Nb201Cell::kEdges; ++e)
                    ++guide.counts[e][static_cast<std::size_t>(cell.ops[e])];
            }
        }
        return guides;
    }

    std::optional<Suggestion> random(Rng& rng) const {
        Eigen::VectorXd unit(m_space.dimensionCount());
        for (int d = 0; d < unit.size(); ++d)
            unit[d] = uniform01(rng);
        return Suggestion{m_space.decode(unit), Json::object()};
    }

    // Active parameters of `parent` that have a second value to move to.
    std::vector<std::size_t> mutableParams(const ParamMap& parent) const {
        std::vector<std::size_t> out;
        const auto& params = m_space.params();
        for (std::size_t i = 0; i < params.size(); ++i)
            if (parent.count(params[i].name) && params[i].levelCount().value_or(2) > 1)
                out.push_back(i);
        return out;
    }
    bool hasMutable(const ParamMap& parent) const { return !mutableParams(parent).empty(); }

    // A child: its parameters, the names of those mutated ("lr", or "lr,cell"
    // after a second mutation) and, for a cell, how its edges changed.
    struct Mutation {
        ParamMap params;
        std::string names;
        std::string cellChange;  // "edge 3←1" or "swap 2←0, 3←0"; empty for others
    };

    // The parent with one parameter changed, or nullopt when this draw left
    // the parent unchanged.
    std::optional<Mutation> mutate(const ParamMap& parent, const EdgeGuides& guides,
                                   Rng& rng) const {
        const auto& params = m_space.params();
        std::vector<std::size_t> mutable_ = mutableParams(parent);
        if (mutable_.empty())
            return std::nullopt;
        std::size_t index = mutable_[rng() % mutable_.size()];
        const ParamSpec& spec = params[index];
        const ParamValue& current = parent.at(spec.name);

        // Every parameter gets a value (the parent's, or a placeholder for an
        // inactive one) so encode() succeeds whatever the mutation switches on.
        ParamMap full = parent;
        for (const ParamSpec& p : params)
            if (!full.count(p.name))
                full[p.name] = placeholder(p);
        const int first = m_space.dimensionRange(index).first;
        Eigen::VectorXd unit;
        if (spec.type == ParamType::Float && !spec.step) {
            unit = m_space.encode(full);
            unit[first] = reflectUnit(unit[first] + kMutationSigma * normal(rng));
        } else {
            auto guide = guides.find(spec.name);
            full[spec.name] =
                mutatedValue(spec, current, guide == guides.end() ? nullptr : &guide->second, rng);
            unit = m_space.encode(full);
        }
        // Parameters inactive in the parent get fresh uniform coordinates, so
        // any the mutation switches on start somewhere random.
        for (std::size_t i = 0; i < params.size(); ++i) {
            if (parent.count(params[i].name))
                continue;
            auto [f, c] = m_space.dimensionRange(i);
            for (int d = f; d < f + c; ++d)
                unit[d] = uniform01(rng);
        }
        ParamMap child = m_space.decode(unit);
        // decode(encode(x)) may move a float by an ulp; untouched values stay exact.
        for (auto& [name, value] : child)
            if (name != spec.name && parent.count(name))
                value = parent.at(name);
        auto it = child.find(spec.name);
        if (it == child.end() || sameValue(it->second, current))
            return std::nullopt;
        std::string cellChange;
        if (spec.type == ParamType::Nb201Cell)
            cellChange = describeCellChange(Nb201Cell::parse(std::get<std::string>(current)),
                                            Nb201Cell::parse(std::get<std::string>(it->second)));
        return Mutation{std::move(child), spec.name, std::move(cellChange)};
    }

    // "edge 3←1" or "swap 2←0, 3←0": the edges a mutation changed, named as
    // the studio's edge columns are, so a trial says how it left its parent.
    static std::string describeCellChange(const Nb201Cell& from, const Nb201Cell& to) {
        std::string edges;
        int changed = 0;
        for (int e = 0; e < Nb201Cell::kEdges; ++e)
            if (from.ops[static_cast<std::size_t>(e)] != to.ops[static_cast<std::size_t>(e)])
                edges += (changed++ ? ", " : "") + Nb201Cell::edgeName(e);
        return (changed == 1 ? "edge " : "swap ") + edges;
    }

    // Swaps the operations of two edges that differ, drawn uniformly among such
    // pairs; false when every edge has the same operation. Why: a cell stuck
    // where no single edge change improves it is often one move from better
    // cells that hold the same operations on other edges (a skip connection on
    // 3<-0 rather than on 2<-0), which one-edge changes reach only through a
    // worse cell. On NAS-Bench-201 (seeds 10-1009), swapping in a quarter of
    // the mutations took the mean regret at 100 queries on cifar10 / cifar100
    // / imagenet16 from 0.225 / 0.369 / 0.681 to 0.091 / 0.118 / 0.411; at 50
    // it moved from 0.572 / 0.940 / 1.33 to 0.545 / 0.946 / 1.45 (bigger
    // steps refine a basin more slowly; README, Evolution).
    static bool swapTwoEdges(Nb201Cell& cell, Rng& rng) {
        std::vector<std::pair<std::size_t, std::size_t>> pairs;
        for (std::size_t a = 0; a < Nb201Cell::kEdges; ++a)
            for (std::size_t b = a + 1; b < Nb201Cell::kEdges; ++b)
                if (cell.ops[a] != cell.ops[b])
                    pairs.emplace_back(a, b);
        if (pairs.empty())
            return false;
        auto [a, b] = pairs[rng() % pairs.size()];
        std::swap(cell.ops[a], cell.ops[b]);
        return true;
    }

    static double normal(Rng& rng) { return std::normal_distribution<double>(0.0, 1.0)(rng); }

    static ParamValue placeholder(const ParamSpec& spec) {
        switch (spec.type) {
            case ParamType::Float:
                return spec.low;
            case ParamType::Int:
                return static_cast<std::int64_t>(spec.low);
            case ParamType::Categorical:
                return spec.choices.front();
            case ParamType::Nb201Cell:
                return Nb201Cell{}.toString();
        }
        return spec.low;
    }

    // `guide`: for an nb201 cell, the best trials' operations (null: uniform).
    ParamValue mutatedValue(const ParamSpec& spec, const ParamValue& current,
                            const EdgeGuide* guide, Rng& rng) const {
        if (spec.type == ParamType::Nb201Cell) {
            Nb201Cell cell = Nb201Cell::parse(std::get<std::string>(current));
            if (m_swapRate > 0.0 && uniform01(rng) < m_swapRate && swapTwoEdges(cell, rng))
                return cell.toString();
            auto edge = static_cast<std::size_t>(rng() % Nb201Cell::kEdges);
            static const EdgeGuide kUniform;  // no counts: draw() picks uniformly
            cell.ops[edge] = (guide ? *guide : kUniform).draw(edge, cell.ops[edge], rng);
            return cell.toString();
        }
        if (spec.type == ParamType::Categorical) {
            std::size_t n = spec.choices.size(), now = 0;
            while (now < n && !sameValue(spec.choices[now], current))
                ++now;
            std::size_t other = static_cast<std::size_t>(rng() % (n - 1));
            return spec.choices[other >= now ? other + 1 : other];
        }
        // Ordinal: level k of L, jump at least one level.
        const std::int64_t levels = *spec.levelCount();
        const double step = spec.type == ParamType::Int && spec.log ? 1.0 : spec.step.value_or(1.0);
        const double x = *numericValue(current);
        const auto k = std::clamp<std::int64_t>(std::llround((x - spec.low) / step), 0, levels - 1);
        double spread = kMutationSigma * static_cast<double>(levels - 1);
        auto jump = 1 + static_cast<std::int64_t>(std::floor(std::fabs(spread * normal(rng))));
        int direction = k == 0 ? 1 : k == levels - 1 ? -1 : (rng() & 1 ? 1 : -1);
        std::int64_t next = std::clamp<std::int64_t>(k + direction * jump, 0, levels - 1);
        if (spec.type == ParamType::Int)
            return static_cast<std::int64_t>(spec.low) + next * static_cast<std::int64_t>(step);
        return std::min(spec.low + static_cast<double>(next) * step, spec.high);
    }

    const SearchSpace& m_space;
    std::int64_t m_population;
    std::int64_t m_sampleSize;
    double m_swapRate;        // share of nb201-cell mutations that swap two edges
    std::int64_t m_guideTop;  // best trials whose operations a changed edge draws; 0: uniform
    bool m_sameFunction;      // isomorphic nb201 cells count as one point
};

}  // namespace

StrategyKind evolutionStrategyKind() {
    using S = SettingSpec;
    StrategyKind kind;
    kind.kind = "evolution";
    kind.summary = "regularized (\"aging\") evolution (Real et al. 2019)";
    kind.factory = [](SettingsReader& settings,
                      const SearchSpace& space) -> std::unique_ptr<Strategy> {
        std::int64_t population = settings.integer("population");
        std::int64_t sampleSize = settings.optionalInteger("sample_size").value_or(population);
        if (sampleSize < 1 || sampleSize > population)
            settings.fail("sample_size",
                          "must be between 1 and population = " + std::to_string(population) +
                              " (got " + std::to_string(sampleSize) + ")");
        const double swapRate = settings.number("swap_rate");
        const std::int64_t guideTop = settings.integer("guide_top");
        const bool sameFunction = settings.choice("isomorphic_cells") == "same";
        return std::make_unique<EvolutionStrategy>(space, population, sampleSize, swapRate,
                                                   guideTop, sameFunction);
    };
    // Population 20 with the whole population as tournament is greedier than
    // Real et al.'s 25 of 100, which suits the budgets of a few hundred trials
    // Bonsai studies run. On NAS-Bench-201 at 100 queries (bonsai-cli bench,
    // seeds 0-299) the mean regret on cifar10 / cifar100 / imagenet16 was
    // 0.224 / 0.396 / 0.620, against 0.291 / 0.430 / 0.682 with population 15
    // and Optuna's multivariate TPE's 0.320 / 0.546 / 0.862 (seeds 0-99).
    // Smaller tournaments, a Latin first population, a smaller first
    // population, edge-wise crossover and choosing exactly among unseen
    // neighbours did not beat it on all three (README, search quality).
    kind.settings = {
        S::integer("population", 20)
            .between(2, 100000)
            .labelled("Population")
            .documented("members: the most recent complete trials"),
        S::integer("sample_size", std::nullopt)
            .defaultShownAs("population")
            .labelled("Sample size")
            .documented("members drawn per tournament, 1 to `population`"),
        S::number("swap_rate", 0.25)
            .between(0.0, 1.0)
            .labelled("Edge swap rate")
            .documented("nb201-cell parameters: the share of mutations that swap the operations "
                        "of two edges instead of changing one edge's operation"),
        S::integer("guide_top", 10)
            .between(0, 100000)
            .labelled("Guide: best trials")
            .documented("nb201-cell parameters: a changed edge takes an operation that one of "
                        "the `guide_top` best complete trials holds on that edge, in proportion "
                        "to how many hold it (any other when all hold the parent's); 0 draws "
                        "uniformly among the other four"),
        S::choice("isomorphic_cells", {"same", "distinct"}, "same")
            .labelled("Isomorphic cells")
            .documented("nb201-cell parameters: `same` counts a child that computes the same "
                        "function as an earlier trial (NAS-Bench-201's isomorphism) as already "
                        "evaluated; `distinct` only an identical cell (for objectives such as a "
                        "latency, where unused operations still cost)"),
    };
    // Children that repeat any earlier trial, running ones included, are
    // redrawn while attempts remain.
    kind.capabilities.pendingTrials = true;
    return kind;
}

}  // namespace bonsai

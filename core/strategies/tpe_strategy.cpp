#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <optional>
#include <span>
#include <tuple>

#include "strategies/builtin_strategies.h"

namespace bonsai {

namespace {

constexpr double kLogSqrt2Pi = 0.91893853320467274;  // log(sqrt(2 pi))
constexpr double kNegInf = -std::numeric_limits<double>::infinity();
// Optuna's cap on the size of the "good" group and on the flat part of the weights.
constexpr std::int64_t kMaxBelow = 25;
// Most kernels in one mixture. Beyond this the older observations are merged
// into age buckets, each one kernel carrying the bucket's summed weight, so a
// suggestion costs the same at 30,000 trials as at 1,000 (issue 19.8). The
// ramp of the weights gives old observations little mass anyway.
constexpr std::size_t kMaxComponents = 1000;

double normalCdf(double z) {
    return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

double logSumExp(const std::vector<double>& terms) {
    double top = kNegInf;
    for (double t : terms)
        top = std::max(top, t);
    if (!std::isfinite(top))
        return top;
    double sum = 0.0;
    for (double t : terms)
        sum += std::exp(t - top);
    return top + std::log(sum);
}

// Defaults and ranges: tpeStrategyKind() at the end of this file.
struct TpeSettings {
    double gamma = 0.0;
    std::int64_t candidates = 0;
    double priorWeight = 0.0;
    std::int64_t startupTrials = 0;
    bool multivariate = false;
    bool considerEndpoints = false;
};

// One finished (or pending) trial as the estimators see it: its point of the
// unit cube and which coordinates were active. Encoded once per trial (see
// TpeHistory), as re-encoding the whole history for every suggestion made
// long studies slower with every trial (issue 19.8).
struct Observation {
    int number = 0;
    Eigen::VectorXd unit;
    std::vector<bool> active;  // per dimension
};

// A member of the good or the bad group: an observation and its mixture
// weight before normalization (the age ramp, or a merged bucket's sum).
struct Weighted {
    const Observation* obs;
    double weight = 1.0;
    int number = 0;  // obs->number, kept here to order a group without a look-up
};

// The kernels of one coordinate: one per component (observation), plus the
// prior as the last one.
struct DimensionKernels {
    std::vector<double> mu, sigma, logMass;  // numeric: truncated normals on [0, 1]
    Eigen::MatrixXd logProbs;                // categorical: components x levels
    std::vector<double> logWeights;          // univariate mode: this coordinate's mixture weights
};

// Optuna's default_weights: flat for the 25 most recent observations, a linear
// ramp down to 1/n for older ones, so a long study slowly forgets its start.
std::vector<double> observationWeights(std::size_t n) {
    std::vector<double> w(n, 1.0);
    if (n <= static_cast<std::size_t>(kMaxBelow))
        return w;
    std::size_t ramp = n - static_cast<std::size_t>(kMaxBelow);
    for (std::size_t i = 0; i < ramp; ++i) {
        double t = ramp == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(ramp - 1);
        w[i] = 1.0 / static_cast<double>(n) + t * (1.0 - 1.0 / static_cast<double>(n));
    }
    return w;
}

// Mixture weights (observations, then the prior last), normalized, as logs.
std::vector<double> logNormalized(std::vector<double> w, double priorWeight) {
    w.push_back(priorWeight);
    double total = 0.0;
    for (double x : w)
        total += x;
    for (double& x : w)
        x = std::log(x / total);
    return w;
}

// The observations' own weights and the prior.
std::vector<double> logMixtureWeights(const std::vector<Weighted>& obs, double priorWeight) {
    std::vector<double> w;
    w.reserve(obs.size() + 1);
    for (const Weighted& o : obs)
        w.push_back(o.weight);
    return logNormalized(std::move(w), priorWeight);
}

// Gives a group (oldest first) Optuna's age weights, then, above
// kMaxComponents, keeps the newest kMaxBelow as they are and merges the older
// ones into equal runs of consecutive observations: the newest of each run
// stays, carrying the run's summed weight. Returns whether it merged any.
bool weighAndThin(std::vector<Weighted>& group) {
    const std::vector<double> weights = observationWeights(group.size());
    for (std::size_t i = 0; i < group.size(); ++i)
        group[i].weight = weights[i];
    if (group.size() <= kMaxComponents)
        return false;
    const std::size_t flat = static_cast<std::size_t>(kMaxBelow);
    const std::size_t older = group.size() - flat, buckets = kMaxComponents - flat;
    std::vector<Weighted> thinned;
    thinned.reserve(kMaxComponents);
    for (std::size_t b = 0; b < buckets; ++b) {
        const std::size_t begin = b * older / buckets, end = (b + 1) * older / buckets;
        double weight = 0.0;
        for (std::size_t i = begin; i < end; ++i)
            weight += group[i].weight;
        thinned.push_back({group[end - 1].obs, weight, group[end - 1].number});
    }
    for (std::size_t i = older; i < group.size(); ++i)
        thinned.push_back(group[i]);
    group = std::move(thinned);
    return true;
}

// Optuna's weights for n observations (oldest first) and the prior, as logs.
std::vector<double> logRampWeights(std::size_t n, double priorWeight) {
    return logNormalized(observationWeights(n), priorWeight);
}

// The Parzen estimator of Bergstra et al. (2011) over the unit cube, with
// Optuna's choices: truncated Gaussian kernels on numeric coordinates (an
// ordinal value's density is its bin's mass), Aitchison-Aitken-like categorical
// kernels that mix the observed choice with the uniform prior, and one prior
// component (centre 0.5, width 1; uniform over choices).
//
// Multivariate (Falkner et al. 2018; Optuna's multivariate=True): component i
// is the product of the kernels of observation i, so samples keep the
// correlations of good points, and a coordinate inactive in observation i uses
// the prior there. Univariate: each coordinate is its own mixture over the
// observations in which it is active.
class ParzenEstimator {
  public:
    // `thinned`: obs carry merged weights (weighAndThin), which univariate
    // coordinates keep; else each coordinate ramps over its own observations.
    ParzenEstimator(const SearchSpace& space, const std::vector<Weighted>& obs,
                    const TpeSettings& settings, bool thinned)
        : m_space(space), m_multivariate(settings.multivariate) {
        const auto& dims = space.dimensions();
        const std::size_t n = obs.size();
        m_components = n + 1;
        m_logWeights = logMixtureWeights(obs, settings.priorWeight);
        for (std::size_t d = 0; d < dims.size(); ++d) {
            std::vector<std::size_t> members;  // observations active in d
            for (std::size_t i = 0; i < n; ++i)
                if (obs[i].obs->active[d])
                    members.push_back(i);
            DimensionKernels k;
            if (m_multivariate) {
                buildDimension(static_cast<int>(d), obs, members, n, settings, k);
            } else {
                std::vector<Weighted> sub;
                sub.reserve(members.size());
                for (std::size_t i : members)
                    sub.push_back(obs[i]);
                std::vector<std::size_t> all(sub.size());
                for (std::size_t i = 0; i < all.size(); ++i)
                    all[i] = i;
                buildDimension(static_cast<int>(d), sub, all, sub.size(), settings, k);
                k.logWeights = thinned ? logMixtureWeights(sub, settings.priorWeight)
                                       : logRampWeights(sub.size(), settings.priorWeight);
            }
            m_dims.push_back(std::move(k));
        }
    }

    // A joint draw: one component, then every coordinate from its kernel.
    Eigen::VectorXd sample(Rng& rng) const {
        std::size_t c = drawComponent(m_logWeights, rng);
        Eigen::VectorXd x(m_space.dimensionCount());
        for (int d = 0; d < x.size(); ++d)
            x[d] = sampleKernel(d, c, rng);
        return x;
    }

    // Univariate mode: a draw from coordinate d's own mixture.
    double sampleDimension(int d, Rng& rng) const {
        const auto& k = m_dims[static_cast<std::size_t>(d)];
        return sampleKernel(d, drawComponent(k.logWeights, rng), rng);
    }

    // log density at `x`, marginal over the coordinates `active` leaves out.
    double logDensity(const Eigen::VectorXd& x, const std::vector<bool>& active) const {
        std::vector<double> terms(m_components);
        for (std::size_t c = 0; c < m_components; ++c) {
            double t = m_logWeights[c];
            for (int d = 0; d < x.size(); ++d)
                if (active[static_cast<std::size_t>(d)])
                    t += logKernel(d, c, x[d]);
            terms[c] = t;
        }
        return logSumExp(terms);
    }

    double logDensityDimension(int d, double x) const {
        const auto& k = m_dims[static_cast<std::size_t>(d)];
        std::vector<double> terms(k.logWeights.size());
        for (std::size_t c = 0; c < terms.size(); ++c)
            terms[c] = k.logWeights[c] + logKernel(d, c, x);
        return logSumExp(terms);
    }

  private:
    // Kernels of coordinate d for observations obs[0..n) (members: those active
    // in d; the others get the prior) and the prior as component n.
    void buildDimension(int d, const std::vector<Weighted>& obs,
                        const std::vector<std::size_t>& members, std::size_t n,
                        const TpeSettings& settings, DimensionKernels& k) const {
        const Dimension& dim = m_space.dimensions()[static_cast<std::size_t>(d)];
        if (dim.kind == DimensionKind::Categorical) {
            const auto levels = static_cast<Eigen::Index>(dim.levels);
            // Optuna: each observed row is prior_weight / (n + 1) everywhere plus
            // 1 on the observed choice, normalized; the prior row is uniform.
            Eigen::MatrixXd probs =
                Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(n + 1), levels, 1.0);
            double base = settings.priorWeight / static_cast<double>(members.size() + 1);
            for (std::size_t i : members) {
                auto row = static_cast<Eigen::Index>(i);
                probs.row(row).setConstant(base);
                auto bin = static_cast<Eigen::Index>(
                    std::floor(obs[i].obs->unit[d] * static_cast<double>(levels)));
                probs(row, std::clamp<Eigen::Index>(bin, 0, levels - 1)) += 1.0;
            }
            for (Eigen::Index r = 0; r < probs.rows(); ++r)
                probs.row(r) /= probs.row(r).sum();
            k.logProbs = probs.array().log().matrix();
            return;
        }

        const std::size_t m = members.size();
        std::vector<double> mus(n + 1, 0.5), sigmas(n + 1, 1.0);
        for (std::size_t i : members)
            mus[i] = obs[i].obs->unit[d];
        if (m_multivariate) {
            // Scott-like rule of Optuna's multivariate TPE: 0.2 * n^(-1/(D + 4)).
            double sigma = 0.2 * std::pow(static_cast<double>(std::max<std::size_t>(m, 1)),
                                          -1.0 / (m_space.dimensionCount() + 4.0));
            for (std::size_t i : members)
                sigmas[i] = sigma;
        } else {
            neighbourBandwidths(obs, members, d, settings.considerEndpoints, sigmas);
        }
        // Optuna's magic clip: no kernel narrower than 1 / min(100, kernels + 1).
        double minSigma = 1.0 / std::min(100.0, 1.0 + static_cast<double>(m + 1));
        for (std::size_t i : members)
            sigmas[i] = std::clamp(sigmas[i], minSigma, 1.0);
        k.mu = std::move(mus);
        k.sigma = std::move(sigmas);
        k.logMass.resize(n + 1);
        for (std::size_t c = 0; c <= n; ++c)
            k.logMass[c] = std::log(normalCdf((1.0 - k.mu[c]) / k.sigma[c]) -
                                    normalCdf((0.0 - k.mu[c]) / k.sigma[c]));
    }

    // Hyperopt's rule (Optuna's univariate TPE): each kernel is as wide as the
    // larger gap to its sorted neighbours, the prior's centre counted as a point.
    static void neighbourBandwidths(const std::vector<Weighted>& obs,
                                    const std::vector<std::size_t>& members, int d,
                                    bool considerEndpoints, std::vector<double>& sigmas) {
        std::vector<std::pair<double, std::size_t>> sorted;  // (mu, observation or npos for prior)
        sorted.reserve(members.size() + 1);
        for (std::size_t i : members)
            sorted.emplace_back(obs[i].obs->unit[d], i);
        const std::size_t prior = std::numeric_limits<std::size_t>::max();
        sorted.emplace_back(0.5, prior);
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        std::vector<double> points{0.0};
        for (const auto& s : sorted)
            points.push_back(s.first);
        points.push_back(1.0);
        const std::size_t count = sorted.size();
        for (std::size_t j = 0; j < count; ++j) {
            double left = points[j + 1] - points[j], right = points[j + 2] - points[j + 1];
            double sigma = std::max(left, right);
            if (!considerEndpoints && points.size() >= 4) {
                if (j == 0)
                    sigma = points[2] - points[1];
                if (j + 1 == count)
                    sigma = points[count] - points[count - 1];
            }
            if (sorted[j].second != prior)
                sigmas[sorted[j].second] = sigma;
        }
    }

    static std::size_t drawComponent(const std::vector<double>& logWeights, Rng& rng) {
        double u = uniform01(rng), acc = 0.0;
        for (std::size_t c = 0; c < logWeights.size(); ++c) {
            acc += std::exp(logWeights[c]);
            if (u < acc)
                return c;
        }
        return logWeights.size() - 1;
    }

    double sampleKernel(int d, std::size_t c, Rng& rng) const {
        const Dimension& dim = m_space.dimensions()[static_cast<std::size_t>(d)];
        const auto& k = m_dims[static_cast<std::size_t>(d)];
        if (dim.kind == DimensionKind::Categorical) {
            double u = uniform01(rng), acc = 0.0;
            auto levels = k.logProbs.cols();
            for (Eigen::Index j = 0; j < levels; ++j) {
                acc += std::exp(k.logProbs(static_cast<Eigen::Index>(c), j));
                if (u < acc)
                    return (static_cast<double>(j) + 0.5) / static_cast<double>(levels);
            }
            return (static_cast<double>(levels) - 0.5) / static_cast<double>(levels);
        }
        // Rejection is cheap: mu lies in [0, 1], so at least a third of the
        // normal's mass falls inside the cube.
        std::normal_distribution<double> normal(k.mu[c], k.sigma[c]);
        for (int attempt = 0; attempt < 200; ++attempt) {
            double x = normal(rng);
            if (x >= 0.0 && x <= 1.0)
                return x;
        }
        return std::clamp(k.mu[c], 0.0, 1.0);
    }

    double logKernel(int d, std::size_t c, double x) const {
        const Dimension& dim = m_space.dimensions()[static_cast<std::size_t>(d)];
        const auto& k = m_dims[static_cast<std::size_t>(d)];
        if (dim.kind == DimensionKind::Categorical) {
            auto levels = k.logProbs.cols();
            auto bin = std::clamp<Eigen::Index>(
                static_cast<Eigen::Index>(std::floor(x * static_cast<double>(levels))), 0,
                levels - 1);
            return k.logProbs(static_cast<Eigen::Index>(c), bin);
        }
        double mu = k.mu[c], sigma = k.sigma[c];
        if (dim.kind == DimensionKind::Ordinal) {
            auto [lo, hi] = binEdges(d, x);
            double width = hi - lo;
            if (width > 1e-6 * sigma) {
                // Mass of the bin, computed on the tail nearer to it to avoid cancellation.
                double a = (lo - mu) / sigma, b = (hi - mu) / sigma;
                double mass = a > 0 ? normalCdf(-a) - normalCdf(-b) : normalCdf(b) - normalCdf(a);
                if (mass > 0)
                    return std::log(mass) - k.logMass[c];
            }
            // A bin far narrower than the kernel: its mass is density x width.
            double z = (0.5 * (lo + hi) - mu) / sigma;
            return -0.5 * z * z - kLogSqrt2Pi - std::log(sigma) +
                   std::log(std::max(width, 1e-300)) - k.logMass[c];
        }
        double z = (x - mu) / sigma;
        return -0.5 * z * z - kLogSqrt2Pi - std::log(sigma) - k.logMass[c];
    }

    // The unit-cube interval that decodes to the same ordinal value as `u`.
    std::pair<double, double> binEdges(int d, double u) const {
        const Dimension& dim = m_space.dimensions()[static_cast<std::size_t>(d)];
        const ParamSpec& spec = m_space.params()[dim.param];
        if (spec.type == ParamType::Int && spec.log) {
            // Log ints own [log(x - 0.5), log(x + 0.5)) of [log(low - 0.5), log(high + 0.5)].
            double a = std::log(spec.low - 0.5), b = std::log(spec.high + 0.5);
            double x = std::clamp(std::round(std::exp(a + std::clamp(u, 0.0, 1.0) * (b - a))),
                                  spec.low, spec.high);
            return {std::clamp((std::log(x - 0.5) - a) / (b - a), 0.0, 1.0),
                    std::clamp((std::log(x + 0.5) - a) / (b - a), 0.0, 1.0)};
        }
        auto levels = static_cast<double>(dim.levels);
        double bin = std::clamp(std::floor(u * levels), 0.0, levels - 1.0);
        return {bin / levels, (bin + 1.0) / levels};
    }

    const SearchSpace& m_space;
    bool m_multivariate;
    std::size_t m_components = 1;
    std::vector<double> m_logWeights;
    std::vector<DimensionKernels> m_dims;
};

// Which coordinates of the space `params` sets.
std::vector<bool> activeDimensions(const SearchSpace& space, const ParamMap& params) {
    std::vector<bool> active;
    for (const Dimension& dim : space.dimensions())
        active.push_back(params.count(space.params()[dim.param].name) > 0);
    return active;
}

// How tpe ranks a trial: complete ones by loss; pruned ones after every
// complete one, deeper steps first, then by their last intermediate loss.
struct Rank {
    int group = 0;  // 0 complete, 1 pruned with a curve, 2 pruned without one
    double step = 0.0;
    double loss = 0.0;
};

// nullopt for trials tpe does not rank: running, failed, or without a value.
std::optional<Rank> rankOf(const Trial& trial, const SuggestContext& context) {
    if (trial.state == TrialState::Complete && trial.value && std::isfinite(*trial.value))
        return Rank{0, 0.0, context.loss(trial)};
    if (trial.state != TrialState::Pruned)
        return std::nullopt;
    if (!trial.intermediate.empty() && std::isfinite(trial.intermediate.back().second))
        return Rank{1, -static_cast<double>(trial.intermediate.back().first),
                    toLoss(trial.intermediate.back().second, context.direction)};
    return Rank{2, 0.0, 0.0};
}

// The history split into tpe's good and bad groups, kept between
// suggestions so that one costs the same at 30,000 trials as at 1,000
// (issue 19.8). A study's finished trials never change, and its list only
// grows: the leading run of finished trials (the "settled" part) is encoded
// and ranked once, and only the trials after it are read again. The settled
// part is dropped and rebuilt when the history handed in is not the one
// kept: its first or last settled trial has another number or other
// parameters, it is shorter, or the study's direction is another.
class TpeHistory {
  public:
    struct Groups {
        std::int64_t ranked = 0;     // complete and pruned trials
        std::vector<Weighted> good;  // the best ⌈gamma·n⌉ (at most 25), by number
        std::vector<Weighted> bad;   // the other ranked ones and the running ones, by number
    };

    explicit TpeHistory(const SearchSpace& space) : m_space(space) {}

    // `keep` false: nothing is kept from or for another suggestion.
    Groups split(const SuggestContext& context, double gamma, bool keep) {
        const std::span<const Trial> trials = context.trials;
        if (!keep || !stillHolds(trials) || context.direction != m_direction)
            forget();
        m_direction = context.direction;
        while (keep && m_settled < trials.size() && trials[m_settled].finished())
            settle(trials[m_settled++], context);
        if (m_settled > 0) {
            m_first = {trials.front().number, trials.front().params};
            m_last = {trials[m_settled - 1].number, trials[m_settled - 1].params};
        }

        // The trials after the settled part: ranked or running.
        std::vector<Member> unsettled;
        std::vector<std::pair<Rank, std::size_t>> candidates = m_best;
        std::int64_t ranked = m_ranked;
        std::deque<Observation> fresh;  // observations of this suggestion only
        for (std::size_t i = m_settled; i < trials.size(); ++i) {
            const Trial& trial = trials[i];
            const std::optional<Rank> rank = rankOf(trial, context);
            if (!rank && trial.state != TrialState::Running)
                continue;
            if (rank) {
                ++ranked;
                candidates.emplace_back(*rank, m_members.size() + unsettled.size());
            }
            unsettled.push_back({encode(trial, fresh), trial.number});
        }

        Groups groups;
        groups.ranked = ranked;
        // The good group: the `below` best by (group, step, loss), ties in
        // history order as a stable sort leaves them.
        const auto below = static_cast<std::size_t>(std::min<std::int64_t>(
            {static_cast<std::int64_t>(std::ceil(gamma * static_cast<double>(ranked) - 1e-9)),
             kMaxBelow, ranked}));
        std::partial_sort(candidates.begin(),
                          candidates.begin() + static_cast<std::ptrdiff_t>(below), candidates.end(),
                          rankedBefore);
        std::vector<std::size_t> goodMembers;
        for (std::size_t i = 0; i < below; ++i)
            goodMembers.push_back(candidates[i].second);
        std::sort(goodMembers.begin(), goodMembers.end());
        groups.bad.reserve(m_members.size() + unsettled.size());
        std::size_t next = 0;  // the next good member, in history order
        auto assign = [&](const Member& member, std::size_t i) {
            const bool isGood = next < goodMembers.size() && goodMembers[next] == i;
            next += isGood;
            if (member.obs)
                (isGood ? groups.good : groups.bad).push_back({member.obs, 1.0, member.number});
        };
        for (std::size_t i = 0; i < m_members.size(); ++i)
            assign(m_members[i], i);
        for (std::size_t i = 0; i < unsettled.size(); ++i)
            assign(unsettled[i], m_members.size() + i);
        // Weights ramp with age, so each group is ordered by trial number.
        sortByNumber(groups.good);
        sortByNumber(groups.bad);
        // The groups point into `fresh`: it lives until the next split.
        m_scratch = std::move(fresh);
        return groups;
    }

  private:
    // One ranked or running trial, in history order.
    struct Member {
        const Observation* obs;  // nullptr: its parameters do not fit the space
        int number;
    };
    struct Seen {
        int number = 0;
        ParamMap params;
    };

    static bool rankedBefore(const std::pair<Rank, std::size_t>& a,
                             const std::pair<Rank, std::size_t>& b) {
        return std::tie(a.first.group, a.first.step, a.first.loss, a.second) <
               std::tie(b.first.group, b.first.step, b.first.loss, b.second);
    }

    bool stillHolds(std::span<const Trial> trials) const {
        if (m_settled == 0)
            return true;
        return trials.size() >= m_settled && trials.front().number == m_first.number &&
               trials.front().params == m_first.params &&
               trials[m_settled - 1].number == m_last.number &&
               trials[m_settled - 1].params == m_last.params;
    }

    void forget() {
        m_settled = 0;
        m_ranked = 0;
        m_members.clear();
        m_best.clear();
        m_encoded.clear();
    }

    // A finished trial joins the settled part: encoded once, and ranked
    // among the best 25 if it is ranked at all.
    void settle(const Trial& trial, const SuggestContext& context) {
        const std::optional<Rank> rank = rankOf(trial, context);
        if (!rank)
            return;  // failed, or no finite value: tpe ignores it
        ++m_ranked;
        m_best.emplace_back(*rank, m_members.size());
        m_members.push_back({encode(trial, m_encoded), trial.number});
        // The best 25 suffice: the good group never holds more.
        std::sort(m_best.begin(), m_best.end(), rankedBefore);
        if (m_best.size() > static_cast<std::size_t>(kMaxBelow))
            m_best.pop_back();
    }

    // The trial's observation, kept in `store` (whose elements never move);
    // nullptr when its parameters do not fit the space (an edited spec), as
    // they say nothing about it.
    const Observation* encode(const Trial& trial, std::deque<Observation>& store) const {
        try {
            store.push_back({trial.number, m_space.encode(trial.params),
                             activeDimensions(m_space, trial.params)});
            return &store.back();
        } catch (const std::exception&) {
            return nullptr;
        }
    }

    // Trials mostly arrive in number order already; sort only when not.
    static void sortByNumber(std::vector<Weighted>& group) {
        auto byNumber = [](const Weighted& a, const Weighted& b) { return a.number < b.number; };
        if (!std::is_sorted(group.begin(), group.end(), byNumber))
            std::stable_sort(group.begin(), group.end(), byNumber);
    }

    const SearchSpace& m_space;
    std::size_t m_settled = 0;  // leading trials of the history read for good
    Seen m_first, m_last;       // its first and last trial, to check it still holds
    Direction m_direction = Direction::Minimize;  // the sense its ranks were taken in
    std::int64_t m_ranked = 0;                    // ranked trials among them
    std::vector<Member> m_members;
    std::vector<std::pair<Rank, std::size_t>> m_best;  // their best 25, sorted
    std::deque<Observation> m_encoded;
    std::deque<Observation> m_scratch;  // the unsettled trials' observations, last split
};

// Tree-structured Parzen Estimator (Bergstra et al., NeurIPS 2011), as Optuna's
// TPESampler: split the observations at the gamma-quantile of the loss into a
// good group (density l) and the rest (g), draw candidates from l and propose
// the one maximizing l(x) / g(x), i.e. expected improvement under the model.
//
// Pruned trials rank after every complete one, deeper steps first, then by
// their last intermediate loss. Running trials join the bad group (the
// "constant liar"), so parallel workers are pushed apart. Failed trials are
// ignored.
class TpeStrategy final : public Strategy {
  public:
    TpeStrategy(const SearchSpace& space, TpeSettings settings)
        : m_space(space), m_settings(settings), m_history(space) {}

    std::optional<Suggestion> suggest(const SuggestContext& given) override {
        std::vector<Trial> history;  // warm start: priors come first (oldest)
        const SuggestContext context = given.withPriors(history);
        // Priors are put on this study's scale anew for every suggestion, so
        // their ranks cannot be kept from the last one.
        TpeHistory::Groups groups =
            m_history.split(context, m_settings.gamma, /*keep=*/given.priors.empty());
        if (groups.ranked < m_settings.startupTrials || groups.ranked == 0)
            return randomSuggestion(context.rng);
        std::vector<Weighted> good = std::move(groups.good), bad = std::move(groups.bad);
        const bool goodThinned = weighAndThin(good), badThinned = weighAndThin(bad);

        ParzenEstimator l(m_space, good, m_settings, goodThinned);
        ParzenEstimator g(m_space, bad, m_settings, badThinned);
        return m_settings.multivariate ? suggestJoint(l, g, context.rng)
                                       : suggestIndependent(l, g, context.rng);
    }

  private:
    std::optional<Suggestion> randomSuggestion(Rng& rng) const {
        Eigen::VectorXd unit(m_space.dimensionCount());
        for (int d = 0; d < unit.size(); ++d)
            unit[d] = uniform01(rng);
        return Suggestion{m_space.decode(unit), Json::object()};
    }

    std::optional<Suggestion> suggestJoint(const ParzenEstimator& l, const ParzenEstimator& g,
                                           Rng& rng) const {
        double bestScore = kNegInf;
        ParamMap best;
        for (std::int64_t i = 0; i < m_settings.candidates; ++i) {
            ParamMap params = m_space.decode(l.sample(rng));
            Eigen::VectorXd x = m_space.encode(params);
            std::vector<bool> active = activeDimensions(params);
            double score = l.logDensity(x, active) - g.logDensity(x, active);
            if (i == 0 || score > bestScore) {
                bestScore = score;
                best = std::move(params);
            }
        }
        return Suggestion{std::move(best), {{"tpe_score", finiteOrNull(bestScore)}}};
    }

    // Optuna's independent TPE: every coordinate picks its own best candidate.
    std::optional<Suggestion> suggestIndependent(const ParzenEstimator& l, const ParzenEstimator& g,
                                                 Rng& rng) const {
        Eigen::VectorXd unit(m_space.dimensionCount());
        std::vector<double> scores(static_cast<std::size_t>(unit.size()));
        for (int d = 0; d < unit.size(); ++d) {
            double bestScore = kNegInf, bestX = 0.5;
            for (std::int64_t i = 0; i < m_settings.candidates; ++i) {
                double x = l.sampleDimension(d, rng);
                double score = l.logDensityDimension(d, x) - g.logDensityDimension(d, x);
                if (i == 0 || score > bestScore)
                    bestScore = score, bestX = x;
            }
            unit[d] = bestX;
            scores[static_cast<std::size_t>(d)] = bestScore;
        }
        ParamMap params = m_space.decode(unit);
        std::vector<bool> active = activeDimensions(params);
        double total = 0.0;
        for (std::size_t d = 0; d < scores.size(); ++d)
            if (active[d])
                total += scores[d];
        return Suggestion{std::move(params), {{"tpe_score", finiteOrNull(total)}}};
    }

    std::vector<bool> activeDimensions(const ParamMap& params) const {
        return bonsai::activeDimensions(m_space, params);
    }

    static Json finiteOrNull(double x) { return std::isfinite(x) ? Json(x) : Json(); }

    const SearchSpace& m_space;
    TpeSettings m_settings;
    TpeHistory m_history;
};

}  // namespace

// {"kind": "tpe"}: the defaults are Optuna's TPESampler's where it has one.
StrategyKind tpeStrategyKind() {
    using S = SettingSpec;
    StrategyKind kind;
    kind.kind = "tpe";
    kind.summary = "Tree-structured Parzen Estimator as in Optuna";
    kind.factory = [](SettingsReader& settings,
                      const SearchSpace& space) -> std::unique_ptr<Strategy> {
        TpeSettings s;
        s.gamma = settings.number("gamma");
        s.candidates = settings.integer("candidates");
        s.priorWeight = settings.number("prior_weight");
        s.startupTrials = settings.integer("startup_trials");
        s.multivariate = settings.flag("multivariate");
        s.considerEndpoints = settings.flag("consider_endpoints");
        return std::make_unique<TpeStrategy>(space, s);
    };
    kind.settings = {
        S::number("gamma", 0.1)
            .between(0, 1, true)
            .errorsAs("", "; 0.1 means the best 10% of trials, at most 25")
            .labelled("Gamma")
            .documented("the good group is the best ⌈gamma·n⌉ trials, at most 25"),
        S::integer("candidates", 24)
            .between(1, 100000)
            .labelled("Candidates")
            .documented("draws from l(x) scored per suggestion (n_ei_candidates)"),
        S::number("prior_weight", 1.0)
            .atLeast(0, true)
            .errorsAs("a number")
            .labelled("Prior weight")
            .documented("weight of the prior component in both mixtures"),
        S::integer("startup_trials", 10)
            .atLeast(0)
            .labelled("Startup trials")
            .documented("uniform random until this many trials are complete or pruned"),
        S::flag("multivariate", true)
            .labelled("Multivariate")
            .documented("joint kernels; false scores each coordinate on its own"),
        S::flag("consider_endpoints", false)
            .labelled("Consider endpoints")
            .documented("univariate bandwidths count the cube's ends as neighbours"),
    };
    // Running trials join the bad group ("constant liar").
    kind.capabilities.pendingTrials = true;
    return kind;
}

}  // namespace bonsai

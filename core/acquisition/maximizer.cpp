#include "acquisition/maximizer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <vector>

#include <nlopt.hpp>

#include "util/parallel.h"
#include "util/sobol.h"

namespace bonsai {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

constexpr double kLowest = -std::numeric_limits<double>::infinity();
constexpr Index kMaxSobolDimension = 3667;  // Boost's Joe-Kuo direction table
constexpr double kEnumerationLimit = 200000.0;
constexpr Index kEnumerationChunk = 4096;  // rows screened at once

using Key = std::vector<std::int64_t>;

// Snapped points are compared on a 1e-9 grid: canonical points computed by
// different code paths may differ in the last bits.
Key keyOf(const VectorXd& x) {
    Key key(static_cast<std::size_t>(x.size()));
    for (Index i = 0; i < x.size(); ++i)
        key[static_cast<std::size_t>(i)] = std::llround(x[i] * 1e9);
    return key;
}

// Relative slack on AcquisitionTarget::upperBounds before a row is skipped:
// the bound and the exact value are computed along different paths.
constexpr double kBoundSlack = 1e-9;

bool improves(double candidate, double current) {
    return candidate > current + 1e-12 * (1.0 + std::fabs(current));
}

double finiteOr(double v) {
    return std::isfinite(v) ? v : kLowest;
}

struct Point {
    VectorXd x;
    double value = kLowest;
};

class Search {
  public:
    Search(const AcquisitionMaximizer& owner, const AcquisitionTarget& target,
           const MaximizerOptions& options, const MatrixXd& exclude)
        : m_owner(owner), m_target(target), m_options(options) {
        const InputKinds& inputs = owner.inputs();
        for (Index i = 0; i < static_cast<Index>(inputs.size()); ++i) {
            (inputs[static_cast<std::size_t>(i)].isContinuous() ? m_continuous : m_discrete)
                .push_back(i);
        }
        for (Index r = 0; r < exclude.rows(); ++r) {
            m_excluded.insert(keyOf(owner.snap(exclude.row(r).transpose())));
        }
    }

    bool isExcluded(const VectorXd& x) const { return m_excluded.count(keyOf(x)) > 0; }
    int evaluations() const { return m_evaluations; }

    // Values of snapped rows; non-finite values count as -infinity.
    VectorXd values(const MatrixXd& X) {
        m_evaluations += static_cast<int>(X.rows());
        VectorXd v = m_target.values(X);
        for (Index i = 0; i < v.size(); ++i)
            v[i] = finiteOr(v[i]);
        return v;
    }

    // Screens the rows of C (snapped in place) and keeps track of the best
    // non-excluded point; returns the values.
    VectorXd screen(MatrixXd& C) {
        for (Index r = 0; r < C.rows(); ++r)
            C.row(r) = m_owner.snap(C.row(r).transpose());
        const VectorXd v = values(C);
        track(C, v);
        return v;
    }

    // screen() over the (snapped) rows of C given upper bounds of
    // their values: rows bounded below `floor` (a value some non-excluded
    // point attains) or below the best so far cannot be the best, so only
    // the others get exact values, and the best is what screen() would keep.
    // Returns how many rows got exact values.
    Index screenAbove(const MatrixXd& C, const VectorXd& bounds, double floor) {
        const double threshold = std::max(floor, m_best.value);
        std::vector<Index> rows;
        for (Index r = 0; r < C.rows(); ++r)
            if (!(bounds[r] + kBoundSlack * (1.0 + std::fabs(bounds[r])) < threshold))
                rows.push_back(r);
        if (rows.empty())
            return 0;
        MatrixXd S(static_cast<Index>(rows.size()), C.cols());
        for (std::size_t i = 0; i < rows.size(); ++i)
            S.row(static_cast<Index>(i)) = C.row(rows[i]);
        track(S, values(S));
        return S.rows();
    }

    // The best non-excluded and the best of all rows of C, valued v, in order.
    void track(const MatrixXd& C, const VectorXd& v) {
        for (Index r = 0; r < C.rows(); ++r) {
            if (v[r] > m_best.value && !isExcluded(C.row(r).transpose())) {
                m_best = {C.row(r).transpose(), v[r]};
            }
            if (v[r] > m_bestExcluded.value)
                m_bestExcluded = {C.row(r).transpose(), v[r]};
        }
    }

    const AcquisitionTarget& target() const { return m_target; }
    VectorXd snapped(const VectorXd& x) const { return m_owner.snap(x); }

    void consider(const Point& p) {
        if (p.value > m_best.value && !isExcluded(p.x))
            m_best = p;
    }

    const Point& best() const { return m_best; }
    const Point& bestExcluded() const { return m_bestExcluded; }

    Point refine(Point current) {
        for (int round = 0; round < m_options.rounds; ++round) {
            bool improved = false;
            if (!m_continuous.empty()) {
                Point next = climbContinuous(current);
                if (improves(next.value, current.value) && !isExcluded(next.x)) {
                    current = std::move(next);
                    improved = true;
                }
            }
            if (!m_discrete.empty()) {
                while (true) {
                    Point next = bestNeighbour(current);
                    if (!improves(next.value, current.value))
                        break;
                    current = std::move(next);
                    improved = true;
                }
            }
            if (!improved)
                break;
        }
        consider(current);
        return current;
    }

    // Non-excluded points one discrete move from x: ordinal inputs +-1 level
    // (every other level when `anyLevel`), categorical inputs every other level.
    std::vector<VectorXd> neighbours(const VectorXd& x, bool anyLevel) const {
        const InputKinds& inputs = m_owner.inputs();
        std::vector<VectorXd> moves;
        for (Index i : m_discrete) {
            const InputKind& kind = inputs[static_cast<std::size_t>(i)];
            const int level = kind.levelOf(x[i]);
            for (int l = 0; l < kind.levels; ++l) {
                if (l == level)
                    continue;
                if (!anyLevel && kind.type == InputKind::Type::Ordinal && std::abs(l - level) != 1)
                    continue;
                VectorXd y = x;
                y[i] = kind.centreOf(l);
                y = m_owner.snap(y);
                if (keyOf(y) == keyOf(x) || isExcluded(y))
                    continue;
                moves.push_back(std::move(y));
            }
        }
        return moves;
    }

  private:
    struct ClimbState {
        Search* search;
        VectorXd full;
        Point best;
    };

    static double climbObjective(unsigned n, const double* z, double* grad, void* data) {
        auto* state = static_cast<ClimbState*>(data);
        Search& s = *state->search;
        for (unsigned k = 0; k < n; ++k)
            state->full[s.m_continuous[k]] = z[k];
        VectorXd g;
        ++s.m_evaluations;
        const double v = s.m_target.valueAndGradient(state->full, g);
        const bool ok = std::isfinite(v) && g.allFinite();
        if (grad) {
            for (unsigned k = 0; k < n; ++k)
                grad[k] = ok ? g[s.m_continuous[k]] : 0.0;
        }
        if (ok && v > state->best.value)
            state->best = {state->full, v};
        return ok ? v : -1e300;
    }

    // L-BFGS over the continuous inputs with the discrete ones fixed.
    Point climbContinuous(const Point& start) {
        const unsigned n = static_cast<unsigned>(m_continuous.size());
        ClimbState state{this, start.x, {start.x, kLowest}};
        nlopt::opt opt(nlopt::LD_LBFGS, n);
        opt.set_lower_bounds(0.0);
        opt.set_upper_bounds(1.0);
        opt.set_max_objective(climbObjective, &state);
        opt.set_maxeval(m_options.gradientEvaluations);
        opt.set_ftol_rel(1e-10);
        opt.set_xtol_rel(1e-8);
        std::vector<double> z(n);
        for (unsigned k = 0; k < n; ++k)
            z[k] = std::clamp(start.x[m_continuous[k]], 0.0, 1.0);
        double value = 0.0;
        try {
            opt.optimize(z, value);
        } catch (const std::exception&) {
            // Round-off in the line search: the best point seen is kept.
        }
        // The caller's snapper may move continuous coordinates too: the
        // snapped point is what gets compared and returned.
        MatrixXd row = m_owner.snap(state.best.x).transpose();
        return {row.row(0).transpose(), values(row)[0]};
    }

    // Best of the ordinal +-1 and categorical other-level moves, excluded
    // points skipped.
    Point bestNeighbour(const Point& current) {
        const std::vector<VectorXd> moves = neighbours(current.x, false);
        if (moves.empty())
            return {current.x, kLowest};
        MatrixXd M(static_cast<Index>(moves.size()), current.x.size());
        for (Index r = 0; r < M.rows(); ++r)
            M.row(r) = moves[static_cast<std::size_t>(r)].transpose();
        const VectorXd v = values(M);
        Index best = 0;
        v.maxCoeff(&best);
        return {M.row(best).transpose(), v[best]};
    }

    const AcquisitionMaximizer& m_owner;
    const AcquisitionTarget& m_target;
    const MaximizerOptions& m_options;
    std::vector<Index> m_continuous;
    std::vector<Index> m_discrete;
    std::set<Key> m_excluded;
    Point m_best;
    Point m_bestExcluded;
    int m_evaluations = 0;
};

MatrixXd sobolPoints(Index count, Index d, Rng& rng) {
    if (d > kMaxSobolDimension) {
        MatrixXd C(count, d);
        for (Index r = 0; r < count; ++r) {
            for (Index j = 0; j < d; ++j)
                C(r, j) = uniform01(rng);
        }
        return C;
    }
    // Owen-scrambled with a fresh seed from the caller's RNG: unbiased, and
    // stratified like the plain sequence.
    return SobolSequence(static_cast<int>(d), rng()).points(0, static_cast<int>(count));
}

// The number of points of an all-discrete input set, or nullopt when an input
// is continuous.
std::optional<double> discreteCombinations(const InputKinds& inputs) {
    double combos = 1.0;
    for (const InputKind& kind : inputs) {
        if (!kind.isDiscrete())
            return std::nullopt;
        combos *= std::max(1, kind.levels);
    }
    return combos;
}

// Rows start..start+count-1 of the enumeration of every combination of
// levels of an all-discrete input set (the first input varies fastest).
MatrixXd enumerated(const InputKinds& inputs, Index start, Index count) {
    const Index d = static_cast<Index>(inputs.size());
    MatrixXd E(count, d);
    for (Index r = 0; r < count; ++r) {
        Index code = start + r;
        for (Index j = 0; j < d; ++j) {
            const InputKind& kind = inputs[static_cast<std::size_t>(j)];
            const int levels = std::max(1, kind.levels);
            E(r, j) = kind.centreOf(static_cast<int>(code % levels));
            code /= levels;
        }
    }
    return E;
}

// Screens every combination of levels of an all-discrete input set, in
// chunks, until `stop` says enough.
template <typename Stop>
void screenAll(Search& search, const InputKinds& inputs, double combos, Stop stop) {
    const auto total = static_cast<Index>(combos);
    for (Index start = 0; start < total && !stop(); start += kEnumerationChunk) {
        MatrixXd E = enumerated(inputs, start, std::min(kEnumerationChunk, total - start));
        search.screen(E);
    }
}

// screenAll() to the end, to the same best point, when the target bounds its
// values (AcquisitionTarget::upperBounds): the rows of highest bound that are
// not excluded get exact values first, and the best of them is a floor below
// which no row needs its exact value. Rows that may reach the floor are
// screened in enumeration order, so ties go to the same row as in screenAll.
// False (nothing screened) when the target has no bounds.
bool screenAllBounded(Search& search, const InputKinds& inputs, double combos) {
    // A target without bounds says so for any rows: no block is enumerated.
    if (!search.target().upperBounds(MatrixXd(0, static_cast<Index>(inputs.size()))))
        return false;
    const auto total = static_cast<Index>(combos);
    const auto chunkCount =
        static_cast<std::size_t>((total + kEnumerationChunk - 1) / kEnumerationChunk);
    std::vector<MatrixXd> chunks(chunkCount);
    std::vector<VectorXd> bounds(chunkCount);
    // The chunks' bounds on all cores: each chunk is read-only work on the
    // target and writes its own slot. (A target that had bounds for no rows
    // but none here breaks upperBounds' contract: value() throws.)
    runInParallel(chunkCount, [&](std::size_t c) {
        const Index start = static_cast<Index>(c) * kEnumerationChunk;
        chunks[c] = enumerated(inputs, start, std::min(kEnumerationChunk, total - start));
        for (Index r = 0; r < chunks[c].rows(); ++r)
            chunks[c].row(r) = search.snapped(chunks[c].row(r).transpose());
        bounds[c] = search.target().upperBounds(chunks[c]).value();
    });
    // The floor: the best exact value among the kSeeds non-excluded rows of
    // highest bound.
    constexpr std::size_t kSeeds = 64;
    std::vector<std::pair<double, VectorXd>> top;
    for (std::size_t c = 0; c < chunks.size(); ++c)
        for (Index r = 0; r < chunks[c].rows(); ++r)
            top.emplace_back(bounds[c][r], chunks[c].row(r).transpose());
    std::stable_sort(top.begin(), top.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<VectorXd> seeds;
    for (const auto& [bound, x] : top) {
        if (seeds.size() >= kSeeds)
            break;
        if (!search.isExcluded(x))
            seeds.push_back(x);
    }
    double floor = kLowest;
    if (!seeds.empty()) {
        MatrixXd S(static_cast<Index>(seeds.size()), static_cast<Index>(inputs.size()));
        for (std::size_t i = 0; i < seeds.size(); ++i)
            S.row(static_cast<Index>(i)) = seeds[i].transpose();
        floor = search.values(S).maxCoeff();
    }
    for (std::size_t c = 0; c < chunks.size(); ++c)
        search.screenAbove(chunks[c], bounds[c], floor);
    return true;
}

// The best of `points` (snapped, not excluded), screened in one batch.
std::optional<MaximizerResult> bestOf(Search& search, const std::vector<VectorXd>& points) {
    if (points.empty())
        return std::nullopt;
    MatrixXd M(static_cast<Index>(points.size()), points.front().size());
    for (Index r = 0; r < M.rows(); ++r)
        M.row(r) = points[static_cast<std::size_t>(r)].transpose();
    search.screen(M);
    if (search.best().value == kLowest)
        return std::nullopt;
    MaximizerResult result;
    result.x = search.best().x;
    result.value = search.best().value;
    result.evaluations = search.evaluations();
    return result;
}

}  // namespace

std::optional<MaximizerResult> AcquisitionMaximizer::maximizeNeighbourhood(
    const AcquisitionTarget& target, const VectorXd& centre, const MatrixXd& exclude) const {
    if (centre.size() != static_cast<Index>(m_inputs.size()))
        return std::nullopt;
    Search search(*this, target, m_options, exclude);
    return bestOf(search, search.neighbours(snap(centre), true));
}

std::optional<MaximizerResult> AcquisitionMaximizer::maximizeAmong(const AcquisitionTarget& target,
                                                                   const MatrixXd& candidates,
                                                                   const MatrixXd& exclude) const {
    if (candidates.cols() != static_cast<Index>(m_inputs.size()))
        return std::nullopt;
    Search search(*this, target, m_options, exclude);
    std::set<Key> seen;
    std::vector<VectorXd> points;
    for (Index r = 0; r < candidates.rows(); ++r) {
        VectorXd x = snap(candidates.row(r).transpose());
        if (!search.isExcluded(x) && seen.insert(keyOf(x)).second)
            points.push_back(std::move(x));
    }
    return bestOf(search, points);
}

AcquisitionMaximizer::AcquisitionMaximizer(InputKinds inputs, Snapper snapper,
                                           MaximizerOptions options)
    : m_inputs(std::move(inputs)), m_snapper(std::move(snapper)), m_options(options) {}

VectorXd AcquisitionMaximizer::snap(const VectorXd& x) const {
    VectorXd y(x.size());
    for (Index i = 0; i < x.size(); ++i)
        y[i] = m_inputs[static_cast<std::size_t>(i)].snap(x[i]);
    return m_snapper ? m_snapper(y) : y;
}

MaximizerResult AcquisitionMaximizer::maximize(const AcquisitionTarget& target, Rng& rng,
                                               const MatrixXd& exclude,
                                               const MatrixXd& anchors) const {
    const Index d = static_cast<Index>(m_inputs.size());
    MaximizerResult result;
    if (d == 0) {
        result.x = VectorXd();
        return result;
    }
    Search search(*this, target, m_options, exclude);
    const std::optional<double> combos = discreteCombinations(m_inputs);
    auto finish = [&] {
        if (search.best().value > kLowest || search.bestExcluded().value == kLowest) {
            result.x =
                search.best().x.size() == d ? search.best().x : snap(VectorXd::Constant(d, 0.5));
            result.value = search.best().value;
        } else {
            result.x = search.bestExcluded().x;
            result.value = search.bestExcluded().value;
            result.onlyExcluded = true;
        }
        result.evaluations = search.evaluations();
        return result;
    };
    if (combos && *combos <= m_options.exhaustiveLimit) {
        if (!screenAllBounded(search, m_inputs, *combos))
            screenAll(search, m_inputs, *combos, [] { return false; });
        return finish();
    }

    // 1. Screening.
    const Index anchorRows = anchors.cols() == d ? anchors.rows() : 0;
    const Index perAnchor = std::max(0, m_options.anchorCandidates);
    MatrixXd C(std::max(1, m_options.candidates) + anchorRows * perAnchor, d);
    C.topRows(std::max(1, m_options.candidates)) =
        sobolPoints(std::max(1, m_options.candidates), d, rng);
    std::normal_distribution<double> normal(0.0, 1.0);
    const double scales[] = {0.2, 0.05, 0.01};
    Index row = std::max(1, m_options.candidates);
    for (Index a = 0; a < anchorRows; ++a) {
        for (Index k = 0; k < perAnchor; ++k, ++row) {
            VectorXd y = anchors.row(a).transpose();
            for (Index j = 0; j < d; ++j) {
                const InputKind& kind = m_inputs[static_cast<std::size_t>(j)];
                if (kind.isContinuous()) {
                    y[j] = std::clamp(y[j] + scales[k % 3] * normal(rng), 0.0, 1.0);
                } else if (uniform01(rng) < 1.0 / static_cast<double>(d)) {
                    y[j] = uniform01(rng);
                }
            }
            C.row(row) = y.transpose();
        }
    }
    const VectorXd v = search.screen(C);

    // 2. Refinement of the best distinct, non-excluded candidates.
    std::vector<Index> order(static_cast<std::size_t>(C.rows()));
    std::iota(order.begin(), order.end(), Index{0});
    std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return v[a] > v[b]; });
    std::set<Key> started;
    for (Index idx : order) {
        if (static_cast<int>(started.size()) >= m_options.starts)
            break;
        const VectorXd x = C.row(idx).transpose();
        if (search.isExcluded(x) || !started.insert(keyOf(x)).second)
            continue;
        search.refine({x, v[idx]});
    }

    // 3. Nothing but excluded points seen: look harder before giving up.
    if (search.best().value == kLowest) {
        if (combos && *combos <= kEnumerationLimit) {
            screenAll(search, m_inputs, *combos, [&] { return search.best().value > kLowest; });
        } else {
            for (int attempt = 0; attempt < 8 && search.best().value == kLowest; ++attempt) {
                MatrixXd R(std::max(1, m_options.candidates), d);
                for (Index r = 0; r < R.rows(); ++r) {
                    for (Index j = 0; j < d; ++j)
                        R(r, j) = uniform01(rng);
                }
                search.screen(R);
            }
        }
    }
    return finish();
}

}  // namespace bonsai

#include "multi/pareto.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>

namespace bonsai {

namespace {

void requireSameDimension(const std::vector<LossVector>& points, std::size_t dimension,
                          const char* what) {
    for (const LossVector& point : points) {
        if (point.size() != dimension)
            throw std::invalid_argument(std::string(what) + ": points of dimension " +
                                        std::to_string(point.size()) + " and " +
                                        std::to_string(dimension) + " mixed");
    }
}

// Indices sorted lexicographically (ties by index, so results are stable).
// A point can only be dominated by points before it in this order, which is
// what lets the front and the ranks be built in one pass.
// NaN sorts after every number so sorting stays a strict weak ordering (a
// point with a NaN neither dominates nor is dominated).
bool nanLastLess(double a, double b) {
    return std::isnan(a) ? false : std::isnan(b) || a < b;
}

std::vector<std::size_t> lexicographicOrder(const std::vector<LossVector>& points,
                                            std::vector<std::size_t> order) {
    auto less = nanLastLess;
    auto lexLess = [&](const LossVector& a, const LossVector& b) {
        return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), less);
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return lexLess(points[a], points[b]); });
    return order;
}

std::vector<std::size_t> allIndices(std::size_t n) {
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    return order;
}

// The points no pivot dominates, ascending: a cheap linear pass that leaves
// the front's sort a few hundred candidates out of thousands. Pivots are, per
// coordinate, the lowest finite point, and the finite point with the lowest
// sum of range-scaled coordinates (a front point near the knee, which
// dominates most of a cloud). Exact: only dominated points are dropped.
std::vector<std::size_t> undominatedByPivots(const std::vector<LossVector>& points) {
    const std::size_t d = points.front().size();
    auto finite = [](const LossVector& p) {
        return std::all_of(p.begin(), p.end(), [](double v) { return std::isfinite(v); });
    };
    const double infinity = std::numeric_limits<double>::infinity();
    LossVector low(d, infinity), high(d, -infinity);
    std::vector<std::size_t> lowest(d, points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (!finite(points[i]))
            continue;
        for (std::size_t m = 0; m < d; ++m) {
            if (points[i][m] < low[m])
                low[m] = points[i][m], lowest[m] = i;
            high[m] = std::max(high[m], points[i][m]);
        }
    }
    if (lowest[0] == points.size())
        return allIndices(points.size());  // no finite point to pivot on
    std::size_t knee = lowest[0];
    double kneeSum = infinity;
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (!finite(points[i]))
            continue;
        double sum = 0.0;
        for (std::size_t m = 0; m < d; ++m)
            sum += high[m] > low[m] ? (points[i][m] - low[m]) / (high[m] - low[m]) : 0.0;
        if (sum < kneeSum)
            kneeSum = sum, knee = i;
    }
    std::vector<std::size_t> pivots = lowest;
    pivots.push_back(knee);
    std::vector<std::size_t> kept;
    for (std::size_t i = 0; i < points.size(); ++i)
        if (std::none_of(pivots.begin(), pivots.end(),
                         [&](std::size_t p) { return dominates(points[p], points[i]); }))
            kept.push_back(i);
    return kept;
}

// True if some point of `group` (indices into `points`) dominates `candidate`.
bool anyDominates(const std::vector<LossVector>& points, const std::vector<std::size_t>& group,
                  const LossVector& candidate) {
    return std::any_of(group.begin(), group.end(),
                       [&](std::size_t i) { return dominates(points[i], candidate); });
}

// ---- hypervolume ---------------------------------------------------------
// All helpers receive points already strictly inside the reference box.

double hypervolume1d(const std::vector<LossVector>& points, const LossVector& reference) {
    double best = reference[0];
    for (const LossVector& p : points)
        best = std::min(best, p[0]);
    return reference[0] - best;
}

// Sweep along x; each point adds the horizontal slab between its y and the
// lowest y seen so far.
double hypervolume2d(std::vector<LossVector> points, const LossVector& reference) {
    std::sort(points.begin(), points.end());
    double area = 0.0;
    double lowestY = reference[1];
    for (const LossVector& p : points) {
        if (p[1] < lowestY) {
            area += (reference[0] - p[0]) * (lowestY - p[1]);
            lowestY = p[1];
        }
    }
    return area;
}

// A 2-D staircase (x ascending, y strictly descending) whose dominated area
// is kept up to date as points are inserted: every insertion or removal
// changes the area by exactly that point's exclusive contribution, the
// rectangle between it, its right neighbour's x and its left neighbour's y.
class Staircase {
  public:
    explicit Staircase(double referenceX, double referenceY)
        : referenceX_(referenceX), referenceY_(referenceY) {}

    double area() const { return area_; }

    void insert(double x, double y) {
        // The step with the largest x' <= x has the lowest y among the steps
        // left of x: if it is no higher than y the new point adds nothing.
        auto after = steps_.upper_bound(x);
        if (after != steps_.begin() && std::prev(after)->second <= y)
            return;
        // Steps dominated by the new point: x' >= x and y' >= y, a prefix of
        // the steps from x on because y falls as x grows.
        auto it = steps_.lower_bound(x);
        while (it != steps_.end() && it->second >= y) {
            area_ -= exclusiveArea(it);
            it = steps_.erase(it);
        }
        auto inserted = steps_.emplace_hint(it, x, y);
        area_ += exclusiveArea(inserted);
    }

  private:
    using Steps = std::map<double, double>;

    double exclusiveArea(Steps::const_iterator step) const {
        auto next = std::next(step);
        double rightX = next == steps_.end() ? referenceX_ : next->first;
        double upperY = step == steps_.begin() ? referenceY_ : std::prev(step)->second;
        return (rightX - step->first) * (upperY - step->second);
    }

    double referenceX_, referenceY_;
    Steps steps_;
    double area_ = 0.0;
};

// Sweep along z, inserting each point into the staircase of the points below
// it (Beume et al. 2009's dimension sweep, O(n log n)).
double hypervolume3d(std::vector<LossVector> points, const LossVector& reference) {
    std::sort(points.begin(), points.end(),
              [](const LossVector& a, const LossVector& b) { return a[2] < b[2]; });
    Staircase staircase(reference[0], reference[1]);
    double volume = 0.0;
    for (std::size_t i = 0; i < points.size(); ++i) {
        staircase.insert(points[i][0], points[i][1]);
        double nextZ = i + 1 < points.size() ? points[i + 1][2] : reference[2];
        volume += staircase.area() * (nextZ - points[i][2]);
    }
    return volume;
}

double hypervolumeInside(const std::vector<LossVector>& points, const LossVector& reference);

bool weaklyDominates(const LossVector& a, const LossVector& b) {
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!(a[i] <= b[i]))
            return false;
    return true;
}

// d > 3: slice along the last coordinate (HSO-style dimension sweep). Between
// consecutive last-coordinate values the cross-section is the (d-1)-D
// hypervolume of the points below, kept as their non-dominated projections;
// it is only recomputed when a new projection joins that set.
double hypervolumeBySlicing(std::vector<LossVector> points, const LossVector& reference) {
    const std::size_t last = reference.size() - 1;
    std::sort(points.begin(), points.end(),
              [last](const LossVector& a, const LossVector& b) { return a[last] < b[last]; });
    LossVector lowerReference(reference.begin(), reference.end() - 1);
    std::vector<LossVector> below;
    double crossSection = 0.0, volume = 0.0;
    bool changed = false;
    for (std::size_t i = 0; i < points.size(); ++i) {
        LossVector projection(points[i].begin(), points[i].end() - 1);
        bool covered = std::any_of(below.begin(), below.end(), [&](const LossVector& q) {
            return weaklyDominates(q, projection);
        });
        if (!covered) {
            std::erase_if(below,
                          [&](const LossVector& q) { return weaklyDominates(projection, q); });
            below.push_back(std::move(projection));
            changed = true;
        }
        double nextZ = i + 1 < points.size() ? points[i + 1][last] : reference[last];
        if (nextZ == points[i][last])
            continue;  // a zero-thickness slice: wait for the last of the tie
        if (changed)
            crossSection = hypervolumeInside(below, lowerReference);
        changed = false;
        volume += crossSection * (nextZ - points[i][last]);
    }
    return volume;
}

double hypervolumeInside(const std::vector<LossVector>& points, const LossVector& reference) {
    if (points.empty())
        return 0.0;
    switch (reference.size()) {
        case 1:
            return hypervolume1d(points, reference);
        case 2:
            return hypervolume2d(points, reference);
        case 3:
            return hypervolume3d(points, reference);
        default:
            return hypervolumeBySlicing(points, reference);
    }
}

}  // namespace

bool dominates(const LossVector& a, const LossVector& b) {
    bool strictlyBetter = false;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
        if (!(a[i] <= b[i]))
            return false;  // worse, or NaN
        if (a[i] < b[i])
            strictlyBetter = true;
    }
    return strictlyBetter && a.size() == b.size();
}

std::vector<std::size_t> paretoFront(const std::vector<LossVector>& points) {
    if (points.empty())
        return {};
    requireSameDimension(points, points.front().size(), "paretoFront");
    // Every dominated point is dominated by some front point, and only by
    // points earlier in lexicographic order: checking against the front found
    // so far is enough (O(n log n + n |front|)); the pivots' pass first cuts
    // the n that is sorted.
    std::vector<std::size_t> front;
    for (std::size_t i : lexicographicOrder(points, undominatedByPivots(points))) {
        if (!anyDominates(points, front, points[i]))
            front.push_back(i);
    }
    std::sort(front.begin(), front.end());
    return front;
}

std::vector<int> nonDominatedRanks(const std::vector<LossVector>& points) {
    std::vector<int> ranks(points.size(), 0);
    if (points.empty())
        return ranks;
    requireSameDimension(points, points.front().size(), "nonDominatedRanks");
    // Same ranks as Deb's fast non-dominated sort, computed the ENS way (Zhang
    // et al. 2015) in O(n) memory: in lexicographic order a point's dominators
    // are all already placed, and if a point of front k dominates it so does
    // one of every earlier front, so its rank is the first front without a
    // dominator, found by binary search.
    std::vector<std::vector<std::size_t>> fronts;
    for (std::size_t i : lexicographicOrder(points, allIndices(points.size()))) {
        std::size_t low = 0, high = fronts.size();
        while (low < high) {
            std::size_t mid = (low + high) / 2;
            if (anyDominates(points, fronts[mid], points[i]))
                low = mid + 1;
            else
                high = mid;
        }
        if (low == fronts.size())
            fronts.emplace_back();
        fronts[low].push_back(i);
        ranks[i] = static_cast<int>(low);
    }
    return ranks;
}

std::vector<double> crowdingDistances(const std::vector<LossVector>& front) {
    const std::size_t n = front.size();
    const double infinity = std::numeric_limits<double>::infinity();
    std::vector<double> distance(n, 0.0);
    if (n == 0)
        return distance;
    requireSameDimension(front, front.front().size(), "crowdingDistances");
    if (n <= 2)
        return std::vector<double>(n, infinity);
    std::vector<std::size_t> order(n);
    for (std::size_t m = 0; m < front.front().size(); ++m) {
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return nanLastLess(front[a][m], front[b][m]);
        });
        double range = front[order.back()][m] - front[order.front()][m];
        if (!(range > 0.0))
            continue;  // all equal here: no real ends, and nothing to separate
        distance[order.front()] = infinity;
        distance[order.back()] = infinity;
        for (std::size_t k = 1; k + 1 < n; ++k)
            distance[order[k]] += (front[order[k + 1]][m] - front[order[k - 1]][m]) / range;
    }
    return distance;
}

double hypervolume(const std::vector<LossVector>& points, const LossVector& reference) {
    if (reference.empty())
        throw std::invalid_argument("hypervolume: the reference point is empty");
    requireSameDimension(points, reference.size(), "hypervolume");
    std::vector<LossVector> inside;
    for (const LossVector& p : points) {
        bool strictlyInside = true;
        for (std::size_t i = 0; i < p.size(); ++i)
            strictlyInside = strictlyInside && p[i] < reference[i];  // false for NaN
        if (strictlyInside)
            inside.push_back(p);
    }
    return hypervolumeInside(inside, reference);
}

LossVector deriveReferencePoint(const std::vector<LossVector>& points) {
    if (points.empty())
        return {};
    const std::size_t d = points.front().size();
    requireSameDimension(points, d, "deriveReferencePoint");
    LossVector reference(d);
    for (std::size_t i = 0; i < d; ++i) {
        double lowest = std::numeric_limits<double>::infinity();
        double highest = -std::numeric_limits<double>::infinity();
        for (const LossVector& p : points) {
            if (!std::isfinite(p[i]))
                continue;  // a broken value must not drag the reference to infinity
            lowest = std::min(lowest, p[i]);
            highest = std::max(highest, p[i]);
        }
        if (lowest > highest)
            reference[i] = 1.0;  // no finite value at all
        else if (highest > lowest)
            reference[i] = highest + 0.1 * (highest - lowest);
        else
            reference[i] = highest + 1.0;
    }
    return reference;
}

}  // namespace bonsai

#pragma once

#include <cstddef>
#include <vector>

// Pareto dominance and hypervolume over loss vectors: every coordinate is
// minimized (callers convert maximized objectives with toLoss first).
namespace bonsai {

using LossVector = std::vector<double>;

// a dominates b: no worse in every coordinate and better in at least one.
bool dominates(const LossVector& a, const LossVector& b);

// Indices of the non-dominated points, ascending. Duplicates of a
// non-dominated point are all kept (none dominates the other).
std::vector<std::size_t> paretoFront(const std::vector<LossVector>& points);

// Fast non-dominated sorting (Deb et al. 2002): rank 0 is the front, rank 1
// the front once rank 0 is removed, and so on. One rank per point. (Computed
// the ENS way, Zhang et al. 2015: same ranks, O(n) memory.)
std::vector<int> nonDominatedRanks(const std::vector<LossVector>& points);

// NSGA-II crowding distance of each point within one front (infinite at the
// ends of each coordinate; a coordinate where all points agree adds nothing).
std::vector<double> crowdingDistances(const std::vector<LossVector>& front);

// Volume dominated by `points` and bounded by `reference` (points not
// strictly better than the reference in every coordinate add nothing).
// Exact for any dimension; O(n log n) for 2 and 3, a dimension sweep down to
// 3-D beyond. Throws std::invalid_argument on mixed dimensions.
double hypervolume(const std::vector<LossVector>& points, const LossVector& reference);

// A reference point derived from the points: the worst value of each
// coordinate plus 10% of its range (or +1 when the range is zero).
LossVector deriveReferencePoint(const std::vector<LossVector>& points);

}  // namespace bonsai

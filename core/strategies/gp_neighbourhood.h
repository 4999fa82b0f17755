#pragma once

#include <optional>
#include <vector>

#include <Eigen/Core>

#include "acquisition/acquisition.h"
#include "acquisition/maximizer.h"
#include "gp/input_kind.h"

namespace bonsai {

// The points of an all-discrete space within `radius` moves of `centre` (a
// move sets one input to another of its levels), `centre` itself left out,
// each passed through `canonical`. Empty when an input is continuous or the
// ball would hold more than `limit` points (many fine ordinals: not worth
// listing).
std::vector<Eigen::VectorXd> discreteBall(const InputKinds& kinds, const Eigen::VectorXd& centre,
                                          int radius, const Snapper& canonical,
                                          double limit = 20000.0);

// The neighbourhood turn of the gp strategy widened (gp settings
// `local_radius`, `local_centres`): the best target value among the points
// not in `exclude` within `radius` moves of any row of `centres` (the best
// trials first). A trust region of Hamming radius r around several good
// cells, not only the incumbent: on NAS-Bench-201 the best cell is often two
// edits (a swapped pair of operations) from a good cell that is not the
// incumbent, and the incumbent's own one-edit neighbours are used up within
// a few dozen trials. nullopt when every such point is excluded or none has
// a finite value. Points are snapped as `maximizer` snaps them.
std::optional<MaximizerResult> maximizeDiscreteBalls(const AcquisitionTarget& target,
                                                     const AcquisitionMaximizer& maximizer,
                                                     const Eigen::MatrixXd& centres, int radius,
                                                     const Eigen::MatrixXd& exclude);

}  // namespace bonsai

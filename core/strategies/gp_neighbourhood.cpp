#include "strategies/gp_neighbourhood.h"

#include <algorithm>
#include <functional>
#include <iterator>

namespace bonsai {

namespace {

// The number of points within `radius` moves: the elementary symmetric sums
// of m_i = levels_i - 1 up to order `radius`.
double ballSize(const InputKinds& kinds, int radius) {
    std::vector<double> sums(static_cast<std::size_t>(radius) + 1, 0.0);
    sums[0] = 1.0;
    for (const InputKind& kind : kinds)
        for (int k = radius; k >= 1; --k)
            sums[static_cast<std::size_t>(k)] +=
                sums[static_cast<std::size_t>(k - 1)] * (kind.levels - 1);
    double total = 0.0;
    for (int k = 1; k <= radius; ++k)
        total += sums[static_cast<std::size_t>(k)];
    return total;
}

}  // namespace

std::vector<Eigen::VectorXd> discreteBall(const InputKinds& kinds, const Eigen::VectorXd& centre,
                                          int radius, const Snapper& canonical, double limit) {
    std::vector<Eigen::VectorXd> ball;
    if (kinds.empty() || radius < 1 || centre.size() != static_cast<Eigen::Index>(kinds.size()) ||
        !std::all_of(kinds.begin(), kinds.end(),
                     [](const InputKind& k) { return k.isDiscrete(); }) ||
        ballSize(kinds, radius) > limit)
        return ball;
    const auto d = static_cast<Eigen::Index>(kinds.size());
    // Each subset of at most `radius` inputs, changed in increasing order,
    // so every point comes once.
    std::function<void(Eigen::Index, int, Eigen::VectorXd&)> change =
        [&](Eigen::Index from, int left, Eigen::VectorXd& point) {
            for (Eigen::Index i = from; i < d; ++i) {
                const InputKind& kind = kinds[static_cast<std::size_t>(i)];
                const int own = kind.levelOf(centre[i]);
                for (int level = 0; level < kind.levels; ++level) {
                    if (level == own)
                        continue;
                    point[i] = kind.centreOf(level);
                    ball.push_back(canonical ? canonical(point) : point);
                    if (left > 1)
                        change(i + 1, left - 1, point);
                }
                point[i] = centre[i];
            }
        };
    Eigen::VectorXd point = centre;
    change(0, radius, point);
    return ball;
}

std::optional<MaximizerResult> maximizeDiscreteBalls(const AcquisitionTarget& target,
                                                     const AcquisitionMaximizer& maximizer,
                                                     const Eigen::MatrixXd& centres, int radius,
                                                     const Eigen::MatrixXd& exclude) {
    const InputKinds& kinds = maximizer.inputs();
    if (centres.cols() != static_cast<Eigen::Index>(kinds.size()))
        return std::nullopt;
    auto snapped = [&](const Eigen::VectorXd& x) { return maximizer.snap(x); };
    std::vector<Eigen::VectorXd> points;
    for (Eigen::Index c = 0; c < centres.rows(); ++c) {
        std::vector<Eigen::VectorXd> ball =
            discreteBall(kinds, snapped(centres.row(c).transpose()), radius, snapped);
        std::move(ball.begin(), ball.end(), std::back_inserter(points));
    }
    Eigen::MatrixXd candidates(static_cast<Eigen::Index>(points.size()), centres.cols());
    for (Eigen::Index r = 0; r < candidates.rows(); ++r)
        candidates.row(r) = points[static_cast<std::size_t>(r)].transpose();
    // The centres are trials too (a warm-start prior need not be in `exclude`).
    Eigen::MatrixXd taken(exclude.rows() + centres.rows(), centres.cols());
    if (exclude.rows() > 0)
        taken.topRows(exclude.rows()) = exclude;
    taken.bottomRows(centres.rows()) = centres;
    return maximizer.maximizeAmong(target, candidates, taken);
}

}  // namespace bonsai

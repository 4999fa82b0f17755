#pragma once

#include <string>
#include <vector>

#include <Eigen/Core>

#include "gp/gaussian_process.h"
#include "util/random.h"

namespace bonsai {

// A monotone increasing transform z = T(y) of the observed losses that the GP
// models instead of y (output warping, as in HEBO: Cowen-Rivers et al. 2022,
// "HEBO: Pushing the Limits of Sample-Efficient Hyperparameter
// Optimisation"). Minimizing y and minimizing T(y) have the same answer, and
// expected improvement is computed on z. Kinds, with m and s the mean and
// standard deviation of the observations and lo their minimum:
//   identity:     z = y
//   yeo-johnson:  z = YJ_lambda((y - m) / s)   (Yeo & Johnson 2000)
//                 YJ(x) = ((x + 1)^l - 1) / l          x >= 0 (log(x + 1) at l = 0)
//                       = -((1 - x)^(2-l) - 1) / (2 - l)  x < 0 (-log(1 - x) at l = 2)
//   log:          z = log((y - lo) / s + delta)   delta > 0
// Curved valleys such as Rosenbrock's have losses over many orders of
// magnitude: a compressing transform makes them look stationary to the GP.
class OutputWarping {
  public:
    enum class Kind { Identity, YeoJohnson, Log };

    static OutputWarping identity();
    static OutputWarping yeoJohnson(double lambda, double center, double scale);
    static OutputWarping log(double delta, double low, double scale);

    Kind kind() const { return m_kind; }
    double parameter() const { return m_parameter; }  // lambda or delta
    std::string describe() const;                     // e.g. "yeo-johnson(0.5)"

    double apply(double y) const;
    double inverse(double z) const;
    // log dT/dy at y (> -inf wherever apply() is finite).
    double logDerivative(double y) const;
    Eigen::VectorXd apply(const Eigen::VectorXd& y) const;

  private:
    Kind m_kind = Kind::Identity;
    double m_parameter = 1.0;
    double m_center = 0.0;
    double m_scale = 1.0;
};

// The candidate transforms for observations y: identity, Yeo-Johnson with
// lambda in {0.5, 0, -0.5} and log with delta in {1e-4, 1e-3, 0.01, 0.1, 1}.
// The small deltas matter when a few huge losses inflate s: with delta s
// larger than the spread of the best losses, the log flattens the basin the
// search is in (Rosenbrock's x_d = -5 plateau at 2,500 with s ~ 3e5).
std::vector<OutputWarping> outputWarpingCandidates(const Eigen::VectorXd& y);

// The log density of y under a GP fitted to z = T(y): the GP's fitted
// log marginal likelihood (+ log prior) of its standardized z, plus the log
// Jacobian of y -> standardized z (sum of log T'(y_i) - n log sd(z)), so
// candidates with different T compare on the same y.
double warpedEvidence(const OutputWarping& warping, const Eigen::VectorXd& y,
                      double fittedObjective, double zStd);

// The Gaussian copula (rank) transform of y: z_i = Phi^-1((r_i + 1/2) / n)
// with r_i the 0-based rank of y_i among the n values (tied values share
// their mean rank). It keeps only the order of the losses, as the copula
// of Salinas et al. 2020 ("A Quantile-based Approach for Hyperparameter
// Transfer Learning") does: on finite spaces such as NAS-Bench-201 cells
// the many poor points (an edge of "none") no longer dwarf the differences
// among the few good ones, which are what the search has to tell apart.
// Monotone in y, so the incumbent and the order stay the same.
Eigen::VectorXd gaussianRanks(const Eigen::VectorXd& y);

// The inverse of gaussianRanks on the sample it ranked: a normal score back
// to a loss, by linear interpolation between the observed (score, loss)
// pairs and clamped to the smallest and largest loss beyond them. What a
// rank-warped GP's prediction means in the losses' units.
class RankQuantiles {
  public:
    explicit RankQuantiles(const Eigen::VectorXd& y);
    double operator()(double z) const;

  private:
    std::vector<double> m_scores;  // ascending, one per distinct loss
    std::vector<double> m_losses;
};

struct WarpedFit {
    OutputWarping warping;
    GaussianProcess gp;  // fitted on warping.apply(y)
    double evidence = 0.0;
};

// How much more log evidence than the identity a transform needs to be
// kept: a Bayes factor of 30 ("very strong" on Jeffreys' scale). The best of
// eight challengers is the maximum of noisy estimates, and on a handful of
// observations one often edges out the identity by chance (Ackley at 6-8
// trials: by 0.2-3 nats); a warping chosen then steers the whole search.
// Genuinely heavy-tailed losses clear it quickly (Rosenbrock: 9 nats at 13
// trials, 75 at 95).
inline constexpr double kOutputWarpingMargin = 3.4;

// Chooses the transform of y of highest warpedEvidence (type-II maximum
// likelihood over the transform): fits `gp` (its kernel and current
// hyperparameters as the start; `identityFit` as GaussianProcess::fit takes
// it) on y, scores every other candidate at those hyperparameters, refits the
// best of them and keeps it if its evidence beats the identity's by `margin`.
WarpedFit fitWithOutputWarping(const GaussianProcess& gp, const Eigen::MatrixXd& X,
                               const Eigen::VectorXd& y, Rng& rng,
                               const GpFitOptions& identityFit = {},
                               double margin = kOutputWarpingMargin);

}  // namespace bonsai

#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "gp/kernel.h"
#include "util/random.h"

namespace bonsai {

// Posterior of the latent function at one point, in the original units of y.
struct Prediction {
    double mean = 0.0;
    double variance = 0.0;
};

struct PredictionGradient {
    Prediction value;
    Eigen::VectorXd meanGradient;      // d mean / dx (zero on categorical inputs)
    Eigen::VectorXd varianceGradient;  // d variance / dx (zero on categorical inputs)
};

struct BatchPrediction {
    Eigen::VectorXd mean;
    Eigen::VectorXd variance;
};

// Random restarts of a warm-started fit (GpFitOptions::warmStart) once the
// data is larger than kWarmRestartsAbove: only when the number of
// observations is a multiple of kWarmRestartEvery. In between, the previous
// suggestion's hyperparameters are the only start. They are a mode of a
// posterior that one observation changes little, and the restarts cost over
// half of a suggestion at 100 trials (README, "Warm-started fits restart on
// a schedule").
inline constexpr Eigen::Index kWarmRestartsAbove = 60;
inline constexpr Eigen::Index kWarmRestartEvery = 4;

struct GpFitOptions {
    int starts = 0;          // optimizer starts (warm start first); 0 picks by data size
    int maxEvaluations = 0;  // per start; 0 picks by data size
    // The current hyperparameters are a previous fit's on most of this data,
    // so `starts` = 0 may pick one start (kWarmRestartEvery).
    bool warmStart = false;
};

struct GpFitReport {
    double objective = 0.0;  // best log marginal likelihood + log prior
    int evaluations = 0;
    int starts = 0;
};

// Gaussian process regression with MAP hyperparameters (Rasmussen & Williams
// 2006, Alg. 2.1 and eq. 5.8-5.9):
//
//   y = f(x) + eps,  f ~ GP(0, k),  eps ~ N(0, s_n^2)   (y standardized)
//   log p(y | theta) = -1/2 y^T K^{-1} y - 1/2 log|K| - n/2 log(2 pi),  K = K_f + s_n^2 I
//   d/dtheta_p       = 1/2 tr((a a^T - K^{-1}) dK/dtheta_p),  a = K^{-1} y
//
// Inputs are rows in the unit cube; y is standardized internally (mean, sample
// standard deviation; 1 for constant or single y) and predictions are returned
// in the original units. Hyperparameters, all in log space:
//
//   [log outputscale, log lengthscale_0..d-1 (kernel), log noise variance]
//
// MAP priors (densities of the positive parameter, as GPyTorch evaluates them):
//   lengthscale ~ LogNormal(sqrt(2) + log(d) / 2, sqrt(3))  (Hvarfner et al. 2024,
//                 "Vanilla Bayesian Optimization Performs Great in High Dimensions";
//                 the BoTorch >= 0.12 default)
//   noise       ~ LogNormal(-4, 1)                           (BoTorch >= 0.12 default)
//   outputscale ~ LogNormal(0, 1)      (centred on the unit variance of standardized y)
// with the noise floored at 1e-6 (standardized units) by its bounds, and the
// lengthscales of continuous and ordinal inputs bounded by 2 (unit-cube
// widths): longer ones make a coordinate look linear across the cube, which
// pins the search to one face (see upperBounds()).
//
// Cholesky factorizations check LLT::info() and retry with escalating jitter;
// duplicate points, constant y, a single point and extreme magnitudes all give
// finite predictions, and no data gives the prior.
class GaussianProcess {
  public:
    explicit GaussianProcess(std::unique_ptr<Kernel> kernel);
    GaussianProcess(const GaussianProcess& other);
    GaussianProcess& operator=(const GaussianProcess& other);
    GaussianProcess(GaussianProcess&&) noexcept = default;
    GaussianProcess& operator=(GaussianProcess&&) noexcept = default;
    ~GaussianProcess();

    const Kernel& kernel() const { return *m_kernel; }
    Eigen::Index inputDim() const { return m_kernel->inputDim(); }

    // Replaces the data (rows of X with a non-finite coordinate or y are
    // dropped) and refactorizes with the current hyperparameters.
    void setData(const Eigen::MatrixXd& X, const Eigen::VectorXd& y);
    // Appends observations keeping the hyperparameters: y is re-standardized
    // over all the data and the Cholesky factor is extended by a block
    // (rank-m) update, O(n^2 m + m^3) instead of the O((n + m)^3) of setData
    // on the concatenation, which it equals up to round-off. Fantasies are
    // dropped first; rows with a non-finite coordinate or y are skipped.
    void appendData(const Eigen::MatrixXd& X, const Eigen::VectorXd& y);
    Eigen::Index size() const { return m_X.rows(); }
    const Eigen::MatrixXd& inputs() const { return m_X; }
    // The observed outputs as given (without fantasies).
    const Eigen::VectorXd& outputs() const { return m_yRaw; }
    double outputMean() const { return m_yMean; }
    double outputStd() const { return m_yStd; }

    Eigen::Index hyperparameterCount() const { return m_kernel->paramCount() + 1; }
    Eigen::VectorXd hyperparameters() const;
    // Sets the hyperparameters (not clamped to the bounds) and refactorizes.
    void setHyperparameters(const Eigen::VectorXd& theta);
    std::vector<std::string> hyperparameterNames() const;
    Eigen::VectorXd lowerBounds() const;
    Eigen::VectorXd upperBounds() const;
    // The maximum of the log prior: where fitting starts without a warm start.
    Eigen::VectorXd defaultHyperparameters() const;
    // Noise variance in the original units of y.
    double noiseVariance() const;
    // Jitter added to the diagonal by the last factorization (standardized units).
    double jitter() const { return m_jitter; }

    // At the current hyperparameters, on the standardized data.
    double logMarginalLikelihood() const;
    double logPrior() const { return logPrior(hyperparameters(), nullptr); }
    double logPrior(const Eigen::VectorXd& theta, Eigen::VectorXd* gradient) const;
    // Log marginal likelihood + log prior at theta, and its gradient w.r.t.
    // theta if asked; -infinity if K cannot be factorized even with jitter.
    double fitObjective(const Eigen::VectorXd& theta, Eigen::VectorXd* gradient) const;

    // fitObjective() at the current hyperparameters on other outputs `y` at
    // the same inputs (one per observation; no fantasies), standardized as
    // setData(inputs(), y) would standardize them, reusing this factorization:
    // the same number as GaussianProcess(*this).setData(inputs(), y) then
    // fitObjective(hyperparameters()), for O(n^2) instead of O(n^3).
    // `outputStd` receives that standardization's scale (outputStd()).
    double fitObjectiveFor(const Eigen::VectorXd& y, double& outputStd) const;

    // MAP hyperparameters by L-BFGS (NLopt LD_LBFGS) within the bounds, from
    // the current hyperparameters (warm start), the prior's maximum and random
    // draws from the prior. Fantasies added before are dropped first.
    GpFitReport fit(Rng& rng, const GpFitOptions& options = {});

    Prediction predict(const Eigen::VectorXd& x) const;
    // One prediction per row of X.
    BatchPrediction predictMany(const Eigen::MatrixXd& X) const;
    PredictionGradient predictWithGradient(const Eigen::VectorXd& x) const;
    // predictMany()'s means, and upper bounds of its variances for O(n) per
    // row instead of O(n^2): the variance given only the observation most
    // correlated with the row, k(x, x) - max_a k(x, x_a)^2 / K_aa (conditioning
    // on more data never raises it), plus a margin for round-off. For
    // acquisitions that grow with the variance this bounds their values.
    BatchPrediction predictWithVarianceBound(const Eigen::MatrixXd& X) const;

    // Kriging believer: conditions on `pending` rows observed at their current
    // posterior mean, without refitting hyperparameters or re-standardizing
    // (the mean is unchanged, the variance shrinks around pending points).
    void addFantasies(const Eigen::MatrixXd& pending);
    GaussianProcess withFantasies(const Eigen::MatrixXd& pending) const;
    Eigen::Index fantasyCount() const { return m_fantasies; }

  private:
    // Prior and posterior mean of X's rows in the original units; the
    // variance is the prior minus what `reduceVariance(Kt, varStd)` takes
    // off given Kt = k(inputs, X) (standardized, floored, then scaled).
    BatchPrediction predictBatch(
        const Eigen::MatrixXd& X,
        const std::function<void(Eigen::MatrixXd&, Eigen::VectorXd&)>& reduceVariance) const;
    void factorize();
    // Extends m_L, the factor of the first `known` rows of m_X, to every row
    // by a block Cholesky update; false (m_L unchanged) if the new diagonal
    // block cannot be factorized.
    bool extendFactor(Eigen::Index known);
    void solveAlpha();
    // Appends the rows with finite values to m_X and m_yRaw; returns how many.
    Eigen::Index appendRows(const Eigen::MatrixXd& X, const Eigen::VectorXd& y);
    void standardize();  // m_y, m_yMean, m_yStd from m_yRaw
    // (raw - mean) / std with standardize()'s mean and std.
    static Eigen::VectorXd standardized(const Eigen::VectorXd& raw, double& mean, double& std);
    bool factorizeWith(const Eigen::VectorXd& theta);
    double noiseStd2() const { return std::exp(m_logNoise); }
    double evaluate(Kernel& kernel, const Eigen::VectorXd& theta, Eigen::VectorXd* gradient) const;
    const PairwiseDistances& pairs() const;
    void dropFantasies();

    std::unique_ptr<Kernel> m_kernel;
    double m_logNoise = 0.0;
    Eigen::MatrixXd m_X;
    Eigen::VectorXd m_y;     // standardized
    Eigen::VectorXd m_yRaw;  // observed, without fantasies
    double m_yMean = 0.0;
    double m_yStd = 1.0;
    Eigen::Index m_fantasies = 0;

    // Factorization at the current hyperparameters.
    Eigen::MatrixXd m_L;
    Eigen::VectorXd m_alpha;
    double m_jitter = 0.0;
    bool m_conditioned = false;  // false: predictions are the prior

    mutable std::shared_ptr<const PairwiseDistances> m_pairs;
};

}  // namespace bonsai

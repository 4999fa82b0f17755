#pragma once

#include <optional>
#include <vector>

#include "acquisition/acquisition.h"
#include "gp/gaussian_process.h"

// Constraint-weighted acquisition (Gardner et al., "Bayesian Optimization with
// Inequality Constraints", ICML 2014): each constrained quantity has its own
// GP, and the acquisition is weighted by the probability that every quantity
// lands within its bounds at the candidate point.
namespace bonsai {

// log Phi(z), finite far into the lower tail (where Phi underflows).
double logNormalCdf(double z);

// log P(low <= q <= high) for q ~ N(mean, variance) (a missing bound is
// infinite) and its derivatives with respect to mean and variance.
struct LogFeasibility {
    double value = 0.0;
    double dMean = 0.0;
    double dVariance = 0.0;
};
LogFeasibility logProbabilityWithin(double mean, double variance, std::optional<double> low,
                                    std::optional<double> high);

// A model of one constrained quantity and its bounds.
struct FeasibilityModel {
    GaussianProcess gp;
    std::optional<double> low;
    std::optional<double> high;
};

// Sum over the models of log PoF, one per row of X; and at one point with its
// gradient with respect to x.
Eigen::VectorXd logFeasibility(const std::vector<FeasibilityModel>& models,
                               const Eigen::MatrixXd& X);
double logFeasibility(const std::vector<FeasibilityModel>& models, const Eigen::VectorXd& x,
                      Eigen::VectorXd& gradient);

// The acquisition weighted by the probability of feasibility PoF(x) (the
// product over models): log acquisition + sum of log PoF when `logSpace`
// (logei), acquisition * PoF otherwise (ei, pi). Without an acquisition (no
// feasible incumbent yet, so no improvement to expect) the target is PoF
// alone, or log PoF in log space (Gelbart et al. 2014). Holds references:
// the models must outlive it.
class FeasibilityWeightedTarget final : public AcquisitionTarget {
  public:
    FeasibilityWeightedTarget(const Acquisition* acquisition, const GaussianProcess& gp,
                              double best, const std::vector<FeasibilityModel>& constraints,
                              bool logSpace, double varianceScale = 1.0);

    // Sum of log PoF over the models, one per row of X.
    Eigen::VectorXd logFeasibility(const Eigen::MatrixXd& X) const;
    Eigen::VectorXd values(const Eigen::MatrixXd& X) const override;
    double valueAndGradient(const Eigen::VectorXd& x, Eigen::VectorXd& gradient) const override;

  private:
    const Acquisition* m_acquisition;
    const GaussianProcess& m_gp;
    double m_best;
    const std::vector<FeasibilityModel>& m_constraints;
    bool m_logSpace;
    double m_varianceScale;  // on the objective's variance, as BoundAcquisition's
};

}  // namespace bonsai

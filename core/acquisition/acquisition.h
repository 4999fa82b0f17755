#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "gp/gaussian_process.h"

namespace bonsai {

// An acquisition as a function of the posterior at one point: its value and
// partial derivatives with respect to the predictive mean and variance.
struct AcquisitionValue {
    double value = 0.0;
    double dMean = 0.0;
    double dVariance = 0.0;
};

struct AcquisitionOptions {
    double beta = 2.0;  // UCB exploration weight: mu - sqrt(beta) sigma
};

// Acquisition functions for MINIMIZING an objective: the incumbent `best` is
// the lowest loss seen, the improvement of a value f is best - f, and a larger
// acquisition value is always more desirable. With z = (best - mu) / sigma,
// sigma^2 the latent posterior variance, and h(z) = phi(z) + z Phi(z):
//   ei:    sigma h(z)                         (Jones et al. 1998)
//   logei: log sigma + log h(z), stable where EI underflows (Ament et al. 2023)
//   pi:    Phi(z)                             (Kushner 1964)
//   ucb:   -(mu - sqrt(beta) sigma), the lower confidence bound of the loss
//          negated (Srinivas et al. 2010)
// Gradients with respect to x chain through GaussianProcess::predictWithGradient.
class Acquisition {
  public:
    virtual ~Acquisition() = default;
    virtual std::string name() const = 0;
    virtual std::unique_ptr<Acquisition> clone() const = 0;

    // `variance` is clamped below at a tiny positive value by the callers'
    // model, so sigma > 0 here.
    virtual AcquisitionValue evaluate(double mean, double variance, double best) const = 0;

    // `varianceScale` multiplies the GP's posterior variance before the
    // acquisition sees it; below 1 it exploits more (the gp's exploit_last).
    double value(const GaussianProcess& gp, const Eigen::VectorXd& x, double best) const;
    double valueAndGradient(const GaussianProcess& gp, const Eigen::VectorXd& x, double best,
                            Eigen::VectorXd& gradient, double varianceScale = 1.0) const;
    // One value per row of X (batched posterior).
    Eigen::VectorXd values(const GaussianProcess& gp, const Eigen::MatrixXd& X, double best,
                           double varianceScale = 1.0) const;
    // Whether the value never decreases as the variance grows at a fixed
    // mean (EI, LogEI, UCB; not PI): then values at upper bounds of the
    // variance bound the values.
    virtual bool increasesWithVariance() const { return false; }
    // One value per entry of `prediction`.
    Eigen::VectorXd values(const BatchPrediction& prediction, double best) const;
};

class ExpectedImprovement final : public Acquisition {
  public:
    std::string name() const override { return "ei"; }
    std::unique_ptr<Acquisition> clone() const override;
    AcquisitionValue evaluate(double mean, double variance, double best) const override;
    bool increasesWithVariance() const override { return true; }
};

class LogExpectedImprovement final : public Acquisition {
  public:
    std::string name() const override { return "logei"; }
    std::unique_ptr<Acquisition> clone() const override;
    AcquisitionValue evaluate(double mean, double variance, double best) const override;
    bool increasesWithVariance() const override { return true; }
};

class ProbabilityOfImprovement final : public Acquisition {
  public:
    std::string name() const override { return "pi"; }
    std::unique_ptr<Acquisition> clone() const override;
    AcquisitionValue evaluate(double mean, double variance, double best) const override;
};

class UpperConfidenceBound final : public Acquisition {
  public:
    explicit UpperConfidenceBound(double beta = 2.0);
    std::string name() const override { return "ucb"; }
    std::unique_ptr<Acquisition> clone() const override;
    AcquisitionValue evaluate(double mean, double variance, double best) const override;
    bool increasesWithVariance() const override { return true; }
    double beta() const { return m_beta; }

  private:
    double m_beta;
};

// Name-keyed factory ("logei" default, "ei", "pi", "ucb"); throws
// std::invalid_argument naming the known acquisitions for any other name.
std::unique_ptr<Acquisition> makeAcquisition(const std::string& name,
                                             const AcquisitionOptions& options = {});
std::vector<std::string> acquisitionNames();

// What the maximizer climbs: values of many points at once for screening, and
// value + gradient at one point for refinement. Larger is better.
class AcquisitionTarget {
  public:
    virtual ~AcquisitionTarget() = default;
    virtual Eigen::VectorXd values(const Eigen::MatrixXd& X) const = 0;
    // Upper bounds of values(X), one per row, cheaper to compute (O(n) per
    // row instead of the variance's O(n^2)); nullopt when the target has none
    // (for any rows: the maximizer asks with none first).
    // The maximizer skips the exact value of rows bounded below a value it
    // has already seen. It computes the bounds of several row blocks at once
    // on different threads, so this must only read the target's state.
    virtual std::optional<Eigen::VectorXd> upperBounds(const Eigen::MatrixXd& X) const {
        (void)X;
        return std::nullopt;
    }
    virtual double valueAndGradient(const Eigen::VectorXd& x, Eigen::VectorXd& gradient) const = 0;
};

// An acquisition bound to a model, an incumbent and a variance scale (the
// acquisition and the model are held by reference and must outlive it).
class BoundAcquisition final : public AcquisitionTarget {
  public:
    BoundAcquisition(const Acquisition& acquisition, const GaussianProcess& gp, double best,
                     double varianceScale = 1.0)
        : m_acquisition(acquisition), m_gp(gp), m_best(best), m_varianceScale(varianceScale) {}
    Eigen::VectorXd values(const Eigen::MatrixXd& X) const override {
        return m_acquisition.values(m_gp, X, m_best, m_varianceScale);
    }
    std::optional<Eigen::VectorXd> upperBounds(const Eigen::MatrixXd& X) const override {
        if (!m_acquisition.increasesWithVariance())
            return std::nullopt;
        BatchPrediction bound = m_gp.predictWithVarianceBound(X);
        bound.variance *= m_varianceScale;
        return m_acquisition.values(bound, m_best);
    }
    double valueAndGradient(const Eigen::VectorXd& x, Eigen::VectorXd& gradient) const override {
        return m_acquisition.valueAndGradient(m_gp, x, m_best, gradient, m_varianceScale);
    }

  private:
    const Acquisition& m_acquisition;
    const GaussianProcess& m_gp;
    double m_best;
    double m_varianceScale;
};

}  // namespace bonsai

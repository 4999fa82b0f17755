#include "acquisition/acquisition.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "acquisition/normal.h"

namespace bonsai {

using Eigen::VectorXd;

namespace {

// sigma and z = (best - mu) / sigma, guarding against a zero or non-finite variance.
struct Standardized {
    double sigma;
    double z;
};

Standardized standardize(double mean, double variance, double best) {
    const double var = variance > std::numeric_limits<double>::min()
                           ? variance
                           : std::numeric_limits<double>::min();
    const double sigma = std::sqrt(var);
    return {sigma, (best - mean) / sigma};
}

}  // namespace

double Acquisition::value(const GaussianProcess& gp, const VectorXd& x, double best) const {
    const Prediction p = gp.predict(x);
    return evaluate(p.mean, p.variance, best).value;
}

double Acquisition::valueAndGradient(const GaussianProcess& gp, const VectorXd& x, double best,
                                     VectorXd& gradient, double varianceScale) const {
    const PredictionGradient p = gp.predictWithGradient(x);
    const AcquisitionValue a = evaluate(p.value.mean, varianceScale * p.value.variance, best);
    gradient = a.dMean * p.meanGradient + varianceScale * a.dVariance * p.varianceGradient;
    return a.value;
}

VectorXd Acquisition::values(const GaussianProcess& gp, const Eigen::MatrixXd& X, double best,
                             double varianceScale) const {
    BatchPrediction prediction = gp.predictMany(X);
    prediction.variance *= varianceScale;
    return values(prediction, best);
}

VectorXd Acquisition::values(const BatchPrediction& p, double best) const {
    VectorXd out(p.mean.size());
    for (Eigen::Index i = 0; i < p.mean.size(); ++i)
        out[i] = evaluate(p.mean[i], p.variance[i], best).value;
    return out;
}

// dEI/dmu = -Phi(z), dEI/dsigma = phi(z), dsigma/dvar = 1 / (2 sigma).
AcquisitionValue ExpectedImprovement::evaluate(double mean, double variance, double best) const {
    const auto [sigma, z] = standardize(mean, variance, best);
    return {sigma * expectedImprovementH(z), -normalCdf(z), normalPdf(z) / (2.0 * sigma)};
}

// d log EI / dmu = -(Phi/h)(z) / sigma;
// d log EI / dsigma = 1 / sigma - z (Phi/h)(z) / sigma.
AcquisitionValue LogExpectedImprovement::evaluate(double mean, double variance, double best) const {
    const auto [sigma, z] = standardize(mean, variance, best);
    const double slope = logExpectedImprovementHSlope(z);
    const double dSigma = (1.0 - z * slope) / sigma;
    return {std::log(sigma) + logExpectedImprovementH(z), -slope / sigma, dSigma / (2.0 * sigma)};
}

// dPI/dmu = -phi(z) / sigma, dPI/dsigma = -z phi(z) / sigma.
AcquisitionValue ProbabilityOfImprovement::evaluate(double mean, double variance,
                                                    double best) const {
    const auto [sigma, z] = standardize(mean, variance, best);
    const double pdf = normalPdf(z);
    return {normalCdf(z), -pdf / sigma, -z * pdf / sigma / (2.0 * sigma)};
}

UpperConfidenceBound::UpperConfidenceBound(double beta) : m_beta(beta) {
    if (!(beta >= 0.0) || !std::isfinite(beta)) {
        throw std::invalid_argument("ucb beta must be a finite number >= 0");
    }
}

AcquisitionValue UpperConfidenceBound::evaluate(double mean, double variance, double best) const {
    const double sigma = standardize(mean, variance, best).sigma;
    const double root = std::sqrt(m_beta);
    return {-mean + root * sigma, -1.0, root / (2.0 * sigma)};
}

std::unique_ptr<Acquisition> ExpectedImprovement::clone() const {
    return std::make_unique<ExpectedImprovement>(*this);
}
std::unique_ptr<Acquisition> LogExpectedImprovement::clone() const {
    return std::make_unique<LogExpectedImprovement>(*this);
}
std::unique_ptr<Acquisition> ProbabilityOfImprovement::clone() const {
    return std::make_unique<ProbabilityOfImprovement>(*this);
}
std::unique_ptr<Acquisition> UpperConfidenceBound::clone() const {
    return std::make_unique<UpperConfidenceBound>(*this);
}

std::vector<std::string> acquisitionNames() {
    return {"logei", "ei", "pi", "ucb"};
}

std::unique_ptr<Acquisition> makeAcquisition(const std::string& name,
                                             const AcquisitionOptions& options) {
    if (name == "logei")
        return std::make_unique<LogExpectedImprovement>();
    if (name == "ei")
        return std::make_unique<ExpectedImprovement>();
    if (name == "pi")
        return std::make_unique<ProbabilityOfImprovement>();
    if (name == "ucb")
        return std::make_unique<UpperConfidenceBound>(options.beta);
    std::string known;
    for (const std::string& k : acquisitionNames())
        known += (known.empty() ? "" : ", ") + k;
    throw std::invalid_argument("unknown acquisition '" + name + "'; known acquisitions: " + known);
}

}  // namespace bonsai

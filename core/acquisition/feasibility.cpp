#include "acquisition/feasibility.h"

#include <cmath>
#include <limits>

#include "acquisition/normal.h"

namespace bonsai {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double logNormalPdf(double z) {
    return -0.5 * z * z - 0.5 * std::log(2.0 * M_PI);
}

}  // namespace

// Phi(z) = erfcx(-z / sqrt 2) exp(-z^2 / 2) / 2 for z < 0, which stays finite
// in log space long after Phi itself underflows (z < -38).
double logNormalCdf(double z) {
    if (z == -kInf)
        return -kInf;
    if (z >= 0)
        return std::log1p(-normalCdf(-z));
    return std::log(0.5 * erfcx(-z / std::sqrt(2.0))) - 0.5 * z * z;
}

LogFeasibility logProbabilityWithin(double mean, double variance, std::optional<double> low,
                                    std::optional<double> high) {
    const double sigma = std::sqrt(std::max(variance, std::numeric_limits<double>::min()));
    const double a = low ? (*low - mean) / sigma : -kInf;
    const double b = high ? (*high - mean) / sigma : kInf;
    // P = Phi(b) - Phi(a) = Phi(-a) - Phi(-b): take the form whose terms are
    // not both near 1, so the difference keeps its digits.
    const bool mirrored = a > 0;
    const double upper = mirrored ? -a : b, lower = mirrored ? -b : a;
    const double logUpper = logNormalCdf(upper);
    LogFeasibility out;
    out.value = lower == -kInf ? logUpper : logUpper + log1mexp(logNormalCdf(lower) - logUpper);
    if (!std::isfinite(out.value) || b <= a) {
        out.value = -std::numeric_limits<double>::max();  // impossible: ordered, never NaN
        return out;
    }
    // dP/da = -phi(a), dP/db = phi(b); da/dmean = db/dmean = -1/sigma,
    // da/dsigma = -a/sigma, db/dsigma = -b/sigma; divided by P for the log.
    auto ratio = [&](double z) {
        return std::isfinite(z) ? std::exp(logNormalPdf(z) - out.value) : 0.0;
    };
    const double ra = ratio(a), rb = ratio(b);
    const double za = std::isfinite(a) ? a * ra : 0.0, zb = std::isfinite(b) ? b * rb : 0.0;
    out.dMean = (ra - rb) / sigma;
    const double dSigma = (za - zb) / sigma;
    out.dVariance = dSigma / (2.0 * sigma);
    return out;
}

FeasibilityWeightedTarget::FeasibilityWeightedTarget(
    const Acquisition* acquisition, const GaussianProcess& gp, double best,
    const std::vector<FeasibilityModel>& constraints, bool logSpace, double varianceScale)
    : m_acquisition(acquisition),
      m_gp(gp),
      m_best(best),
      m_constraints(constraints),
      m_logSpace(logSpace),
      m_varianceScale(varianceScale) {}

Eigen::VectorXd logFeasibility(const std::vector<FeasibilityModel>& models,
                               const Eigen::MatrixXd& X) {
    Eigen::VectorXd total = Eigen::VectorXd::Zero(X.rows());
    for (const FeasibilityModel& model : models) {
        BatchPrediction p = model.gp.predictMany(X);
        for (Eigen::Index i = 0; i < X.rows(); ++i)
            total[i] += logProbabilityWithin(p.mean[i], p.variance[i], model.low, model.high).value;
    }
    return total;
}

double logFeasibility(const std::vector<FeasibilityModel>& models, const Eigen::VectorXd& x,
                      Eigen::VectorXd& gradient) {
    double total = 0.0;
    gradient = Eigen::VectorXd::Zero(x.size());
    for (const FeasibilityModel& model : models) {
        PredictionGradient p = model.gp.predictWithGradient(x);
        LogFeasibility f =
            logProbabilityWithin(p.value.mean, p.value.variance, model.low, model.high);
        total += f.value;
        gradient += f.dMean * p.meanGradient + f.dVariance * p.varianceGradient;
    }
    return total;
}

Eigen::VectorXd FeasibilityWeightedTarget::logFeasibility(const Eigen::MatrixXd& X) const {
    return bonsai::logFeasibility(m_constraints, X);
}

Eigen::VectorXd FeasibilityWeightedTarget::values(const Eigen::MatrixXd& X) const {
    Eigen::VectorXd logPof = logFeasibility(X);
    if (!m_acquisition)
        return m_logSpace ? logPof : Eigen::VectorXd(logPof.array().exp());
    Eigen::VectorXd base = m_acquisition->values(m_gp, X, m_best, m_varianceScale);
    return m_logSpace ? Eigen::VectorXd(base + logPof)
                      : Eigen::VectorXd(base.array() * logPof.array().exp());
}

double FeasibilityWeightedTarget::valueAndGradient(const Eigen::VectorXd& x,
                                                   Eigen::VectorXd& gradient) const {
    Eigen::VectorXd logPofGradient;
    const double logPof = bonsai::logFeasibility(m_constraints, x, logPofGradient);
    double base = m_logSpace ? 0.0 : 1.0;
    Eigen::VectorXd baseGradient = Eigen::VectorXd::Zero(x.size());
    if (m_acquisition)
        base = m_acquisition->valueAndGradient(m_gp, x, m_best, baseGradient, m_varianceScale);
    if (m_logSpace) {
        gradient = baseGradient + logPofGradient;
        return base + logPof;
    }
    const double pof = std::exp(logPof);
    gradient = pof * (baseGradient + base * logPofGradient);
    return base * pof;
}

}  // namespace bonsai

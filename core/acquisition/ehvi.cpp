#include "acquisition/ehvi.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "acquisition/normal.h"

namespace bonsai {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kMinVariance = 1e-12;

// g(c) = E[(c - y)_+] for y ~ N(mean, sigma^2), and its derivatives with
// respect to the mean (-Phi(z)) and the variance (phi(z) / (2 sigma)).
struct Partial {
    double value = 0.0, dMean = 0.0, dVariance = 0.0;
};

Partial partialExpectation(double c, double mean, double sigma) {
    if (c == -kInf)
        return {};
    const double z = (c - mean) / sigma;
    return {sigma * expectedImprovementH(z), -normalCdf(z), normalPdf(z) / (2.0 * sigma)};
}

// g(c) alone, as partialExpectation(c, mean, sigma).value.
double partialExpectationValue(double c, double mean, double sigma) {
    if (c == -kInf)
        return 0.0;
    return sigma * expectedImprovementH((c - mean) / sigma);
}

}  // namespace

ExpectedHypervolumeImprovement2d::ExpectedHypervolumeImprovement2d(const std::vector<Point>& points,
                                                                   Point reference)
    : m_reference(reference) {
    std::vector<Point> inside;
    for (const Point& p : points)
        if (std::isfinite(p[0]) && std::isfinite(p[1]) && p[0] < reference[0] &&
            p[1] < reference[1])
            inside.push_back(p);
    std::sort(inside.begin(), inside.end());
    // Sorted by the first loss (ties by the second): a point is on the front
    // when its second loss is below every earlier one.
    double lowest = kInf;
    for (const Point& p : inside)
        if (p[1] < lowest) {
            m_front.push_back(p);
            lowest = p[1];
        }
}

double ExpectedHypervolumeImprovement2d::improvement(const Point& y) const {
    const std::size_t k = m_front.size();
    double total = 0.0;
    for (std::size_t i = 0; i <= k; ++i) {
        const double left = i == 0 ? -kInf : m_front[i - 1][0];
        const double right = i == k ? m_reference[0] : m_front[i][0];
        const double top = i == 0 ? m_reference[1] : m_front[i - 1][1];
        const double width = right - std::max(y[0], left);
        const double height = top - y[1];
        if (width > 0 && height > 0)
            total += width * height;
    }
    return total;
}

double ExpectedHypervolumeImprovement2d::hypervolume() const {
    double total = 0.0;
    for (std::size_t i = 0; i < m_front.size(); ++i) {
        const double right = i + 1 == m_front.size() ? m_reference[0] : m_front[i + 1][0];
        total += (right - m_front[i][0]) * (m_reference[1] - m_front[i][1]);
    }
    return total;
}

ExpectedHypervolumeImprovement2d::Value ExpectedHypervolumeImprovement2d::evaluate(
    const Point& mean, const Point& variance) const {
    const double s1 = std::sqrt(std::max(variance[0], kMinVariance));
    const double s2 = std::sqrt(std::max(variance[1], kMinVariance));
    const std::size_t k = m_front.size();
    Value out;
    // g_1 at the strip edges a_0..a_{k+1}: each is shared by two strips.
    Partial leftEdge = {};  // g_1(a_0 = -inf) = 0
    for (std::size_t i = 0; i <= k; ++i) {
        const double right = i == k ? m_reference[0] : m_front[i][0];
        const double top = i == 0 ? m_reference[1] : m_front[i - 1][1];
        const Partial rightEdge = partialExpectation(right, mean[0], s1);
        const Partial height = partialExpectation(top, mean[1], s2);
        const double width = rightEdge.value - leftEdge.value;
        out.value += width * height.value;
        out.dMean[0] += (rightEdge.dMean - leftEdge.dMean) * height.value;
        out.dVariance[0] += (rightEdge.dVariance - leftEdge.dVariance) * height.value;
        out.dMean[1] += width * height.dMean;
        out.dVariance[1] += width * height.dVariance;
        leftEdge = rightEdge;
    }
    if (variance[0] < kMinVariance)
        out.dVariance[0] = 0.0;
    if (variance[1] < kMinVariance)
        out.dVariance[1] = 0.0;
    return out;
}

double ExpectedHypervolumeImprovement2d::value(const Point& mean, const Point& variance) const {
    // evaluate()'s value, term for term, without the derivatives.
    const double s1 = std::sqrt(std::max(variance[0], kMinVariance));
    const double s2 = std::sqrt(std::max(variance[1], kMinVariance));
    const std::size_t k = m_front.size();
    double total = 0.0;
    double leftEdge = 0.0;  // g_1(a_0 = -inf) = 0
    for (std::size_t i = 0; i <= k; ++i) {
        const double right = i == k ? m_reference[0] : m_front[i][0];
        const double top = i == 0 ? m_reference[1] : m_front[i - 1][1];
        const double rightEdge = partialExpectationValue(right, mean[0], s1);
        const double height = partialExpectationValue(top, mean[1], s2);
        total += (rightEdge - leftEdge) * height;
        leftEdge = rightEdge;
    }
    return total;
}

EhviTarget::EhviTarget(const GaussianProcess& first, const GaussianProcess& second,
                       ExpectedHypervolumeImprovement2d ehvi,
                       const std::vector<FeasibilityModel>& constraints)
    : m_first(first), m_second(second), m_ehvi(std::move(ehvi)), m_constraints(constraints) {}

Eigen::VectorXd EhviTarget::probabilityFeasible(const Eigen::MatrixXd& X) const {
    return logFeasibility(m_constraints, X).array().exp();
}

Eigen::VectorXd EhviTarget::values(const Eigen::MatrixXd& X) const {
    const BatchPrediction a = m_first.predictMany(X), b = m_second.predictMany(X);
    Eigen::VectorXd out(X.rows());
    for (Eigen::Index i = 0; i < X.rows(); ++i)
        out[i] = m_ehvi.value({a.mean[i], b.mean[i]}, {a.variance[i], b.variance[i]});
    if (!m_constraints.empty())
        out = out.cwiseProduct(probabilityFeasible(X));
    return out;
}

std::optional<Eigen::VectorXd> EhviTarget::upperBounds(const Eigen::MatrixXd& X) const {
    if (!m_constraints.empty())
        return std::nullopt;
    const BatchPrediction a = m_first.predictWithVarianceBound(X);
    const BatchPrediction b = m_second.predictWithVarianceBound(X);
    Eigen::VectorXd out(X.rows());
    for (Eigen::Index i = 0; i < X.rows(); ++i)
        out[i] = m_ehvi.value({a.mean[i], b.mean[i]}, {a.variance[i], b.variance[i]});
    return out;
}

double EhviTarget::valueAndGradient(const Eigen::VectorXd& x, Eigen::VectorXd& gradient) const {
    const PredictionGradient a = m_first.predictWithGradient(x);
    const PredictionGradient b = m_second.predictWithGradient(x);
    const auto e =
        m_ehvi.evaluate({a.value.mean, b.value.mean}, {a.value.variance, b.value.variance});
    gradient = e.dMean[0] * a.meanGradient + e.dVariance[0] * a.varianceGradient +
               e.dMean[1] * b.meanGradient + e.dVariance[1] * b.varianceGradient;
    if (m_constraints.empty())
        return e.value;
    Eigen::VectorXd logPofGradient;
    const double logPof = logFeasibility(m_constraints, x, logPofGradient);
    const double pof = std::exp(logPof);
    gradient = pof * (gradient + e.value * logPofGradient);
    return e.value * pof;
}

}  // namespace bonsai

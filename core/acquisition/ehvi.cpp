#include "acquisition/ehvi.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "acquisition/normal.h"
#include "multi/pareto.h"

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

ExpectedHypervolumeImprovement::ExpectedHypervolumeImprovement(const std::vector<Point>& points,
                                                               Point reference)
    : m_reference(std::move(reference)) {
    const std::size_t m = m_reference.size();
    if (m < 2)
        throw std::invalid_argument("EHVI needs at least two objectives");
    std::vector<Point> inside;
    for (const Point& p : points) {
        if (p.size() != m)
            throw std::invalid_argument("EHVI: a point's size differs from the reference's");
        bool within = true;
        for (std::size_t j = 0; j < m; ++j)
            within = within && std::isfinite(p[j]) && p[j] < m_reference[j];
        if (within)
            inside.push_back(p);
    }
    // The front in lexicographic order, each point once (paretoFront keeps
    // duplicates, which would only split cells).
    std::sort(inside.begin(), inside.end());
    inside.erase(std::unique(inside.begin(), inside.end()), inside.end());
    for (std::size_t i : paretoFront(inside))
        m_front.push_back(inside[i]);

    // The grid over the first m - 1 losses, and the last loss's tops.
    auto distinctValues = [&](std::size_t j) {
        std::vector<double> values;
        for (const Point& p : m_front)
            values.push_back(p[j]);
        std::sort(values.begin(), values.end());
        values.erase(std::unique(values.begin(), values.end()), values.end());
        return values;
    };
    for (std::size_t j = 0; j + 1 < m; ++j) {
        std::vector<double> edges{-kInf};
        for (double v : distinctValues(j))
            edges.push_back(v);
        edges.push_back(m_reference[j]);
        m_edges.push_back(std::move(edges));
    }
    m_tops = distinctValues(m - 1);
    m_tops.push_back(m_reference[m - 1]);

    // Every cell, in lexicographic order of its lower indices (the first
    // loss slowest): its top is the lowest last loss of the front points at
    // or below its lower corner in the first m - 1 losses.
    std::vector<int> lower(m - 1, 0);
    for (;;) {
        double top = m_reference[m - 1];
        for (const Point& p : m_front) {
            bool below = true;
            for (std::size_t j = 0; j + 1 < m && below; ++j)
                below = p[j] <= m_edges[j][static_cast<std::size_t>(lower[j])];
            if (below)
                top = std::min(top, p[m - 1]);
        }
        m_cellLower.insert(m_cellLower.end(), lower.begin(), lower.end());
        m_cellTop.push_back(
            static_cast<int>(std::lower_bound(m_tops.begin(), m_tops.end(), top) - m_tops.begin()));
        // The next cell: count up in mixed radix, the last of the m - 1 fastest.
        std::size_t j = m - 1;
        while (j > 0) {
            --j;
            if (++lower[j] + 1 < static_cast<int>(m_edges[j].size()))
                break;
            lower[j] = 0;
            if (j == 0)
                return;
        }
    }
}

double ExpectedHypervolumeImprovement::improvement(const Point& y) const {
    const std::size_t m = m_reference.size(), grid = m - 1;
    double total = 0.0;
    for (std::size_t c = 0; c < m_cellTop.size(); ++c) {
        double volume = m_tops[static_cast<std::size_t>(m_cellTop[c])] - y[m - 1];
        for (std::size_t j = 0; j < grid && volume > 0; ++j) {
            const auto i = static_cast<std::size_t>(m_cellLower[c * grid + j]);
            volume *= m_edges[j][i + 1] - std::max(y[j], m_edges[j][i]);
        }
        if (volume > 0)
            total += volume;
    }
    return total;
}

double ExpectedHypervolumeImprovement::hypervolume() const {
    // Each cell's dominated part: the cell times [t, r_m]; cells reaching
    // -inf in some loss have t = r_m (no front point lies below them).
    const std::size_t m = m_reference.size(), grid = m - 1;
    double total = 0.0;
    for (std::size_t c = 0; c < m_cellTop.size(); ++c) {
        double volume = m_reference[m - 1] - m_tops[static_cast<std::size_t>(m_cellTop[c])];
        for (std::size_t j = 0; j < grid && volume > 0; ++j) {
            const auto i = static_cast<std::size_t>(m_cellLower[c * grid + j]);
            volume *= m_edges[j][i + 1] - m_edges[j][i];
        }
        if (volume > 0)
            total += volume;
    }
    return total;
}

struct ExpectedHypervolumeImprovement::Partials {
    // Per loss j < m - 1, g_j at its grid edges; then g_m at the tops.
    std::vector<std::vector<Partial>> edges;
    std::vector<Partial> tops;
};

ExpectedHypervolumeImprovement::Partials ExpectedHypervolumeImprovement::partials(
    const Point& mean, const Point& variance, bool derivatives) const {
    const std::size_t m = m_reference.size();
    auto at = [&](double c, std::size_t j) {
        const double sigma = std::sqrt(std::max(variance[j], kMinVariance));
        Partial p = derivatives ? partialExpectation(c, mean[j], sigma)
                                : Partial{partialExpectationValue(c, mean[j], sigma), 0.0, 0.0};
        if (variance[j] < kMinVariance)
            p.dVariance = 0.0;
        return p;
    };
    Partials out;
    out.edges.resize(m - 1);
    for (std::size_t j = 0; j + 1 < m; ++j)
        for (double edge : m_edges[j])
            out.edges[j].push_back(at(edge, j));
    for (double top : m_tops)
        out.tops.push_back(at(top, m - 1));
    return out;
}

ExpectedHypervolumeImprovement::Value ExpectedHypervolumeImprovement::evaluate(
    const Point& mean, const Point& variance) const {
    const std::size_t m = m_reference.size(), grid = m - 1;
    const Partials g = partials(mean, variance, true);
    Value out;
    out.dMean.assign(m, 0.0);
    out.dVariance.assign(m, 0.0);
    std::vector<Partial> factor(m);  // the cell's factor per loss and its derivatives
    for (std::size_t c = 0; c < m_cellTop.size(); ++c) {
        for (std::size_t j = 0; j < grid; ++j) {
            const auto i = static_cast<std::size_t>(m_cellLower[c * grid + j]);
            const Partial& low = g.edges[j][i];
            const Partial& high = g.edges[j][i + 1];
            factor[j] = {high.value - low.value, high.dMean - low.dMean,
                         high.dVariance - low.dVariance};
        }
        factor[grid] = g.tops[static_cast<std::size_t>(m_cellTop[c])];
        double product = factor[0].value;
        for (std::size_t j = 1; j < m; ++j)
            product *= factor[j].value;
        out.value += product;
        for (std::size_t j = 0; j < m; ++j) {
            double others = 1.0;
            for (std::size_t k = 0; k < m; ++k)
                if (k != j)
                    others *= factor[k].value;
            out.dMean[j] += factor[j].dMean * others;
            out.dVariance[j] += factor[j].dVariance * others;
        }
    }
    return out;
}

double ExpectedHypervolumeImprovement::value(const Point& mean, const Point& variance) const {
    // evaluate()'s value, term for term, without the derivatives.
    const std::size_t m = m_reference.size(), grid = m - 1;
    const Partials g = partials(mean, variance, false);
    double total = 0.0;
    for (std::size_t c = 0; c < m_cellTop.size(); ++c) {
        double product = 1.0;
        for (std::size_t j = 0; j < grid; ++j) {
            const auto i = static_cast<std::size_t>(m_cellLower[c * grid + j]);
            const double width = g.edges[j][i + 1].value - g.edges[j][i].value;
            product = j == 0 ? width : product * width;
        }
        total += product * g.tops[static_cast<std::size_t>(m_cellTop[c])].value;
    }
    return total;
}

EhviTarget::EhviTarget(const std::vector<GaussianProcess>& objectives,
                       ExpectedHypervolumeImprovement ehvi,
                       const std::vector<FeasibilityModel>& constraints, double varianceScale)
    : m_objectives(objectives),
      m_ehvi(std::move(ehvi)),
      m_constraints(constraints),
      m_varianceScale(varianceScale) {
    if (m_objectives.size() != m_ehvi.objectiveCount())
        throw std::invalid_argument("EhviTarget: one GP per objective");
}

Eigen::VectorXd EhviTarget::probabilityFeasible(const Eigen::MatrixXd& X) const {
    return logFeasibility(m_constraints, X).array().exp();
}

namespace {

// EHVI of every row of per-objective predictions.
Eigen::VectorXd ehviOfRows(const ExpectedHypervolumeImprovement& ehvi,
                           const std::vector<BatchPrediction>& predictions, Eigen::Index rows,
                           double varianceScale) {
    const std::size_t m = predictions.size();
    std::vector<double> mean(m), variance(m);
    Eigen::VectorXd out(rows);
    for (Eigen::Index i = 0; i < rows; ++i) {
        for (std::size_t j = 0; j < m; ++j) {
            mean[j] = predictions[j].mean[i];
            variance[j] = varianceScale * predictions[j].variance[i];
        }
        out[i] = ehvi.value(mean, variance);
    }
    return out;
}

}  // namespace

Eigen::VectorXd EhviTarget::values(const Eigen::MatrixXd& X) const {
    std::vector<BatchPrediction> predictions;
    for (const GaussianProcess& gp : m_objectives)
        predictions.push_back(gp.predictMany(X));
    Eigen::VectorXd out = ehviOfRows(m_ehvi, predictions, X.rows(), m_varianceScale);
    if (!m_constraints.empty())
        out = out.cwiseProduct(probabilityFeasible(X));
    return out;
}

std::optional<Eigen::VectorXd> EhviTarget::upperBounds(const Eigen::MatrixXd& X) const {
    if (!m_constraints.empty())
        return std::nullopt;
    std::vector<BatchPrediction> predictions;
    for (const GaussianProcess& gp : m_objectives)
        predictions.push_back(gp.predictWithVarianceBound(X));
    return ehviOfRows(m_ehvi, predictions, X.rows(), m_varianceScale);
}

double EhviTarget::valueAndGradient(const Eigen::VectorXd& x, Eigen::VectorXd& gradient) const {
    std::vector<PredictionGradient> predictions;
    std::vector<double> mean, variance;
    for (const GaussianProcess& gp : m_objectives) {
        predictions.push_back(gp.predictWithGradient(x));
        mean.push_back(predictions.back().value.mean);
        variance.push_back(m_varianceScale * predictions.back().value.variance);
    }
    const auto e = m_ehvi.evaluate(mean, variance);
    gradient = Eigen::VectorXd::Zero(x.size());
    for (std::size_t j = 0; j < predictions.size(); ++j)
        gradient += e.dMean[j] * predictions[j].meanGradient +
                    m_varianceScale * e.dVariance[j] * predictions[j].varianceGradient;
    if (m_constraints.empty())
        return e.value;
    Eigen::VectorXd logPofGradient;
    const double logPof = logFeasibility(m_constraints, x, logPofGradient);
    const double pof = std::exp(logPof);
    gradient = pof * (gradient + e.value * logPofGradient);
    return e.value * pof;
}

}  // namespace bonsai

#include "gp/output_warping.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <sstream>
#include <vector>

#include <boost/math/distributions/normal.hpp>

namespace bonsai {

namespace {

double yeoJohnsonOf(double x, double lambda) {
    if (x >= 0)
        return std::fabs(lambda) < 1e-12 ? std::log1p(x)
                                         : (std::pow(x + 1.0, lambda) - 1.0) / lambda;
    const double mirrored = 2.0 - lambda;
    return std::fabs(mirrored) < 1e-12 ? -std::log1p(-x)
                                       : -(std::pow(1.0 - x, mirrored) - 1.0) / mirrored;
}

double yeoJohnsonInverse(double z, double lambda) {
    // YJ is bounded above for lambda < 0 (by -1 / lambda) and below for
    // lambda > 2: past its range the inverse is +-inf, not the power of a
    // negative base (a GP's +-2 sigma band in warped units can reach there).
    if (z >= 0) {
        if (std::fabs(lambda) < 1e-12)
            return std::expm1(z);
        const double base = lambda * z + 1.0;
        return base > 0 ? std::pow(base, 1.0 / lambda) - 1.0
                        : std::numeric_limits<double>::infinity();
    }
    const double mirrored = 2.0 - lambda;
    if (std::fabs(mirrored) < 1e-12)
        return -std::expm1(-z);
    const double base = 1.0 - mirrored * z;
    return base > 0 ? 1.0 - std::pow(base, 1.0 / mirrored)
                    : -std::numeric_limits<double>::infinity();
}

// log dYJ/dx.
double yeoJohnsonLogSlope(double x, double lambda) {
    return x >= 0 ? (lambda - 1.0) * std::log1p(x) : (1.0 - lambda) * std::log1p(-x);
}

double standardDeviation(const Eigen::VectorXd& v) {
    if (v.size() < 2)
        return 1.0;
    const double sd =
        std::sqrt((v.array() - v.mean()).square().sum() / static_cast<double>(v.size() - 1));
    return sd > 0 && std::isfinite(sd) ? sd : 1.0;
}

}  // namespace

OutputWarping OutputWarping::identity() {
    return {};
}

OutputWarping OutputWarping::yeoJohnson(double lambda, double center, double scale) {
    OutputWarping w;
    w.m_kind = Kind::YeoJohnson;
    w.m_parameter = lambda;
    w.m_center = center;
    w.m_scale = scale > 0 ? scale : 1.0;
    return w;
}

OutputWarping OutputWarping::log(double delta, double low, double scale) {
    OutputWarping w;
    w.m_kind = Kind::Log;
    w.m_parameter = delta;
    w.m_center = low;
    w.m_scale = scale > 0 ? scale : 1.0;
    return w;
}

std::string OutputWarping::describe() const {
    std::ostringstream out;
    switch (m_kind) {
        case Kind::Identity:
            return "identity";
        case Kind::YeoJohnson:
            out << "yeo-johnson(" << m_parameter << ")";
            break;
        case Kind::Log:
            out << "log(" << m_parameter << ")";
            break;
    }
    return out.str();
}

double OutputWarping::apply(double y) const {
    const double x = (y - m_center) / m_scale;
    switch (m_kind) {
        case Kind::Identity:
            return y;
        case Kind::YeoJohnson:
            return yeoJohnsonOf(x, m_parameter);
        case Kind::Log:
            return x + m_parameter > 0 ? std::log(x + m_parameter)
                                       : -std::numeric_limits<double>::infinity();
    }
    return y;
}

double OutputWarping::inverse(double z) const {
    switch (m_kind) {
        case Kind::Identity:
            return z;
        case Kind::YeoJohnson:
            return m_center + m_scale * yeoJohnsonInverse(z, m_parameter);
        case Kind::Log:
            return m_center + m_scale * (std::exp(z) - m_parameter);
    }
    return z;
}

double OutputWarping::logDerivative(double y) const {
    const double x = (y - m_center) / m_scale;
    switch (m_kind) {
        case Kind::Identity:
            return 0.0;
        case Kind::YeoJohnson:
            return yeoJohnsonLogSlope(x, m_parameter) - std::log(m_scale);
        case Kind::Log:
            return x + m_parameter > 0 ? -std::log(x + m_parameter) - std::log(m_scale)
                                       : -std::numeric_limits<double>::infinity();
    }
    return 0.0;
}

Eigen::VectorXd OutputWarping::apply(const Eigen::VectorXd& y) const {
    Eigen::VectorXd z(y.size());
    for (Eigen::Index i = 0; i < y.size(); ++i)
        z[i] = apply(y[i]);
    return z;
}

std::vector<OutputWarping> outputWarpingCandidates(const Eigen::VectorXd& y) {
    std::vector<OutputWarping> out{OutputWarping::identity()};
    if (y.size() < 2)
        return out;
    const double center = y.mean(), scale = standardDeviation(y), low = y.minCoeff();
    for (double lambda : {0.5, 0.0, -0.5})
        out.push_back(OutputWarping::yeoJohnson(lambda, center, scale));
    for (double delta : {0.0001, 0.001, 0.01, 0.1, 1.0})
        out.push_back(OutputWarping::log(delta, low, scale));
    return out;
}

double warpedEvidence(const OutputWarping& warping, const Eigen::VectorXd& y,
                      double fittedObjective, double zStd) {
    double jacobian = 0.0;
    for (Eigen::Index i = 0; i < y.size(); ++i)
        jacobian += warping.logDerivative(y[i]);
    return fittedObjective + jacobian - static_cast<double>(y.size()) * std::log(zStd);
}

WarpedFit fitWithOutputWarping(const GaussianProcess& gp, const Eigen::MatrixXd& X,
                               const Eigen::VectorXd& y, Rng& rng, const GpFitOptions& identityFit,
                               double margin) {
    // The identity gets the full fit. Every other transform is scored at
    // those hyperparameters (one factorization each), and only the winner is
    // refitted from there: two fits at most, which keeps suggestions cheap.
    GaussianProcess plain(gp);
    plain.setData(X, y);
    const GpFitReport report = plain.fit(rng, identityFit);
    const Eigen::VectorXd theta = plain.hyperparameters();
    WarpedFit best{
        OutputWarping::identity(), plain,
        warpedEvidence(OutputWarping::identity(), y, report.objective, plain.outputStd())};
    if (!std::isfinite(best.evidence))
        best.evidence = -std::numeric_limits<double>::infinity();
    // Every candidate at theta shares the kernel matrix, so each is scored
    // on plain's factorization (fitObjectiveFor); only the best gets a GP.
    std::optional<OutputWarping> chosen;
    double chosenEvidence = 0.0;
    Eigen::VectorXd chosenZ;
    for (const OutputWarping& warping : outputWarpingCandidates(y)) {
        if (warping.kind() == OutputWarping::Kind::Identity)
            continue;
        Eigen::VectorXd z = warping.apply(y);
        if (!z.allFinite())
            continue;
        double zStd = 1.0;
        double objective = 0.0;
        if (plain.size() == z.size()) {  // no row of X dropped
            objective = plain.fitObjectiveFor(z, zStd);
        } else {
            GaussianProcess candidate(gp);
            candidate.setData(X, z);
            objective = candidate.fitObjective(theta, nullptr);
            zStd = candidate.outputStd();
        }
        const double evidence = warpedEvidence(warping, y, objective, zStd);
        if (std::isfinite(evidence) && (!chosen || evidence > chosenEvidence)) {
            chosen = warping;
            chosenEvidence = evidence;
            chosenZ = std::move(z);
        }
    }
    if (!chosen)
        return best;
    GaussianProcess refitted(gp);
    refitted.setData(X, chosenZ);
    refitted.setHyperparameters(theta);
    GpFitOptions options;
    options.starts = 1;
    const GpFitReport refit = refitted.fit(rng, options);
    const double evidence = warpedEvidence(*chosen, y, refit.objective, refitted.outputStd());
    if (!(evidence > best.evidence + margin))
        return best;
    return WarpedFit{*chosen, std::move(refitted), evidence};
}

Eigen::VectorXd gaussianRanks(const Eigen::VectorXd& y) {
    const Eigen::Index n = y.size();
    std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return y[a] < y[b]; });
    const boost::math::normal_distribution<double> normal;
    Eigen::VectorXd z(n);
    for (Eigen::Index i = 0; i < n;) {
        Eigen::Index j = i;
        const auto at = [&](Eigen::Index k) { return order[static_cast<std::size_t>(k)]; };
        while (j + 1 < n && y[at(j + 1)] == y[at(i)])
            ++j;
        const double rank = 0.5 * static_cast<double>(i + j);
        const double q = boost::math::quantile(normal, (rank + 0.5) / static_cast<double>(n));
        for (Eigen::Index k = i; k <= j; ++k)
            z[at(k)] = q;
        i = j + 1;
    }
    return z;
}

RankQuantiles::RankQuantiles(const Eigen::VectorXd& y) {
    const Eigen::VectorXd z = gaussianRanks(y);
    std::vector<std::pair<double, double>> pairs;
    for (Eigen::Index i = 0; i < y.size(); ++i)
        pairs.emplace_back(z[i], y[i]);
    std::sort(pairs.begin(), pairs.end());
    for (const auto& [score, loss] : pairs)
        if (m_scores.empty() || score > m_scores.back()) {  // ties share one score
            m_scores.push_back(score);
            m_losses.push_back(loss);
        }
}

double RankQuantiles::operator()(double z) const {
    if (m_scores.empty() || std::isnan(z))
        return std::numeric_limits<double>::quiet_NaN();
    if (z <= m_scores.front())
        return m_losses.front();
    if (z >= m_scores.back())
        return m_losses.back();
    const auto upper = static_cast<std::size_t>(
        std::upper_bound(m_scores.begin(), m_scores.end(), z) - m_scores.begin());
    const double t = (z - m_scores[upper - 1]) / (m_scores[upper] - m_scores[upper - 1]);
    return m_losses[upper - 1] + t * (m_losses[upper] - m_losses[upper - 1]);
}

}  // namespace bonsai

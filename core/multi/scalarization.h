#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "multi/pareto.h"
#include "util/random.h"

namespace bonsai {

// ParEGO's augmented Chebyshev scalarization (Knowles, IEEE TEC 2006):
//   s(f) = max_j w_j f'_j + rho sum_j w_j f'_j,  rho = 0.05,
// of losses f' normalized to [0, 1] by the observed range of each objective,
// with weights w drawn uniformly from the simplex (normalized exponentials).
// The max term reaches every point of a non-convex front for some w; the
// small sum term breaks ties between weakly dominated points.
class ChebyshevScalarization {
  public:
    static constexpr double kRho = 0.05;

    ChebyshevScalarization(std::vector<double> weights, const std::vector<LossVector>& observed)
        : m_weights(std::move(weights)) {
        const std::size_t m = m_weights.size();
        m_low.assign(m, std::numeric_limits<double>::infinity());
        std::vector<double> high(m, -std::numeric_limits<double>::infinity());
        for (const LossVector& losses : observed)
            for (std::size_t j = 0; j < m; ++j) {
                m_low[j] = std::min(m_low[j], losses[j]);
                high[j] = std::max(high[j], losses[j]);
            }
        m_scale.resize(m);
        for (std::size_t j = 0; j < m; ++j) {
            double range = high[j] - m_low[j];
            m_scale[j] = range > 0 && std::isfinite(range) ? 1.0 / range : 1.0;
            if (!std::isfinite(m_low[j]))
                m_low[j] = 0.0;
        }
    }

    static std::vector<double> randomWeights(std::size_t count, Rng& rng) {
        std::vector<double> w(count);
        double total = 0.0;
        for (double& x : w) {
            x = -std::log(1.0 - uniform01(rng));  // Exp(1); 1 - u > 0
            total += x;
        }
        for (double& x : w)
            x /= total;
        return w;
    }

    double operator()(const LossVector& losses) const {
        double worst = -std::numeric_limits<double>::infinity(), sum = 0.0;
        for (std::size_t j = 0; j < m_weights.size(); ++j) {
            double term = m_weights[j] * (losses[j] - m_low[j]) * m_scale[j];
            worst = std::max(worst, term);
            sum += term;
        }
        return worst + kRho * sum;
    }

    const std::vector<double>& weights() const { return m_weights; }

  private:
    std::vector<double> m_weights;
    std::vector<double> m_low;
    std::vector<double> m_scale;
};

}  // namespace bonsai

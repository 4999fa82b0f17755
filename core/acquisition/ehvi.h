#pragma once

#include <vector>

#include "acquisition/acquisition.h"
#include "acquisition/feasibility.h"
#include "gp/gaussian_process.h"

namespace bonsai {

// Expected hypervolume improvement of m minimized objectives whose
// posteriors at a point are independent normals N(mu_j, s_j^2) (Emmerich,
// Giannakoglou & Naujoks 2006; box decomposition as in Yang et al. 2019,
// "Efficient computation of expected hypervolume improvement using box
// decomposition algorithms"). The part of the reference box that no front
// point dominates splits into disjoint boxes: each cell [l, u] of the grid
// the front's coordinates draw over the first m - 1 losses, times
// (-inf, t) in the last, t the lowest last loss among the front points
// that dominate the cell's lower corner l in the first m - 1 (r_m if none;
// r the reference point). Then
//   HVI(y)  = sum_cells prod_{j<m} (u_j - max(y_j, l_j))_+ (t - y_m)_+
//   EHVI    = sum_cells prod_{j<m} [g_j(u_j) - g_j(l_j)] g_m(t)
//   g_j(c)  = E[(c - y_j)_+] = s_j h((c - mu_j) / s_j),  h(z) = phi(z) + z Phi(z)
// because (u - max(y, l))_+ = (u - y)_+ - (l - y)_+ for l < u and the
// objectives are independent. Exact. With two objectives the cells are the
// k + 1 vertical strips under the staircase of a k-point front (O(k) per
// point); with three, (k + 1)^2 columns.
class ExpectedHypervolumeImprovement {
  public:
    using Point = std::vector<double>;

    // `points`: observed losses, each with reference.size() >= 2 entries
    // (dominated points and points outside the reference box are dropped).
    ExpectedHypervolumeImprovement(const std::vector<Point>& points, Point reference);

    struct Value {
        double value = 0.0;
        std::vector<double> dMean;
        std::vector<double> dVariance;
    };
    Value evaluate(const Point& mean, const Point& variance) const;
    // evaluate(mean, variance).value, the same number, without the
    // derivatives (screening needs only values).
    double value(const Point& mean, const Point& variance) const;
    // The improvement of one point (what the expectation averages).
    double improvement(const Point& y) const;
    // The hypervolume the front dominates within the reference box.
    double hypervolume() const;
    // The non-dominated points, sorted lexicographically.
    const std::vector<Point>& front() const { return m_front; }
    const Point& reference() const { return m_reference; }
    std::size_t objectiveCount() const { return m_reference.size(); }
    // How many cells the undominated region splits into.
    std::size_t cellCount() const { return m_cellTop.size(); }

  private:
    // g_j at every grid edge of the first m - 1 losses and at every top of the
    // last, for one posterior: the terms every cell multiplies.
    struct Partials;
    Partials partials(const Point& mean, const Point& variance, bool derivatives) const;

    std::vector<Point> m_front;
    Point m_reference;
    // Per loss j < m - 1: -inf, the front's distinct values, r_j.
    std::vector<std::vector<double>> m_edges;
    // The last loss's cell tops: the front's distinct values and r_m.
    std::vector<double> m_tops;
    // Cell c spans [m_edges[j][i], m_edges[j][i + 1]] in loss j, with
    // i = m_cellLower[c * (m - 1) + j], and (-inf, m_tops[m_cellTop[c]]) in the last.
    std::vector<int> m_cellLower;
    std::vector<int> m_cellTop;
};

// EHVI of GP-modelled losses (one GP per objective, in the objectives'
// order) as the maximizer's target, weighted by the probability of
// feasibility of `constraints` (Gardner et al. 2014), as PoF(x) * EHVI(x).
// `varianceScale` multiplies each posterior variance before EHVI sees it;
// below 1 EHVI exploits more (the gp's `exploit_last`).
// Holds references: the models must outlive it.
class EhviTarget final : public AcquisitionTarget {
  public:
    EhviTarget(const std::vector<GaussianProcess>& objectives, ExpectedHypervolumeImprovement ehvi,
               const std::vector<FeasibilityModel>& constraints, double varianceScale = 1.0);
    Eigen::VectorXd values(const Eigen::MatrixXd& X) const override;
    // Without constraints: EHVI at the GPs' variance bounds. The added
    // hypervolume is convex in each loss (its slope in y_j is minus the
    // size of the undominated region's cross-section at y_j, which shrinks
    // as y_j grows), so with independent Gaussian losses EHVI grows with
    // each variance and the bounds bound it.
    std::optional<Eigen::VectorXd> upperBounds(const Eigen::MatrixXd& X) const override;
    double valueAndGradient(const Eigen::VectorXd& x, Eigen::VectorXd& gradient) const override;
    // Probability that every constraint holds, one per row of X.
    Eigen::VectorXd probabilityFeasible(const Eigen::MatrixXd& X) const;

  private:
    const std::vector<GaussianProcess>& m_objectives;
    ExpectedHypervolumeImprovement m_ehvi;
    const std::vector<FeasibilityModel>& m_constraints;
    double m_varianceScale = 1.0;
};

}  // namespace bonsai

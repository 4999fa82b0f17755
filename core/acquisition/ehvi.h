#pragma once

#include <array>
#include <vector>

#include "acquisition/acquisition.h"
#include "acquisition/feasibility.h"
#include "gp/gaussian_process.h"

namespace bonsai {

// Expected hypervolume improvement of two minimized objectives whose
// posteriors at a point are independent normals N(mu_j, s_j^2) (Emmerich,
// Giannakoglou & Naujoks 2006; the strip form of Yang et al. 2019,
// "Efficient computation of expected hypervolume improvement using box
// decomposition algorithms"). With the non-dominated front sorted by the
// first loss, a_1 < ... < a_k (so b_1 > ... > b_k), a_0 = -inf,
// a_{k+1} = r_1 and b_0 = r_2 (r the reference point), the region a new
// point y would add splits into vertical strips:
//   HVI(y)  = sum_{i=0..k} (a_{i+1} - max(y_1, a_i))_+ (b_i - y_2)_+
//   EHVI    = sum_{i=0..k} [g_1(a_{i+1}) - g_1(a_i)] g_2(b_i)
//   g_j(c)  = E[(c - y_j)_+] = s_j h((c - mu_j) / s_j),  h(z) = phi(z) + z Phi(z)
// because (u - max(y, l))_+ = (u - y)_+ - (l - y)_+ for l < u and the two
// objectives are independent. Exact, O(k) per point.
class ExpectedHypervolumeImprovement2d {
  public:
    using Point = std::array<double, 2>;

    // `points`: observed losses (dominated points and points outside the
    // reference box are dropped here).
    ExpectedHypervolumeImprovement2d(const std::vector<Point>& points, Point reference);

    struct Value {
        double value = 0.0;
        std::array<double, 2> dMean{};
        std::array<double, 2> dVariance{};
    };
    Value evaluate(const Point& mean, const Point& variance) const;
    // evaluate(mean, variance).value, the same number, without the
    // derivatives (screening needs only values).
    double value(const Point& mean, const Point& variance) const;
    // The improvement of one point (what the expectation averages).
    double improvement(const Point& y) const;
    // The hypervolume the front dominates within the reference box.
    double hypervolume() const;
    const std::vector<Point>& front() const { return m_front; }
    const Point& reference() const { return m_reference; }

  private:
    std::vector<Point> m_front;  // non-dominated, sorted by the first loss
    Point m_reference;
};

// EHVI of two GP-modelled losses as the maximizer's target, weighted by the
// probability of feasibility of `constraints` (Gardner et al. 2014), as
// PoF(x) * EHVI(x). Holds references: the models must outlive it.
class EhviTarget final : public AcquisitionTarget {
  public:
    EhviTarget(const GaussianProcess& first, const GaussianProcess& second,
               ExpectedHypervolumeImprovement2d ehvi,
               const std::vector<FeasibilityModel>& constraints);
    Eigen::VectorXd values(const Eigen::MatrixXd& X) const override;
    // Without constraints: EHVI at both GPs' variance bounds. The added
    // hypervolume is convex in each loss (its slope in y1 is minus the
    // height of the undominated staircase at y1, which shrinks as y1
    // grows), so with independent Gaussian losses EHVI grows with each
    // variance and the bounds bound it.
    std::optional<Eigen::VectorXd> upperBounds(const Eigen::MatrixXd& X) const override;
    double valueAndGradient(const Eigen::VectorXd& x, Eigen::VectorXd& gradient) const override;
    // Probability that every constraint holds, one per row of X.
    Eigen::VectorXd probabilityFeasible(const Eigen::MatrixXd& X) const;

  private:
    const GaussianProcess& m_first;
    const GaussianProcess& m_second;
    ExpectedHypervolumeImprovement2d m_ehvi;
    const std::vector<FeasibilityModel>& m_constraints;
};

}  // namespace bonsai

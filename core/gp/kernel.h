#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "gp/input_kind.h"

namespace bonsai {

// Without continuous inputs a kernel depends only on which features differ
// (the mismatch pattern). Up to this many features the 2^features patterns
// are tabulated (PairwiseDistances::patterns, Kernel::patternSimilarities);
// beyond it the table would outgrow the entries it saves.
inline constexpr Eigen::Index kMaxMismatchPatternFeatures = 12;

// Per-dimension squared differences of every pair (a, b), a > b, of a point
// set, one row per pair (pairs ordered column by column of the strict lower
// triangle) and one column per input; categorical inputs hold the mismatch
// indicator [level_a != level_b] instead. It does not depend on the
// hyperparameters, so hyperparameter fitting builds it once and each kernel
// evaluation becomes two matrix-vector products.
struct PairwiseDistances {
    Eigen::Index points = 0;
    Eigen::MatrixXd squared;  // pairs x d
    // When every input is categorical (and there are at most
    // kMaxMismatchPatternFeatures features):
    // per pair, the mask of the features that differ (bit i: column i is
    // nonzero), so a kernel whose value depends only on that mask can look
    // it up per pair. Empty otherwise.
    Eigen::VectorXi patterns;

    static PairwiseDistances build(const Eigen::MatrixXd& X, const InputKinds& inputs);
    // Also one column per joint input (JointInputs): 1 where any of its
    // members differs, after the columns of the inputs.
    static PairwiseDistances build(const Eigen::MatrixXd& X, const InputKinds& inputs,
                                   const std::vector<std::vector<int>>& joints);
    static Eigen::Index pairCount(Eigen::Index n) { return n * (n - 1) / 2; }
    // The n x n symmetric matrix with `packed` as strict lower (and upper)
    // triangle and `diagonal` on the diagonal.
    static Eigen::MatrixXd unpack(const Eigen::VectorXd& packed, Eigen::Index n, double diagonal);
    // The strict lower triangle of M in pair order.
    static Eigen::VectorXd packLower(const Eigen::MatrixXd& M);

  private:
    void setPatterns(const InputKinds& inputs);
};

// Joint categorical inputs: each entry lists categorical inputs whose tuple of
// levels is one more categorical feature of the kernel (it differs when any
// member differs), with its own lengthscale. For a NAS-Bench-201 cell these
// are the operation sequences along its input-to-output paths, the path
// encoding of BANANAS (White et al., AAAI 2021) as categorical features.
using JointInputs = std::vector<std::vector<int>>;

// Stationary product kernel on mixed inputs (points are rows in [0, 1]^d):
//
//   k(x, x') = s2 * f(q) * exp(-qc / 2)
//   q  = sum_{i continuous/ordinal} (x_i - x'_i)^2 / l_i^2
//   qc = sum_{j categorical} [level_j(x) != level_j(x')] / l_j^2
//      + sum_{g joint} [levels_g(x) != levels_g(x')] / l_g^2
//
// f is the profile of the concrete kernel (Matern-5/2 or RBF, ARD). The
// categorical factor is the exponentiated overlap (Hamming) kernel of
// Ru et al. 2020 (CoCaBO) with per-dimension weights 1 / (2 l_j^2): it is the
// RBF of a one-hot embedding where two different levels are at distance 1, so
// the same lengthscale prior applies to every input.
//
// With `additive` (and a categorical feature) the kernel also adds the
// first-order overlap kernel of the categorical features (inputs and joint
// inputs), one equality kernel per feature j with its own scale a_j,
//
//   k_add(x, x') = sum_j a_j [level_j(x) == level_j(x')],
//
// so a loss that adds up over the features (an operation's cost on each
// edge of a cell: the eyeriss and FPGA latencies of NAS-Bench-201 are
// exactly such sums) is learnt from a few dozen points, where the product
// alone, which must learn every interaction too, needs twice as many.
//
// Hyperparameters, all in log space, as one vector:
//   [log s2, log l_0, ..., log l_{d-1}, log l_joint_0, ..., log l_joint_{g-1}
//    (, log a_j for every categorical feature j in order, with the additive term)]
class Kernel {
  public:
    explicit Kernel(InputKinds inputs, JointInputs joints = {}, bool additive = false);
    virtual ~Kernel() = default;

    virtual std::string name() const = 0;
    virtual std::unique_ptr<Kernel> clone() const = 0;

    const InputKinds& inputs() const { return m_inputs; }
    // A map applied to every point before the kernel compares points, e.g.
    // each NAS-Bench-201 cell to the representative of its isomorphism class
    // (the GP then sees cells that compute the same function as one input).
    // It must keep categorical inputs on bin centres.
    using InputMap = std::function<Eigen::MatrixXd(const Eigen::MatrixXd&)>;
    void setInputMap(InputMap map) { m_inputMap = std::move(map); }
    bool mapsInputs() const { return static_cast<bool>(m_inputMap); }
    const JointInputs& joints() const { return m_joints; }
    Eigen::Index inputDim() const { return static_cast<Eigen::Index>(m_inputs.size()); }
    // Inputs and joint inputs: one lengthscale each.
    Eigen::Index featureCount() const {
        return inputDim() + static_cast<Eigen::Index>(m_joints.size());
    }
    // Whether the additive term is on (asked for, and a categorical feature).
    bool hasAdditiveTerm() const { return !m_additiveFeatures.empty(); }
    // The categorical features of the additive term, in feature order; log
    // a_j of the k-th is params()[additiveScaleIndex() + k].
    const std::vector<Eigen::Index>& additiveFeatures() const { return m_additiveFeatures; }
    Eigen::Index additiveScaleIndex() const { return 1 + featureCount(); }
    Eigen::Index paramCount() const {
        return 1 + featureCount() + static_cast<Eigen::Index>(m_additiveFeatures.size());
    }
    // The pairwise distances of X's rows over every feature (fitting).
    PairwiseDistances pairwise(const Eigen::MatrixXd& X) const;
    const Eigen::VectorXd& params() const { return m_params; }
    void setParams(const Eigen::VectorXd& params);
    std::vector<std::string> paramNames() const;

    double outputScale() const { return m_outputScale; }
    // a_j over every feature (0 on features without an additive scale).
    const Eigen::VectorXd& additiveScales() const { return m_additiveScales; }
    Eigen::VectorXd lengthscales() const;
    // How much k falls when feature i alone changes, to first order: the
    // product's s2 / (2 l_i^2) (across a unit of a numeric input, or a
    // mismatch of a categorical one) plus a_i. Parameter importance.
    Eigen::VectorXd featureSensitivities() const;
    // k(x, x), the same for every x (stationary).
    double diagonal() const { return m_outputScale + m_additiveTotal; }

    double value(const Eigen::VectorXd& a, const Eigen::VectorXd& b) const;
    // K(A, B): rows of A against rows of B.
    Eigen::MatrixXd cross(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B) const;
    // K(X, X) without noise.
    Eigen::MatrixXd matrix(const Eigen::MatrixXd& X) const;
    // dK(X, X)/d theta_p for every hyperparameter p (tests and diagnostics;
    // fitting uses gradientContraction()).
    std::vector<Eigen::MatrixXd> matrixGradients(const Eigen::MatrixXd& X) const;

    // Intermediate values of pairValues() that gradientContraction() can reuse
    // at the same hyperparameters (the profile is the costly part).
    struct PairTerms {
        Eigen::ArrayXd f, dfdq, scale;  // scale = s2 exp(-qc / 2)
        Eigen::ArrayXd additive;        // k_add per pair; empty without the term
    };

    // k over the packed pairs of `pairs` (the strict lower triangle of K).
    Eigen::VectorXd pairValues(const PairwiseDistances& pairs, PairTerms* terms = nullptr) const;
    // sum_p w_p dk_p/dtheta + diagonalWeight * dk(x, x)/dtheta, for every
    // hyperparameter: the trace tr(W dK/dtheta) the likelihood gradient needs,
    // given the strict lower triangle of a symmetric W doubled in `pairWeights`
    // and trace(W) in `diagonalWeight`.
    Eigen::VectorXd gradientContraction(const PairwiseDistances& pairs,
                                        const Eigen::VectorXd& pairWeights, double diagonalWeight,
                                        const PairTerms* terms = nullptr) const;

    // d k(x, B_j) / dx for every row B_j, as a d x |B| matrix; rows of
    // categorical inputs are zero (the kernel is piecewise constant there).
    Eigen::MatrixXd crossGradient(const Eigen::VectorXd& x, const Eigen::MatrixXd& B) const;

  protected:
    // Profile f(q) of the scaled squared distance q and, if asked, df/dq.
    virtual void profile(const Eigen::ArrayXd& q, Eigen::ArrayXd& f,
                         Eigen::ArrayXd* dfdq) const = 0;

  private:
    Eigen::MatrixXd crossUnmapped(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B) const;
    void computeTerms(const PairwiseDistances& pairs, PairTerms& terms, bool derivative) const;
    // profile(), or its value at q = 0 copied when no input is continuous
    // (q is then 0 everywhere; evaluating it per pair cost a tenth of a
    // cell-space suggestion).
    void evaluateProfile(const Eigen::ArrayXd& q, Eigen::ArrayXd& f, Eigen::ArrayXd* dfdq) const;
    // f(0) (1 for the kernels here) and, if asked, f'(0).
    double profileAtZero(double* dfdq = nullptr) const;
    bool isCategoricalFeature(Eigen::Index i) const {
        return i >= inputDim() || m_inputs[static_cast<std::size_t>(i)].isCategorical();
    }
    // Without continuous inputs k depends only on which features differ (the
    // mismatch pattern): with at most kMaxMismatchPatternFeatures features
    // and at least 4 entries per pattern, cross() and computeTerms() compute
    // exp once per pattern (patternSimilarities) and look it up per entry.
    // The values are those of the general path up to the round-off of exp.
    bool usesPatterns(Eigen::Index entries) const;
    Eigen::MatrixXd crossByPattern(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B) const;
    // For every mismatch pattern (bit i of the index: feature i differs),
    // the sum of `weights` over the features that differ.
    Eigen::ArrayXd patternSums(const Eigen::VectorXd& weights) const;
    // exp(-qc / 2) for every mismatch pattern.
    Eigen::ArrayXd patternSimilarities() const;
    // k_add for every mismatch pattern (empty without the additive term).
    Eigen::ArrayXd patternAdditive() const;
    // k_add of every pair of rows (A_a, B_b), added to K.
    void addAdditiveTerm(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B,
                         Eigen::MatrixXd& K) const;
    // The level of every row of X on categorical input `input`.
    Eigen::VectorXi levelsOf(const Eigen::MatrixXd& X, Eigen::Index input) const;
    // Each row's tuple of levels of `joint` as one mixed-radix code.
    Eigen::VectorXi jointCodes(const Eigen::MatrixXd& X, const std::vector<int>& joint) const;
    // sum_g w_g [levels_g(A_a) != levels_g(B_b)] added to qc (na x nb).
    void addJointMismatches(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B,
                            Eigen::MatrixXd& qc) const;

    InputKinds m_inputs;
    JointInputs m_joints;
    InputMap m_inputMap;
    Eigen::VectorXd m_params;
    double m_outputScale = 1.0;
    std::vector<Eigen::Index> m_additiveFeatures;
    Eigen::VectorXd m_additiveScales;  // a_j over every feature, 0 where none
    double m_additiveTotal = 0.0;      // sum_j a_j = k_add(x, x)
    // Over featureCount() features (inputs, then joint inputs):
    Eigen::VectorXd m_continuousWeights;   // 1 / l_i^2 on continuous/ordinal inputs, else 0
    Eigen::VectorXd m_categoricalWeights;  // 1 / l_j^2 on categorical and joint inputs, else 0
    bool m_hasCategorical = false;
    bool m_hasContinuous = false;  // a continuous or ordinal input
};

// Matern-5/2 (Rasmussen & Williams 2006, eq. 4.17):
//   f(q) = (1 + r + r^2 / 3) exp(-r),  r = sqrt(5 q).
class Matern52Kernel final : public Kernel {
  public:
    using Kernel::Kernel;
    std::string name() const override { return "matern52"; }
    std::unique_ptr<Kernel> clone() const override;

  protected:
    void profile(const Eigen::ArrayXd& q, Eigen::ArrayXd& f, Eigen::ArrayXd* dfdq) const override;
};

// Squared exponential (Rasmussen & Williams 2006, eq. 4.9): f(q) = exp(-q / 2).
class RbfKernel final : public Kernel {
  public:
    using Kernel::Kernel;
    std::string name() const override { return "rbf"; }
    std::unique_ptr<Kernel> clone() const override;

  protected:
    void profile(const Eigen::ArrayXd& q, Eigen::ArrayXd& f, Eigen::ArrayXd* dfdq) const override;
};

// Name-keyed factory ("matern52", "rbf"); throws std::invalid_argument naming
// the known kernels for any other name.
std::unique_ptr<Kernel> makeKernel(const std::string& name, InputKinds inputs,
                                   JointInputs joints = {}, bool additive = false);
std::vector<std::string> kernelNames();

}  // namespace bonsai

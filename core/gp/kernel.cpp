#include "gp/kernel.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace bonsai {

using Eigen::ArrayXd;
using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

PairwiseDistances PairwiseDistances::build(const MatrixXd& X, const InputKinds& inputs) {
    PairwiseDistances result;
    const Index n = X.rows();
    const Index d = static_cast<Index>(inputs.size());
    result.points = n;
    result.squared.resize(pairCount(n), d);
    for (Index i = 0; i < d; ++i) {
        const InputKind& kind = inputs[static_cast<std::size_t>(i)];
        double* out = result.squared.col(i).data();
        if (kind.isCategorical()) {
            std::vector<int> level(static_cast<std::size_t>(n));
            for (Index a = 0; a < n; ++a)
                level[static_cast<std::size_t>(a)] = kind.levelOf(X(a, i));
            for (Index b = 0; b < n; ++b) {
                const int lb = level[static_cast<std::size_t>(b)];
                for (Index a = b + 1; a < n; ++a) {
                    *out++ = level[static_cast<std::size_t>(a)] != lb ? 1.0 : 0.0;
                }
            }
        } else {
            const double* col = X.col(i).data();
            for (Index b = 0; b < n; ++b) {
                const double xb = col[b];
                for (Index a = b + 1; a < n; ++a) {
                    const double diff = col[a] - xb;
                    *out++ = diff * diff;
                }
            }
        }
    }
    return result;
}

PairwiseDistances PairwiseDistances::build(const MatrixXd& X, const InputKinds& inputs,
                                           const std::vector<std::vector<int>>& joints) {
    PairwiseDistances result = build(X, inputs);
    const Index d = static_cast<Index>(inputs.size());
    if (joints.empty()) {
        result.setPatterns(inputs);
        return result;
    }
    result.squared.conservativeResize(Eigen::NoChange, d + static_cast<Index>(joints.size()));
    for (std::size_t g = 0; g < joints.size(); ++g) {
        auto column = result.squared.col(d + static_cast<Index>(g));
        column.setZero();
        // Mismatch of the tuple = the largest member mismatch (each 0 or 1).
        for (int member : joints[g])
            column = column.cwiseMax(result.squared.col(member));
    }
    result.setPatterns(inputs);
    return result;
}

void PairwiseDistances::setPatterns(const InputKinds& inputs) {
    patterns.resize(0);
    if (!everyInputCategorical(inputs) || squared.cols() > kMaxMismatchPatternFeatures)
        return;
    patterns.resize(squared.rows());
    patterns.setZero();
    for (Index i = 0; i < squared.cols(); ++i) {
        const int bit = 1 << i;
        const double* column = squared.col(i).data();
        for (Index p = 0; p < squared.rows(); ++p)
            if (column[p] != 0.0)
                patterns[p] |= bit;
    }
}

MatrixXd PairwiseDistances::unpack(const VectorXd& packed, Index n, double diagonal) {
    MatrixXd M(n, n);
    Index p = 0;
    for (Index b = 0; b < n; ++b) {
        M(b, b) = diagonal;
        for (Index a = b + 1; a < n; ++a) {
            M(a, b) = packed[p];
            M(b, a) = packed[p];
            ++p;
        }
    }
    return M;
}

VectorXd PairwiseDistances::packLower(const MatrixXd& M) {
    const Index n = M.rows();
    VectorXd packed(pairCount(n));
    Index p = 0;
    for (Index b = 0; b < n; ++b) {
        const Index len = n - b - 1;
        packed.segment(p, len) = M.col(b).tail(len);
        p += len;
    }
    return packed;
}

Kernel::Kernel(InputKinds inputs, JointInputs joints, bool additive)
    : m_inputs(std::move(inputs)), m_joints(std::move(joints)) {
    for (const std::vector<int>& joint : m_joints)
        for (int member : joint)
            if (member < 0 || member >= inputDim() ||
                !m_inputs[static_cast<std::size_t>(member)].isCategorical())
                throw std::invalid_argument("joint input " + std::to_string(member) +
                                            " is not a categorical input of the kernel");
    for (const std::vector<int>& joint : m_joints) {
        double combinations = 1.0;
        for (int member : joint)
            combinations *= m_inputs[static_cast<std::size_t>(member)].levels;
        if (combinations > 1e9)
            throw std::invalid_argument("a joint input has more than 1e9 level combinations");
    }
    for (Index i = 0; additive && i < featureCount(); ++i)
        if (isCategoricalFeature(i))
            m_additiveFeatures.push_back(i);
    setParams(VectorXd::Zero(paramCount()));
}

PairwiseDistances Kernel::pairwise(const MatrixXd& X) const {
    return PairwiseDistances::build(m_inputMap ? m_inputMap(X) : X, m_inputs, m_joints);
}

Eigen::VectorXi Kernel::levelsOf(const MatrixXd& X, Index input) const {
    const InputKind& kind = m_inputs[static_cast<std::size_t>(input)];
    Eigen::VectorXi levels(X.rows());
    for (Index r = 0; r < X.rows(); ++r)
        levels[r] = kind.levelOf(X(r, input));
    return levels;
}

Eigen::VectorXi Kernel::jointCodes(const MatrixXd& X, const std::vector<int>& joint) const {
    // Each row's tuple of levels as one code (mixed radix), so a mismatch is
    // one integer comparison.
    Eigen::VectorXi code = Eigen::VectorXi::Zero(X.rows());
    for (int member : joint) {
        const InputKind& kind = m_inputs[static_cast<std::size_t>(member)];
        for (Index r = 0; r < X.rows(); ++r)
            code[r] = code[r] * kind.levels + kind.levelOf(X(r, member));
    }
    return code;
}

void Kernel::addJointMismatches(const MatrixXd& A, const MatrixXd& B, MatrixXd& qc) const {
    for (std::size_t g = 0; g < m_joints.size(); ++g) {
        const double w = m_categoricalWeights[inputDim() + static_cast<Index>(g)];
        const Eigen::VectorXi ca = jointCodes(A, m_joints[g]);
        const Eigen::VectorXi cb = jointCodes(B, m_joints[g]);
        for (Index b = 0; b < B.rows(); ++b)
            qc.col(b).array() += w * (ca.array() != cb[b]).cast<double>();
    }
}

void Kernel::setParams(const VectorXd& params) {
    if (params.size() != paramCount()) {
        throw std::invalid_argument("kernel '" + name() + "' expects " +
                                    std::to_string(paramCount()) + " hyperparameters, got " +
                                    std::to_string(params.size()));
    }
    m_params = params;
    m_outputScale = std::exp(params[0]);
    const Index d = featureCount();
    m_additiveScales = VectorXd::Zero(d);
    for (std::size_t k = 0; k < m_additiveFeatures.size(); ++k)
        m_additiveScales[m_additiveFeatures[k]] =
            std::exp(params[additiveScaleIndex() + static_cast<Index>(k)]);
    m_additiveTotal = m_additiveScales.sum();
    m_continuousWeights = VectorXd::Zero(d);
    m_categoricalWeights = VectorXd::Zero(d);
    m_hasCategorical = false;
    m_hasContinuous = false;
    for (Index i = 0; i < d; ++i) {
        const double w = std::exp(-2.0 * params[1 + i]);
        if (isCategoricalFeature(i)) {
            m_categoricalWeights[i] = w;
            m_hasCategorical = true;
        } else {
            m_continuousWeights[i] = w;
            m_hasContinuous = true;
        }
    }
}

std::vector<std::string> Kernel::paramNames() const {
    std::vector<std::string> names{"log_outputscale"};
    for (Index i = 0; i < inputDim(); ++i)
        names.push_back("log_lengthscale_" + std::to_string(i));
    for (std::size_t g = 0; g < m_joints.size(); ++g) {
        std::string members;
        for (int member : m_joints[g])
            members += "_" + std::to_string(member);
        names.push_back("log_lengthscale_joint" + members);
    }
    for (std::size_t k = 0; k < m_additiveFeatures.size(); ++k)
        names.push_back("log_additive_scale_" + std::to_string(m_additiveFeatures[k]));
    return names;
}

VectorXd Kernel::lengthscales() const {
    return m_params.segment(1, featureCount()).array().exp();
}

VectorXd Kernel::featureSensitivities() const {
    const VectorXd weights = m_continuousWeights + m_categoricalWeights;  // 1 / l_i^2
    return 0.5 * m_outputScale * weights + m_additiveScales;
}

double Kernel::value(const VectorXd& a, const VectorXd& b) const {
    return cross(a.transpose(), b.transpose())(0, 0);
}

MatrixXd Kernel::cross(const MatrixXd& A, const MatrixXd& B) const {
    return m_inputMap ? crossUnmapped(m_inputMap(A), m_inputMap(B)) : crossUnmapped(A, B);
}

MatrixXd Kernel::crossUnmapped(const MatrixXd& A, const MatrixXd& B) const {
    if (usesPatterns(A.rows() * B.rows()))
        return crossByPattern(A, B);
    const Index na = A.rows();
    const Index nb = B.rows();
    // Per categorical input, w_i [level(A_a) != l] for every level l (one
    // column each) and the level of every row of B: a column of the result
    // then adds one stored column per input instead of comparing na levels.
    // Columns are filled one at a time, every input in order, so each stays
    // in cache (a cell space's 15,625 candidates make qc 12 MB at n = 100).
    const Index d = inputDim();
    std::vector<MatrixXd> mismatch(static_cast<std::size_t>(d));
    std::vector<Eigen::VectorXi> levelsOfB(static_cast<std::size_t>(d));
    for (Index i = 0; i < d; ++i) {
        const InputKind& kind = m_inputs[static_cast<std::size_t>(i)];
        if (!kind.isCategorical())
            continue;
        const Eigen::VectorXi la = levelsOf(A, i);
        MatrixXd& table = mismatch[static_cast<std::size_t>(i)];
        table.resize(na, std::max(1, kind.levels));
        for (Index l = 0; l < table.cols(); ++l)
            table.col(l) = m_categoricalWeights[i] * (la.array() != l).cast<double>();
        levelsOfB[static_cast<std::size_t>(i)] = levelsOf(B, i);
    }
    // q stays empty without continuous inputs: only the profile reads it.
    MatrixXd q = MatrixXd::Zero(m_hasContinuous ? na : 0, m_hasContinuous ? nb : 0);
    MatrixXd qc = MatrixXd::Zero(na, nb);
    for (Index b = 0; b < nb; ++b) {
        for (Index i = 0; i < d; ++i) {
            if (m_inputs[static_cast<std::size_t>(i)].isCategorical()) {
                qc.col(b) += mismatch[static_cast<std::size_t>(i)].col(
                    levelsOfB[static_cast<std::size_t>(i)][b]);
            } else {
                q.col(b).array() += m_continuousWeights[i] * (A.col(i).array() - B(b, i)).square();
            }
        }
    }
    addJointMismatches(A, B, qc);
    MatrixXd K(na, nb);
    const auto similarity = (-0.5 * Eigen::Map<const ArrayXd>(qc.data(), qc.size())).exp();
    if (m_hasContinuous) {
        ArrayXd f;
        profile(Eigen::Map<const ArrayXd>(q.data(), q.size()), f, nullptr);
        Eigen::Map<ArrayXd>(K.data(), K.size()) = m_outputScale * f * similarity;
    } else {
        Eigen::Map<ArrayXd>(K.data(), K.size()) = (m_outputScale * profileAtZero()) * similarity;
    }
    if (hasAdditiveTerm())
        addAdditiveTerm(A, B, K);
    return K;
}

void Kernel::addAdditiveTerm(const MatrixXd& A, const MatrixXd& B, MatrixXd& K) const {
    // Each row's level of a categorical input, or its code of a joint one.
    auto codesOf = [this](const MatrixXd& X, Index feature) {
        return feature < inputDim()
                   ? levelsOf(X, feature)
                   : jointCodes(X, m_joints[static_cast<std::size_t>(feature - inputDim())]);
    };
    for (Index feature : m_additiveFeatures) {
        const Eigen::VectorXi a = codesOf(A, feature);
        const Eigen::VectorXi b = codesOf(B, feature);
        const double scale = m_additiveScales[feature];
        for (Index col = 0; col < B.rows(); ++col)
            K.col(col).array() += scale * (a.array() == b[col]).cast<double>();
    }
}

ArrayXd Kernel::patternSums(const VectorXd& weights) const {
    // Summed in feature order, as cross() and computeTerms() sum them.
    const Index features = featureCount();
    const Index count = Index{1} << features;
    ArrayXd out(count);
    for (Index mask = 0; mask < count; ++mask) {
        double sum = 0.0;
        for (Index i = 0; i < features; ++i)
            if ((mask >> i) & 1)
                sum += weights[i];
        out[mask] = sum;
    }
    return out;
}

ArrayXd Kernel::patternAdditive() const {
    if (!hasAdditiveTerm())
        return ArrayXd();
    return m_additiveTotal - patternSums(m_additiveScales);
}

ArrayXd Kernel::patternSimilarities() const {
    return (-0.5 * patternSums(m_categoricalWeights)).exp();
}

bool Kernel::usesPatterns(Index entries) const {
    return !m_hasContinuous && featureCount() <= kMaxMismatchPatternFeatures &&
           (Index{4} << featureCount()) <= entries;
}

MatrixXd Kernel::crossByPattern(const MatrixXd& A, const MatrixXd& B) const {
    // Every input is categorical, so k(a, b) depends only on which features
    // differ: 2^features values, each exponentiated once, and an integer
    // mismatch mask per entry (bit i: feature i differs) picks one. Per
    // categorical input and level l, the bits [level(A_a) != l] << i are
    // stored as a column, so a column of masks ORs one stored column per input.
    const Index na = A.rows();
    const Index nb = B.rows();
    const Index d = inputDim();
    using MaskColumns = Eigen::Matrix<std::int32_t, Eigen::Dynamic, Eigen::Dynamic>;
    std::vector<MaskColumns> bits(static_cast<std::size_t>(d));
    std::vector<Eigen::VectorXi> levelsOfB(static_cast<std::size_t>(d));
    for (Index i = 0; i < d; ++i) {
        const Eigen::VectorXi la = levelsOf(A, i);
        MaskColumns& table = bits[static_cast<std::size_t>(i)];
        table.resize(na, std::max(1, m_inputs[static_cast<std::size_t>(i)].levels));
        for (Index l = 0; l < table.cols(); ++l)
            for (Index a = 0; a < na; ++a)
                table(a, l) = la[a] != l ? std::int32_t{1} << i : 0;
        levelsOfB[static_cast<std::size_t>(i)] = levelsOf(B, i);
    }
    std::vector<Eigen::VectorXi> jointA, jointB;
    for (const std::vector<int>& joint : m_joints) {
        jointA.push_back(jointCodes(A, joint));
        jointB.push_back(jointCodes(B, joint));
    }
    ArrayXd values = (m_outputScale * profileAtZero()) * patternSimilarities();
    if (hasAdditiveTerm())
        values += patternAdditive();
    MatrixXd K(na, nb);
    Eigen::Matrix<std::int32_t, Eigen::Dynamic, 1> mask(na);
    for (Index b = 0; b < nb; ++b) {
        mask.setZero();
        std::int32_t* m = mask.data();
        for (Index i = 0; i < d; ++i) {
            const std::size_t input = static_cast<std::size_t>(i);
            const std::int32_t* column = bits[input].col(levelsOfB[input][b]).data();
            for (Index a = 0; a < na; ++a)
                m[a] |= column[a];
        }
        for (std::size_t g = 0; g < m_joints.size(); ++g) {
            const std::int32_t bit = std::int32_t{1} << (d + static_cast<Index>(g));
            const int code = jointB[g][b];
            for (Index a = 0; a < na; ++a)
                if (jointA[g][a] != code)
                    mask[a] |= bit;
        }
        double* out = K.col(b).data();
        for (Index a = 0; a < na; ++a)
            out[a] = values[mask[a]];
    }
    return K;
}

MatrixXd Kernel::matrix(const MatrixXd& X) const {
    const PairwiseDistances pairs = pairwise(X);
    return PairwiseDistances::unpack(pairValues(pairs), X.rows(), diagonal());
}

void Kernel::computeTerms(const PairwiseDistances& pairs, PairTerms& terms, bool derivative) const {
    ArrayXd q;
    if (pairs.patterns.size() == pairs.squared.rows() && usesPatterns(pairs.squared.rows())) {
        // Every feature categorical: one exp per mismatch pattern, looked up
        // per pair (PairwiseDistances::patterns).
        const ArrayXd similarity = m_outputScale * patternSimilarities();
        const ArrayXd additive = patternAdditive();
        terms.scale.resize(pairs.squared.rows());
        terms.additive.resize(hasAdditiveTerm() ? pairs.squared.rows() : 0);
        for (Index p = 0; p < terms.scale.size(); ++p)
            terms.scale[p] = similarity[pairs.patterns[p]];
        for (Index p = 0; p < terms.additive.size(); ++p)
            terms.additive[p] = additive[pairs.patterns[p]];
        q = ArrayXd::Zero(pairs.squared.rows());
    } else if (m_hasCategorical) {
        // One pass over the pair matrix for all weighted sums when there are
        // categorical inputs (it is memory-bound at large n).
        MatrixXd weights(featureCount(), hasAdditiveTerm() ? 3 : 2);
        weights.col(0) = m_continuousWeights;
        weights.col(1) = m_categoricalWeights;
        if (hasAdditiveTerm())
            weights.col(2) = m_additiveScales;
        const MatrixXd sums = pairs.squared * weights;
        q = sums.col(0).array();
        terms.scale = m_outputScale * (-0.5 * sums.col(1).array()).exp();
        terms.additive =
            hasAdditiveTerm() ? ArrayXd(m_additiveTotal - sums.col(2).array()) : ArrayXd();
    } else {
        q = (pairs.squared * m_continuousWeights).array();
        terms.scale = ArrayXd::Constant(q.size(), m_outputScale);
    }
    evaluateProfile(q, terms.f, derivative ? &terms.dfdq : nullptr);
}

void Kernel::evaluateProfile(const ArrayXd& q, ArrayXd& f, ArrayXd* dfdq) const {
    if (m_hasContinuous) {
        profile(q, f, dfdq);
        return;
    }
    double dfdq0 = 0.0;
    f = ArrayXd::Constant(q.size(), profileAtZero(dfdq ? &dfdq0 : nullptr));
    if (dfdq)
        *dfdq = ArrayXd::Constant(q.size(), dfdq0);
}

double Kernel::profileAtZero(double* dfdq) const {
    ArrayXd f0, dfdq0;
    profile(ArrayXd::Zero(1), f0, dfdq ? &dfdq0 : nullptr);
    if (dfdq)
        *dfdq = dfdq0[0];
    return f0[0];
}

VectorXd Kernel::pairValues(const PairwiseDistances& pairs, PairTerms* terms) const {
    if (pairs.squared.rows() == 0)
        return VectorXd();
    PairTerms local;
    PairTerms& t = terms ? *terms : local;
    computeTerms(pairs, t, terms != nullptr);
    if (hasAdditiveTerm())
        return (t.scale * t.f + t.additive).matrix();
    return (t.scale * t.f).matrix();
}

VectorXd Kernel::gradientContraction(const PairwiseDistances& pairs, const VectorXd& pairWeights,
                                     double diagonalWeight, const PairTerms* terms) const {
    VectorXd grad = VectorXd::Zero(paramCount());
    grad[0] = diagonalWeight * m_outputScale;
    // dk/dlog a_j = a_j [level_j equal] = a_j (1 - D_j): summed with the
    // weights, a_j (diagonalWeight + sum_p w_p - sum_p w_p D_pj).
    if (hasAdditiveTerm()) {
        const VectorXd mismatched = pairs.squared.transpose() * pairWeights;
        const double total = diagonalWeight + pairWeights.sum();
        for (std::size_t k = 0; k < m_additiveFeatures.size(); ++k) {
            const Index j = m_additiveFeatures[k];
            grad[additiveScaleIndex() + static_cast<Index>(k)] =
                m_additiveScales[j] * (total - mismatched[j]);
        }
    }
    if (pairs.squared.rows() == 0)
        return grad;
    PairTerms local;
    if (!terms) {
        computeTerms(pairs, local, true);
        terms = &local;
    }
    // dk/dlog s2 = k;  d q / d log l_i = -2 D_i / l_i^2;  d qc / d log l_j = -2 D_j / l_j^2.
    MatrixXd u(pairs.squared.rows(), m_hasCategorical ? 2 : 1);
    u.col(0) = (pairWeights.array() * terms->scale * terms->dfdq).matrix();
    const ArrayXd weightedK = pairWeights.array() * terms->scale * terms->f;
    grad[0] += weightedK.sum();
    if (m_hasCategorical)
        u.col(1) = weightedK.matrix();
    const MatrixXd sums = pairs.squared.transpose() * u;
    for (Index i = 0; i < featureCount(); ++i) {
        grad[1 + i] = isCategoricalFeature(i) ? sums(i, 1) * m_categoricalWeights[i]
                                              : -2.0 * sums(i, 0) * m_continuousWeights[i];
    }
    return grad;
}

std::vector<MatrixXd> Kernel::matrixGradients(const MatrixXd& X) const {
    const Index n = X.rows();
    const PairwiseDistances pairs = pairwise(X);
    std::vector<MatrixXd> grads;
    const ArrayXd q = pairs.squared * m_continuousWeights;
    const ArrayXd qc = pairs.squared * m_categoricalWeights;
    ArrayXd f, dfdq;
    evaluateProfile(q, f, &dfdq);
    const ArrayXd c = m_outputScale * (-0.5 * qc).exp();
    const ArrayXd k = c * f;
    grads.push_back(PairwiseDistances::unpack(k.matrix(), n, m_outputScale));
    for (Index i = 0; i < featureCount(); ++i) {
        const ArrayXd D = pairs.squared.col(i).array();
        const ArrayXd dk = isCategoricalFeature(i)
                               ? ArrayXd(k * D * m_categoricalWeights[i])
                               : ArrayXd(-2.0 * c * dfdq * D * m_continuousWeights[i]);
        grads.push_back(PairwiseDistances::unpack(dk.matrix(), n, 0.0));
    }
    for (Index j : m_additiveFeatures) {
        const double a = m_additiveScales[j];
        const VectorXd equal = (a * (1.0 - pairs.squared.col(j).array())).matrix();
        grads.push_back(PairwiseDistances::unpack(equal, n, a));
    }
    return grads;
}

MatrixXd Kernel::crossGradient(const VectorXd& xIn, const MatrixXd& BIn) const {
    // The map moves categorical levels only, so the gradient in the
    // continuous inputs is taken at the mapped points.
    const VectorXd x = m_inputMap ? VectorXd(m_inputMap(xIn.transpose()).transpose()) : xIn;
    const MatrixXd B = m_inputMap ? m_inputMap(BIn) : BIn;
    const Index nb = B.rows();
    ArrayXd qc = ArrayXd::Zero(nb);
    ArrayXd q = ArrayXd::Zero(nb);
    for (Index i = 0; i < inputDim(); ++i) {
        const InputKind& kind = m_inputs[static_cast<std::size_t>(i)];
        if (kind.isCategorical()) {
            const int lx = kind.levelOf(x[i]);
            for (Index b = 0; b < nb; ++b) {
                if (kind.levelOf(B(b, i)) != lx)
                    qc[b] += m_categoricalWeights[i];
            }
        } else {
            q += m_continuousWeights[i] * (x[i] - B.col(i).array()).square();
        }
    }
    if (!m_joints.empty()) {
        MatrixXd jointQc = MatrixXd::Zero(1, nb);
        addJointMismatches(x.transpose(), B, jointQc);
        qc += jointQc.row(0).transpose().array();
    }
    ArrayXd f, dfdq;
    evaluateProfile(q, f, &dfdq);
    // dk/dx_i = s2 c f'(q) dq/dx_i,  dq/dx_i = 2 (x_i - b_i) / l_i^2.
    const ArrayXd common = 2.0 * m_outputScale * (-0.5 * qc).exp() * dfdq;
    MatrixXd grad = MatrixXd::Zero(inputDim(), nb);
    for (Index i = 0; i < inputDim(); ++i) {
        if (m_inputs[static_cast<std::size_t>(i)].isCategorical())
            continue;
        grad.row(i) =
            (common * m_continuousWeights[i] * (x[i] - B.col(i).array())).matrix().transpose();
    }
    return grad;
}

std::unique_ptr<Kernel> Matern52Kernel::clone() const {
    return std::make_unique<Matern52Kernel>(*this);
}

void Matern52Kernel::profile(const ArrayXd& q, ArrayXd& f, ArrayXd* dfdq) const {
    const ArrayXd r = (5.0 * q.max(0.0)).sqrt();
    const ArrayXd e = (-r).exp();
    f = (1.0 + r + r.square() / 3.0) * e;
    // df/dq = df/dr * dr/dq = -(r/3)(1 + r) e^{-r} * 5 / (2 r), finite at r = 0.
    if (dfdq)
        *dfdq = (-5.0 / 6.0) * (1.0 + r) * e;
}

std::unique_ptr<Kernel> RbfKernel::clone() const {
    return std::make_unique<RbfKernel>(*this);
}

void RbfKernel::profile(const ArrayXd& q, ArrayXd& f, ArrayXd* dfdq) const {
    f = (-0.5 * q).exp();
    if (dfdq)
        *dfdq = -0.5 * f;
}

std::vector<std::string> kernelNames() {
    return {"matern52", "rbf"};
}

std::unique_ptr<Kernel> makeKernel(const std::string& name, InputKinds inputs, JointInputs joints,
                                   bool additive) {
    if (name == "matern52")
        return std::make_unique<Matern52Kernel>(std::move(inputs), std::move(joints), additive);
    if (name == "rbf")
        return std::make_unique<RbfKernel>(std::move(inputs), std::move(joints), additive);
    std::string known;
    for (const std::string& k : kernelNames())
        known += (known.empty() ? "" : ", ") + k;
    throw std::invalid_argument("unknown kernel '" + name + "'; known kernels: " + known);
}

}  // namespace bonsai

#include "gp/kernel.h"

#include <cmath>
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

Kernel::Kernel(InputKinds inputs) : m_inputs(std::move(inputs)) {
    setParams(VectorXd::Zero(paramCount()));
}

void Kernel::setParams(const VectorXd& params) {
    if (params.size() != paramCount()) {
        throw std::invalid_argument("kernel '" + name() + "' expects " +
                                    std::to_string(paramCount()) + " hyperparameters, got " +
                                    std::to_string(params.size()));
    }
    m_params = params;
    m_outputScale = std::exp(params[0]);
    const Index d = inputDim();
    m_continuousWeights = VectorXd::Zero(d);
    m_categoricalWeights = VectorXd::Zero(d);
    m_hasCategorical = false;
    for (Index i = 0; i < d; ++i) {
        const double w = std::exp(-2.0 * params[1 + i]);
        if (m_inputs[static_cast<std::size_t>(i)].isCategorical()) {
            m_categoricalWeights[i] = w;
            m_hasCategorical = true;
        } else {
            m_continuousWeights[i] = w;
        }
    }
}

std::vector<std::string> Kernel::paramNames() const {
    std::vector<std::string> names{"log_outputscale"};
    for (Index i = 0; i < inputDim(); ++i)
        names.push_back("log_lengthscale_" + std::to_string(i));
    return names;
}

VectorXd Kernel::lengthscales() const {
    return m_params.tail(inputDim()).array().exp();
}

double Kernel::value(const VectorXd& a, const VectorXd& b) const {
    return cross(a.transpose(), b.transpose())(0, 0);
}

MatrixXd Kernel::cross(const MatrixXd& A, const MatrixXd& B) const {
    const Index na = A.rows();
    const Index nb = B.rows();
    MatrixXd q = MatrixXd::Zero(na, nb);
    MatrixXd qc = MatrixXd::Zero(na, nb);
    for (Index i = 0; i < inputDim(); ++i) {
        const InputKind& kind = m_inputs[static_cast<std::size_t>(i)];
        if (kind.isCategorical()) {
            Eigen::VectorXi la(na);
            for (Index a = 0; a < na; ++a)
                la[a] = kind.levelOf(A(a, i));
            for (Index b = 0; b < nb; ++b) {
                const int lb = kind.levelOf(B(b, i));
                qc.col(b).array() += m_categoricalWeights[i] * (la.array() != lb).cast<double>();
            }
        } else {
            for (Index b = 0; b < nb; ++b) {
                q.col(b).array() += m_continuousWeights[i] * (A.col(i).array() - B(b, i)).square();
            }
        }
    }
    ArrayXd f;
    profile(Eigen::Map<const ArrayXd>(q.data(), q.size()), f, nullptr);
    MatrixXd K(na, nb);
    Eigen::Map<ArrayXd>(K.data(), K.size()) =
        m_outputScale * f * (-0.5 * Eigen::Map<const ArrayXd>(qc.data(), qc.size())).exp();
    return K;
}

MatrixXd Kernel::matrix(const MatrixXd& X) const {
    const PairwiseDistances pairs = PairwiseDistances::build(X, m_inputs);
    return PairwiseDistances::unpack(pairValues(pairs), X.rows(), m_outputScale);
}

void Kernel::computeTerms(const PairwiseDistances& pairs, PairTerms& terms, bool derivative) const {
    // One pass over the pair matrix for both weighted sums when there are
    // categorical inputs (it is memory-bound at large n).
    ArrayXd q;
    if (m_hasCategorical) {
        MatrixXd weights(inputDim(), 2);
        weights << m_continuousWeights, m_categoricalWeights;
        const MatrixXd both = pairs.squared * weights;
        q = both.col(0).array();
        terms.scale = m_outputScale * (-0.5 * both.col(1).array()).exp();
    } else {
        q = (pairs.squared * m_continuousWeights).array();
        terms.scale = ArrayXd::Constant(q.size(), m_outputScale);
    }
    profile(q, terms.f, derivative ? &terms.dfdq : nullptr);
}

VectorXd Kernel::pairValues(const PairwiseDistances& pairs, PairTerms* terms) const {
    if (pairs.squared.rows() == 0)
        return VectorXd();
    PairTerms local;
    PairTerms& t = terms ? *terms : local;
    computeTerms(pairs, t, terms != nullptr);
    return (t.scale * t.f).matrix();
}

VectorXd Kernel::gradientContraction(const PairwiseDistances& pairs, const VectorXd& pairWeights,
                                     double diagonalWeight, const PairTerms* terms) const {
    VectorXd grad = VectorXd::Zero(paramCount());
    grad[0] = diagonalWeight * m_outputScale;
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
    for (Index i = 0; i < inputDim(); ++i) {
        grad[1 + i] = m_inputs[static_cast<std::size_t>(i)].isCategorical()
                          ? sums(i, 1) * m_categoricalWeights[i]
                          : -2.0 * sums(i, 0) * m_continuousWeights[i];
    }
    return grad;
}

std::vector<MatrixXd> Kernel::matrixGradients(const MatrixXd& X) const {
    const Index n = X.rows();
    const PairwiseDistances pairs = PairwiseDistances::build(X, m_inputs);
    std::vector<MatrixXd> grads;
    const ArrayXd q = pairs.squared * m_continuousWeights;
    const ArrayXd qc = pairs.squared * m_categoricalWeights;
    ArrayXd f, dfdq;
    profile(q, f, &dfdq);
    const ArrayXd c = m_outputScale * (-0.5 * qc).exp();
    const ArrayXd k = c * f;
    grads.push_back(PairwiseDistances::unpack(k.matrix(), n, m_outputScale));
    for (Index i = 0; i < inputDim(); ++i) {
        const ArrayXd D = pairs.squared.col(i).array();
        const ArrayXd dk = m_inputs[static_cast<std::size_t>(i)].isCategorical()
                               ? ArrayXd(k * D * m_categoricalWeights[i])
                               : ArrayXd(-2.0 * c * dfdq * D * m_continuousWeights[i]);
        grads.push_back(PairwiseDistances::unpack(dk.matrix(), n, 0.0));
    }
    return grads;
}

MatrixXd Kernel::crossGradient(const VectorXd& x, const MatrixXd& B) const {
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
    ArrayXd f, dfdq;
    profile(q, f, &dfdq);
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

std::unique_ptr<Kernel> makeKernel(const std::string& name, InputKinds inputs) {
    if (name == "matern52")
        return std::make_unique<Matern52Kernel>(std::move(inputs));
    if (name == "rbf")
        return std::make_unique<RbfKernel>(std::move(inputs));
    std::string known;
    for (const std::string& k : kernelNames())
        known += (known.empty() ? "" : ", ") + k;
    throw std::invalid_argument("unknown kernel '" + name + "'; known kernels: " + known);
}

}  // namespace bonsai

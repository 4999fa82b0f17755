#include "gp/cholesky.h"

#include <cmath>

#include <Eigen/Cholesky>

namespace bonsai {

using Eigen::Index;
using Eigen::Lower;
using Eigen::MatrixXd;

namespace {

constexpr Index kBlock = 48;

bool factorOk(const Eigen::LLT<MatrixXd>& llt) {
    if (llt.info() != Eigen::Success)
        return false;
    // LLT only rejects pivots <= 0, so a NaN would slip through.
    const auto diag = llt.matrixLLT().diagonal().array();
    return diag.allFinite() && (diag > 0.0).all();
}

}  // namespace

bool choleskyWithJitter(const MatrixXd& A, MatrixXd& L, double& jitter) {
    jitter = 0.0;
    if (A.rows() == 0) {
        L.resize(0, 0);
        return true;
    }
    if (!A.allFinite())
        return false;
    double scale = A.diagonal().cwiseAbs().mean();
    if (!(scale > 0.0))
        scale = 1.0;
    Eigen::LLT<MatrixXd> llt(A);
    for (int exponent = -10; !factorOk(llt); ++exponent) {
        if (exponent > -2)
            return false;
        jitter = scale * std::pow(10.0, exponent);
        MatrixXd shifted = A;
        shifted.diagonal().array() += jitter;
        llt.compute(shifted);
    }
    L = llt.matrixL();
    return true;
}

void invertLowerTriangular(Eigen::Ref<MatrixXd> L) {
    const Index n = L.rows();
    if (n <= kBlock) {
        // Column by column: X_jj = 1 / L_jj, X_ij = -sum_{j<=k<i} L_ik X_kj / L_ii,
        // by forward substitution: once X_kj is known its terms L_ik X_kj are
        // subtracted from every later r_i (i > k) at once, down the contiguous
        // column k of L, in the same order of k, so r_i = -sum exactly.
        // Column j of L is read at step k = j only and overwritten after.
        Eigen::VectorXd r(n);
        for (Index j = 0; j < n; ++j) {
            const Index m = n - j;
            r.head(m).setZero();
            double* x = r.data();  // x[i - j] holds r_i, then X_ij
            x[0] = 1.0 / L(j, j);
            for (Index k = j; k < n; ++k) {
                const double xk = k == j ? x[0] : x[k - j] / L(k, k);
                x[k - j] = xk;
                const Index below = n - k - 1;
                const double* column = &L(k + 1, k);
                double* rest = x + (k - j) + 1;
                for (Index i = 0; i < below; ++i)
                    rest[i] -= column[i] * xk;
            }
            L.col(j).tail(m) = r.head(m);
        }
        return;
    }
    // [A 0; B C]^{-1} = [A^{-1} 0; -C^{-1} B A^{-1}, C^{-1}]
    const Index n1 = n / 2;
    const Index n2 = n - n1;
    invertLowerTriangular(L.topLeftCorner(n1, n1));
    invertLowerTriangular(L.bottomRightCorner(n2, n2));
    const MatrixXd BAinv =
        L.bottomLeftCorner(n2, n1) * L.topLeftCorner(n1, n1).triangularView<Lower>();
    L.bottomLeftCorner(n2, n1).noalias() =
        -(L.bottomRightCorner(n2, n2).triangularView<Lower>() * BAinv);
}

void lowerGramInPlace(Eigen::Ref<MatrixXd> X) {
    const Index n = X.rows();
    if (n <= kBlock) {
        // Row i of the result only reads rows >= i of X, so go top-down.
        for (Index i = 0; i < n; ++i) {
            for (Index j = 0; j <= i; ++j) {
                double s = 0.0;
                for (Index k = i; k < n; ++k)
                    s += X(k, i) * X(k, j);
                X(i, j) = s;
            }
        }
        return;
    }
    // X = [P 0; Q R]:  X^T X = [P^T P + Q^T Q, Q^T R; R^T Q, R^T R]
    const Index n1 = n / 2;
    const Index n2 = n - n1;
    lowerGramInPlace(X.topLeftCorner(n1, n1));
    X.topLeftCorner(n1, n1).selfadjointView<Lower>().rankUpdate(
        X.bottomLeftCorner(n2, n1).transpose());
    X.bottomLeftCorner(n2, n1) = X.bottomRightCorner(n2, n2).triangularView<Lower>().transpose() *
                                 X.bottomLeftCorner(n2, n1);
    lowerGramInPlace(X.bottomRightCorner(n2, n2));
}

MatrixXd inverseFromCholesky(const MatrixXd& L) {
    MatrixXd X = L;
    invertLowerTriangular(X);
    lowerGramInPlace(X);
    return X.selfadjointView<Lower>();
}

}  // namespace bonsai

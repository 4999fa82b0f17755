#pragma once

#include <Eigen/Core>

namespace bonsai {

// Lower Cholesky factor L of A + jitter * I. Tries jitter 0 first, then
// escalates 1e-10, 1e-9, ... 1e-2 times the mean diagonal of A, checking that
// the factorization succeeded (LLT::info()) and that L is finite with a
// positive diagonal. Returns false, leaving L unspecified, if every attempt
// fails (A not finite, or far from positive definite).
bool choleskyWithJitter(const Eigen::MatrixXd& A, Eigen::MatrixXd& L, double& jitter);

// In place: L lower triangular -> L^{-1}; the strict upper triangle is ignored
// and left untouched. Recursive blocked, n^3 / 3 flops.
void invertLowerTriangular(Eigen::Ref<Eigen::MatrixXd> L);

// In place: X lower triangular -> lower triangle of X^T X; the strict upper
// triangle is left untouched. Recursive blocked, n^3 / 3 flops.
void lowerGramInPlace(Eigen::Ref<Eigen::MatrixXd> X);

// (L L^T)^{-1} as a full symmetric matrix, from a lower Cholesky factor:
// about 2.5x faster than LLT::solve(Identity) at n = 500.
Eigen::MatrixXd inverseFromCholesky(const Eigen::MatrixXd& L);

}  // namespace bonsai

#pragma once

namespace bonsai {

// Standard normal density and distribution function (Phi via erfc: no
// cancellation in the lower tail).
double normalPdf(double z);
double normalCdf(double z);

// Scaled complementary error function exp(x^2) erfc(x), finite for every x >= 0
// (and for x > -26); relative error near machine precision.
double erfcx(double x);

// log(1 - exp(a)) for a < 0 (Maechler 2012, "Accurately computing log(1 - exp(-|a|))").
double log1mexp(double a);

// h(z) = phi(z) + z Phi(z), the expected improvement of a unit normal over -z:
// EI = sigma h((best - mean) / sigma) for minimization.
double expectedImprovementH(double z);

// log h(z), finite for every finite z (Ament et al. 2023, "Unexpected
// Improvements to Expected Improvement for Bayesian Optimization", eq. 9):
//   z > -1:        log(phi(z) + z Phi(z))
//   -10 < z <= -1: -z^2/2 - log(2 pi)/2 + log1mexp(log(erfcx(-z/sqrt 2) |z|) + log(pi/2)/2)
//   z <= -10:      -z^2/2 - log(2 pi)/2 - 2 log|z| + log(1 + sum_k (-1)^k (2k+1)!! / z^(2k))
// The last branch is the asymptotic (Mills ratio) series, which, unlike the
// erfcx form, has no cancellation for large |z|.
double logExpectedImprovementH(double z);

// d log h / dz = Phi(z) / h(z), finite for every finite z (about |z| for z -> -inf).
double logExpectedImprovementHSlope(double z);

}  // namespace bonsai

#include "acquisition/normal.h"

#include <cmath>

namespace bonsai {

namespace {

constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;
constexpr double kHalfLog2Pi = 0.91893853320467274178;
constexpr double kHalfLogPiOver2 = 0.22579135264472743236;
constexpr double kSqrtPiOver2 = 1.25331413731550025121;
constexpr double kInvSqrtPi = 0.56418958354775628695;
constexpr double kSeriesThreshold = -10.0;

// sum_{k>=0} (-1)^k (2k + 1 + shift)!! / z^(2k) style series for the lower
// tail: with odd = 1 it is sum (-1)^k (2k-1)!! / z^2k (Mills ratio of Phi),
// with odd = 3 it is sum (-1)^k (2k+1)!! / z^2k (of h). Converges to machine
// precision well before the terms start growing for |z| >= 10.
double tailSeries(double z, double first) {
    const double invZ2 = 1.0 / (z * z);
    double term = 1.0;
    double sum = 1.0;
    for (int k = 1; k < 60; ++k) {
        term *= -(first + 2.0 * (k - 1)) * invZ2;
        sum += term;
        if (std::fabs(term) < 1e-17 * std::fabs(sum))
            break;
    }
    return sum;
}

}  // namespace

double normalPdf(double z) {
    return kInvSqrt2Pi * std::exp(-0.5 * z * z);
}

double normalCdf(double z) {
    return 0.5 * std::erfc(-z * kInvSqrt2);
}

double erfcx(double x) {
    if (x < 26.0) {
        // exp(x^2) with x^2 split exactly into hi + lo, so the large exponent
        // adds no rounding error; erfc(26) ~ 5.7e-296 is still a normal double.
        const double hi = x * x;
        const double lo = std::fma(x, x, -hi);
        return std::exp(hi) * std::erfc(x) * (1.0 + lo);
    }
    // Asymptotic: erfcx(x) = 1 / (x sqrt(pi)) sum_k (-1)^k (2k-1)!! / (2x^2)^k.
    return kInvSqrtPi / x * tailSeries(x * std::sqrt(2.0), 1.0);
}

double log1mexp(double a) {
    return a > -0.6931471805599453 ? std::log(-std::expm1(a)) : std::log1p(-std::exp(a));
}

double expectedImprovementH(double z) {
    if (z > -1.0)
        return normalPdf(z) + z * normalCdf(z);
    return std::exp(logExpectedImprovementH(z));
}

double logExpectedImprovementH(double z) {
    if (z > -1.0)
        return std::log(normalPdf(z) + z * normalCdf(z));
    if (z > kSeriesThreshold) {
        const double x = -z * kInvSqrt2;
        return -0.5 * z * z - kHalfLog2Pi + log1mexp(std::log(erfcx(x) * -z) + kHalfLogPiOver2);
    }
    // h(z) = phi(z) / z^2 * sum_k (-1)^k (2k+1)!! / z^2k
    return -0.5 * z * z - kHalfLog2Pi - 2.0 * std::log(-z) + std::log(tailSeries(z, 3.0));
}

double logExpectedImprovementHSlope(double z) {
    if (z > -1.0) {
        const double cdf = normalCdf(z);
        return cdf / (normalPdf(z) + z * cdf);
    }
    if (z > kSeriesThreshold) {
        // Phi / h with the common factor exp(-z^2/2) cancelled.
        const double e = erfcx(-z * kInvSqrt2);
        return kSqrtPiOver2 * e / (1.0 - kSqrtPiOver2 * -z * e);
    }
    // Phi(z) = phi(z) / |z| * A,  h(z) = phi(z) / z^2 * B.
    return -z * tailSeries(z, 1.0) / tailSeries(z, 3.0);
}

}  // namespace bonsai

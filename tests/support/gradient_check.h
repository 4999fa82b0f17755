#pragma once

// Central finite differences, the yardstick of every analytic gradient (GP
// kernels, the marginal likelihood, predictions, acquisitions, EHVI).

#include <Eigen/Dense>
#include <QString>
#include <cmath>
#include <functional>

namespace bonsai::test {

// (f(x + h e_i) - f(x - h e_i)) / 2h; f may return a number or a matrix.
template <class F>
auto centralDifference(F&& f, const Eigen::VectorXd& x, Eigen::Index i, double h = 1e-6) {
    Eigen::VectorXd plus = x, minus = x;
    plus[i] += h;
    minus[i] -= h;
    using Result = std::decay_t<decltype(f(x))>;
    return Result((f(plus) - f(minus)) / (2.0 * h));
}

// An empty string when `analytic` and `numeric` agree within
// tolerance * (1 + |numeric|); else a line naming the difference, for QVERIFY2.
inline QString gradientMismatch(double analytic, double numeric, double tolerance,
                                const QString& what) {
    if (std::fabs(analytic - numeric) < tolerance * (1.0 + std::fabs(numeric)))
        return {};
    return QStringLiteral("%1: analytic %2, finite difference %3")
        .arg(what)
        .arg(analytic, 0, 'g', 12)
        .arg(numeric, 0, 'g', 12);
}

// Checks d f / d x_i for every i not skipped against central differences.
// Returns the first mismatch, or an empty string.
inline QString checkGradient(const std::function<double(const Eigen::VectorXd&)>& f,
                             const Eigen::VectorXd& x, const Eigen::VectorXd& analytic, double h,
                             double tolerance, const QString& what,
                             const std::function<bool(Eigen::Index)>& skip = {}) {
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        if (skip && skip(i))
            continue;
        QString mismatch = gradientMismatch(analytic[i], centralDifference(f, x, i, h), tolerance,
                                            what + QStringLiteral(" %1").arg(i));
        if (!mismatch.isEmpty())
            return mismatch;
    }
    return {};
}

}  // namespace bonsai::test

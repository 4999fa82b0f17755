// GP suggestion cost: hyperparameter fit + LogEI maximization in 6 dimensions,
// the whole work of one `gp` suggestion, done as the strategy does it
// (fitScaled: GpScaling's subsets and refit schedule). For each n:
//   refit    the suggestion that refits the hyperparameters (warm started),
//   reuse    a suggestion between refits (stored hyperparameters: one
//            factorization of the model subset, then the maximization),
//   mean     the average over one refit interval of the schedule.
// Then the exact GP's factor update on all n points: setData (full
// refactorization) against appendData (block update) for one new point.
// Median of several repetitions, in CPU seconds.
//
//   bench-gp [repetitions=3] [n ...]     (default n = 100 500 1000 2000 5000)
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <string>
#include <vector>

#include "cpu_clock.h"

#include "acquisition/acquisition.h"
#include "acquisition/maximizer.h"
#include "gp/gaussian_process.h"
#include "gp/scaling.h"
#include "objectives/test_functions.h"

using namespace bonsai;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

using bench::cpuSeconds;

double secondsSince(double start) {
    return cpuSeconds() - start;
}

// Hartmann-6 on the unit cube (minimum -3.32237).
double hartmann6(const VectorXd& x) {
    static const TestFunction& function = *findTestFunction("hartmann6");
    return function.evaluate(std::vector<double>(x.data(), x.data() + x.size()));
}

struct Timing {
    double fit = 0.0;
    double maximize = 0.0;
    double total() const { return fit + maximize; }
};

// One suggestion on (X, y) from `previous` (nullptr: cold); returns what the
// next suggestion would be given.
GpFitState suggestOnce(const MatrixXd& X, const VectorXd& y, const InputKinds& inputs,
                       const GpFitState* previous, Rng& rng, Timing& t) {
    GaussianProcess gp(makeKernel("matern52", inputs));
    auto start = cpuSeconds();
    const GpScaledFit fit = fitScaled(gp, X, y, previous, &rng);
    t.fit = secondsSince(start);

    start = cpuSeconds();
    std::vector<Eigen::Index> order(static_cast<std::size_t>(y.size()));
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return y[a] < y[b]; });
    MatrixXd anchors(std::min<Eigen::Index>(5, y.size()), X.cols());
    for (Eigen::Index i = 0; i < anchors.rows(); ++i)
        anchors.row(i) = X.row(order[static_cast<std::size_t>(i)]);
    const auto acquisition = makeAcquisition("logei");
    const BoundAcquisition target(*acquisition, gp, y.minCoeff());
    AcquisitionMaximizer(inputs).maximize(target, rng, X, anchors);
    t.maximize = secondsSince(start);
    return fit.state;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Suggestions between two refits at n observations.
double refitInterval(int n) {
    const GpScaling scaling;
    if (n < scaling.refitAlwaysBelow)
        return 1.0;
    return std::max(1.0, n * (std::exp2(1.0 / scaling.refitsPerDoubling) - 1.0));
}

void run(int n, bool mixed, int repetitions) {
    InputKinds inputs(6, InputKind::continuous());
    if (mixed) {
        inputs[4] = InputKind::categorical(4);
        inputs[5] = InputKind::ordinal(5);
    }
    std::vector<double> refitFit, refitMax, reuseFit, reuseMax;
    for (int rep = 0; rep < repetitions; ++rep) {
        Rng rng(1000 + static_cast<unsigned>(rep));
        MatrixXd X(n + 1, 6);
        VectorXd y(n + 1);
        for (int i = 0; i <= n; ++i) {
            for (int j = 0; j < 6; ++j)
                X(i, j) = inputs[static_cast<std::size_t>(j)].snap(uniform01(rng));
            y[i] = hartmann6(X.row(i).transpose());
        }
        // A cold fit gives the hyperparameters a study would have stored.
        Timing cold, refit, reuse;
        GpFitState state = suggestOnce(X.topRows(n), y.head(n), inputs, nullptr, rng, cold);
        // The next suggestion (one more observation) when the schedule says refit ...
        GpFitState due = state;
        due.fittedAt.reset();
        suggestOnce(X, y, inputs, &due, rng, refit);
        // ... and when it keeps the stored hyperparameters.
        suggestOnce(X, y, inputs, &state, rng, reuse);
        refitFit.push_back(refit.fit);
        refitMax.push_back(refit.maximize);
        reuseFit.push_back(reuse.fit);
        reuseMax.push_back(reuse.maximize);
    }
    const double k = refitInterval(n);
    const double refitTotal = median(refitFit) + median(refitMax);
    const double reuseTotal = median(reuseFit) + median(reuseMax);
    const double mean = k <= 1.0 ? refitTotal : (refitTotal + (k - 1.0) * reuseTotal) / k;
    const GpScaling scaling;
    std::printf(
        "n=%-5d d=6 %-10s model %4lld  refit: fit %.3f s + maximize %.3f s = %.3f s   reuse: "
        "fit %.3f s + maximize %.3f s = %.3f s   refit every %.0f: mean %.3f s\n",
        n, mixed ? "mixed" : "continuous",
        static_cast<long long>(std::min<Eigen::Index>(n + 1, scaling.modelLimit)), median(refitFit),
        median(refitMax), refitTotal, median(reuseFit), median(reuseMax), reuseTotal, k, mean);
    std::fflush(stdout);
}

// The exact GP on all n points with fixed hyperparameters: one more point by
// refactorization (setData) and by the block update (appendData).
void runUpdate(int n) {
    const InputKinds inputs(6, InputKind::continuous());
    Rng rng(77);
    MatrixXd X(n + 1, 6);
    VectorXd y(n + 1);
    for (int i = 0; i <= n; ++i) {
        for (int j = 0; j < 6; ++j)
            X(i, j) = uniform01(rng);
        y[i] = hartmann6(X.row(i).transpose());
    }
    GaussianProcess full(makeKernel("matern52", inputs));
    auto start = cpuSeconds();
    full.setData(X, y);
    const double refactor = secondsSince(start);
    GaussianProcess appended(makeKernel("matern52", inputs));
    appended.setData(X.topRows(n), y.head(n));
    start = cpuSeconds();
    appended.appendData(X.bottomRows(1), y.tail(1));
    const double append = secondsSince(start);
    const VectorXd probe = VectorXd::Constant(6, 0.3);
    std::printf(
        "n=%-5d exact GP, one more point: refactorize %.3f s, block update %.4f s "
        "(%.0fx; mean differs by %.1e)\n",
        n, refactor, append, refactor / std::max(append, 1e-9),
        std::fabs(full.predict(probe).mean - appended.predict(probe).mean));
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    const int repetitions = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
    std::vector<int> sizes;
    for (int i = 2; i < argc; ++i)
        sizes.push_back(std::max(1, std::atoi(argv[i])));
    if (sizes.empty())
        sizes = {100, 500, 1000, 2000, 5000};
    for (int n : sizes) {
        run(n, false, repetitions);
        run(n, true, repetitions);
    }
    for (int n : sizes) {
        if (n >= 1000)
            runUpdate(n);
    }
    return 0;
}

// GP suggestion cost: hyperparameter fit + LogEI maximization in 6 dimensions,
// the whole work of one `gp` suggestion. "cold" fits from the prior's maximum
// with random restarts; "warm" is the next suggestion, starting from the
// previous hyperparameters. Median of several repetitions.
//
//   bench-gp [repetitions=3] [n ...]     (default n = 100 500)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <string>
#include <vector>

#include "acquisition/acquisition.h"
#include "acquisition/maximizer.h"
#include "gp/gaussian_process.h"
#include "objectives/test_functions.h"

using namespace bonsai;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Hartmann-6 on the unit cube (minimum -3.32237).
double hartmann6(const VectorXd& x) {
    static const TestFunction& function = *findTestFunction("hartmann6");
    return function.evaluate(std::vector<double>(x.data(), x.data() + x.size()));
}

struct Timing {
    double fit = 0.0;
    double maximize = 0.0;
    int fitEvaluations = 0;
    int acquisitionEvaluations = 0;
};

Timing suggestOnce(GaussianProcess& gp, const MatrixXd& X, const VectorXd& y,
                   const InputKinds& inputs, Rng& rng) {
    Timing t;
    auto start = Clock::now();
    gp.setData(X, y);
    t.fitEvaluations = gp.fit(rng).evaluations;
    t.fit = secondsSince(start);

    start = Clock::now();
    std::vector<Eigen::Index> order(static_cast<std::size_t>(y.size()));
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return y[a] < y[b]; });
    MatrixXd anchors(std::min<Eigen::Index>(5, y.size()), X.cols());
    for (Eigen::Index i = 0; i < anchors.rows(); ++i)
        anchors.row(i) = X.row(order[static_cast<std::size_t>(i)]);
    const auto acquisition = makeAcquisition("logei");
    const BoundAcquisition target(*acquisition, gp, y.minCoeff());
    const MaximizerResult r = AcquisitionMaximizer(inputs).maximize(target, rng, X, anchors);
    t.maximize = secondsSince(start);
    t.acquisitionEvaluations = r.evaluations;
    return t;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void run(int n, bool mixed, int repetitions) {
    InputKinds inputs(6, InputKind::continuous());
    if (mixed) {
        inputs[4] = InputKind::categorical(4);
        inputs[5] = InputKind::ordinal(5);
    }
    std::vector<double> coldFit, coldMax, warmFit, warmMax;
    int coldEvals = 0, warmEvals = 0, acqEvals = 0;
    for (int rep = 0; rep < repetitions; ++rep) {
        Rng rng(1000 + static_cast<unsigned>(rep));
        MatrixXd X(n + 1, 6);
        VectorXd y(n + 1);
        for (int i = 0; i <= n; ++i) {
            for (int j = 0; j < 6; ++j)
                X(i, j) = inputs[static_cast<std::size_t>(j)].snap(uniform01(rng));
            y[i] = hartmann6(X.row(i).transpose());
        }
        GaussianProcess gp(makeKernel("matern52", inputs));
        const Timing cold = suggestOnce(gp, X.topRows(n), y.head(n), inputs, rng);
        // The next suggestion: one more observation, warm-started hyperparameters.
        const Timing warm = suggestOnce(gp, X, y, inputs, rng);
        coldFit.push_back(cold.fit);
        coldMax.push_back(cold.maximize);
        warmFit.push_back(warm.fit);
        warmMax.push_back(warm.maximize);
        coldEvals = cold.fitEvaluations;
        warmEvals = warm.fitEvaluations;
        acqEvals = cold.acquisitionEvaluations;
    }
    std::printf(
        "n=%-4d d=6 %-10s cold: fit %.3f s + maximize %.3f s = %.3f s   warm: fit %.3f s + "
        "maximize %.3f s = %.3f s   (LML evals cold %d warm %d, acquisition evals %d)\n",
        n, mixed ? "mixed" : "continuous", median(coldFit), median(coldMax),
        median(coldFit) + median(coldMax), median(warmFit), median(warmMax),
        median(warmFit) + median(warmMax), coldEvals, warmEvals, acqEvals);
}

}  // namespace

int main(int argc, char** argv) {
    const int repetitions = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
    std::vector<int> sizes;
    for (int i = 2; i < argc; ++i)
        sizes.push_back(std::max(1, std::atoi(argv[i])));
    if (sizes.empty())
        sizes = {100, 500};
    for (int n : sizes) {
        run(n, false, repetitions);
        run(n, true, repetitions);
    }
    return 0;
}

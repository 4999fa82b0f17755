#include "gp/gaussian_process.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <stdexcept>
#include <utility>
#include <vector>

#include <Eigen/Cholesky>
#include <nlopt.hpp>

#include "gp/cholesky.h"
#include "util/flush_denormals.h"

namespace bonsai {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

constexpr double kLog2Pi = 1.8378770664093454836;
constexpr double kMinNoise = 1e-6;      // standardized units
constexpr double kMinVariance = 1e-12;  // posterior variance floor, standardized units
constexpr double kFailedObjective = -1e100;
// Upper bound of the lengthscales of distance-based (continuous and ordinal)
// inputs, in unit-cube widths. Beyond about twice the cube's width a
// Matern-5/2 coordinate is nearly linear across the whole cube, so EI's
// maximizer runs to one face and the next observations, all on that face,
// cannot show the curvature that would shorten the lengthscale again: on
// Rosenbrock the last coordinate stuck at its lower bound (regret ~2,500)
// with lengthscales of e^2.3-e^3.5 that were the posterior mode. Categorical
// lengthscales only weigh a mismatch and keep the wide bound.
constexpr double kMaxDistanceLengthscale = 2.0;
constexpr double kMaxLengthscale = 1e3;

// log density of LogNormal(mu, sigma) at x = exp(t), and its derivative in t.
double logNormalLogPdf(double t, double mu, double sigma, double* dt) {
    const double z = (t - mu) / sigma;
    if (dt)
        *dt = -1.0 - z / sigma;
    return -t - std::log(sigma) - 0.5 * kLog2Pi - 0.5 * z * z;
}

struct PriorParams {
    double mu;
    double sigma;
};

PriorParams lengthscalePrior(Index d) {
    return {std::sqrt(2.0) + 0.5 * std::log(static_cast<double>(std::max<Index>(d, 1))),
            std::sqrt(3.0)};
}
constexpr PriorParams kOutputscalePrior{0.0, 1.0};
constexpr PriorParams kNoisePrior{-4.0, 1.0};

// The additive term's scales share the outputscale's prior mass: each
// LogNormal(-log C, 1) for C scales, so their sum is a priori near s2.
PriorParams additiveScalePrior(const Kernel& kernel) {
    const auto count =
        static_cast<double>(std::max<std::size_t>(1, kernel.additiveFeatures().size()));
    return {kOutputscalePrior.mu - std::log(count), kOutputscalePrior.sigma};
}

// The indices of the additive term's scales in the hyperparameter vector.
std::pair<Index, Index> additiveScaleRange(const Kernel& kernel) {
    return {kernel.additiveScaleIndex(), static_cast<Index>(kernel.additiveFeatures().size())};
}

// The prior of every hyperparameter, in the hyperparameter vector's order
// (outputscale, lengthscales, additive scales, noise): the one table that
// the default start, the log prior and the random starts all read.
std::vector<PriorParams> hyperparameterPriors(const Kernel& kernel) {
    std::vector<PriorParams> priors;
    priors.reserve(static_cast<std::size_t>(kernel.paramCount() + 1));
    priors.push_back(kOutputscalePrior);
    priors.insert(priors.end(), static_cast<std::size_t>(kernel.featureCount()),
                  lengthscalePrior(kernel.featureCount()));
    priors.insert(priors.end(), kernel.additiveFeatures().size(), additiveScalePrior(kernel));
    priors.push_back(kNoisePrior);
    return priors;
}

}  // namespace

GaussianProcess::GaussianProcess(std::unique_ptr<Kernel> kernel) : m_kernel(std::move(kernel)) {
    if (!m_kernel)
        throw std::invalid_argument("GaussianProcess needs a kernel");
    m_X.resize(0, m_kernel->inputDim());
    setHyperparameters(defaultHyperparameters());
}

GaussianProcess::GaussianProcess(const GaussianProcess& other)
    : m_kernel(other.m_kernel->clone()),
      m_logNoise(other.m_logNoise),
      m_X(other.m_X),
      m_y(other.m_y),
      m_yRaw(other.m_yRaw),
      m_yMean(other.m_yMean),
      m_yStd(other.m_yStd),
      m_fantasies(other.m_fantasies),
      m_L(other.m_L),
      m_alpha(other.m_alpha),
      m_jitter(other.m_jitter),
      m_conditioned(other.m_conditioned),
      m_pairs(other.m_pairs) {}

GaussianProcess& GaussianProcess::operator=(const GaussianProcess& other) {
    if (this != &other) {
        GaussianProcess copy(other);
        *this = std::move(copy);
    }
    return *this;
}

GaussianProcess::~GaussianProcess() = default;

void GaussianProcess::setData(const MatrixXd& X, const VectorXd& y) {
    if (X.rows() != y.size() || (X.rows() > 0 && X.cols() != inputDim())) {
        throw std::invalid_argument("GaussianProcess::setData: X must be n x " +
                                    std::to_string(inputDim()) + " and y of length n");
    }
    m_X.resize(0, inputDim());
    m_yRaw.resize(0);
    m_fantasies = 0;
    appendRows(X, y);
    standardize();
    m_pairs.reset();
    factorize();
}

void GaussianProcess::appendData(const MatrixXd& X, const VectorXd& y) {
    if (X.rows() != y.size() || (X.rows() > 0 && X.cols() != inputDim())) {
        throw std::invalid_argument("GaussianProcess::appendData: X must be m x " +
                                    std::to_string(inputDim()) + " and y of length m");
    }
    dropFantasies();
    const Index known = m_X.rows();
    if (appendRows(X, y) == 0)
        return;
    standardize();
    m_pairs.reset();
    if (m_conditioned && known > 0 && extendFactor(known)) {
        solveAlpha();
        if (m_alpha.allFinite())
            return;
    }
    factorize();
}

Index GaussianProcess::appendRows(const MatrixXd& X, const VectorXd& y) {
    const Index known = m_X.rows();
    Index added = 0;
    m_X.conservativeResize(known + X.rows(), Eigen::NoChange);
    m_yRaw.conservativeResize(known + X.rows());
    for (Index i = 0; i < X.rows(); ++i) {
        if (std::isfinite(y[i]) && X.row(i).allFinite()) {
            m_X.row(known + added) = X.row(i);
            m_yRaw[known + added] = y[i];
            ++added;
        }
    }
    m_X.conservativeResize(known + added, Eigen::NoChange);
    m_yRaw.conservativeResize(known + added);
    return added;
}

void GaussianProcess::standardize() {
    m_y = standardized(m_yRaw, m_yMean, m_yStd);
}

VectorXd GaussianProcess::standardized(const VectorXd& raw, double& mean, double& std) {
    const Index n = raw.size();
    // Divide before summing so that huge values cannot overflow the mean.
    mean = n > 0 ? (raw.array() / static_cast<double>(n)).sum() : 0.0;
    std = 1.0;
    if (n > 1) {
        const VectorXd centred = raw.array() - mean;
        double scale = 0.0;
        for (Index i = 0; i < n; ++i)
            scale = std::max(scale, std::fabs(centred[i]));
        if (scale > 0.0 && std::isfinite(scale)) {
            const double s =
                scale * std::sqrt((centred / scale).squaredNorm() / static_cast<double>(n - 1));
            if (s > 0.0 && std::isfinite(s))
                std = s;
        }
    }
    return (raw.array() - mean) / std;
}

VectorXd GaussianProcess::hyperparameters() const {
    VectorXd theta(hyperparameterCount());
    theta << m_kernel->params(), m_logNoise;
    return theta;
}

void GaussianProcess::setHyperparameters(const VectorXd& theta) {
    if (theta.size() != hyperparameterCount()) {
        throw std::invalid_argument("GaussianProcess expects " +
                                    std::to_string(hyperparameterCount()) +
                                    " hyperparameters, got " + std::to_string(theta.size()));
    }
    m_kernel->setParams(theta.head(m_kernel->paramCount()));
    m_logNoise = theta[theta.size() - 1];
    factorize();
}

std::vector<std::string> GaussianProcess::hyperparameterNames() const {
    std::vector<std::string> names = m_kernel->paramNames();
    names.push_back("log_noise");
    return names;
}

VectorXd GaussianProcess::lowerBounds() const {
    VectorXd lower(hyperparameterCount());
    lower[0] = std::log(1e-3);
    lower.segment(1, m_kernel->featureCount()).setConstant(std::log(5e-3));
    const auto [first, count] = additiveScaleRange(*m_kernel);
    lower.segment(first, count).setConstant(std::log(1e-4));
    lower[lower.size() - 1] = std::log(kMinNoise);
    return lower;
}

VectorXd GaussianProcess::upperBounds() const {
    VectorXd upper(hyperparameterCount());
    upper[0] = std::log(1e3);
    for (Index i = 0; i < m_kernel->featureCount(); ++i) {
        const bool distance =
            i < inputDim() && !m_kernel->inputs()[static_cast<std::size_t>(i)].isCategorical();
        upper[1 + i] = std::log(distance ? kMaxDistanceLengthscale : kMaxLengthscale);
    }
    const auto [first, count] = additiveScaleRange(*m_kernel);
    upper.segment(first, count).setConstant(upper[0]);
    upper[upper.size() - 1] = std::log(10.0);
    return upper;
}

VectorXd GaussianProcess::defaultHyperparameters() const {
    // The maximum of a LogNormal density in log coordinates is mu - sigma^2.
    const std::vector<PriorParams> priors = hyperparameterPriors(*m_kernel);
    VectorXd theta(hyperparameterCount());
    for (Index i = 0; i < theta.size(); ++i) {
        const PriorParams& prior = priors[static_cast<std::size_t>(i)];
        theta[i] = prior.mu - prior.sigma * prior.sigma;
    }
    return theta.cwiseMax(lowerBounds()).cwiseMin(upperBounds());
}

double GaussianProcess::noiseVariance() const {
    return noiseStd2() * m_yStd * m_yStd;
}

double GaussianProcess::logPrior(const VectorXd& theta, VectorXd* gradient) const {
    const std::vector<PriorParams> priors = hyperparameterPriors(*m_kernel);
    if (gradient)
        gradient->resize(theta.size());
    double lp = 0.0;
    double dt = 0.0;
    for (Index i = 0; i < theta.size(); ++i) {
        const PriorParams& prior = priors[static_cast<std::size_t>(i)];
        lp += logNormalLogPdf(theta[i], prior.mu, prior.sigma, &dt);
        if (gradient)
            (*gradient)[i] = dt;
    }
    return lp;
}

const PairwiseDistances& GaussianProcess::pairs() const {
    if (!m_pairs || m_pairs->points != m_X.rows()) {
        m_pairs = std::make_shared<PairwiseDistances>(m_kernel->pairwise(m_X));
    }
    return *m_pairs;
}

double GaussianProcess::evaluate(Kernel& kernel, const VectorXd& theta, VectorXd* gradient) const {
    const Index n = m_X.rows();
    const Index p = kernel.paramCount();
    VectorXd priorGrad;
    const double lp = logPrior(theta, gradient ? &priorGrad : nullptr);
    if (gradient)
        *gradient = priorGrad;
    if (n == 0)
        return lp;
    if (!theta.allFinite())
        return kFailedObjective;

    kernel.setParams(theta.head(p));
    const double noise = std::exp(theta[p]);
    const PairwiseDistances& pd = pairs();
    Kernel::PairTerms terms;
    MatrixXd K = PairwiseDistances::unpack(kernel.pairValues(pd, gradient ? &terms : nullptr), n,
                                           kernel.diagonal() + noise);
    MatrixXd L;
    double jitter = 0.0;
    if (!choleskyWithJitter(K, L, jitter)) {
        if (gradient)
            gradient->setZero();
        return kFailedObjective;
    }
    const auto lower = L.triangularView<Eigen::Lower>();
    VectorXd alpha = lower.solve(m_y);
    const double dataFit = alpha.squaredNorm();
    L.transpose().triangularView<Eigen::Upper>().solveInPlace(alpha);
    const double lml =
        -0.5 * dataFit - L.diagonal().array().log().sum() - 0.5 * static_cast<double>(n) * kLog2Pi;
    if (!std::isfinite(lml)) {
        if (gradient)
            gradient->setZero();
        return kFailedObjective;
    }
    if (gradient) {
        // W = a a^T - K^{-1}; only its lower triangle is formed.
        MatrixXd W = L;
        invertLowerTriangular(W);
        lowerGramInPlace(W);
        for (Index b = 0; b < n; ++b) {
            W.col(b).tail(n - b) = alpha.tail(n - b) * alpha[b] - W.col(b).tail(n - b);
        }
        const VectorXd pairWeights = 2.0 * PairwiseDistances::packLower(W);
        const double trace = W.diagonal().sum();
        gradient->head(p) += 0.5 * kernel.gradientContraction(pd, pairWeights, trace, &terms);
        (*gradient)[p] += 0.5 * noise * trace;
    }
    return lml + lp;
}

double GaussianProcess::fitObjective(const VectorXd& theta, VectorXd* gradient) const {
    if (theta.size() != hyperparameterCount()) {
        throw std::invalid_argument("fitObjective: wrong number of hyperparameters");
    }
    std::unique_ptr<Kernel> kernel = m_kernel->clone();
    return evaluate(*kernel, theta, gradient);
}

double GaussianProcess::fitObjectiveFor(const VectorXd& y, double& outputStd) const {
    const Index n = m_X.rows();
    if (y.size() != n || m_fantasies > 0 || !y.allFinite())
        throw std::invalid_argument(
            "fitObjectiveFor: one finite output per observation, without fantasies");
    double mean = 0.0;
    const VectorXd z = standardized(y, mean, outputStd);
    // evaluate() on this data, step for step, with its factorization: the
    // kernel matrix at the current hyperparameters does not depend on y.
    const VectorXd theta = hyperparameters();
    const double lp = logPrior(theta, nullptr);
    if (n == 0)
        return lp;
    if (!theta.allFinite() || !m_conditioned)
        return kFailedObjective;
    const double dataFit = m_L.triangularView<Eigen::Lower>().solve(z).squaredNorm();
    const double lml = -0.5 * dataFit - m_L.diagonal().array().log().sum() -
                       0.5 * static_cast<double>(n) * kLog2Pi;
    if (!std::isfinite(lml))
        return kFailedObjective;
    return lml + lp;
}

double GaussianProcess::logMarginalLikelihood() const {
    const Index n = m_X.rows();
    if (n == 0 || !m_conditioned)
        return 0.0;
    const VectorXd a = m_L.triangularView<Eigen::Lower>().solve(m_y);
    return -0.5 * a.squaredNorm() - m_L.diagonal().array().log().sum() -
           0.5 * static_cast<double>(n) * kLog2Pi;
}

bool GaussianProcess::factorizeWith(const VectorXd& theta) {
    m_kernel->setParams(theta.head(m_kernel->paramCount()));
    m_logNoise = theta[theta.size() - 1];
    const Index n = m_X.rows();
    MatrixXd K = m_kernel->matrix(m_X);
    K.diagonal().array() += noiseStd2();
    if (!choleskyWithJitter(K, m_L, m_jitter))
        return false;
    solveAlpha();
    return m_alpha.allFinite() && n == m_alpha.size();
}

void GaussianProcess::solveAlpha() {
    m_alpha = m_L.triangularView<Eigen::Lower>().solve(m_y);
    m_L.transpose().triangularView<Eigen::Upper>().solveInPlace(m_alpha);
}

bool GaussianProcess::extendFactor(Index known) {
    const Index total = m_X.rows();
    const Index m = total - known;
    // [L 0; B^T C] with B = L^{-1} K12 and C C^T = K22 - B^T B; the jitter of
    // the existing factor is kept so the result is what a full factorization
    // with that jitter would give.
    MatrixXd B = m_kernel->cross(m_X.topRows(known), m_X.bottomRows(m));
    m_L.triangularView<Eigen::Lower>().solveInPlace(B);
    MatrixXd S = m_kernel->matrix(m_X.bottomRows(m));
    S.diagonal().array() += noiseStd2() + m_jitter;
    S.noalias() -= B.transpose() * B;
    MatrixXd C;
    double extra = 0.0;
    if (!choleskyWithJitter(S, C, extra))
        return false;
    MatrixXd L(total, total);
    L.topLeftCorner(known, known) = m_L;
    L.topRightCorner(known, m).setZero();
    L.bottomLeftCorner(m, known) = B.transpose();
    L.bottomRightCorner(m, m) = C;
    m_L = std::move(L);
    return true;
}

void GaussianProcess::factorize() {
    m_conditioned = false;
    m_jitter = 0.0;
    if (m_X.rows() == 0)
        return;
    if (factorizeWith(hyperparameters())) {
        m_conditioned = true;
        return;
    }
    // Hyperparameters set by hand (or NaN) can make K hopeless; the prior's
    // maximum always gives a well-conditioned K on finite data.
    if (factorizeWith(defaultHyperparameters()))
        m_conditioned = true;
}

void GaussianProcess::dropFantasies() {
    if (m_fantasies == 0)
        return;
    const Index n = m_X.rows() - m_fantasies;
    m_X.conservativeResize(n, Eigen::NoChange);
    m_y.conservativeResize(n);
    m_fantasies = 0;
    m_pairs.reset();
    factorize();
}

namespace {

struct FitState {
    std::function<double(const VectorXd&, VectorXd*)> objective;
    VectorXd best;
    double bestValue = -std::numeric_limits<double>::infinity();
    int evaluations = 0;
};

double nloptObjective(unsigned n, const double* x, double* grad, void* data) {
    auto* state = static_cast<FitState*>(data);
    const Eigen::Map<const VectorXd> theta(x, n);
    VectorXd g;
    const double value = state->objective(theta, grad ? &g : nullptr);
    ++state->evaluations;
    if (grad)
        Eigen::Map<VectorXd>(grad, n) = g.allFinite() ? g : VectorXd::Zero(n);
    if (std::isfinite(value) && value > state->bestValue) {
        state->bestValue = value;
        state->best = theta;
    }
    return std::isfinite(value) ? value : kFailedObjective;
}

}  // namespace

GpFitReport GaussianProcess::fit(Rng& rng, const GpFitOptions& options) {
    dropFantasies();
    GpFitReport report;
    const Index n = m_X.rows();
    if (n == 0)
        return report;

    // Each evaluation costs about n^3 flops: fewer and shorter runs for large n.
    int starts = options.starts;
    if (starts <= 0) {
        starts = n <= 60 ? 4 : n <= 150 ? 3 : 2;
        if (options.warmStart && n > kWarmRestartsAbove && n % kWarmRestartEvery != 0)
            starts = 1;
    }
    int maxEvaluations = options.maxEvaluations;
    if (maxEvaluations <= 0)
        maxEvaluations = n <= 150 ? 120 : n <= 300 ? 80 : 50;

    const VectorXd lower = lowerBounds();
    const VectorXd upper = upperBounds();
    const Index dim = hyperparameterCount();
    std::vector<VectorXd> initial;
    initial.push_back(hyperparameters().cwiseMax(lower).cwiseMin(upper));
    const VectorXd fallback = defaultHyperparameters();
    if ((fallback - initial.front()).cwiseAbs().maxCoeff() > 1e-6)
        initial.push_back(fallback);
    const std::vector<PriorParams> priors = hyperparameterPriors(*m_kernel);
    std::normal_distribution<double> normal(0.0, 1.0);
    while (static_cast<int>(initial.size()) < starts) {
        VectorXd theta(dim);
        for (Index i = 0; i < dim; ++i) {
            const PriorParams& prior = priors[static_cast<std::size_t>(i)];
            theta[i] = prior.mu + prior.sigma * normal(rng);
        }
        initial.push_back(theta.cwiseMax(lower).cwiseMin(upper));
    }
    initial.resize(static_cast<std::size_t>(starts));

    std::unique_ptr<Kernel> scratch = m_kernel->clone();
    const FlushDenormals fast;  // the line search's tiny lengthscales underflow
    FitState state;
    state.best = initial.front();
    state.objective = [this, &scratch](const VectorXd& theta, VectorXd* grad) {
        return evaluate(*scratch, theta, grad);
    };
    const std::vector<double> lo(lower.data(), lower.data() + dim);
    const std::vector<double> hi(upper.data(), upper.data() + dim);
    for (const VectorXd& start : initial) {
        nlopt::opt opt(nlopt::LD_LBFGS, static_cast<unsigned>(dim));
        opt.set_lower_bounds(lo);
        opt.set_upper_bounds(hi);
        opt.set_max_objective(nloptObjective, &state);
        opt.set_maxeval(maxEvaluations);
        opt.set_ftol_rel(1e-8);
        opt.set_xtol_rel(1e-6);
        std::vector<double> x(start.data(), start.data() + dim);
        double value = 0.0;
        try {
            opt.optimize(x, value);
        } catch (const std::exception&) {
            // Round-off or a failed line search: the best point seen is kept.
        }
        ++report.starts;
    }
    report.evaluations = state.evaluations;
    report.objective = state.bestValue;
    setHyperparameters(state.best);
    return report;
}

Prediction GaussianProcess::predict(const VectorXd& x) const {
    const BatchPrediction batch = predictMany(MatrixXd(x.transpose()));
    return {batch.mean[0], batch.variance[0]};
}

BatchPrediction GaussianProcess::predictMany(const MatrixXd& X) const {
    return predictBatch(X, [this](MatrixXd& Kt, VectorXd& varStd) {
        m_L.triangularView<Eigen::Lower>().solveInPlace(Kt);
        varStd.array() -= Kt.colwise().squaredNorm().transpose().array();
    });
}

BatchPrediction GaussianProcess::predictWithVarianceBound(const MatrixXd& X) const {
    return predictBatch(X, [this](MatrixXd& Kt, VectorXd& varStd) {
        // K_aa of the factorized matrix: k(x, x) + noise + jitter.
        const double prior = m_kernel->diagonal();
        const double diagonal = prior + noiseStd2() + m_jitter;
        for (Index c = 0; c < Kt.cols(); ++c)
            varStd[c] -= Kt.col(c).cwiseAbs2().maxCoeff() / diagonal;
        // The exact variance has round-off of order n eps k(x, x).
        varStd.array() += 1e-9 * prior;
    });
}

BatchPrediction GaussianProcess::predictBatch(
    const MatrixXd& X, const std::function<void(MatrixXd&, VectorXd&)>& reduceVariance) const {
    const Index m = X.rows();
    BatchPrediction out;
    const double prior = m_kernel->diagonal();
    VectorXd meanStd = VectorXd::Zero(m);
    VectorXd varStd = VectorXd::Constant(m, prior);
    if (m_conditioned && m_X.rows() > 0) {
        MatrixXd Kt = m_kernel->cross(m_X, X);  // n x m
        meanStd = Kt.transpose() * m_alpha;
        reduceVariance(Kt, varStd);
    }
    out.mean = (m_yMean + m_yStd * meanStd.array()).matrix();
    out.variance = (m_yStd * m_yStd * varStd.array().max(kMinVariance)).matrix();
    return out;
}

PredictionGradient GaussianProcess::predictWithGradient(const VectorXd& x) const {
    PredictionGradient out;
    const Index d = inputDim();
    double meanStd = 0.0;
    double varStd = m_kernel->diagonal();
    VectorXd dMean = VectorXd::Zero(d);
    VectorXd dVar = VectorXd::Zero(d);
    if (m_conditioned && m_X.rows() > 0) {
        const MatrixXd xt = x.transpose();
        const VectorXd k = m_kernel->cross(m_X, xt).col(0);
        const MatrixXd J = m_kernel->crossGradient(x, m_X);  // d x n
        meanStd = k.dot(m_alpha);
        dMean = J * m_alpha;
        const auto lower = m_L.triangularView<Eigen::Lower>();
        VectorXd v = lower.solve(k);
        varStd -= v.squaredNorm();
        m_L.transpose().triangularView<Eigen::Upper>().solveInPlace(v);  // K^{-1} k
        dVar = -2.0 * (J * v);
    }
    if (varStd < kMinVariance) {
        varStd = kMinVariance;
        dVar.setZero();
    }
    const double s2 = m_yStd * m_yStd;
    out.value = {m_yMean + m_yStd * meanStd, s2 * varStd};
    out.meanGradient = m_yStd * dMean;
    out.varianceGradient = s2 * dVar;
    return out;
}

void GaussianProcess::addFantasies(const MatrixXd& pending) {
    if (pending.rows() == 0)
        return;
    if (pending.cols() != inputDim()) {
        throw std::invalid_argument("addFantasies: pending points must have " +
                                    std::to_string(inputDim()) + " columns");
    }
    const Index n = m_X.rows();
    const Index m = pending.rows();
    const BatchPrediction believed = predictMany(pending);
    const VectorXd yNew = (believed.mean.array() - m_yMean) / m_yStd;
    const bool extendable = m_conditioned && n > 0;
    m_X.conservativeResize(n + m, Eigen::NoChange);
    m_X.bottomRows(m) = pending;
    m_y.conservativeResize(n + m);
    m_y.tail(m) = yNew;
    bool updated = false;
    if (extendable && extendFactor(n)) {
        solveAlpha();
        updated = m_alpha.allFinite();
    }
    if (!updated)
        factorize();
    m_fantasies += m;
    m_pairs.reset();
}

GaussianProcess GaussianProcess::withFantasies(const MatrixXd& pending) const {
    GaussianProcess copy(*this);
    copy.addFantasies(pending);
    return copy;
}

}  // namespace bonsai

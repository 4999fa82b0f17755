#pragma once

#include <optional>
#include <vector>

#include <Eigen/Core>

#include "gp/gaussian_process.h"
#include "util/random.h"

namespace bonsai {

// How a GP stays fast on long studies (README "GP suggestion cost: bench-gp").
// The exact GP costs O(n^3) per likelihood evaluation of the hyperparameter
// fit and O(n^2) per acquisition evaluation, so beyond a few hundred
// observations the gp strategy
//  - conditions on at most `modelLimit` observations (representativeRows),
//  - fits hyperparameters on at most `fitLimit` of them, and
//  - refits only when the observation count has grown by a fixed fraction
//    since the last fit (refitEpoch), or when the old hyperparameters explain
//    the data markedly worse than they did when fitted (likelihoodDrop);
//    in between it reuses the hyperparameters the previous suggestion stored.
// Every choice is a function of the observations and the stored trial
// attributes alone, so a resumed study repeats an uninterrupted one.
struct GpScaling {
    Eigen::Index modelLimit = 512;
    Eigen::Index fitLimit = 256;
    // Below this many observations every suggestion refits.
    Eigen::Index refitAlwaysBelow = 256;
    // Refits per doubling of the observation count above refitAlwaysBelow
    // (16: whenever n has grown by 2^(1/16) - 1 = 4.4%).
    int refitsPerDoubling = 16;
    // Refit early when the log marginal likelihood per observation under the
    // stored hyperparameters is this many nats below its value at the fit.
    double likelihoodDrop = 0.1;
};

// The schedule bucket of n: hyperparameters are refitted when it changes.
// Every n below refitAlwaysBelow is its own bucket.
long refitEpoch(Eigen::Index n, const GpScaling& scaling = {});

// Whether a suggestion with n observations refits, given the observation
// count at the last fit (nullopt: never fitted) and, when known, the log
// marginal likelihood per observation at that fit and now under the same
// hyperparameters.
bool refitDue(Eigen::Index n, std::optional<Eigen::Index> fittedAt,
              std::optional<double> fittedLikelihood, std::optional<double> currentLikelihood,
              const GpScaling& scaling = {});

// At most `count` rows of X (sorted ascending; all rows when there are no
// more) that a GP conditioned on them predicts nearly as the full data does
// where it matters for minimization:
//  - the count / 4 lowest y (ties by index),
//  - the count / 4 rows nearest the best one (Euclidean in the unit cube), a
//    trust region around the incumbent as in TuRBO (Eriksson et al. 2019),
//  - the rest by greedy farthest-point (maximin) selection, so the
//    posterior variance stays low wherever the study has already looked.
// Deterministic: O(n count d), no random draws.
std::vector<Eigen::Index> representativeRows(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                             Eigen::Index count);

// What the last fit left behind (the gp strategy stores it in the trial attrs
// of each suggestion): hyperparameters, the observation count they were
// fitted at, and the log marginal likelihood per observation of the fitting
// subset then.
struct GpFitState {
    Eigen::VectorXd theta;
    std::optional<Eigen::Index> fittedAt;
    std::optional<double> fitLikelihood;
};

struct GpScaledFit {
    bool refitted = false;
    bool warmStarted = false;    // the hyperparameters started from previous->theta
    GpFitState state;            // after this call: what the next one should get
    Eigen::Index modelRows = 0;  // observations the GP conditions on
};

// Conditions `gp` on (X, y) as GpScaling says: fits the hyperparameters on
// representativeRows(X, y, fitLimit) if `rng` is given and refitDue() (warm
// started from `previous`), else keeps previous->theta (or gp's own), then
// conditions on representativeRows(X, y, modelLimit). With n <= fitLimit
// this is setData + setHyperparameters(previous) + fit, as without scaling.
GpScaledFit fitScaled(GaussianProcess& gp, const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                      const GpFitState* previous, Rng* rng, const GpScaling& scaling = {});

}  // namespace bonsai

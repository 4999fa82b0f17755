#include "gp/scaling.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace bonsai {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

long refitEpoch(Index n, const GpScaling& scaling) {
    const Index floor = std::max<Index>(1, scaling.refitAlwaysBelow);
    if (n < floor)
        return static_cast<long>(n);
    const double steps = std::max(1, scaling.refitsPerDoubling) *
                         std::log2(static_cast<double>(n) / static_cast<double>(floor));
    // The epsilon keeps exact powers of two on the bucket they start.
    return static_cast<long>(floor) + static_cast<long>(std::floor(steps + 1e-9));
}

bool refitDue(Index n, std::optional<Index> fittedAt, std::optional<double> fittedLikelihood,
              std::optional<double> currentLikelihood, const GpScaling& scaling) {
    if (!fittedAt || n < scaling.refitAlwaysBelow)
        return true;
    if (refitEpoch(n, scaling) != refitEpoch(*fittedAt, scaling))
        return true;
    return fittedLikelihood && currentLikelihood &&
           *currentLikelihood < *fittedLikelihood - scaling.likelihoodDrop;
}

std::vector<Index> representativeRows(const MatrixXd& X, const VectorXd& y, Index count) {
    const Index n = X.rows();
    std::vector<Index> all(static_cast<std::size_t>(n));
    std::iota(all.begin(), all.end(), Index{0});
    if (n <= count)
        return all;
    count = std::max<Index>(count, 1);
    std::vector<char> chosen(static_cast<std::size_t>(n), 0);
    std::vector<Index> out;
    auto take = [&](Index i) {
        if (chosen[static_cast<std::size_t>(i)])
            return false;
        chosen[static_cast<std::size_t>(i)] = 1;
        out.push_back(i);
        return true;
    };
    // Non-finite keys sort last (and never break the ordering).
    auto finiteKey = [](VectorXd key) {
        for (Index i = 0; i < key.size(); ++i)
            if (!std::isfinite(key[i]))
                key[i] = std::numeric_limits<double>::infinity();
        return key;
    };
    auto byKey = [](const VectorXd& key) {
        return [&key](Index a, Index b) { return key[a] < key[b] || (key[a] == key[b] && a < b); };
    };

    const VectorXd value = finiteKey(y);
    std::vector<Index> order = all;
    std::sort(order.begin(), order.end(), byKey(value));
    const Index quarter = count / 4;
    for (Index k = 0; k < quarter; ++k)
        take(order[static_cast<std::size_t>(k)]);

    const Index best = order.front();
    const VectorXd toBest = finiteKey((X.rowwise() - X.row(best)).rowwise().squaredNorm());
    std::vector<Index> near = all;
    std::sort(near.begin(), near.end(), byKey(toBest));
    for (Index i = 0, added = 0; i < n && added < quarter; ++i)
        added += take(near[static_cast<std::size_t>(i)]) ? 1 : 0;

    // Greedy maximin: minDistance[i] is the squared distance from row i to
    // the nearest chosen row.
    VectorXd minDistance = VectorXd::Constant(n, std::numeric_limits<double>::infinity());
    auto absorb = [&](Index c) {
        minDistance = minDistance.cwiseMin((X.rowwise() - X.row(c)).rowwise().squaredNorm());
    };
    if (out.empty())
        take(best);
    for (Index c : out)
        absorb(c);
    while (static_cast<Index>(out.size()) < count) {
        Index next = -1;
        for (Index i = 0; i < n; ++i) {
            if (!chosen[static_cast<std::size_t>(i)] &&
                (next < 0 || minDistance[i] > minDistance[next]))
                next = i;
        }
        take(next);
        absorb(next);
    }
    std::sort(out.begin(), out.end());
    return out;
}

namespace {

MatrixXd rowsOf(const MatrixXd& X, const std::vector<Index>& rows) {
    MatrixXd out(static_cast<Index>(rows.size()), X.cols());
    for (std::size_t i = 0; i < rows.size(); ++i)
        out.row(static_cast<Index>(i)) = X.row(rows[i]);
    return out;
}

VectorXd entriesOf(const VectorXd& y, const std::vector<Index>& rows) {
    VectorXd out(static_cast<Index>(rows.size()));
    for (std::size_t i = 0; i < rows.size(); ++i)
        out[static_cast<Index>(i)] = y[rows[i]];
    return out;
}

double likelihoodPerObservation(const GaussianProcess& gp) {
    return gp.size() > 0 ? gp.logMarginalLikelihood() / static_cast<double>(gp.size()) : 0.0;
}

}  // namespace

GpScaledFit fitScaled(GaussianProcess& gp, const MatrixXd& X, const VectorXd& y,
                      const GpFitState* previous, Rng* rng, const GpScaling& scaling) {
    GpScaledFit out;
    const Index n = X.rows();
    const std::vector<Index> fitRows = representativeRows(X, y, scaling.fitLimit);
    const bool subset = static_cast<Index>(fitRows.size()) < n;
    if (subset)
        gp.setData(rowsOf(X, fitRows), entriesOf(y, fitRows));
    else
        gp.setData(X, y);
    if (previous && previous->theta.size() == gp.hyperparameterCount()) {
        gp.setHyperparameters(previous->theta);
        out.warmStarted = true;
    }

    if (rng) {
        std::optional<Index> fittedAt = previous ? previous->fittedAt : std::nullopt;
        std::optional<double> fitted = previous ? previous->fitLikelihood : std::nullopt;
        std::optional<double> current;
        // Only worth a look when the schedule alone would keep the old fit.
        if (fitted && !refitDue(n, fittedAt, std::nullopt, std::nullopt, scaling))
            current = likelihoodPerObservation(gp);
        out.refitted = refitDue(n, fittedAt, fitted, current, scaling);
    }
    if (out.refitted) {
        gp.fit(*rng, {.warmStart = out.warmStarted});
        out.state.fittedAt = n;
        out.state.fitLikelihood = likelihoodPerObservation(gp);
    } else if (previous) {
        out.state.fittedAt = previous->fittedAt;
        out.state.fitLikelihood = previous->fitLikelihood;
    }
    out.state.theta = gp.hyperparameters();

    const std::vector<Index> modelRows = representativeRows(X, y, scaling.modelLimit);
    if (subset)
        gp.setData(rowsOf(X, modelRows), entriesOf(y, modelRows));
    out.modelRows = gp.size();
    return out;
}

}  // namespace bonsai

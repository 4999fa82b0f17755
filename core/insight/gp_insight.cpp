#include "insight/gp_insight.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "acquisition/acquisition.h"
#include "gp/gaussian_process.h"
#include "gp/kernel.h"
#include "gp/output_warping.h"
#include "gp/surrogate.h"
#include "space/nb201_cell.h"
#include "strategies/gp_strategy.h"

namespace bonsai {

namespace {

// The trial a slice or grid passes through: trial `through` when it is
// complete with a finite value, else the best complete trial.
std::optional<Trial> incumbentOf(std::span<const Trial> trials, Direction direction,
                                 std::optional<int> through) {
    if (through)
        for (const Trial& trial : trials)
            if (trial.number == *through && trial.state == TrialState::Complete && trial.value &&
                std::isfinite(*trial.value))
                return trial;
    return bestTrial(trials, direction);
}

// The GP the studio's analysis views draw from, fitted as the gp strategy
// fits its GP of one objective: on the losses it models (warped or ranked,
// GpModelChoice::outputs), from the hyperparameters its last suggestion
// stored, else by a fit seeded by the trial count so the view is
// reproducible.
struct AnalysisFit {
    GpModelChoice model;                   // the strategy spec's kernel and acquisition
    SurrogateData data;                    // y: the losses
    GaussianProcess gp;                    // fitted on `modelled`
    Eigen::VectorXd modelled;              // data.y as the GP models it
    std::function<double(double)> toLoss;  // a modelled value back to a loss
    std::string outputWarping;             // e.g. "log(0.001)"; empty: none

    // What the GP models for a trial among data.observed.
    double modelledLossOf(const Trial& trial) const {
        for (std::size_t i = 0; i < data.observed.size(); ++i)
            if (data.observed[i]->number == trial.number)
                return modelled[static_cast<Eigen::Index>(i)];
        return modelled.minCoeff();
    }
};

std::optional<AnalysisFit> fitForAnalysis(const SearchSpace& space, const Json& strategy,
                                          Direction direction, std::span<const Trial> trials) {
    SurrogateData data = gather(space, trials, direction);
    if (data.observed.size() < 2)
        return std::nullopt;
    addPrunedAsWorst(data, space, trials);  // as the strategy models them
    using Outputs = GpModelChoice::Outputs;
    const GpModelChoice model = gpModelChoice(strategy, space);
    Rng rng(mixSeed(0x616e616c, trials.size()));  // "anal": only used when nothing was stored
    const bool warp =
        model.outputs == Outputs::Warped && gpChoosesOutputWarping(data.observed.size());
    const bool stored =
        storedTheta(trials,
                    GaussianProcess(makeSurrogateKernel(model.kernel, space, model.cellPaths))
                        .hyperparameterCount())
            .has_value();
    const Eigen::VectorXd losses = data.y;
    std::function<double(double)> toLoss = [](double z) { return z; };
    std::string described;
    if (model.outputs == Outputs::Ranks) {
        data.y = gaussianRanks(losses);
        toLoss = RankQuantiles(losses);
        described = "rank";
    }
    GpScaledFit scaled;
    GaussianProcess gp = fitSurrogate(model.kernel, model.cellPaths, model.isomorphicCells, space,
                                      data, trials, stored || warp ? nullptr : &rng, &scaled);
    if (warp) {
        WarpedFit warped =
            fitWithOutputWarping(gp, data.X, data.y, rng, {.warmStart = scaled.warmStarted});
        gp = std::move(warped.gp);
        data.y = warped.warping.apply(data.y);
        if (warped.warping.kind() != OutputWarping::Kind::Identity) {
            toLoss = [w = warped.warping](double z) { return w.inverse(z); };
            described = warped.warping.describe();
        }
    }
    Eigen::VectorXd modelled = std::exchange(data.y, losses);
    return AnalysisFit{model,
                       std::move(data),
                       std::move(gp),
                       std::move(modelled),
                       std::move(toLoss),
                       std::move(described)};
}

}  // namespace

int gpInitialDesignSize(const SearchSpace& space, const Json& strategy,
                        std::optional<std::int64_t> budgetTrials, bool multiObjective) {
    return gpInitialTrials(strategy, space, budgetTrials, multiObjective);
}

double gpNextVarianceScale(const SearchSpace& space, const Json& strategy,
                           std::optional<std::int64_t> budgetTrials, std::size_t trials) {
    return gpVarianceScale(budgetTrials, trials, gpModelChoice(strategy, space).exploitLast);
}

std::optional<PosteriorSlice> gpPosteriorSlice(const SearchSpace& space, const Json& strategy,
                                               Direction direction, std::span<const Trial> trials,
                                               const std::string& param, int points, int edge,
                                               std::optional<int> through,
                                               double acquisitionVarianceScale) {
    auto index = space.indexOf(param);
    if (!index)
        return std::nullopt;
    const ParamSpec& spec = space.params()[*index];
    const bool cell = spec.type == ParamType::Nb201Cell;
    if (cell && (edge < 0 || edge >= Nb201Cell::kEdges))
        return std::nullopt;
    auto incumbent = incumbentOf(trials, direction, through);
    if (!incumbent || !incumbent->params.count(param))
        return std::nullopt;

    auto fit = fitForAnalysis(space, strategy, direction, trials);
    if (!fit)
        return std::nullopt;
    auto acquisition = makeAcquisition(fit->model.acquisition, fit->model.options);
    const double sign = direction == Direction::Maximize ? -1.0 : 1.0;

    PosteriorSlice slice;
    slice.param = param;
    slice.acquisitionName = acquisition->name();
    slice.outputWarping = fit->outputWarping;
    slice.incumbentTrial = incumbent->number;
    slice.categorical = spec.type == ParamType::Categorical || cell;
    for (const ParamValue& choice : spec.choices)
        slice.labels.push_back(toDisplayString(choice));
    if (cell)
        for (const char* name : Nb201Cell::operationNames())
            slice.labels.emplace_back(name);

    auto coordinate = [&](const ParamValue& value) -> double {
        if (cell) {
            const auto* text = std::get_if<std::string>(&value);
            try {
                return text ? Nb201Cell::parse(*text).ops[static_cast<std::size_t>(edge)] : NAN;
            } catch (const std::invalid_argument&) {
                return NAN;
            }
        }
        if (!slice.categorical)
            return numericValue(value).value_or(NAN);
        for (std::size_t i = 0; i < spec.choices.size(); ++i)
            if (sameValue(spec.choices[i], value))
                return static_cast<double>(i);
        return NAN;
    };

    int dim = space.dimensionRange(*index).first + (cell ? edge : 0);
    const Dimension& dimension = space.dimensions()[static_cast<std::size_t>(dim)];
    std::vector<double> units;
    if (dimension.kind == DimensionKind::Continuous) {
        for (int i = 0; i < points; ++i)
            units.push_back(static_cast<double>(i) / (points - 1));
    } else {
        std::int64_t levels = dimension.levels;
        std::int64_t count = std::min<std::int64_t>(levels, points);
        for (std::int64_t i = 0; i < count; ++i) {
            double level =
                count == 1 ? 0.0 : std::round(static_cast<double>(i) * (levels - 1) / (count - 1));
            units.push_back((level + 0.5) / static_cast<double>(levels));
        }
    }
    Eigen::VectorXd base = space.encode(incumbent->params);
    Eigen::MatrixXd X(static_cast<Eigen::Index>(units.size()), base.size());
    for (std::size_t i = 0; i < units.size(); ++i) {
        Eigen::VectorXd x = base;
        x[dim] = units[i];
        x = space.canonical(x);
        X.row(static_cast<Eigen::Index>(i)) = x.transpose();
        slice.x.push_back(coordinate(space.decode(x).at(param)));
    }
    const BatchPrediction prediction = fit->gp.predictMany(X);
    // Improvement on the incumbent in the GP's own units.
    const Eigen::VectorXd acquisitionValues =
        acquisition->values(fit->gp, X, fit->modelledLossOf(*incumbent), acquisitionVarianceScale);
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        const double mu = prediction.mean[i];
        const double band = 2 * std::sqrt(std::max(0.0, prediction.variance[i]));
        const double low = fit->toLoss(mu - band), high = fit->toLoss(mu + band);
        slice.median.push_back(sign * fit->toLoss(mu));
        slice.lower.push_back(sign > 0 ? low : -high);
        slice.upper.push_back(sign > 0 ? high : -low);
        slice.acquisition.push_back(acquisitionValues[i]);
    }
    for (const Trial* trial : fit->data.observed) {
        auto it = trial->params.find(param);
        if (it == trial->params.end() || !trial->value)  // pruned before its first report
            continue;
        slice.observedX.push_back(coordinate(it->second));
        slice.observedY.push_back(*trial->value);
        slice.observedTrial.push_back(trial->number);
        slice.observedPruned.push_back(trial->state == TrialState::Pruned);
    }
    return slice;
}

namespace {

bool isNumeric(const ParamSpec& spec) {
    return spec.type == ParamType::Float || spec.type == ParamType::Int;
}

// The axis extent that the unit coordinate u in [0, 1] maps onto linearly (or
// log-linearly): see PosteriorGrid.
std::pair<double, double> unitExtent(const ParamSpec& spec) {
    if (auto levels = spec.levelCount(); levels && spec.type != ParamType::Categorical) {
        const double step = spec.step.value_or(1.0);
        if (spec.log)  // log ints: u is linear in log(x) over [low - 0.5, high + 0.5]
            return {spec.low - 0.5, spec.high + 0.5};
        return {spec.low - 0.5 * step, spec.low + (static_cast<double>(*levels) - 0.5) * step};
    }
    return {spec.low, spec.high};
}

}  // namespace

std::optional<ParameterRelevance> gpParameterRelevance(const SearchSpace& space,
                                                       const Json& strategy, Direction direction,
                                                       std::span<const Trial> trials) {
    auto fit = fitForAnalysis(space, strategy, direction, trials);
    if (!fit)
        return std::nullopt;
    const Eigen::VectorXd lengthscales = fit->gp.kernel().lengthscales();
    ParameterRelevance out;
    out.observations = static_cast<int>(fit->data.observed.size());
    double total = 0;
    for (std::size_t p = 0; p < space.params().size(); ++p) {
        auto [first, count] = space.dimensionRange(p);
        double weight = 0, shortest = std::numeric_limits<double>::infinity();
        for (int d = first; d < first + count; ++d) {
            const double l = lengthscales[d];
            weight += 1.0 / (l * l);
            shortest = std::min(shortest, l);
        }
        // A cell's path features (joint inputs over its edges) count for it.
        const JointInputs& joints = fit->gp.kernel().joints();
        for (std::size_t g = 0; g < joints.size(); ++g) {
            if (joints[g].front() < first || joints[g].front() >= first + count)
                continue;
            const double l = lengthscales[space.dimensionCount() + static_cast<Eigen::Index>(g)];
            weight += 1.0 / (l * l);
        }
        out.params.push_back(space.params()[p].name);
        out.relevance.push_back(weight);
        out.lengthscale.push_back(shortest);
        total += weight;
    }
    for (double& r : out.relevance)
        r = total > 0 ? r / total : 0.0;
    for (Eigen::Index d = 0; d < space.dimensionCount(); ++d) {
        out.coordinateRelevance.push_back(
            total > 0 ? 1.0 / (lengthscales[d] * lengthscales[d]) / total : 0.0);
        out.coordinateLengthscale.push_back(lengthscales[d]);
    }
    return out;
}

std::optional<PosteriorGrid> gpPosteriorGrid(const SearchSpace& space, const Json& strategy,
                                             Direction direction, std::span<const Trial> trials,
                                             const std::string& paramX, const std::string& paramY,
                                             int resolution, std::optional<int> through) {
    auto ix = space.indexOf(paramX), iy = space.indexOf(paramY);
    if (!ix || !iy || *ix == *iy || resolution < 2)
        return std::nullopt;
    const ParamSpec& specX = space.params()[*ix];
    const ParamSpec& specY = space.params()[*iy];
    if (!isNumeric(specX) || !isNumeric(specY))
        return std::nullopt;
    auto incumbent = incumbentOf(trials, direction, through);
    if (!incumbent || !incumbent->params.count(paramX) || !incumbent->params.count(paramY))
        return std::nullopt;
    auto fit = fitForAnalysis(space, strategy, direction, trials);
    if (!fit)
        return std::nullopt;

    PosteriorGrid grid;
    grid.paramX = paramX;
    grid.paramY = paramY;
    grid.columns = grid.rows = resolution;
    std::tie(grid.xLow, grid.xHigh) = unitExtent(specX);
    std::tie(grid.yLow, grid.yHigh) = unitExtent(specY);
    grid.xLog = specX.log;
    grid.yLog = specY.log;
    grid.incumbentTrial = incumbent->number;

    const int dx = space.dimensionRange(*ix).first, dy = space.dimensionRange(*iy).first;
    const Eigen::VectorXd base = space.encode(incumbent->params);
    Eigen::MatrixXd X(static_cast<Eigen::Index>(resolution) * resolution, base.size());
    for (int row = 0; row < resolution; ++row)
        for (int column = 0; column < resolution; ++column) {
            Eigen::VectorXd x = base;
            x[dx] = (column + 0.5) / resolution;
            x[dy] = (row + 0.5) / resolution;
            // canonical() snaps ordinal coordinates to their level: the mean
            // there is what a trial at that level would get.
            X.row(static_cast<Eigen::Index>(row) * resolution + column) =
                space.canonical(x).transpose();
        }
    const BatchPrediction prediction = fit->gp.predictMany(X);
    const double sign = direction == Direction::Maximize ? -1.0 : 1.0;
    grid.outputWarping = fit->outputWarping;
    grid.median.resize(static_cast<std::size_t>(X.rows()));
    for (Eigen::Index i = 0; i < X.rows(); ++i)
        grid.median[static_cast<std::size_t>(i)] = sign * fit->toLoss(prediction.mean[i]);
    for (const Trial* trial : fit->data.observed) {
        auto x = trial->params.find(paramX), y = trial->params.find(paramY);
        if (x == trial->params.end() || y == trial->params.end())
            continue;
        auto xv = numericValue(x->second), yv = numericValue(y->second);
        // The map's dots are the complete trials; the model also took the
        // pruned ones (as the worst), which the slice draws as crosses.
        if (!xv || !yv || trial->state != TrialState::Complete)
            continue;
        grid.observedX.push_back(*xv);
        grid.observedY.push_back(*yv);
        grid.observedValue.push_back(*trial->value);
        grid.observedTrial.push_back(trial->number);
    }
    return grid;
}

}  // namespace bonsai

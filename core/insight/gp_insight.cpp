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
        storedTheta(
            trials,
            GaussianProcess(makeSurrogateKernel(model.surrogate, space)).hyperparameterCount())
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
    GaussianProcess gp = fitSurrogate(model.surrogate, space, data, trials,
                                      stored || warp ? nullptr : &rng, &scaled);
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

// Where a value sits on an axis of `spec`: the number itself for a float or
// int, the index of the choice for a categorical, the operation on `edge`
// for a cell; NaN for a value that is none of these.
double axisCoordinate(const ParamSpec& spec, int edge, const ParamValue& value) {
    if (spec.type == ParamType::Nb201Cell) {
        const auto* text = std::get_if<std::string>(&value);
        try {
            return text ? Nb201Cell::parse(*text).ops[static_cast<std::size_t>(edge)] : NAN;
        } catch (const std::invalid_argument&) {
            return NAN;
        }
    }
    if (spec.type != ParamType::Categorical)
        return numericValue(value).value_or(NAN);
    for (std::size_t i = 0; i < spec.choices.size(); ++i)
        if (sameValue(spec.choices[i], value))
            return static_cast<double>(i);
    return NAN;
}

// The names along a categorical axis: a categorical's choices, a cell
// edge's operations.
std::vector<std::string> choiceLabels(const ParamSpec& spec) {
    std::vector<std::string> labels;
    if (spec.type == ParamType::Nb201Cell)
        for (const char* name : Nb201Cell::operationNames())
            labels.emplace_back(name);
    else
        for (const ParamValue& choice : spec.choices)
            labels.push_back(toDisplayString(choice));
    return labels;
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
    if (slice.categorical)
        slice.labels = choiceLabels(spec);

    auto coordinate = [&](const ParamValue& value) { return axisCoordinate(spec, edge, value); };

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

namespace {

// gpParameterRelevance of a fit made.
ParameterRelevance relevanceOf(const SearchSpace& space, const AnalysisFit& fit) {
    const Eigen::VectorXd lengthscales = fit.gp.kernel().lengthscales();
    const Eigen::VectorXd sensitivity = fit.gp.kernel().featureSensitivities();
    ParameterRelevance out;
    out.observations = static_cast<int>(fit.data.observed.size());
    double total = 0;
    for (std::size_t p = 0; p < space.params().size(); ++p) {
        auto [first, count] = space.dimensionRange(p);
        double weight = 0, shortest = std::numeric_limits<double>::infinity();
        for (int d = first; d < first + count; ++d) {
            weight += sensitivity[d];
            shortest = std::min(shortest, lengthscales[d]);
        }
        // A cell's path features (joint inputs over its edges) count for it.
        const JointInputs& joints = fit.gp.kernel().joints();
        for (std::size_t g = 0; g < joints.size(); ++g) {
            if (joints[g].front() < first || joints[g].front() >= first + count)
                continue;
            weight += sensitivity[space.dimensionCount() + static_cast<Eigen::Index>(g)];
        }
        out.params.push_back(space.params()[p].name);
        out.relevance.push_back(weight);
        out.lengthscale.push_back(shortest);
        total += weight;
    }
    for (double& r : out.relevance)
        r = total > 0 ? r / total : 0.0;
    for (Eigen::Index d = 0; d < space.dimensionCount(); ++d) {
        out.coordinateRelevance.push_back(total > 0 ? sensitivity[d] / total : 0.0);
        out.coordinateLengthscale.push_back(lengthscales[d]);
    }
    return out;
}

// What one grid axis is: its parameter, its coordinate in the encoding and
// how many cells it gets.
struct GridAxisSpec {
    const ParamSpec* spec = nullptr;
    int edge = -1;
    int dimension = 0;
    bool categorical = false;
    int cells = 0;
};

// The two axes of a grid, nullopt for an axis that names no float, int,
// categorical or cell edge, or for the same coordinate twice.
std::optional<std::pair<GridAxisSpec, GridAxisSpec>> gridAxes(const SearchSpace& space,
                                                              const GridAxis& x, const GridAxis& y,
                                                              int resolution) {
    auto axisOf = [&](const GridAxis& axis) -> std::optional<GridAxisSpec> {
        auto index = space.indexOf(axis.param);
        if (!index)
            return std::nullopt;
        const ParamSpec& spec = space.params()[*index];
        const bool cell = spec.type == ParamType::Nb201Cell;
        if (cell ? axis.edge < 0 || axis.edge >= Nb201Cell::kEdges : axis.edge != -1)
            return std::nullopt;
        if (!cell && !isNumeric(spec) && spec.type != ParamType::Categorical)
            return std::nullopt;
        GridAxisSpec out{&spec, axis.edge,
                         space.dimensionRange(*index).first + (cell ? axis.edge : 0)};
        out.categorical = !isNumeric(spec);
        out.cells = out.categorical ? static_cast<int>(choiceLabels(spec).size()) : resolution;
        return out;
    };
    const auto ax = axisOf(x), ay = axisOf(y);
    if (!ax || !ay || ax->dimension == ay->dimension || resolution < 2)
        return std::nullopt;
    return std::pair{*ax, *ay};
}

// The grid of a fit made, over axes gridAxes accepted, through `incumbent`.
PosteriorGrid gridOf(const SearchSpace& space, const AnalysisFit& fit, Direction direction,
                     const Trial& incumbent, const GridAxis& x, const GridAxis& y,
                     const GridAxisSpec& ax, const GridAxisSpec& ay) {
    PosteriorGrid grid;
    grid.paramX = x.param;
    grid.paramY = y.param;
    grid.edgeX = ax.edge;
    grid.edgeY = ay.edge;
    grid.columns = ax.cells;
    grid.rows = ay.cells;
    auto extent = [](const GridAxisSpec& axis) {
        return axis.categorical ? std::pair{-0.5, axis.cells - 0.5} : unitExtent(*axis.spec);
    };
    std::tie(grid.xLow, grid.xHigh) = extent(ax);
    std::tie(grid.yLow, grid.yHigh) = extent(ay);
    grid.xLog = !ax.categorical && ax.spec->log;
    grid.yLog = !ay.categorical && ay.spec->log;
    if (ax.categorical)
        grid.xLabels = choiceLabels(*ax.spec);
    if (ay.categorical)
        grid.yLabels = choiceLabels(*ay.spec);
    grid.incumbentTrial = incumbent.number;

    const Eigen::VectorXd base = space.encode(incumbent.params);
    Eigen::MatrixXd X(static_cast<Eigen::Index>(grid.rows) * grid.columns, base.size());
    for (int row = 0; row < grid.rows; ++row)
        for (int column = 0; column < grid.columns; ++column) {
            Eigen::VectorXd point = base;
            // A choice's unit coordinate is its level's centre, as encode() puts it.
            point[ax.dimension] = (column + 0.5) / grid.columns;
            point[ay.dimension] = (row + 0.5) / grid.rows;
            // canonical() snaps ordinal coordinates to their level: the mean
            // there is what a trial at that level would get.
            X.row(static_cast<Eigen::Index>(row) * grid.columns + column) =
                space.canonical(point).transpose();
        }
    const BatchPrediction prediction = fit.gp.predictMany(X);
    const double sign = direction == Direction::Maximize ? -1.0 : 1.0;
    grid.outputWarping = fit.outputWarping;
    grid.median.resize(static_cast<std::size_t>(X.rows()));
    for (Eigen::Index i = 0; i < X.rows(); ++i)
        grid.median[static_cast<std::size_t>(i)] = sign * fit.toLoss(prediction.mean[i]);
    for (const Trial* trial : fit.data.observed) {
        auto xv = trial->params.find(x.param), yv = trial->params.find(y.param);
        // The map's dots are the complete trials; the model also took the
        // pruned ones (as the worst), which the slice draws as crosses.
        if (xv == trial->params.end() || yv == trial->params.end() ||
            trial->state != TrialState::Complete)
            continue;
        const double cx = axisCoordinate(*ax.spec, ax.edge, xv->second);
        const double cy = axisCoordinate(*ay.spec, ay.edge, yv->second);
        if (!std::isfinite(cx) || !std::isfinite(cy))
            continue;
        grid.observedX.push_back(cx);
        grid.observedY.push_back(cy);
        grid.observedValue.push_back(*trial->value);
        grid.observedTrial.push_back(trial->number);
    }
    return grid;
}

bool usesBoth(const Trial& incumbent, const GridAxis& x, const GridAxis& y) {
    return incumbent.params.count(x.param) && incumbent.params.count(y.param);
}

}  // namespace

std::optional<ParameterRelevance> gpParameterRelevance(const SearchSpace& space,
                                                       const Json& strategy, Direction direction,
                                                       std::span<const Trial> trials) {
    auto fit = fitForAnalysis(space, strategy, direction, trials);
    if (!fit)
        return std::nullopt;
    return relevanceOf(space, *fit);
}

std::optional<PosteriorGrid> gpPosteriorGrid(const SearchSpace& space, const Json& strategy,
                                             Direction direction, std::span<const Trial> trials,
                                             const GridAxis& x, const GridAxis& y, int resolution,
                                             std::optional<int> through) {
    const auto axes = gridAxes(space, x, y, resolution);
    if (!axes)
        return std::nullopt;
    auto incumbent = incumbentOf(trials, direction, through);
    if (!incumbent || !usesBoth(*incumbent, x, y))
        return std::nullopt;
    auto fit = fitForAnalysis(space, strategy, direction, trials);
    if (!fit)
        return std::nullopt;
    return gridOf(space, *fit, direction, *incumbent, x, y, axes->first, axes->second);
}

std::optional<PosteriorGrid> gpPosteriorGrid(const SearchSpace& space, const Json& strategy,
                                             Direction direction, std::span<const Trial> trials,
                                             const GridAxisPick& pick, int resolution,
                                             std::optional<int> through) {
    auto incumbent = incumbentOf(trials, direction, through);
    if (!incumbent)
        return std::nullopt;
    auto fit = fitForAnalysis(space, strategy, direction, trials);
    if (!fit)
        return std::nullopt;
    const auto picked = pick(relevanceOf(space, *fit));
    if (!picked)
        return std::nullopt;
    const auto& [x, y] = *picked;
    const auto axes = gridAxes(space, x, y, resolution);
    if (!axes || !usesBoth(*incumbent, x, y))
        return std::nullopt;
    return gridOf(space, *fit, direction, *incumbent, x, y, axes->first, axes->second);
}

}  // namespace bonsai

#include "strategies/gp_strategy.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <tuple>

#include "acquisition/acquisition.h"
#include "acquisition/maximizer.h"
#include "gp/gaussian_process.h"
#include "strategies/builtin_strategies.h"
#include "study/study.h"
#include "util/sobol.h"

namespace bonsai {

namespace {

// Ordinal coordinates with more levels than this are modelled and optimized as
// continuous and snapped to their bins: local search by one level would crawl.
constexpr std::int64_t kMaxOrdinalLevels = 64;

struct GpSettings {
    std::string kernel = "matern52";
    std::string acquisition = "logei";
    double beta = 2.0;
    int initialTrials = 0;

    static GpSettings read(JsonReader& settings, const SearchSpace& space) {
        GpSettings out;
        out.kernel = settings.stringOr("kernel", out.kernel);
        if (auto known = kernelNames();
            std::find(known.begin(), known.end(), out.kernel) == known.end())
            settings.failUnknownName("kernel", "kernel", out.kernel, known);
        out.acquisition = settings.stringOr("acquisition", out.acquisition);
        if (auto known = acquisitionNames();
            std::find(known.begin(), known.end(), out.acquisition) == known.end())
            settings.failUnknownName("acquisition", "acquisition", out.acquisition, known);
        out.beta = settings.numberOr("beta", out.beta);
        if (out.beta <= 0)
            settings.fail("beta", "must be > 0 (got " + describeJson(out.beta) + ")");
        std::int64_t defaultInitial = std::max(5, space.dimensionCount() + 1);
        std::int64_t initial = settings.integerOr("initial_trials", defaultInitial);
        if (initial < 1 || initial > 100000)
            settings.fail("initial_trials",
                          "must be between 1 and 100000 (got " + std::to_string(initial) + ")");
        out.initialTrials = static_cast<int>(initial);
        return out;
    }

    static GpSettings fromSpec(const Json& strategy, const SearchSpace& space) {
        GpSettings out;
        if (strategy.is_object() && strategy.value("kind", "") == "gp") {
            JsonReader reader(strategy, "strategy");
            reader.know({"kind"});
            out = read(reader, space);
        }
        return out;
    }
};

InputKinds inputKindsOf(const SearchSpace& space) {
    InputKinds kinds;
    for (const Dimension& dim : space.dimensions()) {
        if (dim.kind == DimensionKind::Categorical)
            kinds.push_back(InputKind::categorical(static_cast<int>(dim.levels)));
        else if (dim.kind == DimensionKind::Ordinal && dim.levels <= kMaxOrdinalLevels)
            kinds.push_back(InputKind::ordinal(static_cast<int>(dim.levels)));
        else
            kinds.push_back(InputKind::continuous());
    }
    return kinds;
}

// Complete trials as GP data (X in the unit cube, y = loss), and the points
// of every trial, which the maximizer must not propose again.
struct SurrogateData {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    std::vector<const Trial*> observed;
    Eigen::MatrixXd pending;
    Eigen::MatrixXd taken;
};

Eigen::MatrixXd rowsOf(const SearchSpace& space, const std::vector<const Trial*>& trials) {
    Eigen::MatrixXd rows(static_cast<Eigen::Index>(trials.size()), space.dimensionCount());
    for (std::size_t i = 0; i < trials.size(); ++i)
        rows.row(static_cast<Eigen::Index>(i)) = space.encode(trials[i]->params).transpose();
    return rows;
}

SurrogateData gather(const SearchSpace& space, std::span<const Trial> trials, Direction direction) {
    SurrogateData data;
    std::vector<const Trial*> pending, all;
    for (const Trial& trial : trials) {
        if (trial.params.empty() && space.dimensionCount() > 0)
            continue;
        all.push_back(&trial);
        if (trial.state == TrialState::Complete && trial.value && std::isfinite(*trial.value))
            data.observed.push_back(&trial);
        else if (trial.state == TrialState::Running)
            pending.push_back(&trial);
    }
    data.X = rowsOf(space, data.observed);
    data.y.resize(static_cast<Eigen::Index>(data.observed.size()));
    for (std::size_t i = 0; i < data.observed.size(); ++i)
        data.y[static_cast<Eigen::Index>(i)] = toLoss(*data.observed[i]->value, direction);
    data.pending = rowsOf(space, pending);
    data.taken = rowsOf(space, all);
    return data;
}

// The hyperparameters the latest gp suggestion stored, so the next fit starts
// there (a warm start that a resumed study repeats exactly).
std::optional<Eigen::VectorXd> storedTheta(std::span<const Trial> trials, Eigen::Index size) {
    for (auto it = trials.rbegin(); it != trials.rend(); ++it) {
        auto found = it->attrs.find("gp_theta");
        if (found == it->attrs.end() || !found->is_array() ||
            static_cast<Eigen::Index>(found->size()) != size)
            continue;
        Eigen::VectorXd theta(size);
        for (Eigen::Index i = 0; i < size; ++i) {
            const Json& v = (*found)[static_cast<std::size_t>(i)];
            if (!v.is_number())
                return std::nullopt;
            theta[i] = v.get<double>();
        }
        return theta;
    }
    return std::nullopt;
}

GaussianProcess fitSurrogate(const GpSettings& settings, const SearchSpace& space,
                             const SurrogateData& data, std::span<const Trial> trials, Rng* rng) {
    GaussianProcess gp(makeKernel(settings.kernel, inputKindsOf(space)));
    gp.setData(data.X, data.y);
    if (auto theta = storedTheta(trials, gp.hyperparameterCount()))
        gp.setHyperparameters(*theta);
    if (rng)
        gp.fit(*rng);
    return gp;
}

// Bayesian optimization with a Gaussian process (see README "Strategies").
//  - Initial design: the first `initial_trials` trials take scrambled Sobol
//    points (default max(5, d + 1)).
//  - Model: GP on the complete trials' losses, MAP hyperparameters (Hvarfner
//    et al. 2024 priors), warm-started from the previous suggestion's.
//  - Pending trials (other workers) enter as kriging-believer fantasies, so
//    concurrent suggestions differ.
//  - Next point: the acquisition's maximizer over the mixed cube, never a
//    point already taken while untaken ones remain.
class GpStrategy final : public Strategy {
  public:
    GpStrategy(const SearchSpace& space, GpSettings settings)
        : m_space(space),
          m_settings(std::move(settings)),
          m_acquisition(
              makeAcquisition(m_settings.acquisition, AcquisitionOptions{m_settings.beta})) {}

    std::optional<Suggestion> suggest(const SuggestContext& context) override {
        SurrogateData data = gather(m_space, context.trials, context.direction);
        if (static_cast<int>(data.observed.size()) < m_settings.initialTrials ||
            data.observed.size() < 2) {
            SobolSequence sequence(m_space.dimensionCount(), context.seed);
            return Suggestion{m_space.decode(sequence.point(context.trials.size())),
                              {{"design", "sobol"}}};
        }

        GaussianProcess gp = fitSurrogate(m_settings, m_space, data, context.trials, &context.rng);
        Eigen::VectorXd theta = gp.hyperparameters();
        if (data.pending.rows() > 0)
            gp.addFantasies(data.pending);

        const double best = data.y.minCoeff();
        BoundAcquisition target(*m_acquisition, gp, best);
        AcquisitionMaximizer maximizer(inputKindsOf(m_space), [this](const Eigen::VectorXd& x) {
            return m_space.canonical(x);
        });
        MaximizerResult result =
            maximizer.maximize(target, context.rng, data.taken, bestRows(data, 5));
        Eigen::VectorXd point = result.x;
        if (result.onlyExcluded) {
            auto untaken = randomUntakenPoint(data, context.rng);
            if (!untaken)
                return std::nullopt;  // every point of a finite space is taken
            point = *untaken;
        }

        Json attrs = Json::object();
        attrs["acquisition"] =
            result.onlyExcluded ? target.values(point.transpose())[0] : result.value;
        attrs["acquisition_function"] = m_acquisition->name();
        attrs["gp_theta"] = std::vector<double>(theta.data(), theta.data() + theta.size());
        Json hyper = Json::object();
        std::vector<std::string> names = gp.hyperparameterNames();
        for (std::size_t i = 0; i < names.size(); ++i)
            hyper[names[i]] = theta[static_cast<Eigen::Index>(i)];
        attrs["gp_hyperparameters"] = hyper;
        attrs["gp_observations"] = data.observed.size();
        if (data.pending.rows() > 0)
            attrs["gp_fantasies"] = data.pending.rows();
        return Suggestion{m_space.decode(point), std::move(attrs)};
    }

  private:
    static Eigen::MatrixXd bestRows(const SurrogateData& data, int count) {
        std::vector<Eigen::Index> order(static_cast<std::size_t>(data.y.size()));
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = static_cast<Eigen::Index>(i);
        std::sort(order.begin(), order.end(),
                  [&](auto a, auto b) { return data.y[a] < data.y[b]; });
        order.resize(std::min<std::size_t>(order.size(), static_cast<std::size_t>(count)));
        Eigen::MatrixXd rows(static_cast<Eigen::Index>(order.size()), data.X.cols());
        for (std::size_t i = 0; i < order.size(); ++i)
            rows.row(static_cast<Eigen::Index>(i)) = data.X.row(order[i]);
        return rows;
    }

    // The maximizer found only taken points: unless the space is used up,
    // draw uniformly until an untaken point turns up.
    std::optional<Eigen::VectorXd> randomUntakenPoint(const SurrogateData& data, Rng& rng) const {
        std::set<std::vector<double>> taken;
        for (Eigen::Index r = 0; r < data.taken.rows(); ++r) {
            Eigen::VectorXd row = m_space.canonical(data.taken.row(r).transpose());
            taken.insert(std::vector<double>(row.data(), row.data() + row.size()));
        }
        for (int attempt = 0; attempt < 20000; ++attempt) {
            Eigen::VectorXd u(m_space.dimensionCount());
            for (Eigen::Index d = 0; d < u.size(); ++d)
                u[d] = uniform01(rng);
            Eigen::VectorXd point = m_space.canonical(u);
            if (!taken.count(std::vector<double>(point.data(), point.data() + point.size())))
                return point;
        }
        return std::nullopt;
    }

    const SearchSpace& m_space;
    GpSettings m_settings;
    std::unique_ptr<Acquisition> m_acquisition;
};

}  // namespace

std::unique_ptr<Strategy> makeGpStrategy(JsonReader& settings, const SearchSpace& space) {
    return std::make_unique<GpStrategy>(space, GpSettings::read(settings, space));
}

std::optional<PosteriorSlice> gpPosteriorSlice(const SearchSpace& space, const Json& strategy,
                                               Direction direction, std::span<const Trial> trials,
                                               const std::string& param, int points) {
    auto index = space.indexOf(param);
    if (!index)
        return std::nullopt;
    const ParamSpec& spec = space.params()[*index];
    if (spec.type == ParamType::Nb201Cell)
        return std::nullopt;
    SurrogateData data = gather(space, trials, direction);
    if (data.observed.size() < 2)
        return std::nullopt;
    auto incumbent = bestTrial(trials, direction);
    if (!incumbent || !incumbent->params.count(param))
        return std::nullopt;

    GpSettings settings = GpSettings::fromSpec(strategy, space);
    Rng rng(mixSeed(0x736c696365, trials.size()));  // "slice": only used when nothing was stored
    bool stored =
        storedTheta(
            trials,
            GaussianProcess(makeKernel(settings.kernel, inputKindsOf(space))).hyperparameterCount())
            .has_value();
    GaussianProcess gp = fitSurrogate(settings, space, data, trials, stored ? nullptr : &rng);
    auto acquisition = makeAcquisition(settings.acquisition, AcquisitionOptions{settings.beta});
    const double best = data.y.minCoeff();
    const double sign = direction == Direction::Maximize ? -1.0 : 1.0;

    PosteriorSlice slice;
    slice.param = param;
    slice.acquisitionName = acquisition->name();
    slice.incumbentTrial = incumbent->number;
    slice.categorical = spec.type == ParamType::Categorical;
    for (const ParamValue& choice : spec.choices)
        slice.labels.push_back(toDisplayString(choice));

    auto coordinate = [&](const ParamValue& value) -> double {
        if (!slice.categorical)
            return numericValue(value).value_or(NAN);
        for (std::size_t i = 0; i < spec.choices.size(); ++i)
            if (sameValue(spec.choices[i], value))
                return static_cast<double>(i);
        return NAN;
    };

    int dim = space.dimensionRange(*index).first;
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
    BatchPrediction prediction = gp.predictMany(X);
    Eigen::VectorXd acquisitionValues = acquisition->values(gp, X, best);
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
        slice.mean.push_back(sign * prediction.mean[i]);
        slice.stddev.push_back(std::sqrt(std::max(0.0, prediction.variance[i])));
        slice.acquisition.push_back(acquisitionValues[i]);
    }
    for (const Trial* trial : data.observed) {
        auto it = trial->params.find(param);
        if (it == trial->params.end())
            continue;
        slice.observedX.push_back(coordinate(it->second));
        slice.observedY.push_back(*trial->value);
        slice.observedTrial.push_back(trial->number);
    }
    return slice;
}

}  // namespace bonsai

namespace bonsai {

namespace {

// The GP the studio's analysis views draw from: fitted like gpPosteriorSlice's
// (stored hyperparameters when the study is a gp study, else a fit seeded by
// the trial count so the view is reproducible).
struct AnalysisFit {
    SurrogateData data;
    GaussianProcess gp;
};

std::optional<AnalysisFit> fitForAnalysis(const SearchSpace& space, const Json& strategy,
                                          Direction direction, std::span<const Trial> trials) {
    SurrogateData data = gather(space, trials, direction);
    if (data.observed.size() < 2)
        return std::nullopt;
    GpSettings settings = GpSettings::fromSpec(strategy, space);
    Rng rng(mixSeed(0x616e616c, trials.size()));  // "anal": only used when nothing was stored
    const bool stored =
        storedTheta(
            trials,
            GaussianProcess(makeKernel(settings.kernel, inputKindsOf(space))).hyperparameterCount())
            .has_value();
    GaussianProcess gp = fitSurrogate(settings, space, data, trials, stored ? nullptr : &rng);
    return AnalysisFit{std::move(data), std::move(gp)};
}

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
        out.params.push_back(space.params()[p].name);
        out.relevance.push_back(weight);
        out.lengthscale.push_back(shortest);
        total += weight;
    }
    for (double& r : out.relevance)
        r = total > 0 ? r / total : 0.0;
    return out;
}

std::optional<PosteriorGrid> gpPosteriorGrid(const SearchSpace& space, const Json& strategy,
                                             Direction direction, std::span<const Trial> trials,
                                             const std::string& paramX, const std::string& paramY,
                                             int resolution) {
    auto ix = space.indexOf(paramX), iy = space.indexOf(paramY);
    if (!ix || !iy || *ix == *iy || resolution < 2)
        return std::nullopt;
    const ParamSpec& specX = space.params()[*ix];
    const ParamSpec& specY = space.params()[*iy];
    if (!isNumeric(specX) || !isNumeric(specY))
        return std::nullopt;
    auto incumbent = bestTrial(trials, direction);
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
    grid.mean.resize(static_cast<std::size_t>(X.rows()));
    for (Eigen::Index i = 0; i < X.rows(); ++i)
        grid.mean[static_cast<std::size_t>(i)] = sign * prediction.mean[i];
    for (const Trial* trial : fit->data.observed) {
        auto x = trial->params.find(paramX), y = trial->params.find(paramY);
        if (x == trial->params.end() || y == trial->params.end())
            continue;
        auto xv = numericValue(x->second), yv = numericValue(y->second);
        if (!xv || !yv)
            continue;
        grid.observedX.push_back(*xv);
        grid.observedY.push_back(*yv);
        grid.observedValue.push_back(*trial->value);
        grid.observedTrial.push_back(trial->number);
    }
    return grid;
}

}  // namespace bonsai

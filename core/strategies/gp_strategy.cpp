#include "strategies/gp_strategy.h"

#include "space/nb201_cell.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <set>
#include <tuple>

#include "acquisition/acquisition.h"
#include "acquisition/ehvi.h"
#include "acquisition/feasibility.h"
#include "acquisition/maximizer.h"
#include "gp/gaussian_process.h"
#include "gp/output_warping.h"
#include "gp/scaling.h"
#include "strategies/builtin_strategies.h"
#include "strategies/loss_vectors.h"
#include "util/sobol.h"

namespace bonsai {

namespace {

// Ordinal coordinates with more levels than this are modelled and optimized as
// continuous and snapped to their bins: local search by one level would crawl.
constexpr std::int64_t kMaxOrdinalLevels = 64;

// Multi-objective acquisitions, besides the single-objective ones that
// ParEGO applies to its scalarization.
constexpr const char* kEhvi = "ehvi";
constexpr const char* kParego = "parego";

// {"kind": "gp"} settings, read by the strategy and by the studio's GP views.
std::vector<SettingSpec> gpSettingSpecs() {
    using S = SettingSpec;
    std::vector<std::string> acquisitions = acquisitionNames();
    acquisitions.push_back(kEhvi);
    acquisitions.push_back(kParego);
    return {
        S::choice("kernel", kernelNames(), "matern52")
            .errorsAs("kernel")
            .labelled("Kernel")
            .documented("covariance of the Gaussian process"),
        S::choice("acquisition", acquisitions, "logei")
            .errorsAs("acquisition")
            .defaultShownAs("logei (ehvi for two objectives, parego for more)")
            .labelled("Acquisition")
            .documented("what the next point maximizes; with several objectives a "
                        "single-objective name means ParEGO with it"),
        S::number("beta", 2.0)
            .atLeast(0, true)
            .labelled("UCB beta")
            .documented("UCB's weight on the standard deviation"),
        S::integer("initial_trials", std::nullopt)
            .between(1, 100000)
            .defaultShownAs("max(5, d + 1)")
            .labelled("Initial trials")
            .documented("Sobol points before the first fit (d = encoded dimensions)"),
        S::integer("local_every", 2)
            .between(0, 100000)
            .errorsAs("", "; 0 turns the local moves off")
            .labelled("Local every")
            .documented("on all-discrete spaces every k-th suggestion is the best one edit "
                        "from the best trial (0: never)"),
        S::choice("output_warping", {"auto", "none"}, "auto")
            .errorsAs("", "; \"auto\" chooses a transform of the losses by marginal likelihood")
            .labelled("Output warping")
            .documented("`auto` picks a transform of the losses by marginal likelihood"),
    };
}

struct GpSettings {
    std::string kernel = "matern52";
    std::string acquisition = "logei";
    bool acquisitionGiven = false;
    bool outputWarping = true;
    double beta = 2.0;
    int initialTrials = 0;
    // Every `localEvery`-th suggestion on an all-discrete space is the best
    // acquisition value one move from the incumbent (0: never).
    int localEvery = 2;

    // The acquisition of single-objective studies and of ParEGO's scalarized
    // loss: "ehvi" and "parego" mean logei there.
    std::string singleObjectiveAcquisition() const {
        return acquisition == kEhvi || acquisition == kParego ? "logei" : acquisition;
    }
    // Multi-objective studies: EHVI for two objectives unless ParEGO (or a
    // single-objective acquisition for its scalarization) was asked for.
    bool usesEhvi(std::size_t objectives) const {
        return objectives == 2 && (acquisition == kEhvi || !acquisitionGiven);
    }

    static GpSettings read(SettingsReader& settings, const SearchSpace& space) {
        GpSettings out;
        out.kernel = settings.choice("kernel");
        out.acquisitionGiven = settings.has("acquisition");
        out.acquisition = settings.choice("acquisition");
        out.outputWarping = settings.choice("output_warping") == "auto";
        out.beta = settings.number("beta");
        out.initialTrials =
            static_cast<int>(settings.optionalInteger("initial_trials")
                                 .value_or(std::max(5, space.dimensionCount() + 1)));
        out.localEvery = static_cast<int>(settings.integer("local_every"));
        return out;
    }

    static GpSettings fromSpec(const Json& strategy, const SearchSpace& space) {
        GpSettings out;
        if (strategy.is_object() && strategy.value("kind", "") == "gp") {
            JsonReader reader(strategy, "strategy");
            const std::vector<SettingSpec> specs = gpSettingSpecs();
            SettingsReader settings(reader, specs);
            out = read(settings, space);
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

// The loss a trial contributes to the model, nullopt for trials that are not
// complete with a usable value.
using LossOf = std::function<std::optional<double>(const Trial&)>;

SurrogateData gather(const SearchSpace& space, std::span<const Trial> trials,
                     const LossOf& lossOf) {
    SurrogateData data;
    std::vector<const Trial*> pending, all;
    std::vector<double> losses;
    for (const Trial& trial : trials) {
        if (trial.params.empty() && space.dimensionCount() > 0)
            continue;
        // Warm-start priors (numbered below 0) were evaluated by another
        // study: this one may still evaluate their points.
        if (trial.number >= 0)
            all.push_back(&trial);
        if (trial.state == TrialState::Complete) {
            if (auto loss = lossOf(trial); loss && std::isfinite(*loss)) {
                data.observed.push_back(&trial);
                losses.push_back(*loss);
            }
        } else if (trial.state == TrialState::Running) {
            pending.push_back(&trial);
        }
    }
    data.X = rowsOf(space, data.observed);
    data.y =
        Eigen::Map<const Eigen::VectorXd>(losses.data(), static_cast<Eigen::Index>(losses.size()));
    data.pending = rowsOf(space, pending);
    data.taken = rowsOf(space, all);
    return data;
}

SurrogateData gather(const SearchSpace& space, std::span<const Trial> trials, Direction direction) {
    return gather(space, trials, [direction](const Trial& trial) -> std::optional<double> {
        if (!trial.value)
            return std::nullopt;
        return toLoss(*trial.value, direction);
    });
}

// The fit the latest gp suggestion stored, so the next one starts there or
// keeps it (GpScaling): a warm start that a resumed study repeats exactly.
std::optional<GpFitState> storedTheta(std::span<const Trial> trials, Eigen::Index size,
                                      const std::string& key = "gp_theta") {
    for (auto it = trials.rbegin(); it != trials.rend(); ++it) {
        auto found = it->attrs.find(key);
        if (found == it->attrs.end() || !found->is_array() ||
            static_cast<Eigen::Index>(found->size()) != size)
            continue;
        GpFitState state;
        state.theta.resize(size);
        for (Eigen::Index i = 0; i < size; ++i) {
            const Json& v = (*found)[static_cast<std::size_t>(i)];
            if (!v.is_number())
                return std::nullopt;
            state.theta[i] = v.get<double>();
        }
        if (auto at = it->attrs.find("gp_fitted_at"); at != it->attrs.end() && at->is_number())
            state.fittedAt = at->get<Eigen::Index>();
        if (auto lml = it->attrs.find("gp_fit_likelihood");
            lml != it->attrs.end() && lml->is_number())
            state.fitLikelihood = lml->get<double>();
        return state;
    }
    return std::nullopt;
}

GaussianProcess fitSurrogate(const GpSettings& settings, const SearchSpace& space,
                             const SurrogateData& data, std::span<const Trial> trials, Rng* rng,
                             GpScaledFit* fit = nullptr, const std::string& thetaKey = "gp_theta") {
    GaussianProcess gp(makeKernel(settings.kernel, inputKindsOf(space)));
    const std::optional<GpFitState> stored =
        storedTheta(trials, gp.hyperparameterCount(), thetaKey);
    GpScaledFit scaled = fitScaled(gp, data.X, data.y, stored ? &*stored : nullptr, rng);
    if (fit)
        *fit = std::move(scaled);
    return gp;
}

// ParEGO's augmented Chebyshev scalarization (Knowles, IEEE TEC 2006):
//   s(f) = max_j w_j f'_j + rho sum_j w_j f'_j,  rho = 0.05,
// of losses f' normalized to [0, 1] by the observed range of each objective,
// with weights w drawn uniformly from the simplex (normalized exponentials).
// The max term reaches every point of a non-convex front for some w; the
// small sum term breaks ties between weakly dominated points.
class ChebyshevScalarization {
  public:
    static constexpr double kRho = 0.05;

    ChebyshevScalarization(std::vector<double> weights, const std::vector<LossVector>& observed)
        : m_weights(std::move(weights)) {
        const std::size_t m = m_weights.size();
        m_low.assign(m, std::numeric_limits<double>::infinity());
        std::vector<double> high(m, -std::numeric_limits<double>::infinity());
        for (const LossVector& losses : observed)
            for (std::size_t j = 0; j < m; ++j) {
                m_low[j] = std::min(m_low[j], losses[j]);
                high[j] = std::max(high[j], losses[j]);
            }
        m_scale.resize(m);
        for (std::size_t j = 0; j < m; ++j) {
            double range = high[j] - m_low[j];
            m_scale[j] = range > 0 && std::isfinite(range) ? 1.0 / range : 1.0;
            if (!std::isfinite(m_low[j]))
                m_low[j] = 0.0;
        }
    }

    static std::vector<double> randomWeights(std::size_t count, Rng& rng) {
        std::vector<double> w(count);
        double total = 0.0;
        for (double& x : w) {
            x = -std::log(1.0 - uniform01(rng));  // Exp(1); 1 - u > 0
            total += x;
        }
        for (double& x : w)
            x /= total;
        return w;
    }

    double operator()(const LossVector& losses) const {
        double worst = -std::numeric_limits<double>::infinity(), sum = 0.0;
        for (std::size_t j = 0; j < m_weights.size(); ++j) {
            double term = m_weights[j] * (losses[j] - m_low[j]) * m_scale[j];
            worst = std::max(worst, term);
            sum += term;
        }
        return worst + kRho * sum;
    }

    const std::vector<double>& weights() const { return m_weights; }

  private:
    std::vector<double> m_weights;
    std::vector<double> m_low;
    std::vector<double> m_scale;
};

// Bayesian optimization with a Gaussian process (see README "Strategies").
//  - Initial design: the first `initial_trials` trials take scrambled Sobol
//    points (default max(5, d + 1)).
//  - Model: GP on the complete trials' losses, MAP hyperparameters (Hvarfner
//    et al. 2024 priors), warm-started from the previous suggestion's.
//  - Pending trials (other workers) enter as kriging-believer fantasies, so
//    concurrent suggestions differ.
//  - Next point: the acquisition's maximizer over the mixed cube, never a
//    point already taken while untaken ones remain.
//  - Multi-objective studies: with two objectives, expected hypervolume
//    improvement (suggestEhvi: one GP per loss, exact 2-D EHVI over the
//    feasible front). Otherwise, or when asked for, ParEGO (Knowles 2006):
//    each suggestion draws its own weights from the trial's stream,
//    scalarizes the normalized losses (ChebyshevScalarization) and runs the
//    single-objective machinery on that: one GP whatever the number of
//    objectives, and successive weights spread suggestions along the front.
//  - Output warping (single objective): the GP models the monotone transform
//    of the losses of highest marginal likelihood (fitWithOutputWarping).
//  - Constraints (any study): one GP per constrained quantity and the
//    acquisition weighted by the probability of feasibility (Gardner et al.
//    2014; FeasibilityWeightedTarget). The incumbent is the best feasible
//    trial. ucb has no improvement to weight, so constrained studies that ask
//    for it use logei.
class GpStrategy final : public Strategy {
  public:
    GpStrategy(const SearchSpace& space, GpSettings settings)
        : m_space(space),
          m_settings(std::move(settings)),
          m_acquisition(makeAcquisition(m_settings.singleObjectiveAcquisition(),
                                        AcquisitionOptions{m_settings.beta})) {}

    std::optional<Suggestion> suggest(const SuggestContext& given) override {
        std::vector<Trial> history;  // warm start: priors come first (oldest)
        const SuggestContext context = given.withPriors(history);
        const bool multi = context.multiObjective();
        const bool constrained = !context.constraints.empty();
        std::vector<const Trial*> scored = scoredTrials(context);
        if (static_cast<int>(scored.size()) < m_settings.initialTrials || scored.size() < 2) {
            SobolSequence sequence(m_space.dimensionCount(), context.seed);
            return Suggestion{m_space.decode(sequence.point(context.trials.size())),
                              {{"design", "sobol"}}};
        }

        if (multi && m_settings.usesEhvi(context.objectives.size()))
            return suggestEhvi(context, scored);

        std::optional<ChebyshevScalarization> scalarization;
        if (multi) {
            std::vector<LossVector> observed;
            for (const Trial* trial : scored)
                observed.push_back(lossVector(context, *trial));
            scalarization.emplace(
                ChebyshevScalarization::randomWeights(context.objectives.size(), context.rng),
                observed);
        }
        SurrogateData data =
            gather(m_space, context.trials, [&](const Trial& trial) -> std::optional<double> {
                if (!hasFiniteLosses(context, trial))
                    return std::nullopt;
                if (scalarization)
                    return (*scalarization)(lossVector(context, trial));
                return context.loss(trial);
            });
        if (data.observed.size() < 2) {
            SobolSequence sequence(m_space.dimensionCount(), context.seed);
            return Suggestion{m_space.decode(sequence.point(context.trials.size())),
                              {{"design", "sobol"}}};
        }

        // Output warping on the single objective's losses (ParEGO's
        // scalarized losses are already normalized to [0, 1]). It is chosen
        // by a full fit, so only while every suggestion refits exactly
        // anyway; long studies keep the scheduled subset fit (GpScaling).
        const bool warp =
            m_settings.outputWarping && !multi &&
            static_cast<Eigen::Index>(data.observed.size()) < GpScaling{}.refitAlwaysBelow;
        GpScaledFit fit;
        GaussianProcess gp = fitSurrogate(m_settings, m_space, data, context.trials,
                                          warp ? nullptr : &context.rng, &fit);
        std::optional<OutputWarping> warping;
        if (warp) {
            WarpedFit warped = fitWithOutputWarping(gp, data.X, data.y, context.rng);
            gp = std::move(warped.gp);
            warping = warped.warping;
            fit.refitted = true;
            // Monotone: the same incumbent and order, now in the GP's units.
            data.y = warping->apply(data.y);
        }
        Eigen::VectorXd theta = gp.hyperparameters();
        if (data.pending.rows() > 0)
            gp.addFantasies(data.pending);

        // Feasible incumbent; every observed trial is feasible without constraints.
        // With a warm start it is this study's best once it has one: a prior
        // is another study's result, and improving on it here means
        // evaluating a point (possibly that prior's) in this study.
        const bool ownIncumbent =
            std::any_of(data.observed.begin(), data.observed.end(),
                        [](const Trial* trial) { return trial->number >= 0; });
        std::vector<bool> feasible(data.observed.size(), true);
        std::optional<double> best;
        const Trial* incumbent = nullptr;
        for (std::size_t i = 0; i < data.observed.size(); ++i) {
            if (constrained)
                feasible[i] = context.violation(*data.observed[i]) == 0.0;
            double y = data.y[static_cast<Eigen::Index>(i)];
            if (ownIncumbent && data.observed[i]->number < 0)
                continue;
            if (feasible[i] && (!best || y < *best)) {
                best = y;
                incumbent = data.observed[i];
            }
        }
        std::vector<FeasibilityModel> constraintModels;
        if (constrained)
            constraintModels = fitConstraints(context);

        const Acquisition* acquisition = m_acquisition.get();
        std::unique_ptr<Acquisition> substitute;
        if (constrained && acquisition->name() == "ucb") {
            substitute = makeAcquisition("logei");
            acquisition = substitute.get();
        }
        std::unique_ptr<AcquisitionTarget> target;
        if (constrained)
            target = std::make_unique<FeasibilityWeightedTarget>(
                best ? acquisition : nullptr, gp, best.value_or(0.0), constraintModels,
                acquisition->name() == "logei");
        else
            target = std::make_unique<BoundAcquisition>(*acquisition, gp, *best);

        AcquisitionMaximizer maximizer(inputKindsOf(m_space), [this](const Eigen::VectorXd& x) {
            return m_space.canonical(x);
        });
        std::optional<MaximizerResult> local;
        if (incumbent && localTurn(context))
            local = maximizer.maximizeNeighbourhood(*target, m_space.encode(incumbent->params),
                                                    data.taken);
        MaximizerResult result = local ? *local
                                       : maximizer.maximize(*target, context.rng, data.taken,
                                                            bestRows(data, feasible, 5));
        Eigen::VectorXd point = result.x;
        if (result.onlyExcluded) {
            auto untaken = randomUntakenPoint(data, context.rng);
            if (!untaken)
                return std::nullopt;  // every point of a finite space is taken
            point = *untaken;
        }

        Json attrs = Json::object();
        attrs["acquisition"] =
            result.onlyExcluded ? target->values(point.transpose())[0] : result.value;
        attrs["acquisition_function"] = constrained && !best ? "pof" : acquisition->name();
        attrs["gp_theta"] = std::vector<double>(theta.data(), theta.data() + theta.size());
        Json hyper = Json::object();
        std::vector<std::string> names = gp.hyperparameterNames();
        for (std::size_t i = 0; i < names.size(); ++i)
            hyper[names[i]] = theta[static_cast<Eigen::Index>(i)];
        attrs["gp_hyperparameters"] = hyper;
        attrs["gp_observations"] = data.observed.size();
        if (warping)
            attrs["gp_output_warping"] = warping->describe();
        if (fit.state.fittedAt)
            attrs["gp_fitted_at"] = *fit.state.fittedAt;
        if (fit.state.fitLikelihood && std::isfinite(*fit.state.fitLikelihood))
            attrs["gp_fit_likelihood"] = *fit.state.fitLikelihood;
        attrs["gp_refit"] = fit.refitted;
        if (fit.modelRows < data.X.rows())
            attrs["gp_model_observations"] = fit.modelRows;
        if (data.pending.rows() > 0)
            attrs["gp_fantasies"] = data.pending.rows();
        if (incumbent)
            attrs["incumbent_trial"] = incumbent->number;
        if (local)
            attrs["local_search"] = true;
        if (scalarization)
            attrs["parego_weights"] = scalarization->weights();
        if (constrained) {
            auto* weighted = static_cast<FeasibilityWeightedTarget*>(target.get());
            attrs["probability_feasible"] =
                std::exp(weighted->logFeasibility(point.transpose())[0]);
        }
        return Suggestion{m_space.decode(point), std::move(attrs)};
    }

  private:
    // Whether this suggestion searches the incumbent's neighbourhood: every
    // `local_every`-th trial, on spaces whose inputs are all discrete (there
    // the global maximizer enumerates or screens without regard to distance
    // from the incumbent; continuous spaces already refine around it).
    bool localTurn(const SuggestContext& context) const {
        if (m_settings.localEvery <= 0 ||
            context.trials.size() % static_cast<std::size_t>(m_settings.localEvery) != 0)
            return false;
        const InputKinds kinds = inputKindsOf(m_space);
        return !kinds.empty() && std::all_of(kinds.begin(), kinds.end(),
                                             [](const InputKind& k) { return k.isDiscrete(); });
    }

    // Two objectives: one GP per loss and the point of highest expected
    // hypervolume improvement over the feasible front (ExpectedHypervolume-
    // Improvement2d), times the probability of feasibility when constrained.
    // The reference point is the objectives' "reference" where given, else
    // derived from the observed losses (worst + 10% of the range).
    std::optional<Suggestion> suggestEhvi(const SuggestContext& context,
                                          const std::vector<const Trial*>& scored) {
        const bool constrained = !context.constraints.empty();
        std::vector<SurrogateData> data;
        std::vector<GaussianProcess> gps;
        for (std::size_t j = 0; j < 2; ++j) {
            data.push_back(
                gather(m_space, context.trials, [&](const Trial& trial) -> std::optional<double> {
                    if (!hasFiniteLosses(context, trial))
                        return std::nullopt;
                    return lossVector(context, trial)[j];
                }));
            gps.push_back(fitSurrogate(m_settings, m_space, data.back(), context.trials,
                                       &context.rng, nullptr, "gp_theta_" + std::to_string(j)));
        }
        std::vector<Eigen::VectorXd> thetas;
        for (GaussianProcess& gp : gps) {
            thetas.push_back(gp.hyperparameters());
            if (data[0].pending.rows() > 0)
                gp.addFantasies(data[0].pending);
        }

        std::vector<LossVector> all;
        std::vector<ExpectedHypervolumeImprovement2d::Point> feasibleLosses;
        for (const Trial* trial : scored) {
            LossVector losses = lossVector(context, *trial);
            all.push_back(losses);
            if (!constrained || context.violation(*trial) == 0.0)
                feasibleLosses.push_back({losses[0], losses[1]});
        }
        LossVector reference = deriveReferencePoint(all);
        for (std::size_t j = 0; j < 2; ++j)
            if (context.objectives[j].reference)
                reference[j] =
                    toLoss(*context.objectives[j].reference, context.objectives[j].direction);
        ExpectedHypervolumeImprovement2d ehvi(feasibleLosses, {reference[0], reference[1]});
        std::vector<FeasibilityModel> constraintModels;
        if (constrained)
            constraintModels = fitConstraints(context);
        EhviTarget target(gps[0], gps[1], ehvi, constraintModels);

        // Anchors: the observed points on the front.
        std::vector<bool> onFront(data[0].observed.size(), false);
        for (std::size_t i = 0; i < data[0].observed.size(); ++i) {
            LossVector losses = lossVector(context, *data[0].observed[i]);
            for (const auto& point : ehvi.front())
                onFront[i] = onFront[i] || (point[0] == losses[0] && point[1] == losses[1]);
        }
        AcquisitionMaximizer maximizer(inputKindsOf(m_space), [this](const Eigen::VectorXd& x) {
            return m_space.canonical(x);
        });
        MaximizerResult result =
            maximizer.maximize(target, context.rng, data[0].taken, bestRows(data[0], onFront, 5));
        Eigen::VectorXd point = result.x;
        if (result.onlyExcluded) {
            auto untaken = randomUntakenPoint(data[0], context.rng);
            if (!untaken)
                return std::nullopt;
            point = *untaken;
        }
        Json attrs = Json::object();
        attrs["acquisition"] =
            result.onlyExcluded ? target.values(point.transpose())[0] : result.value;
        attrs["acquisition_function"] = kEhvi;
        for (std::size_t j = 0; j < 2; ++j)
            attrs["gp_theta_" + std::to_string(j)] =
                std::vector<double>(thetas[j].data(), thetas[j].data() + thetas[j].size());
        attrs["gp_observations"] = data[0].observed.size();
        if (data[0].pending.rows() > 0)
            attrs["gp_fantasies"] = data[0].pending.rows();
        attrs["ehvi_reference"] = reference;
        if (constrained)
            attrs["probability_feasible"] = target.probabilityFeasible(point.transpose())[0];
        return Suggestion{m_space.decode(point), std::move(attrs)};
    }

    // One GP per constraint on the complete trials that report its quantity.
    // A constraint with fewer than two observations has no model and adds
    // nothing (its quantity may only appear once trials run).
    std::vector<FeasibilityModel> fitConstraints(const SuggestContext& context) const {
        std::vector<FeasibilityModel> models;
        for (const ConstraintSpec& spec : context.constraints) {
            SurrogateData data =
                gather(m_space, context.trials, [&](const Trial& trial) -> std::optional<double> {
                    return constrainedQuantity(trial, context.objectives, spec.name);
                });
            if (data.observed.size() < 2)
                continue;
            GaussianProcess gp(makeKernel(m_settings.kernel, inputKindsOf(m_space)));
            fitScaled(gp, data.X, data.y, nullptr, &context.rng);
            models.push_back({std::move(gp), spec.min, spec.max});
        }
        return models;
    }

    // The `count` lowest losses among feasible trials (all trials if none is
    // feasible): where the maximizer looks first.
    static Eigen::MatrixXd bestRows(const SurrogateData& data, const std::vector<bool>& feasible,
                                    int count) {
        std::vector<Eigen::Index> order;
        bool anyFeasible = std::find(feasible.begin(), feasible.end(), true) != feasible.end();
        for (std::size_t i = 0; i < feasible.size(); ++i)
            if (feasible[i] || !anyFeasible)
                order.push_back(static_cast<Eigen::Index>(i));
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

StrategyKind gpStrategyKind() {
    StrategyKind kind;
    kind.kind = "gp";
    kind.summary =
        "Bayesian optimization with a Gaussian process (ParEGO or EHVI for several "
        "objectives, constraint-weighted)";
    kind.factory = [](SettingsReader& settings,
                      const SearchSpace& space) -> std::unique_ptr<Strategy> {
        return std::make_unique<GpStrategy>(space, GpSettings::read(settings, space));
    };
    kind.settings = gpSettingSpecs();
    kind.capabilities.multiObjective = true;
    kind.capabilities.constraints = true;
    kind.capabilities.pendingTrials = true;
    return kind;
}

std::optional<PosteriorSlice> gpPosteriorSlice(const SearchSpace& space, const Json& strategy,
                                               Direction direction, std::span<const Trial> trials,
                                               const std::string& param, int points, int edge) {
    auto index = space.indexOf(param);
    if (!index)
        return std::nullopt;
    const ParamSpec& spec = space.params()[*index];
    const bool cell = spec.type == ParamType::Nb201Cell;
    if (cell && (edge < 0 || edge >= Nb201Cell::kEdges))
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
    auto acquisition =
        makeAcquisition(settings.singleObjectiveAcquisition(), AcquisitionOptions{settings.beta});
    const double best = data.y.minCoeff();
    const double sign = direction == Direction::Maximize ? -1.0 : 1.0;

    PosteriorSlice slice;
    slice.param = param;
    slice.acquisitionName = acquisition->name();
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
    for (Eigen::Index d = 0; d < lengthscales.size(); ++d) {
        out.coordinateRelevance.push_back(
            total > 0 ? 1.0 / (lengthscales[d] * lengthscales[d]) / total : 0.0);
        out.coordinateLengthscale.push_back(lengthscales[d]);
    }
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

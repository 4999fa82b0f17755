#include "strategies/gp_strategy.h"

#include "space/nb201_cell.h"

#include <algorithm>
#include <array>
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
#include "gp/surrogate.h"
#include "multi/pareto.h"
#include "multi/scalarization.h"
#include "strategies/builtin_strategies.h"
#include "strategies/gp_neighbourhood.h"
#include "strategies/loss_vectors.h"
#include "util/sobol.h"

namespace bonsai {

namespace {

// Multi-objective acquisitions, besides the single-objective ones that
// ParEGO applies to its scalarization.
constexpr const char* kEhvi = "ehvi";
constexpr const char* kParego = "parego";
// EHVI's cells grow as the front's size to the power m - 1: (k + 1)^2 for
// three objectives, more than anything else a suggestion computes beyond.
constexpr std::size_t kEhviMaxObjectives = 3;

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
            .documented("covariance along numeric inputs; categorical and cell inputs always "
                        "use an exponentiated Hamming factor (and the additive term)"),
        S::choice("acquisition", acquisitions, "logei")
            .errorsAs("acquisition")
            .defaultShownAs("logei (ehvi for two objectives, or three with reference points; "
                            "parego otherwise)")
            .labelled("Acquisition")
            .documented("what the next point maximizes; with several objectives a "
                        "single-objective name means ParEGO with it"),
        S::number("beta", 2.0)
            .atLeast(0, true)
            .labelled("UCB beta")
            .documented("UCB's weight on the standard deviation"),
        S::integer("initial_trials", std::nullopt)
            .between(1, 100000)
            .defaultShownAs("1 + main effects, 5 to 25, at most budget / 4")
            .labelled("Initial trials")
            .documented("Sobol points before the first fit; by default one more than the "
                        "main effects' free parameters (1 per number, levels - 1 per "
                        "categorical or cell edge; 1 per coordinate with several objectives), "
                        "between 5 and 25 and at most a quarter of the trial budget"),
        S::integer("local_every", 2)
            .between(0, 100000)
            .errorsAs("", "; 0 turns the local moves off")
            .labelled("Local every")
            .documented("on all-discrete spaces every k-th suggestion is the best point near "
                        "the best trials (see local_radius and local_centres; EHVI: one edit "
                        "from a trial on the front; 0: never)"),
        S::integer("parego_after", 5)
            .between(0, 100000)
            .errorsAs("", "; 0 never switches")
            .labelled("ParEGO after")
            .documented("EHVI studies on spaces with a continuous input: once this many trials "
                        "in a row have added nothing to the front, the next suggestion is a "
                        "ParEGO one (random weights; 0: never)"),
        S::integer("local_radius", 2)
            .between(1, 3)
            .labelled("Local radius")
            .documented("the local moves (single objective) score every untried point within "
                        "this many edits of their centres"),
        S::integer("local_centres", 5)
            .between(1, 100)
            .labelled("Local centres")
            .documented("the local moves search around this many of the best trials "
                        "(single objective)"),
        S::integer("escape_after", 0)
            .between(0, 100000)
            .errorsAs("", "; 0 never skips")
            .labelled("Escape after")
            .documented("on all-discrete spaces, once the best trial is this many trials old, "
                        "global suggestions skip points within two moves of it (0: never)"),
        S::number("exploit_last", std::nullopt)
            .between(0, 1)
            .defaultShownAs("0.2 with several objectives, else 0")
            .labelled("Exploit last")
            .documented("studies with a trial budget: over this last fraction of it the "
                        "acquisition sees the posterior variance shrink linearly with the trials "
                        "left, so the last suggestions take likely gains over uncertain ones "
                        "(0: never)"),
        S::flag("additive", true)
            .defaultShownAs("true when the space has an nb201-cell or every parameter is "
                            "categorical, else false")
            .labelled("Additive term")
            .documented("categorical and nb201-cell inputs: the kernel also adds one term per "
                        "input, each with its own scale (a first-order, additive kernel), so a "
                        "loss that adds up over them, such as a latency summed over a cell's "
                        "edges, is learnt from few trials"),
        S::flag("cell_paths", false)
            .labelled("Cell paths")
            .documented("nb201-cell parameters: the kernel also compares the operations "
                        "along each input-to-output path (BANANAS path encoding)"),
        S::choice("isomorphic_cells", {"auto", "same", "distinct"}, "auto")
            .labelled("Isomorphic cells")
            .documented("nb201-cell parameters: `same` models cells that NAS-Bench-201 counts as "
                        "one architecture (they compute the same function) as one input, "
                        "`distinct` as different inputs; `auto` chooses per objective by marginal "
                        "likelihood"),
        S::choice("output_warping", {"auto", "none", "rank"}, "auto")
            .errorsAs("", "; \"auto\" chooses a transform of the losses by marginal likelihood")
            .labelled("Output warping")
            .documented("`auto` picks a transform of the losses by marginal likelihood; "
                        "`rank` models their Gaussian copula (normal scores of the ranks)"),
    };
}

IsomorphicCells isomorphicCellsNamed(const std::string& name) {
    if (name == "same")
        return IsomorphicCells::Same;
    return name == "distinct" ? IsomorphicCells::Distinct : IsomorphicCells::Auto;
}

struct GpSettings {
    SurrogateKernel surrogate;
    // `additive` as the spec gives it; else resolveFor() turns the term on
    // for spaces with an nb201-cell or whose inputs are all categorical: it
    // won on NAS-Bench-201's cells, alone and beside a learning rate, and
    // lost on a space of two choices and two ints (bench/NB201_LOG.md, "The
    // additive term").
    std::optional<bool> additiveGiven;
    std::string acquisition = "logei";
    bool acquisitionGiven = false;
    bool outputWarping = true;
    // Model the normal scores of the losses' ranks instead (gaussianRanks).
    bool rankWarping = false;
    double beta = 2.0;
    std::optional<int> initialTrials;  // else gpDefaultInitialTrials
    // Every `localEvery`-th suggestion on an all-discrete space is the best
    // acquisition value one move from the incumbent (0: never).
    int localEvery = 2;
    // An EHVI study on a space with a continuous input whose last
    // `paregoAfter` trials all stayed off the front makes a ParEGO
    // suggestion (0: never). On ZDT2 EHVI otherwise keeps querying x1 = 0
    // with a front of one point; 5 gained there and tied elsewhere
    // (README, Multi-objective problems).
    int paregoAfter = 5;
    // The local moves score the untaken points within `localRadius` moves of
    // the `localCentres` best trials (1 and 1: the incumbent's neighbours).
    // 2 and 5 won on NAS-Bench-201 at 100 queries on all three datasets
    // (README, NAS-Bench-201 search quality): the best cell is often a
    // swapped pair of edges away from a good cell that is not the incumbent.
    int localRadius = 2;
    int localCentres = 5;
    // Global suggestions skip the incumbent's radius-2 ball once it is this
    // many trials old, on all-discrete spaces (0: never).
    int escapeAfter = 0;
    // The acquisition's posterior variance shrinks over this last fraction
    // of a trial budget (gpVarianceScale); else exploitLastFor's default.
    std::optional<double> exploitLast;

    // The acquisition of single-objective studies and of ParEGO's scalarized
    // loss: "ehvi" and "parego" mean logei there.
    std::string singleObjectiveAcquisition() const {
        return acquisition == kEhvi || acquisition == kParego ? "logei" : acquisition;
    }
    // By default 0.2 with several objectives, where it gained hypervolume on
    // all four NAS hardware columns, ZDT and DTLZ2 (EHVI and ParEGO) and
    // tied on Branin-Currin; off with one, where NAS-Bench-201 came out mixed
    // (README, Bayesian optimization's last trials).
    double exploitLastFor(bool multiObjective) const {
        return exploitLast.value_or(multiObjective ? 0.2 : 0.0);
    }
    bool warpsOutputs(std::size_t observed) const {
        return outputWarping && gpChoosesOutputWarping(observed);
    }
    // Multi-objective studies: EHVI when asked for (up to three objectives)
    // and by default for two, or for three that each give their reference
    // point; otherwise ParEGO. Without references EHVI's box reaches 10% past
    // the worst losses observed, so most of its volume lies far behind the
    // front, and on three-objective DTLZ2 ParEGO, which needs no reference,
    // ended well ahead (README, Multi-objective problems).
    bool usesEhvi(std::span<const ObjectiveSpec> objectives) const {
        if (objectives.size() > kEhviMaxObjectives || (acquisitionGiven && acquisition != kEhvi))
            return false;
        return acquisition == kEhvi || objectives.size() == 2 ||
               std::all_of(objectives.begin(), objectives.end(),
                           [](const ObjectiveSpec& o) { return o.reference.has_value(); });
    }
    // Whether an EHVI objective's GP may model warped losses (see
    // warpEhviObjective). Not with three objectives: there a loss that
    // reaches its bound exactly (DTLZ2's 0 where a sine vanishes) is
    // stretched toward -inf by a log-like warp, and the suggestions keep
    // driving it there instead of towards the front (figures in README,
    // Multi-objective problems).
    bool warpsEhviOutputs(std::size_t objectives, std::size_t observed) const {
        return objectives == 2 && warpsOutputs(observed);
    }

    // The defaults that depend on the space, settled.
    GpSettings resolveFor(const SearchSpace& space) const {
        GpSettings out = *this;
        out.surrogate.additive =
            additiveGiven.value_or(hasCells(space) || everyInputCategorical(inputKindsOf(space)));
        return out;
    }

    static GpSettings read(SettingsReader& settings) {
        GpSettings out;
        out.surrogate.name = settings.choice("kernel");
        out.surrogate.cellPaths = settings.flag("cell_paths");
        if (settings.has("additive"))
            out.additiveGiven = settings.flag("additive");
        out.surrogate.cells = isomorphicCellsNamed(settings.choice("isomorphic_cells"));
        out.acquisitionGiven = settings.has("acquisition");
        out.acquisition = settings.choice("acquisition");
        out.outputWarping = settings.choice("output_warping") == "auto";
        out.rankWarping = settings.choice("output_warping") == "rank";
        out.beta = settings.number("beta");
        if (auto given = settings.optionalInteger("initial_trials"))
            out.initialTrials = static_cast<int>(*given);
        out.localEvery = static_cast<int>(settings.integer("local_every"));
        out.paregoAfter = static_cast<int>(settings.integer("parego_after"));
        out.localRadius = static_cast<int>(settings.integer("local_radius"));
        out.localCentres = static_cast<int>(settings.integer("local_centres"));
        out.escapeAfter = static_cast<int>(settings.integer("escape_after"));
        out.exploitLast = settings.optionalNumber("exploit_last");
        return out;
    }

    static GpSettings fromSpec(const Json& strategy) {
        GpSettings out;
        if (strategy.is_object() && strategy.value("kind", "") == "gp") {
            JsonReader reader(strategy, "strategy");
            const std::vector<SettingSpec> specs = gpSettingSpecs();
            SettingsReader settings(reader, specs);
            out = read(settings);
        }
        return out;
    }
};

// The strategy's surrogate: the kernel its settings name.
GaussianProcess fitSurrogate(const GpSettings& settings, const SearchSpace& space,
                             const SurrogateData& data, std::span<const Trial> trials, Rng* rng,
                             GpScaledFit* fit = nullptr, const std::string& thetaKey = "gp_theta") {
    return bonsai::fitSurrogate(settings.surrogate, space, data, trials, rng, fit, thetaKey);
}

// Bayesian optimization with a Gaussian process (see README "Strategies").
//  - Initial design: the first `initial_trials` trials take scrambled Sobol
//    points (default gpDefaultInitialTrials: enough to see every level of
//    every categorical once a main-effects model is identifiable; on
//    NAS-Bench-201 a 7-point design let the first basin found hold the
//    search in a third of the seeds).
//  - Model: GP on the complete trials' losses, MAP hyperparameters (Hvarfner
//    et al. 2024 priors), warm-started from the previous suggestion's.
//  - Pending trials (other workers) enter as kriging-believer fantasies, so
//    concurrent suggestions differ.
//  - Next point: the acquisition's maximizer over the mixed cube, never a
//    point already taken while untaken ones remain.
//  - Multi-objective studies: with two objectives (or three with reference
//    points), expected hypervolume improvement (suggestEhvi: one GP per
//    loss, EHVI over the feasible front by box decomposition). On spaces
//    with a continuous input, once `parego_after` trials in a row have
//    added nothing to the front, one ParEGO suggestion (a "ParEGO turn").
//    Otherwise, or when asked for, ParEGO (Knowles 2006):
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
        const int initialTrials = m_settings.initialTrials.value_or(
            gpDefaultInitialTrials(m_space, context.budgetTrials, multi));
        if (static_cast<int>(scored.size()) < initialTrials || scored.size() < 2) {
            SobolSequence sequence(m_space.dimensionCount(), context.seed);
            return Suggestion{m_space.decode(sequence.point(context.trials.size())),
                              {{"design", "sobol"}}};
        }

        // An EHVI study whose last suggestions all stayed off the front takes a
        // ParEGO turn (ehviStalled); the rest of suggest() is ParEGO's then.
        const bool ehviStudy = multi && m_settings.usesEhvi(context.objectives);
        if (ehviStudy && !ehviStalled(context, scored))
            return suggestEhvi(context, scored);
        const bool paregoTurn = ehviStudy;

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
        // A pruned trial counts as the worst so far: the worst loss, or with
        // several objectives the worst scalarized one.
        const std::size_t prunedAsWorst = addPrunedAsWorst(data, m_space, context.trials);

        // Output warping on the single objective's losses (ParEGO's
        // scalarized losses are already normalized to [0, 1]) while
        // warpsOutputs. The rank transform (single objective) depends on the
        // whole sample, so it is recomputed from the losses at every
        // suggestion.
        const bool rank = m_settings.rankWarping && !multi;
        if (rank)
            data.y = gaussianRanks(data.y);
        const bool warp = !multi && m_settings.warpsOutputs(data.observed.size());
        GpScaledFit fit;
        GaussianProcess gp = fitSurrogate(m_settings, m_space, data, context.trials,
                                          warp ? nullptr : &context.rng, &fit);
        std::optional<OutputWarping> warping;
        if (warp) {
            WarpedFit warped = fitWithOutputWarping(gp, data.X, data.y, context.rng,
                                                    {.warmStart = fit.warmStarted});
            gp = std::move(warped.gp);
            warping = warped.warping;
            fit.refitted = true;
            // Monotone: the same incumbent and order, now in the GP's units.
            data.y = warping->apply(data.y);
        }
        Eigen::VectorXd theta = gp.hyperparameters();
        if (data.pending.rows() > 0)
            gp.addFantasies(data.pending);

        const Incumbent found = findIncumbent(context, data);
        const std::vector<bool>& feasible = found.feasible;
        const std::optional<double>& best = found.loss;
        const Trial* incumbent = found.trial;
        std::vector<FeasibilityModel> constraintModels;
        if (constrained)
            constraintModels = fitConstraints(context);

        const Acquisition* acquisition = m_acquisition.get();
        std::unique_ptr<Acquisition> substitute;
        if (constrained && acquisition->name() == "ucb") {
            substitute = makeAcquisition("logei");
            acquisition = substitute.get();
        }
        const double varianceScale = acquisitionVarianceScale(context, multi);
        std::unique_ptr<AcquisitionTarget> target;
        if (constrained)
            target = std::make_unique<FeasibilityWeightedTarget>(
                best ? acquisition : nullptr, gp, best.value_or(0.0), constraintModels,
                acquisition->name() == "logei", varianceScale);
        else
            target = std::make_unique<BoundAcquisition>(*acquisition, gp, *best, varianceScale);

        AcquisitionMaximizer maximizer(inputKindsOf(m_space), [this](const Eigen::VectorXd& x) {
            return m_space.canonical(x);
        });
        std::optional<MaximizerResult> local;
        if (incumbent && localTurn(context))
            local = maximizeLocal(maximizer, *target, *incumbent, data, feasible);
        std::optional<Eigen::MatrixXd> escape;
        if (incumbent && !local)
            escape = escapeExclusion(context, *incumbent, data.taken);
        MaximizerResult result =
            local ? *local
                  : maximizer.maximize(*target, context.rng, escape ? *escape : data.taken,
                                       bestRows(data, feasible, 5));
        if (escape && result.onlyExcluded)  // the ball held every point left
            result =
                maximizer.maximize(*target, context.rng, data.taken, bestRows(data, feasible, 5));
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
        describeModel(attrs, gp, theta, data, fit);
        if (warping)
            attrs["gp_output_warping"] = warping->describe();
        else if (rank)
            attrs["gp_output_warping"] = "rank";
        if (incumbent)
            attrs["incumbent_trial"] = incumbent->number;
        if (prunedAsWorst > 0)
            attrs["gp_pruned_as_worst"] = prunedAsWorst;
        if (local)
            attrs["local_search"] = true;
        if (varianceScale < 1.0)
            attrs["acquisition_variance_scale"] = varianceScale;
        if (escape)
            attrs["escape"] = true;
        if (scalarization)
            attrs["parego_weights"] = scalarization->weights();
        if (paregoTurn) {
            // The study's "acquisition" values are EHVI's; this LogEI of a
            // scalarization is another scale.
            attrs["parego_turn"] = true;
            attrs["parego_acquisition"] = attrs["acquisition"];
            attrs.erase("acquisition");
        }
        if (constrained) {
            auto* weighted = static_cast<FeasibilityWeightedTarget*>(target.get());
            attrs["probability_feasible"] =
                std::exp(weighted->logFeasibility(point.transpose())[0]);
        }
        return Suggestion{m_space.decode(point), std::move(attrs)};
    }

  private:
    // The factor on the posterior variance of this suggestion's acquisition
    // (exploit_last, gpVarianceScale).
    double acquisitionVarianceScale(const SuggestContext& context, bool multiObjective) const {
        return gpVarianceScale(context.budgetTrials, context.trials.size(),
                               m_settings.exploitLastFor(multiObjective));
    }

    // The best feasible trial among the GP's observations (every one is
    // feasible without constraints), with each observation's feasibility.
    struct Incumbent {
        std::vector<bool> feasible;
        std::optional<double> loss;  // in the GP's units; none when nothing is feasible
        const Trial* trial = nullptr;
    };

    // With a warm start the incumbent is this study's best once it has one:
    // a prior is another study's result, and improving on it here means
    // evaluating a point (possibly that prior's) in this study.
    static Incumbent findIncumbent(const SuggestContext& context, const SurrogateData& data) {
        const bool constrained = !context.constraints.empty();
        const bool ownIncumbent =
            std::any_of(data.observed.begin(), data.observed.end(),
                        [](const Trial* trial) { return trial->number >= 0; });
        Incumbent out{std::vector<bool>(data.observed.size(), true), std::nullopt, nullptr};
        for (std::size_t i = 0; i < data.observed.size(); ++i) {
            if (constrained)
                out.feasible[i] = context.violation(*data.observed[i]) == 0.0;
            const double y = data.y[static_cast<Eigen::Index>(i)];
            if (ownIncumbent && data.observed[i]->number < 0)
                continue;
            if (out.feasible[i] && (!out.loss || y < *out.loss)) {
                out.loss = y;
                out.trial = data.observed[i];
            }
        }
        return out;
    }

    // The fitted GP as trial attributes: the next suggestion's fit starts
    // from `gp_theta`, and the rest tell a user how the suggestion was made.
    void describeModel(Json& attrs, const GaussianProcess& gp, const Eigen::VectorXd& theta,
                       const SurrogateData& data, const GpScaledFit& fit) const {
        attrs["gp_theta"] = std::vector<double>(theta.data(), theta.data() + theta.size());
        Json hyper = Json::object();
        std::vector<std::string> names = gp.hyperparameterNames();
        for (std::size_t i = 0; i < names.size(); ++i)
            hyper[names[i]] = theta[static_cast<Eigen::Index>(i)];
        attrs["gp_hyperparameters"] = hyper;
        attrs["gp_observations"] = data.observed.size();
        if (hasCells(m_space))
            attrs["gp_isomorphic_cells"] = gp.kernel().mapsInputs() ? "same" : "distinct";
        if (fit.state.fittedAt)
            attrs["gp_fitted_at"] = *fit.state.fittedAt;
        if (fit.state.fitLikelihood && std::isfinite(*fit.state.fitLikelihood))
            attrs["gp_fit_likelihood"] = *fit.state.fitLikelihood;
        attrs["gp_refit"] = fit.refitted;
        if (fit.modelRows < data.X.rows())
            attrs["gp_model_observations"] = fit.modelRows;
        if (data.pending.rows() > 0)
            attrs["gp_fantasies"] = data.pending.rows();
    }

    // The neighbourhood turn's point: the best target value among the
    // untaken points one move from the incumbent, or, with `local_radius` or
    // `local_centres` above 1, within that many moves of the incumbent and
    // the next best trials (maximizeDiscreteBalls).
    std::optional<MaximizerResult> maximizeLocal(const AcquisitionMaximizer& maximizer,
                                                 const AcquisitionTarget& target,
                                                 const Trial& incumbent, const SurrogateData& data,
                                                 const std::vector<bool>& feasible) const {
        const Eigen::VectorXd centre = m_space.encode(incumbent.params);
        if (m_settings.localRadius <= 1 && m_settings.localCentres <= 1)
            return maximizer.maximizeNeighbourhood(target, centre, data.taken);
        const Eigen::MatrixXd best = bestRows(data, feasible, m_settings.localCentres);
        Eigen::MatrixXd centres(best.rows() + 1, centre.size());
        centres.row(0) = centre.transpose();
        centres.bottomRows(best.rows()) = best;
        // The incumbent first, then the best trials other than it.
        return maximizeDiscreteBalls(target, maximizer,
                                     uniqueRows(centres, m_settings.localCentres),
                                     m_settings.localRadius, data.taken);
    }

    // The first `count` distinct rows of `rows`, in order.
    static Eigen::MatrixXd uniqueRows(const Eigen::MatrixXd& rows, int count) {
        std::vector<Eigen::Index> kept;
        for (Eigen::Index r = 0; r < rows.rows() && static_cast<int>(kept.size()) < count; ++r)
            if (std::none_of(kept.begin(), kept.end(),
                             [&](Eigen::Index k) { return rows.row(k) == rows.row(r); }))
                kept.push_back(r);
        Eigen::MatrixXd out(static_cast<Eigen::Index>(kept.size()), rows.cols());
        for (std::size_t i = 0; i < kept.size(); ++i)
            out.row(static_cast<Eigen::Index>(i)) = rows.row(kept[i]);
        return out;
    }

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

    // Whether EHVI has stalled: on a space with a continuous input, none of
    // the last `parego_after` scored trials is on the front (a trial that
    // added hypervolume is on it unless a later one dominates it).
    bool ehviStalled(const SuggestContext& context, const std::vector<const Trial*>& scored) const {
        const int window = m_settings.paregoAfter;
        if (window <= 0 || static_cast<int>(scored.size()) < window)
            return false;
        const InputKinds kinds = inputKindsOf(m_space);
        if (std::all_of(kinds.begin(), kinds.end(),
                        [](const InputKind& k) { return k.isDiscrete(); }))
            return false;
        const bool constrained = !context.constraints.empty();
        std::vector<LossVector> losses;
        std::vector<int> numbers;
        for (const Trial* trial : scored)
            if (!constrained || context.violation(*trial) == 0.0) {
                losses.push_back(lossVector(context, *trial));
                numbers.push_back(trial->number);
            }
        int newest = -1;
        for (std::size_t index : paretoFront(losses))
            newest = std::max(newest, numbers[index]);
        return newest >= 0 && newest <= scored.back()->number - window;
    }

    // `taken` plus every point within two moves of the incumbent (one or two
    // coordinates changed) once the incumbent is `escape_after` trials old,
    // on all-discrete spaces: the global suggestion then leaves the basin the
    // neighbourhood turns keep searching, a restart as in TuRBO and
    // CASMOPOLITAN (Wan et al. 2021). nullopt when it does not apply.
    std::optional<Eigen::MatrixXd> escapeExclusion(const SuggestContext& context,
                                                   const Trial& incumbent,
                                                   const Eigen::MatrixXd& taken) const {
        if (m_settings.escapeAfter <= 0 || incumbent.number < 0 ||
            static_cast<int>(context.trials.size()) - incumbent.number <= m_settings.escapeAfter)
            return std::nullopt;
        const InputKinds kinds = inputKindsOf(m_space);
        const Eigen::VectorXd centre = m_space.canonical(m_space.encode(incumbent.params));
        const std::vector<Eigen::VectorXd> ball = discreteBall(
            kinds, centre, 2, [this](const Eigen::VectorXd& x) { return m_space.canonical(x); });
        if (ball.empty())  // a continuous input, or a ball too large to list
            return std::nullopt;
        const auto d = static_cast<Eigen::Index>(kinds.size());
        Eigen::MatrixXd out(taken.rows() + 1 + static_cast<Eigen::Index>(ball.size()), d);
        out.topRows(taken.rows()) = taken;
        out.row(taken.rows()) = centre.transpose();
        for (std::size_t b = 0; b < ball.size(); ++b)
            out.row(taken.rows() + 1 + static_cast<Eigen::Index>(b)) = ball[b].transpose();
        return out;
    }

    // Two or three objectives: one GP per loss and the point of highest
    // expected hypervolume improvement over the feasible front
    // (ExpectedHypervolumeImprovement), times the probability of feasibility
    // when constrained. The reference point is the objectives' "reference"
    // where given, else derived from the observed losses (worst + 10% of the
    // range).
    std::optional<Suggestion> suggestEhvi(const SuggestContext& context,
                                          const std::vector<const Trial*>& scored) {
        const bool constrained = !context.constraints.empty();
        const std::size_t m = context.objectives.size();
        std::vector<LossVector> all;
        for (const Trial* trial : scored)
            all.push_back(lossVector(context, *trial));
        LossVector reference = deriveReferencePoint(all);
        for (std::size_t j = 0; j < m; ++j)
            if (context.objectives[j].reference)
                reference[j] =
                    toLoss(*context.objectives[j].reference, context.objectives[j].direction);
        std::vector<SurrogateData> data;
        std::vector<GaussianProcess> gps;
        std::vector<OutputWarping> warpings(m, OutputWarping::identity());
        std::size_t prunedAsWorst = 0;
        for (std::size_t j = 0; j < m; ++j) {
            data.push_back(
                gather(m_space, context.trials, [&](const Trial& trial) -> std::optional<double> {
                    if (!hasFiniteLosses(context, trial))
                        return std::nullopt;
                    return lossVector(context, trial)[j];
                }));
            // A pruned trial counts as the worst so far on every objective.
            prunedAsWorst = addPrunedAsWorst(data.back(), m_space, context.trials);
            const bool warp = m_settings.warpsEhviOutputs(m, data.back().observed.size());
            GpScaledFit fit;
            gps.push_back(fitSurrogate(m_settings, m_space, data.back(), context.trials,
                                       warp ? nullptr : &context.rng, &fit,
                                       "gp_theta_" + std::to_string(j)));
            if (warp)
                warpings[j] = warpEhviObjective(gps.back(), data.back(), reference[j],
                                                {.warmStart = fit.warmStarted}, context.rng);
        }
        // EHVI is computed on the warped losses: the front, the reference
        // point and the GPs' predictions all in the same monotone units.
        auto warped = [&](const LossVector& losses) {
            ExpectedHypervolumeImprovement::Point out(m);
            for (std::size_t j = 0; j < m; ++j)
                out[j] = warpings[j].apply(losses[j]);
            return out;
        };
        std::vector<Eigen::VectorXd> thetas;
        for (GaussianProcess& gp : gps) {
            thetas.push_back(gp.hyperparameters());
            if (data[0].pending.rows() > 0)
                gp.addFantasies(data[0].pending);
        }

        std::vector<ExpectedHypervolumeImprovement::Point> feasibleLosses;
        for (const Trial* trial : scored)
            if (!constrained || context.violation(*trial) == 0.0)
                feasibleLosses.push_back(warped(lossVector(context, *trial)));
        ExpectedHypervolumeImprovement ehvi(feasibleLosses, warped(reference));
        std::vector<FeasibilityModel> constraintModels;
        if (constrained)
            constraintModels = fitConstraints(context);
        const double varianceScale = acquisitionVarianceScale(context, true);
        EhviTarget target(gps, ehvi, constraintModels, varianceScale);

        // Anchors: the observed points on the front.
        std::vector<bool> onFront(data[0].observed.size(), false);
        for (std::size_t i = 0; i < data[0].observed.size(); ++i) {
            if (data[0].observed[i]->state != TrialState::Complete)
                continue;  // pruned, in as the worst on each objective
            const auto losses = warped(lossVector(context, *data[0].observed[i]));
            onFront[i] =
                std::find(ehvi.front().begin(), ehvi.front().end(), losses) != ehvi.front().end();
        }
        AcquisitionMaximizer maximizer(inputKindsOf(m_space), [this](const Eigen::VectorXd& x) {
            return m_space.canonical(x);
        });
        std::optional<MaximizerResult> local;
        if (localTurn(context))
            local = maximizeFrontNeighbourhoods(maximizer, target, data[0], onFront);
        MaximizerResult result = local ? *local
                                       : maximizer.maximize(target, context.rng, data[0].taken,
                                                            bestRows(data[0], onFront, 5));
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
        for (std::size_t j = 0; j < m; ++j)
            attrs["gp_theta_" + std::to_string(j)] =
                std::vector<double>(thetas[j].data(), thetas[j].data() + thetas[j].size());
        attrs["gp_observations"] = data[0].observed.size();
        if (prunedAsWorst > 0)
            attrs["gp_pruned_as_worst"] = prunedAsWorst;
        if (data[0].pending.rows() > 0)
            attrs["gp_fantasies"] = data[0].pending.rows();
        attrs["ehvi_reference"] = reference;
        for (std::size_t j = 0; j < m; ++j) {
            if (hasCells(m_space))
                attrs["gp_isomorphic_cells_" + std::to_string(j)] =
                    gps[j].kernel().mapsInputs() ? "same" : "distinct";
            if (warpings[j].kind() != OutputWarping::Kind::Identity)
                attrs["gp_output_warping_" + std::to_string(j)] = warpings[j].describe();
        }
        if (local)
            attrs["local_search"] = true;
        if (varianceScale < 1.0)
            attrs["acquisition_variance_scale"] = varianceScale;
        if (constrained)
            attrs["probability_feasible"] = target.probabilityFeasible(point.transpose())[0];
        return Suggestion{m_space.decode(point), std::move(attrs)};
    }

    // Output warping of one EHVI objective (when `warp`): the transform of
    // its losses of highest marginal likelihood, as for a single objective,
    // refitting `gp` on the warped losses. The front and the reference point
    // are warped too, so EHVI is the expected improvement of the hypervolume
    // in the warped units: dominance is unchanged, and a log-like transform
    // of an error (NAS-Bench-201's long tail of poor cells) models the good
    // cells finely and gives the accurate end of the front more volume.
    // Identity (and `gp` as it was) when the reference point falls where the
    // chosen transform is undefined (a log warp below the observed minimum).
    static OutputWarping warpEhviObjective(GaussianProcess& gp, const SurrogateData& data,
                                           double reference, const GpFitOptions& identityFit,
                                           Rng& rng) {
        WarpedFit fit = fitWithOutputWarping(gp, data.X, data.y, rng, identityFit);
        if (!std::isfinite(fit.warping.apply(reference)) || !fit.warping.apply(data.y).allFinite())
            return OutputWarping::identity();
        gp = std::move(fit.gp);
        return fit.warping;
    }

    // The multi-objective neighbourhood turn: the best target value among the
    // untaken points one move from any observed member of the front (the
    // single-objective turn's incumbent becomes the whole front, so every
    // part of it gets refined). Nothing when every such neighbour is taken.
    static std::optional<MaximizerResult> maximizeFrontNeighbourhoods(
        const AcquisitionMaximizer& maximizer, const AcquisitionTarget& target,
        const SurrogateData& data, const std::vector<bool>& onFront) {
        std::optional<MaximizerResult> best;
        for (std::size_t i = 0; i < onFront.size(); ++i) {
            if (!onFront[i])
                continue;
            std::optional<MaximizerResult> found = maximizer.maximizeNeighbourhood(
                target, data.X.row(static_cast<Eigen::Index>(i)).transpose(), data.taken);
            if (found && (!best || found->value > best->value))
                best = found;
        }
        return best;
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
            // No stored fit to start from: each constraint is fitted afresh.
            models.push_back(
                {fitSurrogate(m_settings, m_space, data, {}, &context.rng), spec.min, spec.max});
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
        return std::make_unique<GpStrategy>(space, GpSettings::read(settings).resolveFor(space));
    };
    kind.settings = gpSettingSpecs();
    kind.checkObjectives = [](SettingsReader& settings, std::size_t objectives) {
        // Asked for by name, EHVI must be what runs: past three objectives
        // its cells grow too fast, and the study would quietly run ParEGO.
        if (settings.has("acquisition") && settings.choice("acquisition") == kEhvi &&
            objectives > kEhviMaxObjectives)
            settings.fail("acquisition",
                          "ehvi handles two or three objectives and this study has " +
                              std::to_string(objectives) +
                              "; use \"parego\", or leave acquisition out (ParEGO is the "
                              "default past three)");
    };
    kind.capabilities.multiObjective = true;
    kind.capabilities.constraints = true;
    kind.capabilities.pendingTrials = true;
    return kind;
}

int gpDefaultInitialTrials(const SearchSpace& space, std::optional<std::int64_t> budgetTrials,
                           bool multiObjective) {
    int parameters = 1;
    for (const Dimension& dim : space.dimensions())
        parameters += dim.kind == DimensionKind::Categorical && !multiObjective
                          ? static_cast<int>(std::max<std::int64_t>(dim.levels - 1, 1))
                          : 1;
    int initial = std::clamp(parameters, 5, kMaxDefaultInitialTrials);
    if (budgetTrials)
        initial = std::min<std::int64_t>(initial, std::max<std::int64_t>(5, *budgetTrials / 4));
    return initial;
}

int gpInitialTrials(const Json& strategy, const SearchSpace& space,
                    std::optional<std::int64_t> budgetTrials, bool multiObjective) {
    return GpSettings::fromSpec(strategy).initialTrials.value_or(
        gpDefaultInitialTrials(space, budgetTrials, multiObjective));
}

GpModelChoice gpModelChoice(const Json& strategy, const SearchSpace& space) {
    const GpSettings settings = GpSettings::fromSpec(strategy).resolveFor(space);
    using Outputs = GpModelChoice::Outputs;
    return {settings.surrogate, settings.singleObjectiveAcquisition(),
            AcquisitionOptions{settings.beta},
            settings.rankWarping     ? Outputs::Ranks
            : settings.outputWarping ? Outputs::Warped
                                     : Outputs::Losses,
            settings.exploitLastFor(false)};
}

bool gpChoosesOutputWarping(std::size_t observed) {
    return static_cast<Eigen::Index>(observed) < GpScaling{}.refitAlwaysBelow;
}

double gpVarianceScale(std::optional<std::int64_t> budgetTrials, std::size_t trialsSoFar,
                       double exploitLast) {
    if (!budgetTrials || *budgetTrials <= 0 || exploitLast <= 0)
        return 1.0;
    const double budget = static_cast<double>(*budgetTrials);
    const double left = budget - static_cast<double>(trialsSoFar);
    return std::clamp(left / (exploitLast * budget), kMinVarianceScale, 1.0);
}

}  // namespace bonsai

#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "model/trial.h"
#include "space/search_space.h"
#include "util/json.h"

// What the GP a study's trials fit says about the study: the studio's
// posterior slice, contour and parameter-importance views. The GP is the one
// the study's gp strategy fits (gpModelChoice), warm-started from the
// hyperparameters its last suggestion stored.
namespace bonsai {

// How many Sobol points a study's strategy spec starts with before its GP
// suggests (gpInitialTrials), for the studio's acquisition note.
int gpInitialDesignSize(const SearchSpace& space, const Json& strategy,
                        std::optional<std::int64_t> budgetTrials, bool multiObjective);

// The factor on the posterior variance that a single-objective study's next
// gp suggestion gives its acquisition once `trials` trials exist: below 1
// over the budget's last part when the spec sets exploit_last
// (gpVarianceScale), else 1.
double gpNextVarianceScale(const SearchSpace& space, const Json& strategy,
                           std::optional<std::int64_t> budgetTrials, std::size_t trials);

// The GP posterior and the acquisition along one parameter, through the
// incumbent (the best complete trial), in the study's own units and sense:
// what the studio's posterior plot draws after every trial.
struct PosteriorSlice {
    std::string param;
    bool categorical = false;         // x holds choice indices; see labels
    std::vector<std::string> labels;  // display names of the choices
    std::vector<double> x;            // the parameter's values along the slice
    // The posterior of the objective, in its own units: the median, and the
    // band of the GP's ±2 standard deviations. The GP models the losses as
    // the strategy does (`outputWarping`): through a warping the band is
    // lopsided and may be unbounded on one side (±inf), and the median is
    // not the mean; without one they are the mean and mean ± 2σ.
    std::vector<double> median;
    std::vector<double> lower;
    std::vector<double> upper;
    std::string outputWarping;        // e.g. "log(0.001)", "rank"; empty: none
    std::vector<double> acquisition;  // acquisition value (higher is more promising)
    std::string acquisitionName;
    // The trials the model observed in which the parameter is active:
    // complete ones, and pruned ones (at their last report; the model takes
    // them as the worst complete value, as the strategy does).
    std::vector<double> observedX;
    std::vector<double> observedY;
    std::vector<int> observedTrial;
    std::vector<bool> observedPruned;
    int incumbentTrial = -1;
};

// Fits (or reuses the hyperparameters the last `gp` suggestion stored) a GP on
// the complete trials and evaluates it along `param`. `strategy` is the study's
// strategy spec; any kind works (non-gp studies use Matern-5/2 and LogEI).
// nullopt when there are fewer than two complete trials, or `param` is not a
// float, int, categorical or nb201-cell parameter active in the incumbent. For
// a cell, `edge` (0..5) picks the coordinate: the slice is categorical over
// the five operations on that edge, the other edges held at the incumbent's.
// `through` names the incumbent (a complete trial's number; a constrained
// study's best feasible trial, say), else the best complete trial is; the
// acquisition improves on the incumbent's value. The acquisition sees the
// posterior variance times `acquisitionVarianceScale`, as the gp's next
// suggestion does over the last part of a budget (gpVarianceScale).
std::optional<PosteriorSlice> gpPosteriorSlice(const SearchSpace& space, const Json& strategy,
                                               Direction direction, std::span<const Trial> trials,
                                               const std::string& param, int points = 100,
                                               int edge = 0,
                                               std::optional<int> through = std::nullopt,
                                               double acquisitionVarianceScale = 1.0);

// How much each parameter matters to the GP fitted as for gpPosteriorSlice:
// the kernel's sensitivity to each coordinate of the unit-cube encoding
// (Kernel::featureSensitivities: s2 / (2 l^2), the weight of the
// coordinate's squared distance in the kernel, as the posterior mean changes
// faster across a coordinate with a short lengthscale; plus a categorical
// coordinate's scale in the additive term). A parameter's relevance is the
// sum over its coordinates (and, for an nb201 cell, its path features, see
// cellPathInputs), normalized to sum to 1 over the parameters. Cheap (one
// fit, often warm-started from the stored hyperparameters) but marginal in
// no sense: it measures smoothness, not variance explained, and correlated
// parameters share their relevance.
struct ParameterRelevance {
    std::vector<std::string> params;  // space order
    std::vector<double> relevance;    // normalized, sums to 1
    std::vector<double> lengthscale;  // shortest lengthscale among the parameter's coordinates
    int observations = 0;  // trials the GP was fitted on (pruned ones as bad as the worst)
    // Per coordinate of the encoding (SearchSpace::dimensions() order), the
    // same sensitivity as a share of the total: an nb201 cell's six edges apart
    // (without its path features, so these shares may sum to less than 1).
    std::vector<double> coordinateRelevance;
    std::vector<double> coordinateLengthscale;
};
std::optional<ParameterRelevance> gpParameterRelevance(const SearchSpace& space,
                                                       const Json& strategy, Direction direction,
                                                       std::span<const Trial> trials);

// One axis of a posterior grid: a float or int parameter, a categorical
// one, or one edge (0..5) of an nb201-cell parameter.
struct GridAxis {
    GridAxis(std::string name, int cellEdge = -1) : param(std::move(name)), edge(cellEdge) {}
    GridAxis(const char* name) : param(name) {}
    std::string param;
    int edge = -1;
};

// The GP posterior median over two parameters, every other parameter at the
// incumbent: what the studio's contour view draws (the mean when the GP
// models the losses unwarped, see PosteriorSlice). Along a numeric axis the
// cells are uniform in the unit-cube encoding, so they are uniform on the
// axis between `xLow` and `xHigh` (log-uniform when `xLog`); ints and
// stepped floats extend half a step past their ends so each level owns a
// band of cells. A categorical axis (a categorical parameter, a cell edge)
// has one cell per choice, at 0, 1, ..., named by `xLabels` (its extent is
// -0.5 to count - 0.5); observed trials sit at their choice's index.
struct PosteriorGrid {
    std::string paramX, paramY;
    int edgeX = -1, edgeY = -1;  // the cell edge an axis is, else -1
    int columns = 0, rows = 0;
    double xLow = 0, xHigh = 1, yLow = 0, yHigh = 1;
    bool xLog = false, yLog = false;
    std::vector<std::string> xLabels, yLabels;  // the choices of a categorical axis, else empty
    std::vector<double> median;  // row-major from the lowest y: median[row * columns + column]
    std::string outputWarping;   // as PosteriorSlice's
    std::vector<double> observedX, observedY, observedValue;  // complete trials with both active
    std::vector<int> observedTrial;
    int incumbentTrial = -1;
};
// nullopt when there are fewer than two complete trials, an axis names no
// parameter active in the incumbent (or a cell without a valid edge), or
// both axes are the same. Numeric axes get `resolution` cells, categorical
// ones one per choice. `through` names the incumbent as for
// gpPosteriorSlice.
std::optional<PosteriorGrid> gpPosteriorGrid(const SearchSpace& space, const Json& strategy,
                                             Direction direction, std::span<const Trial> trials,
                                             const GridAxis& x, const GridAxis& y,
                                             int resolution = 48,
                                             std::optional<int> through = std::nullopt);
// The same over the two axes `pick` chooses from the relevance of the fitted
// GP (gpParameterRelevance of that very fit), for a view that opens on the
// axes that matter most: one fit answers both. nullopt also when `pick`
// chooses none.
using GridAxisPick =
    std::function<std::optional<std::pair<GridAxis, GridAxis>>(const ParameterRelevance&)>;
std::optional<PosteriorGrid> gpPosteriorGrid(const SearchSpace& space, const Json& strategy,
                                             Direction direction, std::span<const Trial> trials,
                                             const GridAxisPick& pick, int resolution = 48,
                                             std::optional<int> through = std::nullopt);

}  // namespace bonsai

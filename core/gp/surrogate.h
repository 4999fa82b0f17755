#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "gp/gaussian_process.h"
#include "gp/input_kind.h"
#include "gp/scaling.h"
#include "model/trial.h"
#include "space/search_space.h"
#include "util/random.h"

// A study's trials as the data of a GP surrogate, and its fit: shared by the
// gp strategy and the studio's GP views (insight/), so both fit the same GP.
namespace bonsai {

// Ordinal coordinates with more levels than this are modelled and optimized as
// continuous and snapped to their bins: local search by one level would crawl.
constexpr std::int64_t kMaxOrdinalLevels = 64;

// The kernel's input kind of each coordinate of the space's encoding.
InputKinds inputKindsOf(const SearchSpace& space);

// The joint inputs (JointInputs) of the space's nb201-cell parameters: the
// operation sequence along each input-to-output path of two or more edges
// (a one-edge path is its edge's own input). Empty without such parameters.
JointInputs cellPathInputs(const SearchSpace& space);

// The kernel input map (Kernel::setInputMap) that moves every nb201-cell
// parameter of the space's points to the representative of its isomorphism
// class (Nb201Cell::functionalForm). Empty when the space has no cell.
Kernel::InputMap functionalCellMap(const SearchSpace& space);
// Whether the space has an nb201-cell parameter.
bool hasCells(const SearchSpace& space);

// How a surrogate sees nb201 cells that NAS-Bench-201 counts as the same
// architecture (Nb201Cell::isomorphismKey: they compute the same function).
// `Same`: as one input, so a loss observed at one cell is known at all of
// them (right for accuracy); `Distinct`: as different inputs (right for a
// latency, which an unused operation still costs); `Auto`: per GP, whichever
// explains the observed losses better (chooseIsomorphicCells).
enum class IsomorphicCells { Auto, Same, Distinct };

// What a surrogate's kernel is made of (the gp strategy's model settings).
struct SurrogateKernel {
    std::string name = "matern52";  // makeKernel's name
    // Path features of nb201-cell parameters (cellPathInputs); opt-in: on
    // NAS-Bench-201 they won on cifar100 and lost on imagenet16.
    bool cellPaths = false;
    // The additive term over categorical features (Kernel). The gp strategy
    // turns it on by default where the space has a cell or every input is
    // categorical: on NAS-Bench-201 (development seeds) it lowered the mean
    // regret at 50 and 100 queries on all three datasets and raised the
    // hypervolume at 50 queries on all four hardware-aware columns, and it
    // won beside a learning rate too (bench/NB201_LOG.md).
    bool additive = true;
    // Whether isomorphic cells are one input; by default chosen per GP by
    // evidence: accuracy is shared among them, a latency is not.
    IsomorphicCells cells = IsomorphicCells::Auto;
};

// The surrogate's kernel on the space's encoding, with isomorphic cells as
// one input (functionalCellMap) when `sameCells`.
std::unique_ptr<Kernel> makeSurrogateKernel(const SurrogateKernel& kernel, const SearchSpace& space,
                                            bool sameCells = false);

// Complete trials as GP data (X in the unit cube, y = loss), and the points
// of every trial, which the maximizer must not propose again.
struct SurrogateData {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    std::vector<const Trial*> observed;
    Eigen::MatrixXd pending;
    Eigen::MatrixXd taken;
};

// The encodings of `trials`, one row each.
Eigen::MatrixXd rowsOf(const SearchSpace& space, const std::vector<const Trial*>& trials);

// The loss a trial contributes to the model, nullopt for trials that are not
// complete with a usable value.
using LossOf = std::function<std::optional<double>(const Trial&)>;

SurrogateData gather(const SearchSpace& space, std::span<const Trial> trials, const LossOf& lossOf);
// The single objective's loss in `direction`.
SurrogateData gather(const SearchSpace& space, std::span<const Trial> trials, Direction direction);

// Adds each pruned trial of `trials` to `data` as an observation as bad as
// the worst one there (in the losses of one objective, of one of several,
// or of their scalarization): the model learns where trials get stopped.
// Left out, a pruned point looks as promising as before, and on a
// continuous space the next suggestion lands on it again, to be pruned
// again. Returns how many were added; none while `data` has no observation.
std::size_t addPrunedAsWorst(SurrogateData& data, const SearchSpace& space,
                             std::span<const Trial> trials);

// The fit the latest gp suggestion stored, so the next one starts there or
// keeps it (GpScaling): a warm start that a resumed study repeats exactly.
std::optional<GpFitState> storedTheta(std::span<const Trial> trials, Eigen::Index size,
                                      const std::string& key = "gp_theta");

// `gp` or, when the space has nb201 cells, the same GP with isomorphic cells
// as one input if that has the higher log marginal likelihood at gp's
// hyperparameters and on its data (an exact factorization, no refit). The
// evidence is decisive within a few dozen observations: on NAS-Bench-201
// accuracy favours `Same` by 10 nats and more, the eyeriss latency `Distinct`.
GaussianProcess chooseIsomorphicCells(GaussianProcess gp, const SearchSpace& space);

// A GP with kernel `kernel` (isomorphic cells as kernel.cells says) on
// `data`, started from (or keeping) the fit stored under `thetaKey`; `fit`
// receives the scaled fit when given.
GaussianProcess fitSurrogate(const SurrogateKernel& kernel, const SearchSpace& space,
                             const SurrogateData& data, std::span<const Trial> trials, Rng* rng,
                             GpScaledFit* fit = nullptr, const std::string& thetaKey = "gp_theta");

}  // namespace bonsai

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

// The surrogate's kernel `kernel` on the space's encoding, with the cells'
// path features (cellPathInputs) when `cellPaths`.
std::unique_ptr<Kernel> makeSurrogateKernel(const std::string& kernel, const SearchSpace& space,
                                            bool cellPaths);

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

// The fit the latest gp suggestion stored, so the next one starts there or
// keeps it (GpScaling): a warm start that a resumed study repeats exactly.
std::optional<GpFitState> storedTheta(std::span<const Trial> trials, Eigen::Index size,
                                      const std::string& key = "gp_theta");

// A GP with kernel `kernel` (and the cells' path features when `cellPaths`)
// on `data`, started from (or keeping) the fit stored under `thetaKey`; `fit`
// receives the scaled fit when given.
GaussianProcess fitSurrogate(const std::string& kernel, bool cellPaths, const SearchSpace& space,
                             const SurrogateData& data, std::span<const Trial> trials, Rng* rng,
                             GpScaledFit* fit = nullptr, const std::string& thetaKey = "gp_theta");

}  // namespace bonsai

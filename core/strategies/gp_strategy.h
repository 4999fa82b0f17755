#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "acquisition/acquisition.h"
#include "gp/surrogate.h"
#include "model/trial.h"
#include "space/search_space.h"
#include "util/json_reader.h"

namespace bonsai {

// The model the gp strategy fits for a study's `strategy` spec (the
// defaults for any other kind): its kernel, and the acquisition (with its
// options) of a single objective. The studio's GP views (insight/) fit the
// same model.
struct GpModelChoice {
    SurrogateKernel surrogate;
    std::string acquisition;
    AcquisitionOptions options;
    // What the GP of one objective models: its losses as they are, the
    // output warping of highest evidence (while gpChoosesOutputWarping), or
    // the normal scores of their ranks (`output_warping` none, auto, rank).
    enum class Outputs { Losses, Warped, Ranks };
    Outputs outputs = Outputs::Warped;
    // `exploit_last` of a single-objective study (gpVarianceScale).
    double exploitLast = 0;
};
GpModelChoice gpModelChoice(const Json& strategy, const SearchSpace& space);

// Whether a fit on `observed` losses chooses an output warping: it is
// chosen by a full fit, so only while every suggestion refits exactly
// anyway; long studies keep the scheduled subset fit (GpScaling).
bool gpChoosesOutputWarping(std::size_t observed);

// The default `initial_trials`: one Sobol point more than a model of the
// inputs' main effects has free parameters (one per continuous or ordinal
// coordinate, levels - 1 per categorical one, so an nb201 cell's six 5-way
// edges count 24), at least 5 and at most kMaxDefaultInitialTrials; with a
// trial budget, at most a quarter of it (but 5), so short studies still get
// model-based suggestions. Multi-objective studies count one per coordinate
// (max(5, d + 1)): there EHVI's turns around the whole front explore, and
// the longer design lost hypervolume on NAS-Bench-201 (README, Benchmarks).
inline constexpr int kMaxDefaultInitialTrials = 25;
int gpDefaultInitialTrials(const SearchSpace& space,
                           std::optional<std::int64_t> budgetTrials = std::nullopt,
                           bool multiObjective = false);
// The initial design of a study's `strategy` spec: its `initial_trials` if a
// gp spec gives it, else gpDefaultInitialTrials.
int gpInitialTrials(const Json& strategy, const SearchSpace& space,
                    std::optional<std::int64_t> budgetTrials = std::nullopt,
                    bool multiObjective = false);

// The factor on the posterior variance that the acquisition sees when
// `trialsSoFar` trials of a `budgetTrials` budget exist: 1 until the last
// `exploitLast` fraction of the budget, then falling linearly with the
// trials left (trials left / (exploitLast * budget)), never below
// kMinVarianceScale. The last suggestions then take likely gains over
// uncertain ones: a study is judged by what it found, and what the last
// trials would have taught the model is never used. 1 without a budget or
// with exploitLast 0.
inline constexpr double kMinVarianceScale = 0.05;
double gpVarianceScale(std::optional<std::int64_t> budgetTrials, std::size_t trialsSoFar,
                       double exploitLast);

}  // namespace bonsai

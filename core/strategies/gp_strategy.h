#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "space/search_space.h"
#include "study/trial.h"
#include "util/json_reader.h"

namespace bonsai {

// The GP posterior and the acquisition along one parameter, through the
// incumbent (the best complete trial), in the study's own units and sense:
// what the studio's posterior plot draws after every trial.
struct PosteriorSlice {
    std::string param;
    bool categorical = false;         // x holds choice indices; see labels
    std::vector<std::string> labels;  // display names of the choices
    std::vector<double> x;            // the parameter's values along the slice
    std::vector<double> mean;         // posterior mean of the objective
    std::vector<double> stddev;       // posterior standard deviation
    std::vector<double> acquisition;  // acquisition value (higher is more promising)
    std::string acquisitionName;
    std::vector<double> observedX;  // complete trials in which the parameter is active
    std::vector<double> observedY;
    std::vector<int> observedTrial;
    int incumbentTrial = -1;
};

// Fits (or reuses the hyperparameters the last `gp` suggestion stored) a GP on
// the complete trials and evaluates it along `param`. `strategy` is the study's
// strategy spec; any kind works (non-gp studies use Matern-5/2 and LogEI).
// nullopt when there are fewer than two complete trials, or `param` is not a
// float, int or categorical parameter active in the incumbent.
std::optional<PosteriorSlice> gpPosteriorSlice(const SearchSpace& space, const Json& strategy,
                                               Direction direction, std::span<const Trial> trials,
                                               const std::string& param, int points = 100);

}  // namespace bonsai

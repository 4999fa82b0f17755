#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "acquisition/acquisition.h"
#include "model/trial.h"
#include "space/search_space.h"
#include "util/json_reader.h"

namespace bonsai {

// The model the gp strategy fits for a study's `strategy` spec (the
// defaults for any other kind): its kernel, and the acquisition (with its
// options) of a single objective. The studio's GP views (insight/) fit the
// same model.
struct GpModelChoice {
    std::string kernel;
    bool cellPaths = false;  // the cells' path features (cellPathInputs)
    std::string acquisition;
    AcquisitionOptions options;
};
GpModelChoice gpModelChoice(const Json& strategy, const SearchSpace& space);

}  // namespace bonsai

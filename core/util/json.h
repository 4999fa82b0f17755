#pragma once

#include <nlohmann/json.hpp>

namespace bonsai {

// The one JSON type of the project: specs, trial attributes, protocol lines.
using Json = nlohmann::json;

}  // namespace bonsai

#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "util/json.h"

namespace bonsai {

// One parameter's value in a trial. Floats are double, ints int64, categorical
// choices keep their JSON type (string, number or boolean), and an nb201-cell
// is its benchmark string.
using ParamValue = std::variant<bool, std::int64_t, double, std::string>;

// A trial's parameters by name; inactive (conditional) parameters are absent.
using ParamMap = std::map<std::string, ParamValue>;

Json toJson(const ParamValue& value);
Json toJson(const ParamMap& params);
// Throws SpecError(path, ...) for null, arrays and objects.
ParamValue paramValueFromJson(const Json& value, const std::string& path);
ParamMap paramMapFromJson(const Json& object, const std::string& path);

// Human-readable, e.g. 0.001, 32, "relu" -> relu, true.
std::string toDisplayString(const ParamValue& value);

// The parameters in `order` first, in that order (a spec's space order, say),
// then any others by name. Entries point into `params`.
std::vector<std::pair<std::string, const ParamValue*>> inDisplayOrder(
    const ParamMap& params, std::span<const std::string> order);

// Equality across numeric types: 3 (int) equals 3.0 (double); strings and
// booleans compare exactly. Used by conditions and choice lookup.
bool sameValue(const ParamValue& a, const ParamValue& b);

// Numeric view of int/double values; nullopt for strings and booleans.
std::optional<double> numericValue(const ParamValue& value);

}  // namespace bonsai

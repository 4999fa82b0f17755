#include "space/param_value.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "util/json_reader.h"
#include "util/spec_error.h"

namespace bonsai {

namespace {

// Doubles in [-2^63, 2^63) convert to int64 without overflow.
constexpr double kInt64Limit = 9223372036854775808.0;

}  // namespace

Json toJson(const ParamValue& value) {
    return std::visit([](const auto& v) { return Json(v); }, value);
}

Json toJson(const ParamMap& params) {
    Json object = Json::object();
    for (const auto& [name, value] : params)
        object[name] = toJson(value);
    return object;
}

ParamValue paramValueFromJson(const Json& value, const std::string& path) {
    if (value.is_boolean())
        return value.get<bool>();
    if (value.is_number_unsigned()) {
        auto number = value.get<std::uint64_t>();
        if (number > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            throw SpecError(path,
                            "is too large for a 64-bit integer (got " + describeJson(value) + ")");
        return static_cast<std::int64_t>(number);
    }
    if (value.is_number_integer())
        return value.get<std::int64_t>();
    if (value.is_number_float()) {
        double number = value.get<double>();
        // Parsed JSON cannot hold NaN or infinity, but a Json built in code can.
        if (!std::isfinite(number))
            throw SpecError(path, "must be a finite number");
        return number;
    }
    if (value.is_string())
        return value.get<std::string>();
    const char* kind = value.is_null() ? "null" : value.is_array() ? "an array" : "an object";
    throw SpecError(path, std::string("must be a string, number or boolean (got ") + kind + ")");
}

ParamMap paramMapFromJson(const Json& object, const std::string& path) {
    JsonReader reader(object, path);  // rejects non-objects with the path
    ParamMap params;
    for (const auto& [name, value] : object.items())
        params.emplace(name, paramValueFromJson(value, reader.fieldPath(name)));
    return params;
}

std::string toDisplayString(const ParamValue& value) {
    if (const auto* b = std::get_if<bool>(&value))
        return *b ? "true" : "false";
    if (const auto* i = std::get_if<std::int64_t>(&value))
        return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&value)) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.6g", *d);
        return buffer;
    }
    return std::get<std::string>(value);
}

std::optional<double> numericValue(const ParamValue& value) {
    if (const auto* i = std::get_if<std::int64_t>(&value))
        return static_cast<double>(*i);
    if (const auto* d = std::get_if<double>(&value))
        return *d;
    return std::nullopt;
}

std::vector<std::pair<std::string, const ParamValue*>> inDisplayOrder(
    const ParamMap& params, std::span<const std::string> order) {
    std::vector<std::pair<std::string, const ParamValue*>> ordered;
    for (const std::string& name : order)
        if (auto it = params.find(name); it != params.end())
            ordered.emplace_back(name, &it->second);
    for (const auto& [name, value] : params)
        if (std::find(order.begin(), order.end(), name) == order.end())
            ordered.emplace_back(name, &value);
    return ordered;
}

bool sameValue(const ParamValue& a, const ParamValue& b) {
    const auto* ai = std::get_if<std::int64_t>(&a);
    const auto* bi = std::get_if<std::int64_t>(&b);
    const auto* ad = std::get_if<double>(&a);
    const auto* bd = std::get_if<double>(&b);
    if (ai && bi)
        return *ai == *bi;
    if (ad && bd)
        return *ad == *bd;
    // int vs double: compare in the integers so 2^53 + 1 never equals 2^53.
    if ((ai && bd) || (ad && bi)) {
        std::int64_t i = ai ? *ai : *bi;
        double d = ad ? *ad : *bd;
        if (!(d >= -kInt64Limit && d < kInt64Limit) || d != std::floor(d))
            return false;
        return static_cast<std::int64_t>(d) == i;
    }
    return a == b;  // same alternative (bool or string), or different kinds
}

}  // namespace bonsai

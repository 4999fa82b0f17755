#include "space/search_space.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include "space/nb201_cell.h"
#include "space/space_rules.h"
#include "util/json_reader.h"
#include "util/spec_error.h"

// The "space" array of a spec: parsed and validated with exact error paths,
// and written back. The unit-cube encoding is in search_space.cpp.
namespace bonsai {

namespace {

using namespace space_rules;

// Int bounds stay far inside the doubles' exact integers, and a log-int bin near
// the top of the range stays hundreds of ulps wide in the unit cube.
constexpr std::int64_t kMaxIntBound = std::int64_t{1} << 40;
// Ordinal bins narrower than this cannot be told apart by (k + 0.5) / levels.
constexpr double kMaxLevels = 1125899906842624.0;  // 2^50
// Sane sizes: far beyond real searches, small enough that validating,
// encoding and passing a trial's parameters to a command stay cheap.
constexpr std::size_t kMaxChoices = 10000;
constexpr std::size_t kMaxParams = 1000;

const std::vector<std::string> kTypeNames{"float", "int", "categorical", "nb201-cell"};
const std::vector<std::string> kTypedKeys{"low", "high", "log", "step", "choices"};

std::string indexed(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

const char* withArticle(ParamType type) {
    switch (type) {
        case ParamType::Float:
            return "a float";
        case ParamType::Int:
            return "an int";
        case ParamType::Categorical:
            return "a categorical";
        case ParamType::Nb201Cell:
            return "an nb201-cell";
    }
    return "a";
}

bool keyApplies(ParamType type, const std::string& key) {
    switch (type) {
        case ParamType::Float:
        case ParamType::Int:
            return key != "choices";
        case ParamType::Categorical:
            return key == "choices";
        case ParamType::Nb201Cell:
            return false;
    }
    return false;
}

ParamType parseType(JsonReader& reader) {
    std::string type = reader.requireString("type");
    for (std::size_t i = 0; i < kTypeNames.size(); ++i)
        if (type == kTypeNames[i])
            return static_cast<ParamType>(i);
    std::string message = "unknown type '" + abbreviate(type) + "'";
    std::string suggestion = closestMatch(type, kTypeNames);
    if (!suggestion.empty())
        message += "; did you mean '" + suggestion + "'?";
    reader.fail("type", message + " (known: " + joinNames(kTypeNames) + ")");
}

void checkRangeOrder(JsonReader& reader, const ParamSpec& spec) {
    if (!(spec.low < spec.high))
        reader.fail("high", "must be greater than low = " + formatNumber(spec.low) + " (got " +
                                formatNumber(spec.high) + ")");
}

void checkStepDividesRange(JsonReader& reader, double range, double step) {
    double ratio = range / step;
    if (ratio > kMaxLevels)
        reader.fail("step", "splits (high - low) = " + formatNumber(range) +
                                " into more than 2^50 values; pick a larger step or drop it");
    double whole = std::round(ratio);
    if (whole < 1.0 || std::fabs(ratio - whole) > kStepTolerance * ratio)
        reader.fail("step", "(high - low) = " + formatNumber(range) +
                                " is not a multiple of step " + formatNumber(step) +
                                "; pick a step that divides it");
}

void parseFloat(JsonReader& reader, ParamSpec& spec) {
    spec.low = reader.requireNumber("low");
    spec.high = reader.requireNumber("high");
    spec.log = reader.boolOr("log", false);
    spec.step = reader.optionalNumber("step");
    checkRangeOrder(reader, spec);
    if (!std::isfinite(spec.high - spec.low))
        reader.fail("high", "is too far from low: high - low overflows a double");
    if (spec.log && spec.low <= 0)
        reader.fail("low", "must be > 0 when log is true (got " + formatNumber(spec.low) + ")");
    if (spec.step) {
        if (*spec.step <= 0)
            reader.fail("step", "must be > 0 (got " + formatNumber(*spec.step) + ")");
        if (spec.log)
            reader.fail("step",
                        "cannot be combined with log on a float; drop step or set log to false");
        checkStepDividesRange(reader, spec.high - spec.low, *spec.step);
    }
}

void parseInt(JsonReader& reader, ParamSpec& spec) {
    std::int64_t low = reader.requireInteger("low");
    std::int64_t high = reader.requireInteger("high");
    for (auto [key, value] : {std::pair{"low", low}, std::pair{"high", high}})
        if (value < -kMaxIntBound || value > kMaxIntBound)
            reader.fail(key, "must be within +-2^40 = " + std::to_string(kMaxIntBound) + " (got " +
                                 std::to_string(value) + "); use a float for wider ranges");
    spec.low = static_cast<double>(low);
    spec.high = static_cast<double>(high);
    spec.log = reader.boolOr("log", false);
    std::optional<std::int64_t> step = reader.optionalInteger("step");
    checkRangeOrder(reader, spec);
    if (spec.log && low < 1)
        reader.fail("low",
                    "must be >= 1 when log is true for an int, so every value gets a bin "
                    "on the log scale (got " +
                        std::to_string(low) + ")");
    if (step) {
        if (*step <= 0)
            reader.fail("step", "must be > 0 (got " + std::to_string(*step) + ")");
        if (spec.log && *step != 1)
            reader.fail("step",
                        "cannot be combined with log on an int (only step 1); drop step "
                        "or set log to false");
        if ((high - low) % *step != 0)
            reader.fail("step", "(high - low) = " + std::to_string(high - low) +
                                    " is not a multiple of step " + std::to_string(*step) +
                                    "; pick a step that divides it");
    }
    spec.step = static_cast<double>(step.value_or(1));
}

// A key equal for exactly the values sameValue() calls equal (1 and 1.0 are
// one choice), so duplicates are found in one pass.
std::string choiceKey(const ParamValue& value) {
    if (const auto* d = std::get_if<double>(&value)) {
        if (*d >= -9223372036854775808.0 && *d < 9223372036854775808.0 && *d == std::floor(*d))
            return "n" + std::to_string(static_cast<std::int64_t>(*d));
        char text[40];
        std::snprintf(text, sizeof text, "d%.17g", *d);
        return text;
    }
    if (const auto* i = std::get_if<std::int64_t>(&value))
        return "n" + std::to_string(*i);
    if (const auto* b = std::get_if<bool>(&value))
        return *b ? "b1" : "b0";
    return "s" + std::get<std::string>(value);
}

void parseCategorical(JsonReader& reader, ParamSpec& spec) {
    const Json& choices = reader.requireArray("choices");
    std::string path = reader.fieldPath("choices");
    if (choices.empty())
        reader.fail("choices", "must list at least one choice");
    if (choices.size() > kMaxChoices)
        reader.fail("choices", "lists " + std::to_string(choices.size()) + " choices, more than " +
                                   std::to_string(kMaxChoices) +
                                   " per parameter; use an int parameter to index a longer list");
    std::unordered_map<std::string, std::size_t> seen;
    seen.reserve(choices.size());
    for (std::size_t j = 0; j < choices.size(); ++j) {
        ParamValue choice = paramValueFromJson(choices[j], indexed(path, j));
        auto [it, added] = seen.emplace(choiceKey(choice), j);
        if (!added)
            throw SpecError(indexed(path, j), "duplicate choice " + describe(choice) + " (also " +
                                                  indexed("choices", it->second) + ")");
        spec.choices.push_back(std::move(choice));
    }
}

// `declared` maps every name in the array to its first index, so a condition on
// a parameter defined later can be told apart from a typo.
Condition parseCondition(JsonReader& when, const std::string& ownName,
                         const std::map<std::string, std::size_t>& declared,
                         const std::vector<ParamSpec>& earlier, const std::string& arrayPath) {
    when.know({"param", "equals", "in"});
    when.finish();
    Condition condition;
    condition.param = when.requireString("param");
    if (condition.param == ownName)
        when.fail("param", "a parameter cannot depend on itself");
    const ParamSpec* target = nullptr;
    for (const auto& spec : earlier)
        if (spec.name == condition.param)
            target = &spec;
    if (!target) {
        auto later = declared.find(condition.param);
        if (later != declared.end())
            when.fail("param", "'" + abbreviate(condition.param) + "' is defined later (" +
                                   indexed(arrayPath, later->second) +
                                   "); a condition must refer to a parameter defined before it");
        std::vector<std::string> names;
        for (const auto& spec : earlier)
            names.push_back(abbreviate(spec.name));
        std::string message = "unknown parameter '" + abbreviate(condition.param) + "'";
        std::string suggestion = closestMatch(condition.param, names);
        if (!suggestion.empty())
            message += "; did you mean '" + suggestion + "'?";
        else if (!names.empty())
            message += " (parameters before it: " + joinNames(names) + ")";
        when.fail("param", message);
    }

    const Json* equals = when.optionalValue("equals");
    const Json* in = when.optionalValue("in");
    if ((equals != nullptr) == (in != nullptr))
        when.fail("", std::string("needs exactly one of 'equals' or 'in'") +
                          (equals ? " (got both)" : ""));
    std::vector<std::pair<const Json*, std::string>> values;
    if (equals) {
        values.emplace_back(equals, when.fieldPath("equals"));
    } else {
        if (!in->is_array())
            when.fail("in", "must be an array of values (got " + describeJson(*in) + ")");
        if (in->empty())
            when.fail("in", "must list at least one value");
        for (std::size_t k = 0; k < in->size(); ++k)
            values.emplace_back(&(*in)[k], indexed(when.fieldPath("in"), k));
    }
    for (const auto& [json, path] : values) {
        ParamValue value = paramValueFromJson(*json, path);
        std::string reason = illegalReason(*target, value);
        if (!reason.empty())
            throw SpecError(path, "never matches: '" + abbreviate(target->name) + "' " + reason);
        condition.values.push_back(std::move(value));
    }
    return condition;
}

ParamSpec parseParam(const Json& entry, const std::string& path,
                     const std::map<std::string, std::size_t>& declared,
                     const std::vector<ParamSpec>& earlier, const std::string& arrayPath) {
    JsonReader reader(entry, path);
    // Unknown keys first: a typo like "hihg" deserves a did-you-mean, not "high is required".
    reader.know({"name", "type", "low", "high", "log", "step", "choices", "when"});
    reader.finish();

    ParamSpec spec;
    spec.name = reader.requireString("name");
    if (spec.name.empty())
        reader.fail("name", "must not be empty");
    for (std::size_t k = 0; k < earlier.size(); ++k)
        if (earlier[k].name == spec.name)
            reader.fail("name", "duplicate name '" + abbreviate(spec.name) + "' (also " +
                                    indexed(arrayPath, k) + ")");

    spec.type = parseType(reader);
    for (const auto& key : kTypedKeys)
        if (reader.has(key) && !keyApplies(spec.type, key))
            reader.fail(key,
                        std::string("does not apply to ") + withArticle(spec.type) + " parameter");

    switch (spec.type) {
        case ParamType::Float:
            parseFloat(reader, spec);
            break;
        case ParamType::Int:
            parseInt(reader, spec);
            break;
        case ParamType::Categorical:
            parseCategorical(reader, spec);
            break;
        case ParamType::Nb201Cell:
            break;
    }

    if (auto when = reader.optionalObject("when"))
        spec.when = parseCondition(*when, spec.name, declared, earlier, arrayPath);
    return spec;
}

}  // namespace

const char* paramTypeName(ParamType type) {
    return kTypeNames[static_cast<std::size_t>(type)].c_str();
}

SearchSpace SearchSpace::fromJson(const Json& space, const std::string& path) {
    if (!space.is_array())
        throw SpecError(path, "must be an array of parameters (got " + describeJson(space) + ")");
    if (space.empty())
        throw SpecError(path,
                        "must hold at least one parameter, e.g. "
                        "[{\"name\": \"x\", \"type\": \"float\", \"low\": 0, \"high\": 1}]");

    if (space.size() > kMaxParams)
        throw SpecError(path, "holds " + std::to_string(space.size()) +
                                  " parameters, more than the " + std::to_string(kMaxParams) +
                                  " a study supports; group related values into fewer parameters");

    std::map<std::string, std::size_t> declared;
    for (std::size_t i = 0; i < space.size(); ++i) {
        const Json& entry = space[i];
        if (entry.is_object()) {
            auto name = entry.find("name");
            if (name != entry.end() && name->is_string())
                declared.emplace(name->get<std::string>(), i);
        }
    }

    SearchSpace result;
    for (std::size_t i = 0; i < space.size(); ++i)
        result.m_params.push_back(
            parseParam(space[i], indexed(path, i), declared, result.m_params, path));

    result.layOutDimensions();
    return result;
}

Json SearchSpace::toJson() const {
    Json out = Json::array();
    for (const auto& spec : m_params) {
        Json entry{{"name", spec.name}, {"type", paramTypeName(spec.type)}};
        if (spec.type == ParamType::Float) {
            entry["low"] = spec.low;
            entry["high"] = spec.high;
            if (spec.log)
                entry["log"] = true;
            if (spec.step)
                entry["step"] = *spec.step;
        } else if (spec.type == ParamType::Int) {
            entry["low"] = static_cast<std::int64_t>(spec.low);
            entry["high"] = static_cast<std::int64_t>(spec.high);
            if (spec.log)
                entry["log"] = true;
            if (stepOf(spec) != 1.0)
                entry["step"] = static_cast<std::int64_t>(stepOf(spec));
        } else if (spec.type == ParamType::Categorical) {
            Json choices = Json::array();
            for (const auto& choice : spec.choices)
                choices.push_back(bonsai::toJson(choice));
            entry["choices"] = std::move(choices);
        }
        if (spec.when) {
            Json when{{"param", spec.when->param}};
            if (spec.when->values.size() == 1) {
                when["equals"] = bonsai::toJson(spec.when->values.front());
            } else {
                Json values = Json::array();
                for (const auto& value : spec.when->values)
                    values.push_back(bonsai::toJson(value));
                when["in"] = std::move(values);
            }
            entry["when"] = std::move(when);
        }
        out.push_back(std::move(entry));
    }
    return out;
}

}  // namespace bonsai

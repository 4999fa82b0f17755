#include "util/json_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace bonsai {

namespace {

std::size_t editDistance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitution});
            diagonal = above;
        }
    }
    return row[b.size()];
}

const char* typeName(const Json& value) {
    if (value.is_null())
        return "null";
    if (value.is_boolean())
        return "a boolean";
    if (value.is_number())
        return "a number";
    if (value.is_string())
        return "a string";
    if (value.is_array())
        return "an array";
    return "an object";
}

}  // namespace

std::string closestMatch(const std::string& word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t bestDistance = std::numeric_limits<std::size_t>::max();
    for (const auto& candidate : candidates) {
        std::size_t d = editDistance(word, candidate);
        if (d < bestDistance) {
            bestDistance = d;
            best = candidate;
        }
    }
    // Suggest only when at most a third of the word differs (typos, not
    // guesses), and never a word that shares no letter in place ('x1' is no
    // typo of 'lr').
    if (best.empty() || bestDistance > std::max<std::size_t>(2, word.size() / 3) ||
        bestDistance >= word.size())
        return "";
    return best;
}

std::string joinNames(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i)
            out += ", ";
        out += names[i];
    }
    return out;
}

std::string abbreviate(const std::string& text, std::size_t limit) {
    if (text.size() <= limit)
        return text;
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80)
        --cut;
    return text.substr(0, cut) + "...";
}

std::string describeJson(const Json& value) {
    if (value.is_number_float()) {
        char text[32];
        std::snprintf(text, sizeof text, "%.10g", value.get<double>());
        return text;
    }
    return abbreviate(value.dump(-1, ' ', false, Json::error_handler_t::replace), 57);
}

JsonReader::JsonReader(const Json& value, std::string path)
    : m_value(value), m_path(std::move(path)) {
    if (!value.is_object())
        throw SpecError(m_path, std::string("must be a JSON object (got ") + typeName(value) + ")");
}

std::string JsonReader::fieldPath(const std::string& key) const {
    return m_path.empty() ? key : m_path + "." + key;
}

bool JsonReader::has(const std::string& key) const {
    return m_value.contains(key);
}

void JsonReader::know(std::initializer_list<const char*> keys) {
    for (const char* key : keys)
        m_known.insert(key);
}

void JsonReader::know(const std::string& key) {
    m_known.insert(key);
}

void JsonReader::fail(const std::string& key, const std::string& message) const {
    throw SpecError(key.empty() ? m_path : fieldPath(key), message);
}

void JsonReader::failUnknownName(const std::string& key, const std::string& what,
                                 const std::string& name,
                                 const std::vector<std::string>& known) const {
    std::string message = "unknown " + what + " '" + abbreviate(name) + "'";
    std::string suggestion = closestMatch(name, known);
    if (!suggestion.empty())
        message += "; did you mean '" + suggestion + "'?";
    fail(key, message + " (known: " + joinNames(known) + ")");
}

const Json* JsonReader::optionalValue(const std::string& key) {
    m_known.insert(key);
    auto it = m_value.find(key);
    if (it == m_value.end())
        return nullptr;
    return &*it;
}

const Json& JsonReader::requireValue(const std::string& key) {
    const Json* value = optionalValue(key);
    if (!value)
        fail(key, "is required");
    return *value;
}

std::optional<std::string> JsonReader::optionalString(const std::string& key) {
    const Json* value = optionalValue(key);
    if (!value)
        return std::nullopt;
    if (!value->is_string())
        fail(key, std::string("must be a string (got ") + typeName(*value) + ")");
    return value->get<std::string>();
}

std::string JsonReader::requireString(const std::string& key) {
    auto value = optionalString(key);
    if (!value)
        fail(key, "is required");
    return *value;
}

std::string JsonReader::stringOr(const std::string& key, const std::string& fallback) {
    return optionalString(key).value_or(fallback);
}

std::optional<double> JsonReader::optionalNumber(const std::string& key) {
    const Json* value = optionalValue(key);
    if (!value)
        return std::nullopt;
    if (!value->is_number())
        fail(key, std::string("must be a number (got ") + typeName(*value) + ")");
    double number = value->get<double>();
    if (!std::isfinite(number))
        fail(key, "must be a finite number");
    return number;
}

double JsonReader::requireNumber(const std::string& key) {
    auto value = optionalNumber(key);
    if (!value)
        fail(key, "is required");
    return *value;
}

double JsonReader::numberOr(const std::string& key, double fallback) {
    return optionalNumber(key).value_or(fallback);
}

std::optional<std::int64_t> JsonReader::optionalInteger(const std::string& key) {
    const Json* value = optionalValue(key);
    if (!value)
        return std::nullopt;
    if (value->is_number_integer()) {
        if (value->is_number_unsigned() &&
            value->get<std::uint64_t>() >
                static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            fail(key, "is too large");
        return value->get<std::int64_t>();
    }
    if (value->is_number_float()) {
        double number = value->get<double>();
        if (std::isfinite(number) && number == std::floor(number) && std::fabs(number) < 9.0e15)
            return static_cast<std::int64_t>(number);
        fail(key, "must be a whole number (got " + describeJson(*value) + ")");
    }
    fail(key, std::string("must be a whole number (got ") + typeName(*value) + ")");
}

std::int64_t JsonReader::requireInteger(const std::string& key) {
    auto value = optionalInteger(key);
    if (!value)
        fail(key, "is required");
    return *value;
}

std::int64_t JsonReader::integerOr(const std::string& key, std::int64_t fallback) {
    return optionalInteger(key).value_or(fallback);
}

bool JsonReader::boolOr(const std::string& key, bool fallback) {
    const Json* value = optionalValue(key);
    if (!value)
        return fallback;
    if (!value->is_boolean())
        fail(key, std::string("must be true or false (got ") + typeName(*value) + ")");
    return value->get<bool>();
}

JsonReader JsonReader::requireObject(const std::string& key) {
    return JsonReader(requireValue(key), fieldPath(key));
}

std::optional<JsonReader> JsonReader::optionalObject(const std::string& key) {
    const Json* value = optionalValue(key);
    if (!value)
        return std::nullopt;
    return JsonReader(*value, fieldPath(key));
}

const Json& JsonReader::requireArray(const std::string& key) {
    const Json& value = requireValue(key);
    if (!value.is_array())
        fail(key, std::string("must be an array (got ") + typeName(value) + ")");
    return value;
}

void JsonReader::finish() const {
    for (const auto& [key, value] : m_value.items()) {
        if (m_known.count(key))
            continue;
        std::vector<std::string> known(m_known.begin(), m_known.end());
        std::string suggestion = closestMatch(key, known);
        std::string message = "unknown key";
        if (!suggestion.empty())
            message += "; did you mean '" + suggestion + "'?";
        else if (!known.empty())
            message += " (known keys: " + joinNames(known) + ")";
        fail(key, message);
    }
}

}  // namespace bonsai

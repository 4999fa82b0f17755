#include "util/setting.h"

#include <cmath>
#include <stdexcept>

namespace bonsai {

namespace {

std::string bound(double value) {
    return describeJson(Json(value));
}

}  // namespace

SettingSpec SettingSpec::integer(std::string key, std::optional<std::int64_t> fallback) {
    SettingSpec out;
    out.key = std::move(key);
    out.type = Type::Integer;
    if (fallback)
        out.defaultValue = *fallback;
    return out;
}

SettingSpec SettingSpec::number(std::string key, std::optional<double> fallback) {
    SettingSpec out;
    out.key = std::move(key);
    out.type = Type::Number;
    if (fallback)
        out.defaultValue = *fallback;
    return out;
}

SettingSpec SettingSpec::flag(std::string key, bool fallback) {
    SettingSpec out;
    out.key = std::move(key);
    out.type = Type::Bool;
    out.defaultValue = fallback;
    return out;
}

SettingSpec SettingSpec::choice(std::string key, std::vector<std::string> choices,
                                std::string fallback) {
    SettingSpec out;
    out.key = std::move(key);
    out.type = Type::Choice;
    out.choices = std::move(choices);
    out.defaultValue = std::move(fallback);
    return out;
}

SettingSpec& SettingSpec::atLeast(double low, bool exclusive) {
    min = low;
    minExclusive = exclusive;
    return *this;
}

SettingSpec& SettingSpec::atMost(double high, bool exclusive) {
    max = high;
    maxExclusive = exclusive;
    return *this;
}

SettingSpec& SettingSpec::between(double low, double high, bool exclusive) {
    atLeast(low, exclusive);
    return atMost(high, exclusive);
}

SettingSpec& SettingSpec::labelled(std::string text) {
    label = std::move(text);
    return *this;
}

SettingSpec& SettingSpec::documented(std::string text) {
    doc = std::move(text);
    return *this;
}

SettingSpec& SettingSpec::defaultShownAs(std::string text) {
    defaultText = std::move(text);
    return *this;
}

SettingSpec& SettingSpec::errorsAs(std::string nounText, std::string hintText) {
    noun = std::move(nounText);
    hint = std::move(hintText);
    return *this;
}

std::string SettingSpec::typeName() const {
    switch (type) {
        case Type::Integer:
            return "int";
        case Type::Number:
            return "number";
        case Type::Bool:
            return "bool";
        case Type::Choice:
            return "choice";
    }
    return "";
}

std::string SettingSpec::defaultDisplay() const {
    if (!defaultText.empty())
        return defaultText;
    if (defaultValue.is_string())
        return defaultValue.get<std::string>();
    if (defaultValue.is_number_float())
        return describeJson(defaultValue);
    return defaultValue.is_null() ? std::string() : defaultValue.dump();
}

std::string SettingSpec::rangeDisplay(bool markdown) const {
    if (type == Type::Choice) {
        std::string out;
        for (const std::string& c : choices)
            out += (out.empty() ? "" : markdown ? " \\| " : " | ") + (markdown ? "`" + c + "`" : c);
        return out;
    }
    if (min && max) {
        if (minExclusive == maxExclusive)
            return bound(*min) + "–" + bound(*max) + (minExclusive ? ", exclusive" : "");
        return std::string(minExclusive ? "> " : "≥ ") + bound(*min) +
               (maxExclusive ? ", < " : ", ≤ ") + bound(*max);
    }
    if (min)
        return std::string(minExclusive ? "> " : "≥ ") + bound(*min);
    if (max)
        return std::string(maxExclusive ? "< " : "≤ ") + bound(*max);
    return "";
}

bool SettingSpec::inRange(double value) const {
    if (std::isnan(value) || !std::isfinite(value))
        return false;
    if (min && (minExclusive ? !(value > *min) : !(value >= *min)))
        return false;
    if (max && (maxExclusive ? !(value < *max) : !(value <= *max)))
        return false;
    return true;
}

std::string SettingSpec::rangeError(const std::string& got) const {
    std::string range;
    if (min && max && minExclusive == maxExclusive)
        range =
            "between " + bound(*min) + " and " + bound(*max) + (minExclusive ? ", exclusive" : "");
    else {
        if (min)
            range = (minExclusive ? "> " : "at least ") + bound(*min);
        if (max)
            range += (range.empty() ? "" : " and ") +
                     std::string(maxExclusive ? "< " : "at most ") + bound(*max);
    }
    if (range.empty())
        range = "a finite number";
    return "must be " + (noun.empty() ? "" : noun + " ") + range + " (got " + got + ")" + hint;
}

SettingsReader::SettingsReader(JsonReader& json, std::span<const SettingSpec> specs)
    : m_json(json), m_specs(specs) {
    for (const SettingSpec& s : m_specs)
        m_json.know(s.key);
}

const SettingSpec& SettingsReader::spec(const std::string& key, SettingSpec::Type type) const {
    for (const SettingSpec& s : m_specs)
        if (s.key == key) {
            if (s.type != type)
                throw std::logic_error("setting '" + key + "' is declared as " + s.typeName());
            return s;
        }
    // A kind reading a setting it never declared is a programming error: the
    // form and the README would not know it.
    throw std::logic_error("setting '" + key + "' is not declared by its kind");
}

void SettingsReader::checkRange(const SettingSpec& s, double value, const std::string& got) const {
    if (!s.inRange(value))
        m_json.fail(s.key, s.rangeError(got));
}

std::optional<std::int64_t> SettingsReader::optionalInteger(const std::string& key) {
    const SettingSpec& s = spec(key, SettingSpec::Type::Integer);
    auto value = m_json.optionalInteger(key);
    if (!value && s.defaultValue.is_number())
        return s.defaultValue.get<std::int64_t>();
    if (value)
        checkRange(s, static_cast<double>(*value), std::to_string(*value));
    return value;
}

std::optional<double> SettingsReader::optionalNumber(const std::string& key) {
    const SettingSpec& s = spec(key, SettingSpec::Type::Number);
    auto value = m_json.optionalNumber(key);
    if (!value && s.defaultValue.is_number())
        return s.defaultValue.get<double>();
    if (value)
        checkRange(s, *value, describeJson(Json(*value)));
    return value;
}

std::int64_t SettingsReader::integer(const std::string& key) {
    auto value = optionalInteger(key);
    if (!value)
        throw std::logic_error("setting '" + key + "' has no default; read it as optional");
    return *value;
}

double SettingsReader::number(const std::string& key) {
    auto value = optionalNumber(key);
    if (!value)
        throw std::logic_error("setting '" + key + "' has no default; read it as optional");
    return *value;
}

bool SettingsReader::flag(const std::string& key) {
    const SettingSpec& s = spec(key, SettingSpec::Type::Bool);
    return m_json.boolOr(key, s.defaultValue.get<bool>());
}

std::string SettingsReader::choice(const std::string& key) {
    const SettingSpec& s = spec(key, SettingSpec::Type::Choice);
    std::string value = m_json.stringOr(key, s.defaultValue.get<std::string>());
    for (const std::string& c : s.choices)
        if (c == value)
            return value;
    if (!s.noun.empty())
        m_json.failUnknownName(key, s.noun, value, s.choices);
    std::string list;
    for (std::size_t i = 0; i < s.choices.size(); ++i)
        list += (i == 0                      ? ""
                 : i + 1 == s.choices.size() ? " or "
                                             : ", ") +
                ("\"" + s.choices[i] + "\"");
    m_json.fail(key, "must be " + list + " (got \"" + abbreviate(value) + "\")" + s.hint);
}

std::string settingsMarkdownHeader() {
    return "| kind | setting | type | default | range | meaning |\n|---|---|---|---|---|---|\n";
}

std::string settingsMarkdownRows(const std::string& kind, std::span<const SettingSpec> settings) {
    if (settings.empty())
        return "| `" + kind + "` | — | | | | no settings |\n";
    std::string out;
    for (const SettingSpec& s : settings) {
        std::string range = s.rangeDisplay(true);
        out += "| `" + kind + "` | `" + s.key + "` | " + s.typeName() + " | " + s.defaultDisplay() +
               " | " + range + " | " + s.doc + " |\n";
    }
    return out;
}

}  // namespace bonsai

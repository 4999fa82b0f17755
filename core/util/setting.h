#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "util/json.h"
#include "util/json_reader.h"

namespace bonsai {

// One setting of a kind (a strategy, a pruner): the one place that says what
// the spec accepts under that kind's object. Spec validation, the Setup form,
// the README tables and the conformance tests all read it, so a default or a
// range is written once.
struct SettingSpec {
    enum class Type { Integer, Number, Bool, Choice };

    std::string key;
    Type type = Type::Number;
    // Null when the default depends on the space or on another setting; then
    // defaultText says how it is computed ("max(5, d + 1)").
    Json defaultValue;
    std::string defaultText;
    std::optional<double> min, max;
    bool minExclusive = false, maxExclusive = false;
    std::vector<std::string> choices;  // Choice only
    std::string label;                 // the Setup form's label ("Startup trials")
    std::string doc;                   // one line for the README and tooltips
    // Range errors read "must be <noun> between 1 and 10 (got 0)<hint>";
    // choice errors with a noun read "unknown <noun> 'x'; did you mean ...".
    std::string noun;
    std::string hint;

    static SettingSpec integer(std::string key, std::optional<std::int64_t> fallback);
    static SettingSpec number(std::string key, std::optional<double> fallback);
    static SettingSpec flag(std::string key, bool fallback);
    static SettingSpec choice(std::string key, std::vector<std::string> choices,
                              std::string fallback);

    // Inclusive bounds unless said otherwise.
    SettingSpec& atLeast(double low, bool exclusive = false);
    SettingSpec& atMost(double high, bool exclusive = false);
    SettingSpec& between(double low, double high, bool exclusive = false);
    SettingSpec& labelled(std::string text);
    SettingSpec& documented(std::string text);
    SettingSpec& defaultShownAs(std::string text);
    SettingSpec& errorsAs(std::string nounText, std::string hintText = {});

    // "int", "number", "bool", "choice".
    std::string typeName() const;
    // The default as the README and the form show it: "0.1", "true", "logei",
    // or defaultText.
    std::string defaultDisplay() const;
    // "≥ 2", "1–100000", "> 0", "0–1, exclusive", "`a` \| `b`" or "".
    std::string rangeDisplay(bool markdown = false) const;
    // Whether `value` (a number) lies in the range.
    bool inRange(double value) const;
    // "must be between 1 and 10 (got 0)" for an out-of-range value.
    std::string rangeError(const std::string& got) const;
};

// Reads a kind's settings from its spec object: each value given or its
// declared default, checked against the declared type and range with an
// error that names the field's JSON path. Cross-field checks stay with the
// kind (fail()).
class SettingsReader {
  public:
    SettingsReader(JsonReader& json, std::span<const SettingSpec> specs);

    std::int64_t integer(const std::string& key);
    double number(const std::string& key);
    bool flag(const std::string& key);
    std::string choice(const std::string& key);
    // Settings whose default is computed (a null defaultValue): nullopt when absent.
    std::optional<std::int64_t> optionalInteger(const std::string& key);
    std::optional<double> optionalNumber(const std::string& key);

    bool has(const std::string& key) const { return m_json.has(key); }
    const std::string& path() const { return m_json.path(); }
    JsonReader& json() { return m_json; }
    [[noreturn]] void fail(const std::string& key, const std::string& message) const {
        m_json.fail(key, message);
    }

  private:
    const SettingSpec& spec(const std::string& key, SettingSpec::Type type) const;
    void checkRange(const SettingSpec& spec, double value, const std::string& got) const;

    JsonReader& m_json;
    std::span<const SettingSpec> m_specs;
};

// Markdown rows "| `kind` | `key` | type | default | range | doc |" for the
// README's settings tables; a kind without settings gets one row of dashes.
std::string settingsMarkdownRows(const std::string& kind, std::span<const SettingSpec> settings);
std::string settingsMarkdownHeader();

}  // namespace bonsai

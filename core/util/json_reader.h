#pragma once

#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "util/json.h"
#include "util/spec_error.h"

namespace bonsai {

// A checked view of one JSON object in a spec. Every getter names the field's
// full path in its error, and finish() rejects keys nobody asked for, with a
// did-you-mean drawn from the keys this object knows. Readers never throw
// anything but SpecError, so no JSON input can crash a caller.
class JsonReader {
  public:
    // Throws SpecError unless `value` is an object.
    JsonReader(const Json& value, std::string path);

    const std::string& path() const { return m_path; }
    const Json& json() const { return m_value; }
    std::string fieldPath(const std::string& key) const;

    bool has(const std::string& key) const;
    // Marks keys as known to this object (for did-you-mean) without reading them.
    void know(std::initializer_list<const char*> keys);
    void know(const std::string& key);

    std::string requireString(const std::string& key);
    std::optional<std::string> optionalString(const std::string& key);
    std::string stringOr(const std::string& key, const std::string& fallback);

    double requireNumber(const std::string& key);
    std::optional<double> optionalNumber(const std::string& key);
    double numberOr(const std::string& key, double fallback);

    // Whole numbers only (rejects 2.5); range-checked against int64.
    std::int64_t requireInteger(const std::string& key);
    std::optional<std::int64_t> optionalInteger(const std::string& key);
    std::int64_t integerOr(const std::string& key, std::int64_t fallback);

    bool boolOr(const std::string& key, bool fallback);

    // Raw access for nested structures; marks the key as read.
    const Json* optionalValue(const std::string& key);
    const Json& requireValue(const std::string& key);
    JsonReader requireObject(const std::string& key);
    std::optional<JsonReader> optionalObject(const std::string& key);
    const Json& requireArray(const std::string& key);

    // Rejects unread keys: "strategy.initail_trials: unknown key; did you mean 'initial_trials'?"
    void finish() const;

    // Throws SpecError at this object's path (or one of its fields).
    [[noreturn]] void fail(const std::string& key, const std::string& message) const;
    // "unknown strategy 'gpp'; did you mean 'gp'? (known: gp, grid, random)" at `key`.
    [[noreturn]] void failUnknownName(const std::string& key, const std::string& what,
                                      const std::string& name,
                                      const std::vector<std::string>& known) const;

  private:
    const Json& m_value;
    std::string m_path;
    std::set<std::string> m_known;
};

// Closest candidate by edit distance, or "" if none is close enough to suggest.
std::string closestMatch(const std::string& word, const std::vector<std::string>& candidates);
// " (known: a, b, c)" style list used in "unknown kind" messages.
std::string joinNames(const std::vector<std::string>& names);
// Compact, human-readable rendering of a JSON value for messages.
std::string describeJson(const Json& value);
// `text` cut to at most `limit` bytes (on a character boundary) plus "...", for
// quoting user-supplied names in messages without echoing a whole file.
std::string abbreviate(const std::string& text, std::size_t limit = 60);

}  // namespace bonsai

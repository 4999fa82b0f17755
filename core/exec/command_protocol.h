#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

#include "util/json_reader.h"

// The line protocol a trial's command speaks on stdout (README, "Command
// objective"). Any line that is not a JSON object is the command's own log.
//   {"step": k, "value": v}          an intermediate value (pruners see it)
//   {"value": v}                     the final result
//   {"values": {"acc": v, ...}}      named results (multi-objective studies)
//   "attrs": {...}                   on any of these: trial attributes
//   a last line that is a bare number is the final result too
namespace bonsai {

// A line that claims to speak the protocol but breaks it.
struct ProtocolError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class CommandProtocol {
  public:
    struct Report {
        std::int64_t step;
        double value;
    };
    // What one line said; attributes are accumulated for attrs().
    struct LineResult {
        std::optional<Report> report;
        Json attrs = Json::object();
    };

    // Throws ProtocolError naming the line number and the fix.
    LineResult feed(const std::string& line);

    // The final value: {"value"} if any, else the first of {"values"}, else a
    // bare number on the last non-empty line.
    std::optional<double> finalValue() const;
    const std::map<std::string, double>& namedValues() const { return m_values; }
    const Json& attrs() const { return m_attrs; }
    std::int64_t lineCount() const { return m_lines; }

  private:
    std::int64_t m_lines = 0;
    std::optional<double> m_value;
    std::optional<std::string> m_firstValueName;
    std::map<std::string, double> m_values;
    static constexpr std::size_t kMaxBareNumberLength = 64;
    std::string m_lastLine;  // the last non-empty line, trimmed, if it is short
    Json m_attrs = Json::object();
};

}  // namespace bonsai

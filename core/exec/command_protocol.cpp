#include "exec/command_protocol.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "util/safe_text.h"

namespace bonsai {

namespace {

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// A whole line that is one decimal number ("0.93", "-1e-3", "nan", "inf");
// strtod parses what Python's print(float) writes, but also hexadecimal
// ("0x1p4"), which no training script means as a result.
std::optional<double> parseBareNumber(const std::string& text) {
    if (text.empty() || text.find_first_of("xX") != std::string::npos)
        return std::nullopt;
    char* end = nullptr;
    double value = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size())
        return std::nullopt;
    return value;
}

// Python's json.dumps writes NaN, Infinity and -Infinity, which are not JSON;
// they become the strings requireNumber() reads back as numbers.
std::string quotePythonNonFinite(const std::string& line) {
    std::string out;
    out.reserve(line.size() + 16);
    JsonStringTracker strings;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        // The words hold no quote or backslash: skipping them leaves the
        // tracker right.
        if (strings.structural(c)) {
            const char* word = nullptr;
            for (const char* candidate : {"NaN", "-Infinity", "Infinity"})
                if (line.compare(i, std::strlen(candidate), candidate) == 0) {
                    word = candidate;
                    break;
                }
            if (word) {
                out.append("\"").append(word).append("\"");
                i += std::strlen(word) - 1;
                continue;
            }
        }
        out += c;
    }
    return out;
}

// JSON has no NaN: accept the number, or the strings Python's json.dumps
// writes for non-finite floats ("NaN" bare is not JSON, so it never parses).
double requireNumber(const Json& value, const std::string& where, std::int64_t line) {
    if (value.is_number())
        return value.get<double>();
    if (value == "NaN")
        return std::numeric_limits<double>::quiet_NaN();
    if (value == "Infinity" || value == "-Infinity")
        return value == "Infinity" ? std::numeric_limits<double>::infinity()
                                   : -std::numeric_limits<double>::infinity();
    throw ProtocolError("stdout line " + std::to_string(line) + ": " + where +
                        " must be a number (got " + describeJson(value) + ")");
}

}  // namespace

CommandProtocol::LineResult CommandProtocol::feed(const std::string& rawLine) {
    ++m_lines;
    LineResult result;
    // Most lines are the command's own log: look at them only as far as
    // needed to know that, so logging stays cheap.
    std::size_t begin = 0, end = rawLine.size();
    while (begin < end && isSpace(rawLine[begin]))
        ++begin;
    if (begin == end)
        return result;
    while (isSpace(rawLine[end - 1]))
        --end;
    // Only the last non-empty line can be a bare result; a number is short.
    if (end - begin <= kMaxBareNumberLength)
        m_lastLine.assign(rawLine, begin, end - begin);
    else
        m_lastLine.clear();
    if (rawLine[begin] != '{')
        return result;  // the command's own log output
    const std::string line = rawLine.substr(begin, end - begin);
    // Copying or storing a value recurses per level: a line nested 200,000
    // deep would crash the study (and every reader after it), so it fails
    // the trial instead, with the same limit as a spec.
    if (jsonNestingBeyond(line))
        throw ProtocolError("stdout line " + std::to_string(m_lines) + ": nested more than " +
                            std::to_string(kMaxJsonNesting) + " levels deep");
    Json object = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (object.is_discarded() &&
        (line.find("NaN") != std::string::npos || line.find("Infinity") != std::string::npos))
        object = Json::parse(quotePythonNonFinite(line), nullptr, /*allow_exceptions=*/false);
    if (object.is_discarded() || !object.is_object())
        return result;  // log text that happens to start with '{'
    const bool speaks = object.contains("value") || object.contains("values") ||
                        object.contains("step") || object.contains("attrs");
    if (!speaks)
        return result;

    if (auto it = object.find("attrs"); it != object.end()) {
        if (!it->is_object())
            throw ProtocolError("stdout line " + std::to_string(m_lines) +
                                ": \"attrs\" must be an object of name: value");
        for (const auto& [key, value] : it->items()) {
            m_attrs[key] = value;
            result.attrs[key] = value;
        }
    }
    if (auto it = object.find("step"); it != object.end()) {
        // 2^63 bounds an int64; a float step beyond it cannot be converted.
        if (!it->is_number_integer() &&
            !(it->is_number() && std::floor(it->get<double>()) == it->get<double>() &&
              std::fabs(it->get<double>()) < 9223372036854775808.0))
            throw ProtocolError("stdout line " + std::to_string(m_lines) +
                                ": \"step\" must be a whole number (got " + describeJson(*it) +
                                ")");
        if (!object.contains("value"))
            throw ProtocolError("stdout line " + std::to_string(m_lines) +
                                ": a report needs \"value\" next to \"step\"");
        result.report =
            Report{it->get<std::int64_t>(), requireNumber(object["value"], "\"value\"", m_lines)};
        return result;
    }
    if (auto it = object.find("value"); it != object.end())
        m_value = requireNumber(*it, "\"value\"", m_lines);
    if (auto it = object.find("values"); it != object.end()) {
        if (!it->is_object() || it->empty())
            throw ProtocolError("stdout line " + std::to_string(m_lines) +
                                ": \"values\" must be an object of name: number");
        for (const auto& [name, value] : it->items()) {
            m_values[name] = requireNumber(value, "\"values\"." + name, m_lines);
            if (!m_firstValueName)
                m_firstValueName = name;
        }
    }
    return result;
}

std::optional<double> CommandProtocol::finalValue() const {
    if (m_value)
        return m_value;
    if (m_firstValueName)
        return m_values.at(*m_firstValueName);
    return parseBareNumber(m_lastLine);
}

}  // namespace bonsai

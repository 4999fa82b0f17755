#include "exec/command_protocol.h"

#include <cmath>
#include <cstdlib>

#include "util/safe_text.h"

namespace bonsai {

namespace {

std::string trim(const std::string& text) {
    const char* space = " \t\r\n";
    std::size_t begin = text.find_first_not_of(space);
    if (begin == std::string::npos)
        return {};
    return text.substr(begin, text.find_last_not_of(space) - begin + 1);
}

// A whole line that is one number ("0.93", "-1e-3", "nan"); strtod parses
// what Python's print(float) writes.
std::optional<double> parseBareNumber(const std::string& text) {
    if (text.empty())
        return std::nullopt;
    char* end = nullptr;
    double value = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size())
        return std::nullopt;
    return value;
}

// JSON has no NaN: accept the number, or the strings Python's json.dumps
// writes for non-finite floats ("NaN" bare is not JSON, so it never parses).
double requireNumber(const Json& value, const std::string& where, std::int64_t line) {
    if (value.is_number())
        return value.get<double>();
    throw ProtocolError("stdout line " + std::to_string(line) + ": " + where +
                        " must be a number (got " + describeJson(value) + ")");
}

}  // namespace

CommandProtocol::LineResult CommandProtocol::feed(const std::string& rawLine) {
    ++m_lines;
    LineResult result;
    const std::string line = trim(rawLine);
    if (line.empty())
        return result;
    m_lastBareNumber = parseBareNumber(line);
    if (line.front() != '{')
        return result;  // the command's own log output
    // Copying or storing a value recurses per level: a line nested 200,000
    // deep would crash the study (and every reader after it), so it fails
    // the trial instead, with the same limit as a spec.
    if (jsonNestingBeyond(line))
        throw ProtocolError("stdout line " + std::to_string(m_lines) + ": nested more than " +
                            std::to_string(kMaxJsonNesting) + " levels deep");
    Json object = Json::parse(line, nullptr, /*allow_exceptions=*/false);
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
        if (!it->is_number_integer() &&
            !(it->is_number() && std::floor(it->get<double>()) == it->get<double>()))
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
    return m_lastBareNumber;
}

}  // namespace bonsai

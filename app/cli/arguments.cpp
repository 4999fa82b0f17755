#include "arguments.h"

#include <charconv>

#include "util/json_reader.h"

namespace bonsai::cli {

Arguments::Arguments(const std::vector<std::string>& args, const std::set<std::string>& valued,
                     const std::set<std::string>& flags) {
    bool optionsEnded = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        // "--" ends the options, so a study named "--db" can still be shown.
        if (arg == "--" && !optionsEnded) {
            optionsEnded = true;
            continue;
        }
        if (optionsEnded || arg.rfind("--", 0) != 0) {
            m_positionals.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2);
        std::optional<std::string> inlineValue;
        if (auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (valued.count(name)) {
            if (inlineValue) {
                m_values[name] = *inlineValue;
            } else if (i + 1 < args.size()) {
                m_values[name] = args[++i];
            } else {
                throw UsageError("--" + name + " needs a value");
            }
        } else if (flags.count(name)) {
            if (inlineValue)
                throw UsageError("--" + name + " takes no value (got '" + arg +
                                 "'); write just --" + name);
            m_flags.insert(name);
        } else {
            std::vector<std::string> known(valued.begin(), valued.end());
            known.insert(known.end(), flags.begin(), flags.end());
            std::string message = "unknown option '--" + name + "'";
            std::string suggestion = closestMatch(name, known);
            if (!suggestion.empty())
                message += "; did you mean '--" + suggestion + "'?";
            else
                message += " (a name that starts with '--' goes after '--': -- " + arg + ")";
            throw UsageError(message);
        }
    }
}

void Arguments::expectPositionals(std::size_t count, const std::string& names) const {
    if (m_positionals.size() < count)
        throw UsageError("missing " + names);
    if (m_positionals.size() > count)
        throw UsageError("unexpected argument '" + m_positionals[count] + "'");
}

std::optional<std::string> Arguments::value(const std::string& name) const {
    auto it = m_values.find(name);
    if (it == m_values.end())
        return std::nullopt;
    return it->second;
}

std::optional<std::int64_t> Arguments::integer(const std::string& name, std::int64_t min,
                                               std::int64_t max) const {
    auto text = value(name);
    if (!text)
        return std::nullopt;
    std::int64_t number = 0;
    auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), number);
    if (error == std::errc::result_out_of_range || (error == std::errc() && number > max))
        throw UsageError("--" + name + " must be at most " + std::to_string(max) + " (got '" +
                         *text + "')");
    if (error != std::errc() || end != text->data() + text->size() || number < min)
        throw UsageError("--" + name + " must be a whole number >= " + std::to_string(min) +
                         " (got '" + *text + "')");
    return number;
}

}  // namespace bonsai::cli

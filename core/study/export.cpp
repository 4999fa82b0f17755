#include "study/export.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>

#include "study/multi_objective.h"

namespace bonsai {

namespace {

// Shortest decimal text that parses back to the same double (std::to_chars
// without a precision), so an exported CSV loses nothing.
std::string shortestRepr(double value) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

// Durations come from two clock readings; microseconds is all they can claim,
// and it keeps 1.23 from printing as 1.2300000190734863.
std::optional<double> roundedDuration(const Trial& trial) {
    auto duration = trial.durationSeconds();
    if (!duration || !std::isfinite(*duration))
        return std::nullopt;
    return std::round(*duration * 1e6) / 1e6;
}

Json numberOrNull(std::optional<double> value) {
    if (!value || !std::isfinite(*value))
        return nullptr;
    return *value;
}

std::string paramToCsvText(const ParamValue& value) {
    return std::visit(
        [](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, bool>) {
                return v ? "true" : "false";
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                return std::to_string(v);
            } else if constexpr (std::is_same_v<T, double>) {
                return shortestRepr(v);
            } else {
                return v;
            }
        },
        value);
}

// RFC 4180: quote only a field holding a comma, a quote or a line break, and
// double the quotes inside.
std::string csvField(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

}  // namespace

std::vector<std::string> spaceParameterNames(const Json& spec) {
    std::vector<std::string> names;
    if (!spec.is_object() || !spec.contains("space") || !spec["space"].is_array())
        return names;
    for (const Json& entry : spec["space"])
        if (entry.is_object() && entry.contains("name") && entry["name"].is_string()) {
            std::string name = entry["name"].get<std::string>();
            if (std::find(names.begin(), names.end(), name) == names.end())
                names.push_back(std::move(name));
        }
    return names;
}

std::vector<std::string> parameterColumns(const StudyRecord& study,
                                          const std::vector<Trial>& trials) {
    std::vector<std::string> columns = spaceParameterNames(study.spec);
    const std::set<std::string> listed(columns.begin(), columns.end());
    std::set<std::string> extra;
    for (const Trial& trial : trials)
        for (const auto& entry : trial.params)
            if (!listed.count(entry.first))
                extra.insert(entry.first);
    columns.insert(columns.end(), extra.begin(), extra.end());
    return columns;
}

std::string isoTimestamp(double secondsSinceEpoch) {
    using namespace std::chrono;
    const auto millis = static_cast<std::int64_t>(std::llround(secondsSinceEpoch * 1000.0));
    const sys_time<milliseconds> time{milliseconds(millis)};
    const auto day = floor<days>(time);
    const year_month_day date{day};
    const hh_mm_ss<milliseconds> clock{time - day};
    char buffer[40];
    std::snprintf(
        buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(date.year()),
        static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
        static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
        static_cast<int>(clock.seconds().count()), static_cast<int>(clock.subseconds().count()));
    return buffer;
}

Json exportStudyJson(const StudyRecord& study, const std::vector<Trial>& trials) {
    const StudySpec sections = parseObjectiveSections(study.spec);
    const bool multi = !sections.objectives.empty();
    const bool judged = multi || !sections.constraints.empty();
    Json out;
    out["study"] = {
        {"name", study.name}, {"direction", directionName(study.direction)}, {"spec", study.spec}};
    Json list = Json::array();
    for (const Trial& trial : trials) {
        Json params = Json::object();
        for (const auto& [name, value] : trial.params)
            params[name] = toJson(value);
        Json intermediate = Json::array();
        for (const auto& [step, value] : trial.intermediate) {
            intermediate.push_back(Json::array({step, numberOrNull(value)}));
        }
        Json item;
        item["number"] = trial.number;
        item["state"] = trialStateName(trial.state);
        item["params"] = std::move(params);
        item["value"] = numberOrNull(trial.value);
        item["intermediate"] = std::move(intermediate);
        item["started"] = isoTimestamp(trial.startedAt);
        item["completed"] = trial.completedAt ? Json(isoTimestamp(*trial.completedAt)) : Json();
        item["duration_s"] = numberOrNull(roundedDuration(trial));
        item["attrs"] = trial.attrs.is_object() ? trial.attrs : Json::object();
        item["error"] = trial.error.empty() ? Json() : Json(trial.error);
        if (multi) {
            Json values = Json::array();
            for (std::size_t i = 0; i < sections.objectives.size(); ++i)
                values.push_back(numberOrNull(i < trial.values.size()
                                                  ? std::optional<double>(trial.values[i])
                                                  : std::nullopt));
            item["values"] = std::move(values);
        }
        if (judged)  // judged on complete trials only
            item["feasible"] =
                trial.state == TrialState::Complete ? Json(isFeasible(trial, sections)) : Json();
        list.push_back(std::move(item));
    }
    out["trials"] = std::move(list);
    if (multi) {
        Json front = Json::array();
        for (const Trial& trial : paretoTrials(trials, sections))
            front.push_back(trial.number);
        out["pareto_front"] = std::move(front);
        LossVector reference = hypervolumeReference(trials, sections);
        out["hypervolume"] = {
            {"value", studyHypervolume(trials, sections)},
            {"reference",
             reference.empty() ? Json() : Json(referenceInUserSense(reference, sections))}};
    }
    return out;
}

std::string exportStudyCsv(const StudyRecord& study, const std::vector<Trial>& trials) {
    const StudySpec sections = parseObjectiveSections(study.spec);
    const bool multi = !sections.objectives.empty();
    const bool judged = multi || !sections.constraints.empty();
    std::set<int> front;
    if (multi)
        for (const Trial& trial : paretoTrials(trials, sections))
            front.insert(trial.number);
    const std::vector<std::string> columns = parameterColumns(study, trials);
    std::string csv = "number,state,value";
    for (const ObjectiveSpec& objective : sections.objectives)
        csv += ',' + csvField(objective.name);
    for (const std::string& name : columns)
        csv += ',' + csvField(name);
    csv += ",duration_s";
    if (multi)
        csv += ",pareto";
    if (judged)
        csv += ",feasible";
    csv += '\n';
    for (const Trial& trial : trials) {
        csv += std::to_string(trial.number);
        csv += ',';
        csv += trialStateName(trial.state);
        csv += ',';
        // NaN has no agreed CSV spelling: an empty cell, like a missing value.
        if (trial.value && !std::isnan(*trial.value))
            csv += shortestRepr(*trial.value);
        for (std::size_t i = 0; i < sections.objectives.size(); ++i) {
            csv += ',';
            if (i < trial.values.size() && !std::isnan(trial.values[i]))
                csv += shortestRepr(trial.values[i]);
        }
        for (const std::string& name : columns) {
            csv += ',';
            if (auto it = trial.params.find(name); it != trial.params.end()) {
                csv += csvField(paramToCsvText(it->second));
            }
        }
        csv += ',';
        if (auto duration = roundedDuration(trial))
            csv += shortestRepr(*duration);
        if (multi)
            csv += front.count(trial.number) ? ",true" : ",false";
        if (judged)
            csv += trial.state != TrialState::Complete ? ","
                   : isFeasible(trial, sections)       ? ",true"
                                                       : ",false";
        csv += '\n';
    }
    return csv;
}

std::string dumpLenient(const Json& json, int indent) {
    return json.dump(indent, ' ', false, Json::error_handler_t::replace);
}

std::string exportStudyJsonText(const StudyRecord& study, const std::vector<Trial>& trials) {
    return dumpLenient(exportStudyJson(study, trials), 2) + "\n";
}

std::optional<ExportFormat> exportFormatOf(const std::string& path) {
    std::string suffix = std::filesystem::path(path).extension().string();
    std::transform(suffix.begin(), suffix.end(), suffix.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (suffix == ".csv")
        return ExportFormat::Csv;
    if (suffix == ".json")
        return ExportFormat::Json;
    if (suffix == ".db" || suffix == ".sqlite" || suffix == ".sqlite3")
        return ExportFormat::Optuna;
    return std::nullopt;
}

}  // namespace bonsai

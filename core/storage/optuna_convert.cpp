// Optuna studies <-> Bonsai studies (see optuna.h).
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "space/search_space.h"
#include "storage/optuna.h"
#include "util/spec_error.h"

namespace bonsai {

namespace {

[[noreturn]] void fail(const std::string& message) {
    throw StorageError(message);
}

std::string studyPlace(const std::string& study) {
    return "Optuna study '" + study + "'";
}

std::string paramPlace(const std::string& study, int trial, const std::string& param) {
    return studyPlace(study) + ", trial " + std::to_string(trial) + ", parameter '" + param + "'";
}

double number(const Json& attributes, const char* key) {
    const Json* value = attributes.contains(key) ? &attributes[key] : nullptr;
    if (!value || !value->is_number())
        throw std::invalid_argument(std::string("attribute '") + key + "' is missing");
    return value->get<double>();
}

bool flag(const Json& attributes, const char* key) {
    return attributes.contains(key) && attributes[key].is_boolean() && attributes[key].get<bool>();
}

std::optional<double> optionalNumber(const Json& attributes, const char* key) {
    if (!attributes.contains(key) || attributes[key].is_null())
        return std::nullopt;
    return number(attributes, key);
}

// A distribution's Bonsai space entry (without name and condition), covering
// Optuna 3.x names and the 2.x ones older files still hold.
Json spaceEntry(const Json& distribution, const std::string& place) {
    if (!distribution.is_object() || !distribution.contains("name") ||
        !distribution.contains("attributes"))
        fail(place + " has a distribution Bonsai cannot read (" + distribution.dump() +
             "); it is not Optuna's {\"name\", \"attributes\"} form.");
    const std::string name =
        distribution["name"].is_string() ? distribution["name"].get<std::string>() : "";
    const Json& a = distribution["attributes"];
    Json entry;
    try {
        if (name == "FloatDistribution" || name == "UniformDistribution" ||
            name == "LogUniformDistribution" || name == "DiscreteUniformDistribution") {
            entry = {{"type", "float"}, {"low", number(a, "low")}, {"high", number(a, "high")}};
            if (flag(a, "log") || name == "LogUniformDistribution")
                entry["log"] = true;
            std::optional<double> step = name == "DiscreteUniformDistribution"
                                             ? optionalNumber(a, "q")
                                             : optionalNumber(a, "step");
            if (step)
                entry["step"] = *step;
        } else if (name == "IntDistribution" || name == "IntUniformDistribution" ||
                   name == "IntLogUniformDistribution") {
            entry = {{"type", "int"},
                     {"low", static_cast<std::int64_t>(number(a, "low"))},
                     {"high", static_cast<std::int64_t>(number(a, "high"))}};
            if (flag(a, "log") || name == "IntLogUniformDistribution")
                entry["log"] = true;
            const std::optional<double> step = optionalNumber(a, "step");
            if (step && *step != 1.0)
                entry["step"] = static_cast<std::int64_t>(*step);
        } else if (name == "CategoricalDistribution") {
            if (!a.contains("choices") || !a["choices"].is_array())
                throw std::invalid_argument("attribute 'choices' is missing");
            for (const Json& choice : a["choices"]) {
                if (!(choice.is_string() || choice.is_number() || choice.is_boolean()))
                    fail(place + " has the choice " + choice.dump() +
                         ", which Bonsai cannot represent (choices are strings, numbers or "
                         "booleans); replace it, e.g. None by \"none\", and try again.");
            }
            entry = {{"type", "categorical"}, {"choices", a["choices"]}};
        } else {
            fail(place + " uses the distribution '" + name +
                 "', which Bonsai cannot represent (it reads Float, Int and Categorical "
                 "distributions and their Optuna 2.x forms).");
        }
    } catch (const std::invalid_argument& error) {
        fail(place + " has a damaged " + name + " (" + error.what() + ").");
    }
    return entry;
}

// Optuna keeps every value as a float; a categorical's is its choice's index.
ParamValue externalValue(const Json& entry, double internal, const std::string& place) {
    const std::string type = entry["type"];
    if (std::isnan(internal))
        fail(place + " has no stored value; the file may be damaged.");
    if (type == "int")
        return static_cast<std::int64_t>(std::llround(internal));
    if (type == "float")
        return internal;
    const Json& choices = entry["choices"];
    const auto index = static_cast<std::int64_t>(internal);
    if (index < 0 || index >= static_cast<std::int64_t>(choices.size()))
        fail(place + " has choice index " + std::to_string(index) + " of only " +
             std::to_string(choices.size()) + " choices; the file may be damaged.");
    return paramValueFromJson(choices[static_cast<std::size_t>(index)], place);
}

std::optional<TrialState> stateFromOptuna(const std::string& state) {
    if (state == "COMPLETE")
        return TrialState::Complete;
    if (state == "PRUNED")
        return TrialState::Pruned;
    if (state == "FAIL")
        return TrialState::Failed;
    if (state == "RUNNING")
        return TrialState::Running;
    return std::nullopt;
}

// Bonsai keeps Optuna's internal system attributes here, so an export of an
// imported study gives them back.
constexpr const char* kSystemAttrsKey = "optuna_system_attrs";

struct Column {
    std::string name;
    Json distribution;  // as Optuna stored it first
    Json entry;         // space entry without name/when
    int firstTrial;     // where the distribution was first seen
    std::optional<std::string> parent;
    std::vector<ParamValue> parentValues;
};

bool contains(const std::vector<ParamValue>& values, const ParamValue& value) {
    return std::any_of(values.begin(), values.end(),
                       [&](const ParamValue& v) { return sameValue(v, value); });
}

// Optuna has no conditions: a parameter is just missing from the trials that
// did not suggest it. Bonsai needs `when`: the parameter must depend on one
// earlier categorical or int parameter whose values (over the complete
// trials) separate the trials that have it from those that do not.
void inferConditions(std::vector<Column>& columns, const std::vector<ParamMap>& complete,
                     const std::vector<int>& completeNumbers, const std::string& study) {
    for (Column& column : columns) {
        std::vector<std::size_t> with, without;
        for (std::size_t t = 0; t < complete.size(); ++t)
            (complete[t].count(column.name) ? with : without).push_back(t);
        if (without.empty() || with.empty())
            continue;  // always there, or never in a complete trial: unconditional
        // The trial to name if nothing explains the parameter: the first one
        // that contradicts the likeliest condition.
        std::optional<std::size_t> contradiction;
        // Categorical parents first (Optuna's usual `if kind == ...:`), then ints.
        std::vector<const Column*> candidates;
        for (const char* type : {"categorical", "int"})
            for (const Column& candidate : columns)
                if (candidate.name != column.name && candidate.entry["type"] == type)
                    candidates.push_back(&candidate);
        for (const Column* pointer : candidates) {
            const Column& candidate = *pointer;
            std::vector<ParamValue> values;
            bool covers = true;
            for (std::size_t t : with) {
                auto it = complete[t].find(candidate.name);
                if (it == complete[t].end()) {
                    covers = false;
                    break;
                }
                if (!contains(values, it->second))
                    values.push_back(it->second);
            }
            if (!covers)
                continue;
            bool separates = true, discriminates = false;
            for (std::size_t t : without) {
                auto it = complete[t].find(candidate.name);
                if (it == complete[t].end())
                    continue;
                discriminates = true;
                if (contains(values, it->second)) {
                    separates = false;
                    if (!contradiction)
                        contradiction = t;
                    break;
                }
            }
            if (separates && discriminates) {
                column.parent = candidate.name;
                column.parentValues = std::move(values);
                break;
            }
        }
        if (!column.parent) {
            fail(paramPlace(study, completeNumbers[contradiction.value_or(without.front())],
                            column.name) +
                 ": it is missing from this complete trial, and no other parameter's value tells "
                 "when it is used, so Bonsai cannot express it as a conditional parameter "
                 "(`when`). Suggest it in every trial, or only under one categorical choice.");
        }
    }
}

// Parents first, otherwise in order of first appearance.
std::vector<const Column*> orderByParents(const std::vector<Column>& columns) {
    std::map<std::string, const Column*> byName;
    for (const Column& column : columns)
        byName[column.name] = &column;
    std::vector<const Column*> order;
    std::set<std::string> placed;
    std::function<void(const Column&)> place = [&](const Column& column) {
        if (placed.count(column.name))
            return;
        if (column.parent)
            place(*byName.at(*column.parent));
        placed.insert(column.name);
        order.push_back(&column);
    };
    for (const Column& column : columns)
        place(column);
    return order;
}

}  // namespace

const char* optunaStateName(TrialState state) {
    switch (state) {
        case TrialState::Complete:
            return "COMPLETE";
        case TrialState::Pruned:
            return "PRUNED";
        case TrialState::Failed:
            return "FAIL";
        case TrialState::Running:
            break;
    }
    return "RUNNING";
}

StudyImport studyFromOptuna(const OptunaStudy& study, const std::string& sourcePath) {
    std::vector<Column> columns;
    std::map<std::string, std::size_t> columnOf;
    std::vector<Trial> trials;
    std::vector<ParamMap> complete;
    std::vector<int> completeNumbers;
    const bool multi = study.directions.size() > 1;

    for (const OptunaTrial& source : study.trials) {
        const auto state = stateFromOptuna(source.state);
        if (!state) {
            fail(studyPlace(study.name) + ", trial " + std::to_string(source.number) + " is " +
                 source.state +
                 (source.state == "WAITING"
                      ? " (enqueued, never started); Bonsai has no waiting trials. Run or "
                        "delete it in Optuna and import again."
                      : ", a state Bonsai does not know."));
        }
        Trial trial;
        trial.number = source.number;
        trial.state = *state;
        for (const OptunaParam& param : source.params) {
            auto [it, inserted] = columnOf.emplace(param.name, columns.size());
            // The common case, the same distribution as before, costs one
            // comparison of small JSON objects.
            if (!inserted && columns[it->second].distribution == param.distribution) {
                trial.params[param.name] =
                    externalValue(columns[it->second].entry, param.internal,
                                  paramPlace(study.name, source.number, param.name));
                continue;
            }
            const std::string place = paramPlace(study.name, source.number, param.name);
            Json entry = spaceEntry(param.distribution, place);
            if (inserted) {
                columns.push_back(
                    {param.name, param.distribution, entry, source.number, std::nullopt, {}});
            } else if (columns[it->second].entry != entry) {
                fail(place + ": its distribution changes between trials (" +
                     columns[it->second].entry.dump() + " in trial " +
                     std::to_string(columns[it->second].firstTrial) + ", " + entry.dump() +
                     " here). A Bonsai study has one search space; import the trials with one "
                     "distribution as their own study.");
            }
            trial.params[param.name] = externalValue(entry, param.internal, place);
        }
        trial.startedAt = source.startedAt.value_or(source.completedAt.value_or(0.0));
        trial.completedAt = source.completedAt;
        if (multi) {
            if (std::any_of(source.values.begin(), source.values.end(),
                            [](double v) { return !std::isnan(v); })) {
                trial.values = source.values;
                trial.value = source.values.front();
            }
        } else if (!source.values.empty() && !std::isnan(source.values.front())) {
            trial.value = source.values.front();
        }
        trial.intermediate = source.intermediate;
        trial.attrs = source.userAttrs.is_object() ? source.userAttrs : Json::object();
        Json system = source.systemAttrs;
        if (system.contains("fail_reason") && system["fail_reason"].is_string()) {
            trial.error = system["fail_reason"].get<std::string>();
            system.erase("fail_reason");
        }
        if (!system.empty())
            trial.attrs[kSystemAttrsKey] = system;
        if (trial.state == TrialState::Complete) {
            complete.push_back(trial.params);
            completeNumbers.push_back(trial.number);
        }
        trials.push_back(std::move(trial));
    }

    inferConditions(columns, complete, completeNumbers, study.name);
    Json space = Json::array();
    for (const Column* column : orderByParents(columns)) {
        Json entry = column->entry;
        entry["name"] = column->name;
        if (column->parent) {
            Json values = Json::array();
            for (const ParamValue& value : column->parentValues)
                values.push_back(toJson(value));
            entry["when"] = {{"param", *column->parent}, {"in", values}};
        }
        space.push_back(std::move(entry));
    }
    SearchSpace parsed;
    try {
        parsed = SearchSpace::fromJson(space);
    } catch (const SpecError& error) {
        fail(studyPlace(study.name) + ": its search space is not a valid Bonsai space (" +
             error.what() + ").");
    }

    Json spec = Json::object();
    spec["name"] = study.name;
    if (multi) {
        Json names = study.systemAttrs.value("study:metric_names", Json());
        Json objectives = Json::array();
        for (std::size_t k = 0; k < study.directions.size(); ++k) {
            const bool named = names.is_array() && k < names.size() && names[k].is_string();
            objectives.push_back(
                {{"name", named ? names[k].get<std::string>() : "objective_" + std::to_string(k)},
                 {"direction", directionName(study.directions[k])}});
        }
        spec["objectives"] = std::move(objectives);
    } else {
        spec["direction"] = directionName(study.directions.front());
    }
    spec["space"] = parsed.toJson();
    // Not a kind any registry knows: the study shows and exports like any
    // other, and resuming it says plainly that there is nothing to run.
    spec["objective"] = {{"kind", kImportedObjectiveKind},
                         {"from", "optuna"},
                         {"file", sourcePath},
                         {"study", study.name}};
    if (!study.userAttrs.empty())
        spec["optuna_user_attrs"] = study.userAttrs;

    StudyImport out;
    out.name = study.name;
    out.direction = study.directions.front();
    out.spec = std::move(spec);
    out.state = StudyState::Finished;
    out.trials = std::move(trials);
    return out;
}

OptunaStudy studyToOptuna(const StudyRecord& record, const std::vector<Trial>& trials) {
    OptunaStudy out;
    out.name = record.name;
    const Json& spec = record.spec;
    std::vector<std::string> metricNames;
    if (spec.is_object() && spec.contains("objectives") && spec["objectives"].is_array()) {
        for (const Json& objective : spec["objectives"]) {
            out.directions.push_back(objective.value("direction", "minimize") == "maximize"
                                         ? Direction::Maximize
                                         : Direction::Minimize);
            metricNames.push_back(objective.value("name", ""));
        }
        out.systemAttrs["study:metric_names"] = metricNames;
    } else {
        out.directions.push_back(record.direction);
    }
    if (spec.is_object() && spec.contains("optuna_user_attrs") &&
        spec["optuna_user_attrs"].is_object())
        out.userAttrs = spec["optuna_user_attrs"];

    SearchSpace space;
    try {
        space = SearchSpace::fromJson(spec.value("space", Json::array()));
    } catch (const SpecError& error) {
        fail("Study '" + record.name + "' has a stored space Bonsai cannot read (" + error.what() +
             ").");
    }
    std::map<std::string, Json> distributions;
    for (const ParamSpec& param : space.params()) {
        Json attributes;
        std::string name;
        switch (param.type) {
            case ParamType::Float:
                name = "FloatDistribution";
                attributes = {{"low", param.low},
                              {"high", param.high},
                              {"log", param.log},
                              {"step", param.step ? Json(*param.step) : Json()}};
                break;
            case ParamType::Int:
                name = "IntDistribution";
                attributes = {{"low", static_cast<std::int64_t>(param.low)},
                              {"high", static_cast<std::int64_t>(param.high)},
                              {"log", param.log},
                              {"step", static_cast<std::int64_t>(param.step.value_or(1.0))}};
                break;
            case ParamType::Categorical: {
                name = "CategoricalDistribution";
                Json choices = Json::array();
                for (const ParamValue& choice : param.choices)
                    choices.push_back(toJson(choice));
                attributes = {{"choices", choices}};
                break;
            }
            case ParamType::Nb201Cell:
                break;
        }
        if (!name.empty())
            distributions[param.name] = {{"name", name}, {"attributes", attributes}};
    }

    for (const Trial& trial : trials) {
        OptunaTrial t;
        t.number = trial.number;
        t.state = optunaStateName(trial.state);
        t.startedAt = trial.startedAt;
        t.completedAt = trial.completedAt;
        for (const auto& [name, value] : trial.params) {
            const std::string place = "Study '" + record.name + "', trial " +
                                      std::to_string(trial.number) + ", parameter '" + name + "'";
            const ParamSpec* param = space.find(name);
            auto distribution = distributions.find(name);
            if (!param || distribution == distributions.end()) {
                fail(place + (param ? " is an " + std::string(paramTypeName(param->type)) +
                                          ", which Optuna has no distribution for; export this "
                                          "study as csv or json instead."
                                    : " is not in the study's space; the database may be "
                                      "damaged."));
            }
            double internal = 0.0;
            if (param->type == ParamType::Categorical) {
                auto it = std::find_if(param->choices.begin(), param->choices.end(),
                                       [&](const ParamValue& c) { return sameValue(c, value); });
                if (it == param->choices.end())
                    fail(place + " has the value " + toDisplayString(value) +
                         ", which is not one of its choices; the database may be damaged.");
                internal = static_cast<double>(it - param->choices.begin());
            } else {
                internal = numericValue(value).value_or(std::nan(""));
            }
            t.params.push_back({name, internal, distribution->second});
        }
        if (out.directions.size() > 1) {
            t.values = trial.values;
        } else if (trial.value) {
            t.values = {*trial.value};
        }
        t.intermediate = trial.intermediate;
        t.userAttrs = trial.attrs.is_object() ? trial.attrs : Json::object();
        if (t.userAttrs.contains(kSystemAttrsKey)) {
            if (t.userAttrs[kSystemAttrsKey].is_object())
                t.systemAttrs = t.userAttrs[kSystemAttrsKey];
            t.userAttrs.erase(kSystemAttrsKey);
        }
        if (trial.state == TrialState::Failed && !trial.error.empty())
            t.systemAttrs["fail_reason"] = trial.error;
        out.trials.push_back(std::move(t));
    }
    return out;
}

std::vector<std::string> importOptunaFile(Database& database, const std::string& path,
                                          const std::optional<std::string>& studyName) {
    std::vector<StudyImport> imports;
    std::vector<std::string> names;
    for (const OptunaStudy& study : readOptunaStudies(path, studyName)) {
        imports.push_back(studyFromOptuna(study, path));
        names.push_back(study.name);
    }
    database.importStudies(imports);
    return names;
}

std::unique_ptr<Database> openOptunaAsDatabase(const std::string& path) {
    auto database = std::make_unique<Database>(":memory:");
    importOptunaFile(*database, path);
    return database;
}

}  // namespace bonsai

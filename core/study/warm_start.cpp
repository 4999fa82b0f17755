#include "study/warm_start.h"

#include <cmath>
#include <filesystem>

#include "storage/database.h"
#include "study/spec.h"
#include "util/json_reader.h"
#include "util/spec_error.h"

namespace bonsai {

namespace {

const char* const kSection = "warm_start";

std::string studyPath(std::size_t index) {
    return std::string(kSection) + ".studies[" + std::to_string(index) + "]";
}

// Checks one value against one parameter's range, type and choices, whatever
// its condition says (a default applies wherever the parameter is active).
void validateValue(const SearchSpace& space, std::size_t index, const ParamValue& value,
                   const std::string& path) {
    Json alone = space.toJson()[index];
    alone.erase("when");
    const std::string& name = space.params()[index].name;
    SearchSpace::fromJson(Json::array({alone}), "space").validate({{name, value}}, path);
}

// A value for `param` to show in a message ("defaults": {"p": <this>}).
Json exampleValue(const ParamSpec& param) {
    if (!param.choices.empty())
        return toJson(param.choices.front());
    if (param.type == ParamType::Int)
        return static_cast<std::int64_t>(param.low);
    if (param.type == ParamType::Float)
        return param.low;
    return "...";
}

std::vector<double> parseValues(JsonReader& entry, const StudySpec& spec) {
    if (spec.objectives.empty())
        return {entry.requireNumber("value")};
    const Json& list = entry.requireArray("values");
    if (list.size() != spec.objectives.size())
        entry.fail("values", "holds " + std::to_string(list.size()) + " values; this study has " +
                                 std::to_string(spec.objectives.size()) + " objectives");
    std::vector<double> out;
    for (std::size_t j = 0; j < list.size(); ++j) {
        if (!list[j].is_number() || !std::isfinite(list[j].get<double>()))
            entry.fail("values[" + std::to_string(j) + "]", "must be a finite number");
        out.push_back(list[j].get<double>());
    }
    return out;
}

// Refuses an old study whose values mean something else here.
void checkObjectives(const StudySpec& old, const StudySpec& spec, const std::string& path,
                     const std::string& name) {
    const std::string study = "study '" + abbreviate(name) + "'";
    if (spec.objectives.empty()) {
        if (!old.objectives.empty())
            throw SpecError(path, study + " has " + std::to_string(old.objectives.size()) +
                                      " objectives and this study one; warm-start only from "
                                      "single-objective studies");
        if (old.direction != spec.direction)
            throw SpecError(path, study + " was set to " + directionName(old.direction) +
                                      " and this study to " + directionName(spec.direction) +
                                      "; its values would mislead the strategy, so warm-start "
                                      "only from studies with the same direction");
        return;
    }
    if (old.objectives.size() != spec.objectives.size())
        throw SpecError(path, study + " has " +
                                  (old.objectives.empty()
                                       ? std::string("one objective")
                                       : std::to_string(old.objectives.size()) + " objectives") +
                                  " and this study " + std::to_string(spec.objectives.size()) +
                                  "; warm-start only from studies with the same objectives");
    for (std::size_t j = 0; j < spec.objectives.size(); ++j)
        if (old.objectives[j].direction != spec.objectives[j].direction)
            throw SpecError(path, study + " is set to " +
                                      directionName(old.objectives[j].direction) + " objective " +
                                      std::to_string(j) + " ('" +
                                      abbreviate(old.objectives[j].name) + "') and this study to " +
                                      directionName(spec.objectives[j].direction) + " '" +
                                      abbreviate(spec.objectives[j].name) +
                                      "'; warm-start only from studies with the same directions");
}

// Names of the parameters the old study searched: its stored space, or the
// names its trials carry if that space cannot be read.
std::set<std::string> oldParameterNames(const Json& oldSpec, const std::vector<Trial>& trials) {
    std::set<std::string> out;
    if (oldSpec.is_object() && oldSpec.contains("space") && oldSpec["space"].is_array()) {
        for (const Json& entry : oldSpec["space"])
            if (entry.is_object() && entry.contains("name") && entry["name"].is_string())
                out.insert(entry["name"].get<std::string>());
        return out;
    }
    for (const Trial& trial : trials)
        for (const auto& [name, value] : trial.params)
            out.insert(name);
    return out;
}

// `params` of an old trial as a point of this space: parameters this space
// lacks are dropped, active ones the old study lacked take their default,
// ones this space's conditions switch off are removed. nullopt if the point
// does not fit (out of range, a choice this space does not offer).
std::optional<ParamMap> projectPoint(const SearchSpace& space, const ParamMap& old,
                                     const ParamMap& defaults) {
    ParamMap point;
    for (const auto& [name, value] : old)
        if (space.find(name))
            point[name] = value;
    const auto& params = space.params();
    for (std::size_t i = 0; i < params.size(); ++i) {
        const bool active = space.isActive(i, point);
        auto found = point.find(params[i].name);
        if (!active) {
            if (found != point.end())
                point.erase(found);
            continue;
        }
        if (found == point.end()) {
            auto fallback = defaults.find(params[i].name);
            if (fallback == defaults.end())
                return std::nullopt;  // inactive there, active here, and no default
            point[params[i].name] = fallback->second;
        }
    }
    try {
        space.validate(point, "");
    } catch (const SpecError&) {
        return std::nullopt;
    }
    return typedPoint(space, std::move(point));
}

}  // namespace

ParamMap typedPoint(const SearchSpace& space, ParamMap point) {
    for (const ParamSpec& param : space.params()) {
        auto found = point.find(param.name);
        if (found == point.end())
            continue;
        if (param.type == ParamType::Float)
            found->second = *numericValue(found->second);
        else if (param.type == ParamType::Int)
            found->second = static_cast<std::int64_t>(*numericValue(found->second));
        else if (param.type == ParamType::Categorical)
            for (const ParamValue& choice : param.choices)
                if (sameValue(choice, found->second))
                    found->second = choice;
    }
    return point;
}

WarmStart parseWarmStart(const Json& section, const StudySpec& spec) {
    JsonReader reader(section, kSection);
    WarmStart out;
    const Json& studies = reader.requireArray("studies");
    if (studies.empty())
        reader.fail("studies", "must name at least one earlier study, e.g. [\"older-study\"]");
    for (std::size_t i = 0; i < studies.size(); ++i) {
        if (!studies[i].is_string() || studies[i].get<std::string>().empty())
            throw SpecError(studyPath(i), "must be the name of an earlier study (got " +
                                              describeJson(studies[i]) + ")");
        const std::string name = studies[i].get<std::string>();
        for (std::size_t j = 0; j < out.studies.size(); ++j)
            if (out.studies[j] == name)
                throw SpecError(studyPath(i), "'" + abbreviate(name) + "' is already " +
                                                  studyPath(j) + "; name each study once");
        out.studies.push_back(name);
    }
    if (auto database = reader.optionalString("database")) {
        if (database->empty())
            reader.fail("database",
                        "must be the path of a Bonsai database file; leave \"database\" out to "
                        "read the studies from the study's own database");
        out.database = *database;
    }
    if (const Json* defaults = reader.optionalValue("defaults")) {
        const std::string path = std::string(kSection) + ".defaults";
        if (!defaults->is_object())
            throw SpecError(path, "must be an object of parameter values, e.g. {\"p\": 1}");
        out.defaults = paramMapFromJson(*defaults, path);
        for (const auto& [name, value] : out.defaults) {
            auto index = spec.space.indexOf(name);
            if (!index) {
                std::vector<std::string> names;
                for (const ParamSpec& param : spec.space.params())
                    names.push_back(param.name);
                std::string suggestion = closestMatch(name, names);
                throw SpecError(path + "." + name,
                                suggestion.empty()
                                    ? "unknown parameter (known: " + joinNames(names) + ")"
                                    : "unknown parameter; did you mean '" + suggestion + "'?");
            }
            validateValue(spec.space, *index, value, path);
        }
        out.defaults = typedPoint(spec.space, std::move(out.defaults));
    }
    // Written by Study::create: the priors as taken, so a resume repeats them.
    if (const Json* observations = reader.optionalValue("observations")) {
        const std::string path = std::string(kSection) + ".observations";
        if (!observations->is_array())
            throw SpecError(path,
                            "must be an array (Bonsai writes it when the study is created; "
                            "remove it to read the studies again)");
        std::vector<Trial> trials;
        for (std::size_t i = 0; i < observations->size(); ++i) {
            JsonReader entry((*observations)[i], path + "[" + std::to_string(i) + "]");
            Trial trial;
            trial.state = TrialState::Complete;
            const std::string study = entry.requireString("study");
            const std::int64_t number = entry.requireInteger("number");
            const Json& params = entry.requireValue("params");
            if (!params.is_object())
                entry.fail("params", "must be an object of parameter values");
            trial.params = paramMapFromJson(params, entry.fieldPath("params"));
            spec.space.validate(trial.params, entry.fieldPath("params"));
            trial.params = typedPoint(spec.space, std::move(trial.params));
            if (spec.objectives.empty()) {
                trial.value = parseValues(entry, spec).front();
                if (!std::isfinite(*trial.value))
                    entry.fail("value", "must be a finite number");
            } else {
                trial.values = parseValues(entry, spec);
                trial.value = trial.values.front();
            }
            if (const Json* attrs = entry.optionalValue("attrs")) {
                if (!attrs->is_object())
                    entry.fail("attrs", "must be an object");
                trial.attrs = *attrs;
            }
            entry.finish();
            trial.attrs["warm_start"] = {{"study", study}, {"number", number}};
            trials.push_back(std::move(trial));
        }
        const auto count = static_cast<int>(trials.size());
        for (int i = 0; i < count; ++i)
            trials[static_cast<std::size_t>(i)].number = i - count;
        out.observations = std::move(trials);
    }
    if (const Json* sources = reader.optionalValue("sources")) {
        if (!sources->is_array())
            reader.fail("sources", "must be an array (Bonsai writes it when the study is created)");
        out.sources = *sources;
    }
    reader.finish();
    return out;
}

Json warmStartToJson(const WarmStart& warmStart) {
    Json out = {{"studies", warmStart.studies}};
    if (!warmStart.database.empty())
        out["database"] = warmStart.database;
    if (!warmStart.defaults.empty())
        out["defaults"] = toJson(warmStart.defaults);
    if (warmStart.observations) {
        out["sources"] = warmStart.sources;
        Json list = Json::array();
        for (const Trial& trial : *warmStart.observations) {
            Json attrs = trial.attrs;
            const Json origin = attrs.value("warm_start", Json::object());
            attrs.erase("warm_start");
            Json entry = {{"study", origin.value("study", std::string())},
                          {"number", origin.value("number", std::int64_t{0})},
                          {"params", toJson(trial.params)}};
            if (trial.values.empty())
                entry["value"] = trial.value.value_or(0.0);
            else
                entry["values"] = trial.values;
            if (!attrs.empty())
                entry["attrs"] = std::move(attrs);
            list.push_back(std::move(entry));
        }
        out["observations"] = std::move(list);
    }
    return out;
}

void resolveWarmStart(StudySpec& spec, Database& database, const WarmStartTrials& trialsOf) {
    WarmStart& warm = spec.warmStart;
    if (!warm.enabled() || warm.observations)
        return;
    const std::string databasePath = std::string(kSection) + ".database";
    Database* source = &database;
    std::optional<Database> other;
    if (!warm.database.empty()) {
        std::error_code error;
        const bool same = std::filesystem::exists(warm.database, error) &&
                          std::filesystem::equivalent(warm.database, database.path(), error);
        if (!same) {
            if (!std::filesystem::is_regular_file(warm.database, error))
                throw SpecError(databasePath,
                                "no file '" + abbreviate(warm.database, 200) +
                                    "'; give the path of the Bonsai database that holds the "
                                    "studies, or leave \"database\" out to read this study's own");
            try {
                other.emplace(warm.database, Database::Mode::ReadOnly);
            } catch (const std::exception& failure) {
                throw SpecError(databasePath, "cannot read '" + abbreviate(warm.database, 200) +
                                                  "' as a Bonsai database (" + failure.what() +
                                                  "); give the path of a Bonsai database file");
            }
            source = &*other;
        }
    }

    std::vector<Trial> priors;
    Json sources = Json::array();
    for (std::size_t i = 0; i < warm.studies.size(); ++i) {
        const std::string& name = warm.studies[i];
        const std::string path = studyPath(i);
        std::optional<StudyRecord> record = source->findStudy(name);
        if (!record) {
            std::vector<std::string> names;
            for (const StudySummary& summary : source->listStudies())
                names.push_back(summary.study.name);
            std::string suggestion = closestMatch(name, names);
            throw SpecError(
                path,
                "no study named '" + abbreviate(name) + "' in " + abbreviate(source->path(), 200) +
                    (suggestion.empty() ? std::string() : "; did you mean '" + suggestion + "'?") +
                    (names.empty() ? std::string(" (it holds no studies)")
                                   : " (`" + source->listCommand() + "` shows them)"));
        }
        StudySpec old;
        try {
            old = parseObjectiveSections(record->spec);
        } catch (const SpecError& failure) {
            throw SpecError(path, "study '" + abbreviate(name) +
                                      "' has a stored spec this Bonsai cannot read (" +
                                      failure.what() + "); remove it from warm_start.studies");
        }
        checkObjectives(old, spec, path, name);

        std::vector<Trial> trials =
            trialsOf ? trialsOf(*source, *record) : source->loadTrials(record->id);
        const std::set<std::string> oldNames = oldParameterNames(record->spec, trials);
        for (const ParamSpec& param : spec.space.params())
            if (!oldNames.count(param.name) && !warm.defaults.count(param.name))
                throw SpecError(path, "study '" + abbreviate(name) + "' has no parameter '" +
                                          param.name + "'; give it a value in " + kSection +
                                          ".defaults (e.g. \"defaults\": {\"" + param.name +
                                          "\": " + exampleValue(param).dump() +
                                          "}) or remove the study");

        int taken = 0, complete = 0;
        for (const Trial& trial : trials) {
            if (trial.state != TrialState::Complete || !trial.value || !std::isfinite(*trial.value))
                continue;
            if (!spec.objectives.empty() &&
                (trial.values.size() != spec.objectives.size() ||
                 !std::all_of(trial.values.begin(), trial.values.end(),
                              [](double v) { return std::isfinite(v); })))
                continue;
            ++complete;
            std::optional<ParamMap> point = projectPoint(spec.space, trial.params, warm.defaults);
            if (!point)
                continue;
            Trial prior;
            prior.state = TrialState::Complete;
            prior.params = std::move(*point);
            prior.value = trial.value;
            prior.values = trial.values;
            // Constraint quantities kept, so the strategy can tell feasibility.
            for (const ConstraintSpec& constraint : spec.constraints)
                if (auto found = trial.attrs.find(constraint.name); found != trial.attrs.end())
                    prior.attrs[constraint.name] = *found;
            prior.attrs["warm_start"] = {{"study", name}, {"number", trial.number}};
            priors.push_back(std::move(prior));
            ++taken;
        }
        if (taken == 0)
            throw SpecError(path, "study '" + abbreviate(name) + "' has no complete trial" +
                                      (complete == 0 ? std::string()
                                                     : " whose parameters fit this space (" +
                                                           std::to_string(complete) +
                                                           " complete, none inside it)") +
                                      "; finish some trials there or remove the study");
        Json entry = {{"study", name}, {"trials", taken}, {"skipped", complete - taken}};
        if (other)
            entry["database"] = warm.database;
        sources.push_back(std::move(entry));
    }
    const auto count = static_cast<int>(priors.size());
    for (int i = 0; i < count; ++i)
        priors[static_cast<std::size_t>(i)].number = i - count;
    warm.observations = std::move(priors);
    warm.sources = std::move(sources);
    spec.source[kSection] = warmStartToJson(warm);
}

std::string warmStartSummary(const Json& storedSpec) {
    if (!storedSpec.is_object())
        return "";
    auto section = storedSpec.find(kSection);
    if (section == storedSpec.end() || !section->is_object())
        return "";
    auto sources = section->find("sources");
    if (sources == section->end() || !sources->is_array() || sources->empty()) {
        // Not resolved (a spec not yet run): name the studies.
        auto studies = section->find("studies");
        if (studies == section->end() || !studies->is_array())
            return "";
        std::vector<std::string> names;
        for (const Json& name : *studies)
            if (name.is_string())
                names.push_back(name.get<std::string>());
        return "from " + joinNames(names);
    }
    std::string out;
    std::int64_t total = 0;
    for (const Json& source : *sources) {
        if (!source.is_object())
            continue;
        const auto trials = source.value("trials", std::int64_t{0});
        const auto skipped = source.value("skipped", std::int64_t{0});
        total += trials;
        std::string part =
            std::to_string(trials) + " from '" + source.value("study", std::string()) + "'";
        if (source.contains("database") && source["database"].is_string())
            part += " in " + source["database"].get<std::string>();
        if (skipped > 0)
            part += " (" + std::to_string(skipped) + " skipped: outside this space)";
        out += (out.empty() ? "" : ", ") + part;
    }
    return std::to_string(total) + " prior trial" + (total == 1 ? "" : "s") + ": " + out;
}

}  // namespace bonsai

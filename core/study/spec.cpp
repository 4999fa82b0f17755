#include "study/spec.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "exec/executor.h"
#include "exec/executor_settings.h"
#include "pruners/pruner.h"
#include "strategies/strategy.h"
#include "util/safe_text.h"

namespace bonsai {

namespace {

Direction parseDirection(JsonReader& spec) {
    std::string direction = spec.stringOr("direction", "minimize");
    if (direction == "minimize")
        return Direction::Minimize;
    if (direction == "maximize")
        return Direction::Maximize;
    spec.fail("direction",
              "must be \"minimize\" or \"maximize\" (got \"" + abbreviate(direction) + "\")");
}

Budget parseBudget(JsonReader& budget) {
    Budget out;
    out.trials = budget.optionalInteger("trials");
    if (out.trials && *out.trials <= 0)
        budget.fail("trials", "must be > 0 (got " + std::to_string(*out.trials) + ")");
    out.seconds = budget.optionalNumber("seconds");
    if (out.seconds && *out.seconds <= 0)
        budget.fail("seconds", "must be > 0 (got " + describeJson(*out.seconds) + ")");
    out.target = budget.optionalNumber("target");
    budget.finish();
    if (!out.trials && !out.seconds)
        budget.fail("", "needs \"trials\" or \"seconds\" (a target alone may never be reached)");
    return out;
}

std::vector<ObjectiveSpec> parseObjectives(const Json& list) {
    if (!list.is_array())
        throw SpecError("objectives", "must be an array of {\"name\", \"direction\"} objects");
    if (list.size() < 2)
        throw SpecError("objectives", "needs at least 2 entries (got " +
                                          std::to_string(list.size()) +
                                          "); for one objective use \"direction\" instead");
    std::vector<ObjectiveSpec> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        JsonReader entry(list[i], "objectives[" + std::to_string(i) + "]");
        ObjectiveSpec objective;
        objective.name = entry.requireString("name");
        if (objective.name.empty() || objective.name.find_first_not_of(" \t") == std::string::npos)
            entry.fail("name", "must not be empty; name a trial attribute such as \"accuracy\"");
        for (std::size_t j = 0; j < out.size(); ++j)
            if (out[j].name == objective.name)
                entry.fail("name", "'" + abbreviate(objective.name) + "' is already objectives[" +
                                       std::to_string(j) + "]; each objective needs its own name");
        objective.direction = parseDirection(entry);
        if (!entry.has("direction"))
            entry.fail("direction", "is required (\"minimize\" or \"maximize\")");
        objective.reference = entry.optionalNumber("reference");
        entry.finish();
        out.push_back(std::move(objective));
    }
    return out;
}

std::vector<ConstraintSpec> parseConstraints(const Json& list) {
    if (!list.is_array())
        throw SpecError("constraints", "must be an array of {\"name\", \"min\", \"max\"} objects");
    std::vector<ConstraintSpec> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        JsonReader entry(list[i], "constraints[" + std::to_string(i) + "]");
        ConstraintSpec constraint;
        constraint.name = entry.requireString("name");
        if (constraint.name.empty() ||
            constraint.name.find_first_not_of(" \t") == std::string::npos)
            entry.fail("name", "must not be empty; name an objective or a trial attribute");
        for (std::size_t j = 0; j < out.size(); ++j)
            if (out[j].name == constraint.name)
                entry.fail("name", "'" + abbreviate(constraint.name) +
                                       "' is already constrained by constraints[" +
                                       std::to_string(j) + "]; give min and max in one entry");
        constraint.min = entry.optionalNumber("min");
        constraint.max = entry.optionalNumber("max");
        entry.finish();
        if (!constraint.min && !constraint.max)
            entry.fail("", "needs \"min\", \"max\" or both");
        if (constraint.min && constraint.max && *constraint.min > *constraint.max)
            entry.fail("min", "must be <= max (got min " + describeJson(*constraint.min) +
                                  ", max " + describeJson(*constraint.max) + ")");
        out.push_back(std::move(constraint));
    }
    return out;
}

Json objectivesToJson(const std::vector<ObjectiveSpec>& objectives) {
    Json out = Json::array();
    for (const ObjectiveSpec& objective : objectives) {
        Json entry = {{"name", objective.name}, {"direction", directionName(objective.direction)}};
        if (objective.reference)
            entry["reference"] = *objective.reference;
        out.push_back(std::move(entry));
    }
    return out;
}

Json constraintsToJson(const std::vector<ConstraintSpec>& constraints) {
    Json out = Json::array();
    for (const ConstraintSpec& constraint : constraints) {
        Json entry = {{"name", constraint.name}};
        if (constraint.min)
            entry["min"] = *constraint.min;
        if (constraint.max)
            entry["max"] = *constraint.max;
        out.push_back(std::move(entry));
    }
    return out;
}

Json budgetToJson(const Budget& budget) {
    Json out = Json::object();
    if (budget.trials)
        out["trials"] = *budget.trials;
    if (budget.seconds)
        out["seconds"] = *budget.seconds;
    if (budget.target)
        out["target"] = *budget.target;
    return out;
}

// The useful end of nlohmann's parse error ("...; last read: 'tru'; expected
// ':'"): the token it last read and what it expected. The token is the user's
// raw text and can be a whole megabyte-long string, so it is shortened.
std::string syntaxErrorReason(const std::string& what) {
    const std::string marker = "last read: '";
    auto start = what.find(marker);
    if (start == std::string::npos) {
        auto colon = what.rfind(": ");
        return colon == std::string::npos ? what : what.substr(colon + 2);
    }
    start += marker.size();
    auto end = what.rfind("'; expected");
    if (end == std::string::npos || end < start)
        end = what.size() > start && what.back() == '\'' ? what.size() - 1 : what.size();
    std::string token = what.substr(start, end - start);
    constexpr std::size_t kShown = 40;
    if (token.size() > kShown) {
        std::size_t cut = kShown;  // on a character boundary
        while (cut > 0 && (static_cast<unsigned char>(token[cut]) & 0xc0) == 0x80)
            --cut;
        token = token.substr(0, cut) + "...";
    }
    return "'" + token + "'" + what.substr(std::min(end + 1, what.size()));
}

// The "enqueue" list: each entry a point of the space with exactly its active
// parameters, stored with each value in its parameter's own type (a float
// given as 1 becomes 1.0, an int given as 3.0 becomes 3).
std::vector<ParamMap> parseEnqueue(const Json& list, const SearchSpace& space) {
    if (!list.is_array())
        throw SpecError("enqueue", "must be an array of points, e.g. [{\"lr\": 0.01}]");
    constexpr std::size_t kMaxEnqueued = 100000;
    if (list.size() > kMaxEnqueued)
        throw SpecError("enqueue", "holds " + std::to_string(list.size()) + " points; at most " +
                                       std::to_string(kMaxEnqueued) + " can be enqueued");
    std::vector<ParamMap> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string path = "enqueue[" + std::to_string(i) + "]";
        if (!list[i].is_object())
            throw SpecError(path, "must be an object of parameter values, e.g. {\"lr\": 0.01}");
        ParamMap point = paramMapFromJson(list[i], path);
        space.validate(point, path);
        out.push_back(typedPoint(space, std::move(point)));
    }
    return out;
}

}  // namespace

StudySpec parseStudySpec(const Json& json, const Registries& registries) {
    JsonReader spec(json, "");
    StudySpec out;

    if (auto version = spec.optionalInteger("version"); version && *version != 1)
        spec.fail("version",
                  "this Bonsai reads spec version 1 (got " + std::to_string(*version) + ")");
    out.name = spec.requireString("name");
    if (out.name.empty() || out.name.find_first_not_of(" \t") == std::string::npos)
        spec.fail("name", "must not be empty; give the study a name");
    if (out.name.size() > 200)
        spec.fail("name", "must be at most 200 characters");
    std::string description = spec.stringOr("description", "");
    if (description.size() > kMaxDescriptionBytes)
        spec.fail("description", "is " + std::to_string(description.size()) +
                                     " bytes; it may be at most " +
                                     std::to_string(kMaxDescriptionBytes) +
                                     " (keep long notes in a file next to the spec)");
    if (const Json* objectiveList = spec.optionalValue("objectives")) {
        if (spec.has("direction"))
            spec.fail("direction",
                      "a study has either \"direction\" (one objective) or \"objectives\" "
                      "(several), not both; pick one");
        out.objectives = parseObjectives(*objectiveList);
        // The first objective's direction stands for the study where one
        // direction is needed (trial.value is values[0], pruners).
        out.direction = out.objectives.front().direction;
    } else {
        out.direction = parseDirection(spec);
    }
    if (const Json* constraintList = spec.optionalValue("constraints"))
        out.constraints = parseConstraints(*constraintList);

    out.space = SearchSpace::fromJson(spec.requireValue("space"), "space");

    out.objective = spec.requireValue("objective");
    std::unique_ptr<Objective> objective =
        registries.objectives.create(out.objective, out.space, "objective");

    const Json* executorJson = spec.optionalValue("executor");
    ExecutorSettings executor = parseExecutorSettings(executorJson ? *executorJson : Json());
    if (!executor.isLocal()) {
        if (!objective->setExecutor(makeExecutor(executor)))
            spec.fail("executor", "the \"" + out.objective.value("kind", std::string()) +
                                      "\" objective runs inside Bonsai; only a \"command\" "
                                      "objective can run its trials on " +
                                      executor.kind);
        out.executor = executor.toJson();
    }

    const Json* strategy = spec.optionalValue("strategy");
    out.strategy = strategy ? *strategy : Json{{"kind", "random"}};
    registries.strategies.create(out.strategy, out.space, "strategy");
    if (!out.objectives.empty()) {
        // Strategies that handle several objectives say so; the others rank
        // trials by one value.
        std::string kind = out.strategy.value("kind", "");
        std::vector<std::string> usable;
        for (const StrategyKind* candidate : registries.strategies.descriptions())
            if (candidate->capabilities.multiObjective)
                usable.push_back(candidate->kind);
        if (std::find(usable.begin(), usable.end(), kind) == usable.end())
            throw SpecError("strategy.kind", "'" + abbreviate(kind) +
                                                 "' optimizes a single objective; a study with "
                                                 "\"objectives\" can use " +
                                                 joinNames(usable));
    }
    registries.strategies.checkObjectives(
        out.strategy, std::max<std::size_t>(1, out.objectives.size()), "strategy");

    const Json* pruner = spec.optionalValue("pruner");
    out.pruner = pruner ? *pruner : Json();
    registries.pruners.create(out.pruner, "pruner");

    JsonReader budget = spec.requireObject("budget");
    out.budget = parseBudget(budget);
    if (out.budget.target && !out.objectives.empty())
        budget.fail("target",
                    "needs a single objective; a study with \"objectives\" stops on "
                    "\"trials\" or \"seconds\"");

    if (const Json* enqueue = spec.optionalValue("enqueue"))
        out.enqueue = parseEnqueue(*enqueue, out.space);
    if (const Json* warmStart = spec.optionalValue("warm_start"))
        out.warmStart = parseWarmStart(*warmStart, out);

    std::int64_t seed = spec.integerOr("seed", 0);
    if (seed < 0)
        spec.fail("seed", "must be a whole number >= 0 (got " + std::to_string(seed) + ")");
    out.seed = static_cast<std::uint64_t>(seed);

    if (executor.maxConcurrent() > 0 && spec.has("workers"))
        spec.fail("workers", "with executor \"" + executor.kind +
                                 "\", set executor.max_concurrent instead (how many trials run "
                                 "at once)");
    std::int64_t workers = spec.integerOr("workers", 1);
    if (workers < 1 || workers > 256)
        spec.fail("workers", "must be between 1 and 256 (got " + std::to_string(workers) + ")");
    out.workers =
        executor.maxConcurrent() > 0 ? executor.maxConcurrent() : static_cast<int>(workers);
    // Local commands each hold pipes: refuse what the open-file limit cannot
    // carry rather than fail trials with "Too many open files".
    if (executor.isLocal() && out.workers > 1 &&
        out.objective.value("kind", std::string()) == "command")
        if (std::string shortage = openFileShortage(static_cast<std::uint64_t>(out.workers));
            !shortage.empty())
            spec.fail("workers", shortage);
    spec.finish();

    out.source = Json::object();
    out.source["version"] = 1;
    out.source["name"] = out.name;
    if (!description.empty())
        out.source["description"] = description;
    if (out.objectives.empty())
        out.source["direction"] = directionName(out.direction);
    else
        out.source["objectives"] = objectivesToJson(out.objectives);
    if (!out.constraints.empty())
        out.source["constraints"] = constraintsToJson(out.constraints);
    out.source["objective"] = out.objective;
    out.source["space"] = out.space.toJson();
    out.source["strategy"] = out.strategy;
    if (!out.pruner.is_null())
        out.source["pruner"] = out.pruner;
    out.source["budget"] = budgetToJson(out.budget);
    if (!out.enqueue.empty()) {
        Json points = Json::array();
        for (const ParamMap& point : out.enqueue)
            points.push_back(toJson(point));
        out.source["enqueue"] = std::move(points);
    }
    if (out.warmStart.enabled())
        out.source["warm_start"] = warmStartToJson(out.warmStart);
    out.source["seed"] = out.seed;
    if (out.workers != 1 && executor.maxConcurrent() == 0)
        out.source["workers"] = out.workers;
    if (!out.executor.is_null())
        out.source["executor"] = out.executor;
    return out;
}

StudySpec parseObjectiveSections(const Json& json) {
    StudySpec out;
    if (!json.is_object())
        return out;  // nothing to read: one objective, minimized, no constraints
    out.name = json.value("name", "");
    if (auto list = json.find("objectives"); list != json.end()) {
        out.objectives = parseObjectives(*list);
        out.direction = out.objectives.front().direction;
    } else {
        JsonReader reader(json, "");
        out.direction = parseDirection(reader);
    }
    if (auto list = json.find("constraints"); list != json.end())
        out.constraints = parseConstraints(*list);
    out.source = json;
    return out;
}

bool isImportedStudy(const Json& spec) {
    if (!spec.is_object() || !spec.contains("objective") || !spec["objective"].is_object())
        return false;
    const Json& objective = spec["objective"];
    return objective.contains("kind") && objective["kind"] == kImportedObjectiveKind;
}

Budget parseBudgetSection(const Json& json) {
    JsonReader spec(json, "");
    JsonReader budget = spec.requireObject("budget");
    return parseBudget(budget);
}

namespace {

// "line L, column C" of the byte at `offset` (1-based, as nlohmann counts).
std::string lineAndColumn(const std::string& text, std::size_t offset) {
    offset = std::min(offset, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i + 1 < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// nlohmann parses any depth, but copying, comparing and printing a value
// recurse, so a file nested 100,000 levels deep would overflow the stack
// later.
void checkNesting(const std::string& text) {
    if (auto at = jsonNestingBeyond(text))
        throw SpecError("", "invalid JSON at " + lineAndColumn(text, *at + 1) +
                                ": nested more than " + std::to_string(kMaxJsonNesting) +
                                " levels deep; a spec needs only a few");
}

// A spec is a page of settings; a file far larger is a mistake (a data file
// passed by accident) and would take seconds and gigabytes to parse.
void checkSpecSize(std::uintmax_t bytes, const std::string& what) {
    if (bytes > kMaxSpecBytes)
        throw SpecError("", what + " is " + std::to_string(bytes) +
                                " bytes; a spec may be at most " + std::to_string(kMaxSpecBytes) +
                                " bytes (keep data in files the objective reads, and long notes "
                                "out of \"description\")");
}

}  // namespace

Json parseJsonText(const std::string& text) {
    checkSpecSize(text.size(), "the spec text");
    checkNesting(text);
    try {
        return Json::parse(text);
    } catch (const Json::parse_error& error) {
        // nlohmann reports a byte offset; users want a line and column.
        throw SpecError("", "invalid JSON at " + lineAndColumn(text, error.byte) + ": " +
                                syntaxErrorReason(error.what()));
    } catch (const Json::out_of_range& error) {
        // A number beyond a double ("1e400"): nlohmann names the number but
        // not where it is, so look for it.
        const std::string what = error.what();
        const std::string marker = "number overflow parsing '";
        std::string where = "invalid JSON";
        if (auto start = what.find(marker); start != std::string::npos) {
            start += marker.size();
            std::string number = what.substr(start, what.rfind('\'') - start);
            if (auto at = text.find(number); !number.empty() && at != std::string::npos)
                where += " at " + lineAndColumn(text, at + 1);
            throw SpecError(
                "", where + ": the number " + abbreviate(number) + " is too large for a double");
        }
        throw SpecError("", where + ": " + what);
    } catch (const Json::exception& error) {
        throw SpecError("", std::string("invalid JSON: ") + error.what());
    }
}

void resolveRelativeSpecPaths(Json& spec, const std::string& specPath) {
    // A relative objective "file" (a tabular benchmark's table) or "workdir"
    // (a command's folder) starts from the spec file's folder, so a spec and
    // its table or script travel together; the stored spec keeps the
    // absolute path, so a resumed study finds it from any working directory.
    auto resolve = [&specPath](Json& relative) {
        if (!relative.is_string() || relative.get<std::string>().empty() ||
            !std::filesystem::path(relative.get<std::string>()).is_relative())
            return;
        std::error_code error;
        auto folder = std::filesystem::absolute(specPath, error).parent_path();
        if (!error)
            relative = (folder / relative.get<std::string>()).lexically_normal().string();
    };
    if (!spec.is_object())
        return;
    auto objective = spec.find("objective");
    if (objective != spec.end() && objective->is_object()) {
        for (const char* key : {"file", "workdir"}) {
            auto relative = objective->find(key);
            if (relative == objective->end())
                continue;
            if (relative->is_array())  // several tables joined on "key"
                for (Json& each : *relative)
                    resolve(each);
            else
                resolve(*relative);
        }
    }
    // warm_start.database too: the spec and its old database travel together.
    auto warm = spec.find("warm_start");
    if (warm != spec.end() && warm->is_object() && warm->contains("database"))
        resolve((*warm)["database"]);
}

StudySpec loadStudySpecFile(const std::string& path, const Registries& registries) {
    std::ifstream file(path, std::ios::binary);
    if (!file)
        throw SpecError("", "cannot read spec file '" + path + "'; check the path");
    std::error_code sizeError;
    const std::uintmax_t size = std::filesystem::file_size(path, sizeError);
    if (!sizeError)
        checkSpecSize(size, "spec file '" + abbreviate(path, 200) + "'");
    std::ostringstream text;
    text << file.rdbuf();
    Json json = parseJsonText(text.str());
    resolveRelativeSpecPaths(json, path);
    return parseStudySpec(json, registries);
}

}  // namespace bonsai

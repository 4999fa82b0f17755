#include "study/spec.h"

#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "exec/executor_settings.h"
#include "pruners/pruner.h"
#include "strategies/strategy.h"

namespace bonsai {

namespace {

Direction parseDirection(JsonReader& spec) {
    std::string direction = spec.stringOr("direction", "minimize");
    if (direction == "minimize")
        return Direction::Minimize;
    if (direction == "maximize")
        return Direction::Maximize;
    spec.fail("direction", "must be \"minimize\" or \"maximize\" (got \"" + direction + "\")");
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

}  // namespace

StudySpec parseStudySpec(const Json& json, const ObjectiveRegistry& objectives) {
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
    out.direction = parseDirection(spec);

    out.space = SearchSpace::fromJson(spec.requireValue("space"), "space");

    out.objective = spec.requireValue("objective");
    std::unique_ptr<Objective> objective = objectives.create(out.objective, out.space, "objective");

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
    StrategyRegistry::builtins().create(out.strategy, out.space, "strategy");

    const Json* pruner = spec.optionalValue("pruner");
    out.pruner = pruner ? *pruner : Json();
    PrunerRegistry::builtins().create(out.pruner, "pruner");

    JsonReader budget = spec.requireObject("budget");
    out.budget = parseBudget(budget);

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
    spec.finish();

    out.source = Json::object();
    out.source["version"] = 1;
    out.source["name"] = out.name;
    if (!description.empty())
        out.source["description"] = description;
    out.source["direction"] = directionName(out.direction);
    out.source["objective"] = out.objective;
    out.source["space"] = out.space.toJson();
    out.source["strategy"] = out.strategy;
    if (!out.pruner.is_null())
        out.source["pruner"] = out.pruner;
    out.source["budget"] = budgetToJson(out.budget);
    out.source["seed"] = out.seed;
    if (out.workers != 1 && executor.maxConcurrent() == 0)
        out.source["workers"] = out.workers;
    if (!out.executor.is_null())
        out.source["executor"] = out.executor;
    return out;
}

Json parseJsonText(const std::string& text) {
    try {
        return Json::parse(text);
    } catch (const Json::parse_error& error) {
        // nlohmann reports a byte offset; users want a line and column.
        std::size_t offset = std::min<std::size_t>(error.byte, text.size());
        std::size_t line = 1, column = 1;
        for (std::size_t i = 0; i + 1 < offset; ++i) {
            if (text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        std::string reason = error.what();
        if (auto colon = reason.rfind(": "); colon != std::string::npos)
            reason = reason.substr(colon + 2);
        throw SpecError("", "invalid JSON at line " + std::to_string(line) + ", column " +
                                std::to_string(column) + ": " + reason);
    }
}

StudySpec loadStudySpecFile(const std::string& path, const ObjectiveRegistry& objectives) {
    std::ifstream file(path, std::ios::binary);
    if (!file)
        throw SpecError("", "cannot read spec file '" + path + "'; check the path");
    std::ostringstream text;
    text << file.rdbuf();
    Json json = parseJsonText(text.str());
    // A relative objective "file" (a tabular benchmark's table) or "workdir"
    // (a command's folder) starts from the spec file's folder, so a spec and
    // its table or script travel together; the stored spec keeps the
    // absolute path, so a resumed study finds it from any working directory.
    if (json.is_object()) {
        auto objective = json.find("objective");
        if (objective != json.end() && objective->is_object()) {
            for (const char* key : {"file", "workdir"}) {
                auto relative = objective->find(key);
                if (relative == objective->end() || !relative->is_string() ||
                    relative->get<std::string>().empty() ||
                    !std::filesystem::path(relative->get<std::string>()).is_relative())
                    continue;
                std::error_code error;
                auto folder = std::filesystem::absolute(path, error).parent_path();
                if (!error)
                    *relative = (folder / relative->get<std::string>()).lexically_normal().string();
            }
        }
    }
    return parseStudySpec(json, objectives);
}

}  // namespace bonsai

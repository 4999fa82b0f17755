#include "study/spec.h"

#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

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
    objectives.create(out.objective, out.space, "objective");

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

    std::int64_t workers = spec.integerOr("workers", 1);
    if (workers < 1 || workers > 256)
        spec.fail("workers", "must be between 1 and 256 (got " + std::to_string(workers) + ")");
    out.workers = static_cast<int>(workers);
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
    if (out.workers != 1)
        out.source["workers"] = out.workers;
    return out;
}

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
// later. Real specs nest a few levels.
constexpr int kMaxNesting = 100;

void checkNesting(const std::string& text) {
    int depth = 0;
    bool inString = false, escaped = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxNesting)
                throw SpecError("", "invalid JSON at " + lineAndColumn(text, i + 1) +
                                        ": nested more than " + std::to_string(kMaxNesting) +
                                        " levels deep; a spec needs only a few");
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
}

Json parseJsonText(const std::string& text) {
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

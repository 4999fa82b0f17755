#include "support/tabular_tables.h"

#include <fstream>

#include "objectives/objective.h"
#include "space/search_space.h"
#include "support/spec_errors.h"

namespace bonsai::test {

const char* const kModelSpace =
    R"([{"name": "model", "type": "categorical", "choices": ["a", "b", "c"]}])";

std::string objectiveSpecError(const Json& objective, const char* space) {
    auto error = specErrorFrom([&] {
        ObjectiveRegistry::withBuiltins().create(objective,
                                                 SearchSpace::fromJson(Json::parse(space)));
    });
    return error ? error->what() : "";
}

std::string TableFiles::write(const char* name, const std::string& text) const {
    std::string path = filePath(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

}  // namespace bonsai::test

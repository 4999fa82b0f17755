#include "support/spec_errors.h"

#include "study/spec.h"

namespace bonsai::test {

std::string studySpecError(const Json& spec) {
    return specErrorMessage([&] { parseStudySpec(spec, ObjectiveRegistry::withBuiltins()); });
}

}  // namespace bonsai::test

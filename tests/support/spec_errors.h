#pragma once

// Expecting a SpecError: the one helper for the tests that check a bad spec,
// setting or form entry is refused with the right path and sentence.

#include <QTest>
#include <optional>
#include <string>

#include "util/json.h"
#include "util/spec_error.h"

namespace bonsai::test {

// The SpecError that `action` throws, or nullopt when it throws none.
template <class Action>
std::optional<SpecError> specErrorFrom(Action&& action) {
    try {
        action();
    } catch (const SpecError& error) {
        return error;
    }
    return std::nullopt;
}

// Its message (what(): "path: sentence"), or "(no error)".
template <class Action>
std::string specErrorMessage(Action&& action) {
    auto error = specErrorFrom(std::forward<Action>(action));
    return error ? std::string(error->what()) : std::string("(no error)");
}

// The message of parsing `spec` as a whole study spec with the built-in
// kinds, or "(no error)".
std::string studySpecError(const Json& spec);

}  // namespace bonsai::test

// Fails the test unless `statement` throws a SpecError whose message contains
// `needle` (_STARTS: begins with it); the failure shows what was thrown instead.
#define BONSAI_EXPECT_SPEC_ERROR_AT(statement, needle, atStart)                          \
    do {                                                                                 \
        const std::string bonsaiSpecError_ =                                             \
            ::bonsai::test::specErrorMessage([&] { (void)(statement); });                \
        const std::size_t bonsaiFound_ = bonsaiSpecError_.find(std::string(needle));     \
        QVERIFY2(atStart ? bonsaiFound_ == 0 : bonsaiFound_ != std::string::npos,        \
                 qPrintable(QString::fromStdString("expected \"" + std::string(needle) + \
                                                   "\", got: " + bonsaiSpecError_)));    \
    } while (false)
#define BONSAI_EXPECT_SPEC_ERROR(statement, needle) \
    BONSAI_EXPECT_SPEC_ERROR_AT(statement, needle, false)
#define BONSAI_EXPECT_SPEC_ERROR_STARTS(statement, needle) \
    BONSAI_EXPECT_SPEC_ERROR_AT(statement, needle, true)

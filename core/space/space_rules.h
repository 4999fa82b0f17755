#pragma once

#include <string>

#include "space/search_space.h"

// What parsing a space (space_spec.cpp) and encoding its points
// (search_space.cpp) both know about a parameter's legal values.
namespace bonsai::space_rules {

// How far (high - low) / step may be from a whole number (relative).
constexpr double kStepTolerance = 1e-9;

// An integer-valued double without ".0"; others in the shortest text that
// reads back as the same double.
std::string formatNumber(double x);
// A value as JSON text, for messages.
std::string describe(const ParamValue& value);
// The step of a stepped parameter (1 for ints without one).
double stepOf(const ParamSpec& spec);
bool isLogInt(const ParamSpec& spec);
// Empty when `value` is a legal value of `spec`; otherwise what is wrong with it.
std::string illegalReason(const ParamSpec& spec, const ParamValue& value);

}  // namespace bonsai::space_rules

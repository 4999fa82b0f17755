#pragma once

#include <QString>

#include "util/json.h"

namespace bonsai::ui {

// A reminder when an objective's name reads as the opposite of its
// direction: 'valid_acc' minimized (the form starts at minimize, and a
// tabular benchmark's metric is mostly an accuracy), 'latency_ms' maximized.
// Empty when every name agrees with its direction or says nothing about it.
// A fashion-mnist objective minimized gets the reminder too (its value is
// the validation accuracy). Only a hint: some studies do minimize an accuracy.
QString directionHint(const Json& spec);

}  // namespace bonsai::ui

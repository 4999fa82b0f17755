#pragma once

#include <optional>

#include <QString>

#include "space/param_value.h"

// Text in form fields <-> JSON values. A field that does not read as what it
// should be is passed on as typed (a string), so the spec validator names the
// field and the fix; the form does not invent its own messages for those.
namespace bonsai::ui {

// "" -> nullopt; "12" -> 12; "1e-3" -> 0.001; anything else -> the text.
std::optional<Json> numberFromText(const QString& text);
// The text a number field shows for a JSON value.
QString textFromJson(const Json& value);

// One value as typed in a cell: "3" -> 3, "true" -> true, "relu" -> "relu",
// "\"3\"" -> "3" (quotes keep a string); "" -> "".
Json scalarFromText(QString text);
// The text that reads back as `value` through scalarFromText.
QString textFromScalar(const Json& value);

// "relu, tanh, 3, true" -> ["relu", "tanh", 3, true] (quotes keep a string:
// "\"3\"" -> "3").
Json choicesFromText(const QString& text);
QString textFromChoices(const Json& choices);

// "optimizer = sgd" -> {"param": "optimizer", "equals": "sgd"};
// "optimizer in sgd, adam" -> {"param": "optimizer", "in": ["sgd", "adam"]};
// "" -> null; nullopt when the text is neither form.
std::optional<Json> conditionFromText(const QString& text);
QString textFromCondition(const Json& when);

}  // namespace bonsai::ui

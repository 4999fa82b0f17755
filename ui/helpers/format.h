#pragma once

#include <optional>
#include <span>
#include <string>

#include <QString>

#include "model/trial.h"

namespace bonsai::ui {

inline QString toQString(const std::string& text) {
    return QString::fromStdString(text);
}
inline std::string toStdString(const QString& text) {
    return text.toStdString();
}

// Six significant digits: what a table cell or an axis tooltip can show.
QString formatNumber(double value);
// For reading at a glance (the best-cell card): a million and more with an
// SI prefix and four significant digits ("3.118 M", "1.2 G"); smaller
// magnitudes as formatNumber.
QString formatReadable(double value);
// "—" for a missing value.
QString formatOptional(const std::optional<double>& value);
// A count and its noun, singular for one: "1 trial", "3 trials".
QString countOf(qsizetype count, const QString& one, const QString& many);
// "12 s", "3 min 05 s", "2 h 14 min".
QString formatDuration(double seconds);
// Local date and time of a Unix timestamp, "2024-05-01 14:03".
QString formatTimestamp(double secondsSinceEpoch);
// The state a user reads: "interrupted" for a trial abandoned by Stop now or
// a crash (it does not count against the budget), else the stored state.
QString trialStateText(const Trial& trial);
// Attributes the strategy stores for itself (GP hyperparameters, acquisition
// values, timing of the suggestion, ...), as opposed to what the objective
// reported: the detail pane folds them away, the table offers no column.
bool isStrategyAttribute(const std::string& key);
// Several lines describing a trial: number, state, value, params (those in
// `order` first, as the study lists them, then any others by name), error.
QString trialSummary(const Trial& trial, std::span<const std::string> order);
// A JSON value as compact text, strings without quotes.
QString jsonText(const Json& value);

}  // namespace bonsai::ui

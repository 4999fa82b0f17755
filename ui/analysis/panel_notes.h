#pragma once

#include <span>

#include <QString>

#include "model/trial.h"
#include "storage/database.h"

namespace bonsai::ui {

// One line saying why a Live panel of this study has nothing to draw, true
// for the study at hand rather than generic: the strategy's name, the trial
// the GP's acquisition starts at. Empty when the panel applies.
QString acquisitionNote(const StudyRecord& record, std::span<const Trial> trials);
QString posteriorNote(const StudyRecord& record);

// An acquisition function's name as charts show it: "LogEI" for "logei",
// "EHVI", "UCB", "Probability of feasibility" for "pof".
QString acquisitionDisplayName(const std::string& name);

// The name of the acquisition function the gp strategy's latest suggestion
// stored (its "acquisition_function"), as the Live chart titles it: "LogEI",
// "EHVI", "UCB"; "Acquisition value" before any.
QString acquisitionLabel(std::span<const Trial> trials);

// The stored spec's <section>.<key> when it is a string, else "":
// specString(record, "objective", "metric") is "valid_acc".
std::string specString(const StudyRecord& record, const char* section, const char* key);
// The strategy kind of a stored spec ("" when it has none).
std::string strategyKind(const StudyRecord& record);

// Whether the study's strategy scores its suggestions (gp's acquisition,
// tpe's density ratio), and whether it fits a GP whose posterior can be shown.
// The Live tab shows those panels only for such studies.
bool scoresSuggestions(const StudyRecord& record);
bool fitsGp(const StudyRecord& record);

}  // namespace bonsai::ui

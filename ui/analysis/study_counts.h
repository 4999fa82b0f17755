#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include <QPointF>
#include <QString>

#include "model/trial.h"
#include "storage/database.h"
#include "study/front_tally.h"
#include "study/spec.h"

namespace bonsai::ui {

// What the Live header, the study browser's row and the status bar say about
// a study's trials. Computed once from the same trials so they always agree.
struct StudyCounts {
    int trials = 0;
    int complete = 0;
    int counted = 0;  // finished and not interrupted: what uses up the budget
    bool multiObjective = false;
    // Single objective: the best feasible trial.
    std::optional<Trial> best;
    // Several objectives: size of the feasible Pareto set and its hypervolume
    // (against the spec's reference point, else one derived from the trials).
    int paretoSize = 0;
    double hypervolume = 0.0;
    // Indices of the Pareto set in the trials counted (for trialFlags).
    std::vector<std::size_t> paretoIndices;
};

// `front`: a FrontTally of the same trials (a live session keeps one), whose
// Pareto set and volume are taken instead of a pass over every trial.
StudyCounts studyCounts(std::span<const Trial> trials, const StudyRecord& record,
                        const FrontTally* front = nullptr);

// The objective sections of a stored study's spec (parseObjectiveSections),
// in the record's direction; a damaged spec reads as one objective without
// constraints, so a listing never fails on it.
StudySpec objectiveSectionsOf(const StudyRecord& record);
// Whether the study has two or more objectives (what studyCounts counts a
// Pareto set for).
bool isMultiObjective(const StudyRecord& record);
// The stored spec's `budget.trials`; none without one, and for a damaged
// budget section, so a view never fails on it.
std::optional<std::int64_t> studyTrialBudget(const StudyRecord& record);

// Hypervolume of the feasible Pareto set after each complete feasible trial
// (x = trial number), against one reference point for the whole study, so the
// curve never falls; and that point in the user's sense ("accuracy = 80,
// latency_ms = 12"), derived when any coordinate comes from the trials rather
// than an objective's "reference". Empty for a single-objective study, or
// before there is a reference point.
// A scored trial's number, objective values as losses, and when it ended
// (running seconds at its end, see RunningTime; none without an end time).
struct ScoredLosses {
    int trial;
    LossVector losses;
    std::optional<double> endSeconds = std::nullopt;
};
// The complete feasible trials with every objective's value, in trial order.
std::vector<ScoredLosses> scoredLosses(std::span<const Trial> trials, const StudySpec& spec);
// The hypervolume of the Pareto set after each of them against `reference`:
// (trial number, volume), or `byTime` (end seconds, volume) in the order
// they ended.
std::vector<QPointF> hypervolumeCurve(std::span<const ScoredLosses> scored,
                                      const LossVector& reference, bool byTime = false);

// A reference point (losses) in the user's sense, named: "accuracy = 80,
// latency_ms = 12".
QString referenceText(const LossVector& reference, const StudySpec& spec);

struct HypervolumeHistory {
    std::vector<QPointF> curve;
    QString reference;
    bool derivedReference = false;
};
HypervolumeHistory hypervolumeHistory(std::span<const Trial> trials, const StudyRecord& record);

// The flag column of the trials table: "Pareto", "dominated" or "infeasible"
// for complete trials of a multi-objective study, "feasible"/"infeasible" in
// a constrained one; empty (no column) otherwise.
// `counts`: studyCounts of the same trials, whose Pareto set is reused
// (a live batch computes it once); null computes it.
// One flag per trial, in the order of `trials` (empty where none).
std::vector<QString> trialFlags(std::span<const Trial> trials, const StudyRecord& record,
                                const StudyCounts* counts = nullptr);
// The flags of `rows` (indices into `trials`) only, in their order: a live
// batch re-flags the trials that changed and those that joined or left the
// Pareto set in `counts` (studyCounts of the same trials).
std::vector<QString> trialFlags(std::span<const Trial> trials, std::span<const std::size_t> rows,
                                const StudyRecord& record, const StudyCounts& counts);
// Whether the study has a flag column at all.
bool hasTrialFlags(const StudyRecord& record);
// Attributes worth a column: objectives and constraints first, then numbers
// the objective reported (not the strategy's own, not output tails).
std::vector<std::string> reportedAttributeNames(std::span<const Trial> trials,
                                                const StudyRecord& record);

// "best 0.3979" or "Pareto set 4, hypervolume 12.5": one short phrase.
QString countsSummary(const StudyCounts& counts);

}  // namespace bonsai::ui

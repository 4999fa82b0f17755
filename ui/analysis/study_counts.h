#pragma once

#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include <QPointF>
#include <QString>

#include "model/trial.h"
#include "storage/database.h"

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

StudyCounts studyCounts(std::span<const Trial> trials, const StudyRecord& record);

// Hypervolume of the feasible Pareto set after each complete feasible trial
// (x = trial number), against one reference point for the whole study, so the
// curve never falls. Empty for a single-objective study.
std::vector<QPointF> hypervolumeCurve(std::span<const Trial> trials, const StudyRecord& record);

// The flag column of the trials table: "Pareto", "dominated" or "infeasible"
// for complete trials of a multi-objective study, "feasible"/"infeasible" in
// a constrained one; empty (no column) otherwise.
// `counts`: studyCounts of the same trials, whose Pareto set is reused
// (a live batch computes it once); null computes it.
std::unordered_map<int, QString> trialFlags(std::span<const Trial> trials,
                                            const StudyRecord& record,
                                            const StudyCounts* counts = nullptr);
// Whether the study has a flag column at all.
bool hasTrialFlags(const StudyRecord& record);
// Attributes worth a column: objectives and constraints first, then numbers
// the objective reported (not the strategy's own, not output tails).
std::vector<std::string> reportedAttributeNames(std::span<const Trial> trials,
                                                const StudyRecord& record);

// "best 0.3979" or "Pareto set 4, hypervolume 12.5": one short phrase.
QString countsSummary(const StudyCounts& counts);

}  // namespace bonsai::ui

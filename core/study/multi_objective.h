#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/trial.h"
#include "multi/pareto.h"
#include "study/spec.h"

// Study-level multi-objective helpers: objective values of a finished trial,
// feasibility, and the Pareto set and hypervolume of a study's trials.
namespace bonsai {

// Fills trial.values in the order of `objectives`: objective i is the trial
// attribute of its name when there is one (it must be a finite number), else
// the objective's returned value, which only one objective can take. Returns
// "" on success, otherwise why the trial fails (naming the objective and the
// attributes the trial has); trial.values is left empty then.
std::string fillObjectiveValues(Trial& trial, double returned,
                                std::span<const ObjectiveSpec> objectives);

// Constraints hold (always true for a study without constraints).
bool isFeasible(const Trial& trial, const StudySpec& spec);

// A complete trial with one finite value per objective.
bool hasObjectiveValues(const Trial& trial, const StudySpec& spec);
// hasObjectiveValues and feasible: the trials Pareto sets and volumes count.
bool isScored(const Trial& trial, const StudySpec& spec);

// The trial's values as losses (maximized objectives negated).
LossVector objectiveLosses(const Trial& trial, const StudySpec& spec);

// Complete, feasible trials with all values, on the Pareto front, in trial
// order. Duplicates of a front point are all kept.
std::vector<Trial> paretoTrials(std::span<const Trial> trials, const StudySpec& spec);
// The same as indices into `trials`, ascending (no copies: for views that
// mark front trials among thousands).
std::vector<std::size_t> paretoTrialIndices(std::span<const Trial> trials, const StudySpec& spec);

// The best complete feasible trial on objective `objective` (an index into
// spec.objectives; ignored with a single objective, where the spec's
// direction and the returned value count), the earliest on ties: what the
// studio's cell and GP views centre on. With several objectives it is on the
// Pareto front unless another trial ties with it on that objective.
std::optional<Trial> bestFeasibleTrial(std::span<const Trial> trials, const StudySpec& spec,
                                       std::size_t objective = 0);

// The hypervolume reference point as losses: each objective's "reference"
// from the spec, else derived (deriveReferencePoint) from the complete
// feasible trials. Empty when a coordinate must be derived and there are no
// such trials.
LossVector hypervolumeReference(std::span<const Trial> trials, const StudySpec& spec);
// The same from the scored trials' losses (only each coordinate's lowest and
// highest value matter, so a running tally may pass just those two).
LossVector hypervolumeReferenceFromLosses(const std::vector<LossVector>& scoredLosses,
                                          const StudySpec& spec);

// The same point in the user's sense (maximized objectives as given).
std::vector<double> referenceInUserSense(const LossVector& reference, const StudySpec& spec);

// Hypervolume of the complete feasible trials against hypervolumeReference
// (0 when there are none).
double studyHypervolume(std::span<const Trial> trials, const StudySpec& spec);

// paretoTrialIndices, hypervolumeReference and studyHypervolume from one pass
// over the trials (a live view refreshes all three per batch).
struct StudyFront {
    std::vector<std::size_t> paretoIndices;
    LossVector reference;  // empty as in hypervolumeReference
    double hypervolume = 0.0;
};
StudyFront studyFront(std::span<const Trial> trials, const StudySpec& spec);

}  // namespace bonsai

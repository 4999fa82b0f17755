#include "study/multi_objective.h"

#include <cmath>

namespace bonsai {

namespace {

std::string attributeNames(const Trial& trial) {
    std::string names;
    for (const auto& [key, value] : trial.attrs.items())
        names += (names.empty() ? "" : ", ") + key;
    return names.empty() ? "none" : names;
}

std::string describeNumber(double value) {
    return std::isnan(value) ? "NaN" : value > 0 ? "infinity" : "-infinity";
}

// Complete feasible trials with all values (the ones fronts and volumes use),
// with their losses computed once.
struct ScoredTrials {
    std::vector<std::size_t> indices;  // into the trials handed in
    std::vector<LossVector> losses;
};

ScoredTrials scoredFeasibleTrials(std::span<const Trial> trials, const StudySpec& spec) {
    ScoredTrials out;
    for (std::size_t i = 0; i < trials.size(); ++i)
        if (isScored(trials[i], spec)) {
            out.indices.push_back(i);
            out.losses.push_back(objectiveLosses(trials[i], spec));
        }
    return out;
}

}  // namespace

std::string fillObjectiveValues(Trial& trial, double returned,
                                std::span<const ObjectiveSpec> objectives) {
    trial.values.clear();
    std::vector<double> values;
    const ObjectiveSpec* tookReturned = nullptr;
    for (const ObjectiveSpec& objective : objectives) {
        const std::string what = "objective '" + objective.name + "': ";
        auto attribute = trial.attrs.find(objective.name);
        if (attribute != trial.attrs.end()) {
            if (!attribute->is_number())
                return what + "trial attribute '" + objective.name + "' is " + attribute->dump() +
                       ", not a number";
            double value = attribute->get<double>();
            if (!std::isfinite(value))
                return what + "trial attribute '" + objective.name + "' is " +
                       describeNumber(value);
            values.push_back(value);
        } else if (!tookReturned) {
            if (!std::isfinite(returned))
                return what + "no trial attribute of that name, and the objective returned " +
                       describeNumber(returned) + " (attributes: " + attributeNames(trial) + ")";
            tookReturned = &objective;
            values.push_back(returned);
        } else {
            return what + "no trial attribute of that name (attributes: " + attributeNames(trial) +
                   "), and the returned value is objective '" + tookReturned->name +
                   "'; set the attribute, or name the objective after one";
        }
    }
    trial.values = std::move(values);
    return "";
}

bool isFeasible(const Trial& trial, const StudySpec& spec) {
    return spec.constraints.empty() || isFeasible(trial, spec.objectives, spec.constraints);
}

bool hasObjectiveValues(const Trial& trial, const StudySpec& spec) {
    if (trial.state != TrialState::Complete || spec.objectives.empty() ||
        trial.values.size() != spec.objectives.size())
        return false;
    for (double value : trial.values)
        if (!std::isfinite(value))
            return false;
    return true;
}

bool isScored(const Trial& trial, const StudySpec& spec) {
    return hasObjectiveValues(trial, spec) && isFeasible(trial, spec);
}

LossVector objectiveLosses(const Trial& trial, const StudySpec& spec) {
    LossVector out(trial.values.size());
    for (std::size_t i = 0; i < out.size() && i < spec.objectives.size(); ++i)
        out[i] = toLoss(trial.values[i], spec.objectives[i].direction);
    return out;
}

std::vector<std::size_t> paretoTrialIndices(std::span<const Trial> trials, const StudySpec& spec) {
    const ScoredTrials scored = scoredFeasibleTrials(trials, spec);
    std::vector<std::size_t> out;
    for (std::size_t k : paretoFront(scored.losses))
        out.push_back(scored.indices[k]);
    return out;
}

std::vector<Trial> paretoTrials(std::span<const Trial> trials, const StudySpec& spec) {
    std::vector<Trial> out;
    for (std::size_t index : paretoTrialIndices(trials, spec))
        out.push_back(trials[index]);
    return out;
}

std::optional<Trial> bestFeasibleTrial(std::span<const Trial> trials, const StudySpec& spec,
                                       std::size_t objective) {
    const bool several = !spec.objectives.empty();
    if (several && objective >= spec.objectives.size())
        return std::nullopt;
    const Direction direction = several ? spec.objectives[objective].direction : spec.direction;
    const Trial* best = nullptr;
    double bestLoss = 0.0;
    for (const Trial& trial : trials) {
        if (trial.state != TrialState::Complete || !isFeasible(trial, spec))
            continue;
        if (several ? !hasObjectiveValues(trial, spec)
                    : !trial.value || !std::isfinite(*trial.value))
            continue;
        const double loss = toLoss(several ? trial.values[objective] : *trial.value, direction);
        if (!best || loss < bestLoss) {
            best = &trial;
            bestLoss = loss;
        }
    }
    if (!best)
        return std::nullopt;
    return *best;
}

LossVector hypervolumeReference(std::span<const Trial> trials, const StudySpec& spec) {
    return hypervolumeReferenceFromLosses(scoredFeasibleTrials(trials, spec).losses, spec);
}

LossVector hypervolumeReferenceFromLosses(const std::vector<LossVector>& scoredLosses,
                                          const StudySpec& spec) {
    const std::size_t d = spec.objectives.size();
    LossVector reference(d);
    bool allGiven = true;
    for (std::size_t i = 0; i < d; ++i) {
        if (spec.objectives[i].reference)
            reference[i] = toLoss(*spec.objectives[i].reference, spec.objectives[i].direction);
        else
            allGiven = false;
    }
    if (allGiven)
        return reference;
    if (scoredLosses.empty())
        return {};
    LossVector derived = deriveReferencePoint(scoredLosses);
    for (std::size_t i = 0; i < d; ++i)
        if (!spec.objectives[i].reference)
            reference[i] = derived[i];
    return reference;
}

std::vector<double> referenceInUserSense(const LossVector& reference, const StudySpec& spec) {
    std::vector<double> out(reference.size());
    for (std::size_t i = 0; i < out.size() && i < spec.objectives.size(); ++i)
        out[i] = toLoss(reference[i], spec.objectives[i].direction);  // its own inverse
    return out;
}

double studyHypervolume(std::span<const Trial> trials, const StudySpec& spec) {
    return studyFront(trials, spec).hypervolume;
}

StudyFront studyFront(std::span<const Trial> trials, const StudySpec& spec) {
    const ScoredTrials scored = scoredFeasibleTrials(trials, spec);
    StudyFront out;
    // Dominated points add no volume: the front alone gives the same number,
    // and sorting 20 points instead of 10,000 keeps live updates cheap.
    std::vector<LossVector> front;
    for (std::size_t k : paretoFront(scored.losses)) {
        out.paretoIndices.push_back(scored.indices[k]);
        front.push_back(scored.losses[k]);
    }
    out.reference = hypervolumeReferenceFromLosses(scored.losses, spec);
    if (!out.reference.empty())
        out.hypervolume = hypervolume(front, out.reference);
    return out;
}

}  // namespace bonsai

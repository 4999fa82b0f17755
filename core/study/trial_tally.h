#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "model/trial.h"
#include "study/spec.h"

namespace bonsai {

// A trial abandoned by a stop request, the time budget or a crash, not judged
// by its objective: it does not use up the trial budget, so a resumed study
// still runs in full.
bool isInterrupted(const Trial& trial);
// Marks `trial` failed and interrupted, with `reason` as its error.
void markInterrupted(Trial& trial, std::string reason);

// Running totals over a study's trial list, kept up to date as trials are
// added and change, so that the budget check and the best trial cost O(1)
// per trial instead of a scan of the whole list (which made long studies
// slower with every trial).
class TrialTally {
  public:
    explicit TrialTally(const StudySpec& spec) : m_spec(spec) {}

    // Recounts from scratch.
    void reset(std::span<const Trial> trials);
    // `trials[index]` is about to change from its current value to `after`
    // (index == trials.size(): `after` is about to be appended). Call before
    // the change is made.
    void update(std::span<const Trial> trials, std::size_t index, const Trial& after);

    // Finished trials that count against the trial budget.
    std::int64_t counted() const { return m_counted; }
    // Simulated seconds (attribute simulated_seconds) over every trial.
    double simulatedSeconds() const { return m_simulatedSeconds; }
    // Index of bestTrial(trials, spec): the earliest best complete (feasible)
    // trial; nullopt for none and for multi-objective studies.
    std::optional<std::size_t> bestIndex() const { return m_best; }

  private:
    bool eligible(const Trial& trial) const;  // could be the best trial
    bool beats(const Trial& trial, std::size_t index, std::span<const Trial> trials) const;

    const StudySpec& m_spec;
    std::int64_t m_counted = 0;
    double m_simulatedSeconds = 0.0;
    std::optional<std::size_t> m_best;
};

}  // namespace bonsai

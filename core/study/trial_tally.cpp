#include "study/trial_tally.h"

#include <cmath>

#include "study/multi_objective.h"

namespace bonsai {

namespace {

const char* kInterruptedKey = "interrupted";

bool counts(const Trial& trial) {
    return trial.finished() && !isInterrupted(trial);
}

double simulated(const Trial& trial) {
    return trial.attrs.value("simulated_seconds", 0.0);
}

}  // namespace

bool isInterrupted(const Trial& trial) {
    return trial.state == TrialState::Failed && trial.attrs.value(kInterruptedKey, false);
}

void markInterrupted(Trial& trial, std::string reason) {
    trial.state = TrialState::Failed;
    trial.error = std::move(reason);
    trial.attrs[kInterruptedKey] = true;
}

void TrialTally::reset(std::span<const Trial> trials) {
    m_counted = 0;
    m_simulatedSeconds = 0.0;
    m_best.reset();
    for (std::size_t i = 0; i < trials.size(); ++i) {
        m_counted += counts(trials[i]);
        m_simulatedSeconds += simulated(trials[i]);
        if (eligible(trials[i]) && (!m_best || beats(trials[i], i, trials)))
            m_best = i;
    }
}

void TrialTally::update(std::span<const Trial> trials, std::size_t index, const Trial& after) {
    if (index < trials.size()) {
        const Trial& before = trials[index];
        m_counted += static_cast<int>(counts(after)) - static_cast<int>(counts(before));
        m_simulatedSeconds += simulated(after) - simulated(before);
        if (m_best == index && !(eligible(after) && after.value == before.value)) {
            // The best trial changed (it never does in a running study, as
            // finished trials stay as they are): count again without it.
            m_best.reset();
            for (std::size_t i = 0; i < trials.size(); ++i)
                if (i != index && eligible(trials[i]) && (!m_best || beats(trials[i], i, trials)))
                    m_best = i;
        }
    } else {
        m_counted += counts(after);
        m_simulatedSeconds += simulated(after);
    }
    if (eligible(after) && (!m_best || beats(after, index, trials)))
        m_best = index;
}

bool TrialTally::eligible(const Trial& trial) const {
    return m_spec.objectives.empty() && trial.state == TrialState::Complete && trial.value &&
           std::isfinite(*trial.value) && (m_spec.constraints.empty() || isFeasible(trial, m_spec));
}

// Whether `trial`, at `index`, is better than the current best; on a tie the
// earlier trial stays best, as bestTrial() picks the first.
bool TrialTally::beats(const Trial& trial, std::size_t index, std::span<const Trial> trials) const {
    const Trial& best = trials[*m_best];
    if (isBetter(*trial.value, *best.value, m_spec.direction))
        return true;
    return !isBetter(*best.value, *trial.value, m_spec.direction) && index < *m_best;
}

}  // namespace bonsai

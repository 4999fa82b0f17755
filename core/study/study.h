#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "objectives/objective.h"
#include "pruners/pruner.h"
#include "storage/database.h"
#include "strategies/strategy.h"
#include "study/multi_objective.h"
#include "study/spec.h"
#include "study/stop_policy.h"
#include "study/trial_tally.h"

namespace bonsai {

// Receives progress from a running study, on the thread that runs it.
class StudyEvents {
  public:
    virtual ~StudyEvents() = default;
    virtual void trialStarted(const Trial& trial) {}
    virtual void intermediateReported(const Trial& trial, std::int64_t step, double value) {}
    virtual void trialFinished(const Trial& trial) {}
};

// The same among feasible trials only (infeasible trials are never best);
// nullopt for a multi-objective study, which has a Pareto set instead
// (paretoTrials in study/multi_objective.h).
std::optional<Trial> bestTrial(std::span<const Trial> trials, const StudySpec& spec);

// A study bound to its database record: the step-wise engine. Each step is
// ask (strategy) -> evaluate (objective) -> tell, and every transition is
// committed before the next, so a study can stop, crash and resume.
class Study {
  public:
    // Creates the study record; throws StorageError if the name is taken.
    // The spec must have been parsed with the same registries.
    static Study create(Database& database, StudySpec spec, const Registries& registries);
    // Reopens a stored study; trials a dead process left running are marked
    // failed (interrupted). Throws StorageError if there is no such study and
    // SpecError if its stored spec no longer validates.
    static Study open(Database& database, const std::string& name, const Registries& registries);

    Study(Study&&) noexcept;
    ~Study();

    // Runs trials until a budget, the target, the end of the space or `stop`.
    // `stop` also reaches running trials (TrialContext::stopRequested).
    // When the time budget is used, running trials are stopped as by `stop`
    // (a command gets SIGTERM, then SIGKILL after its grace_s) and marked
    // interrupted. An error storing a trial (a full disk, say) stops the
    // other running trials and is rethrown here, on the caller's thread,
    // once they have ended; trials already stored stay stored and the study
    // is marked "failed" if the file still takes that write.
    StopReason run(const std::atomic<bool>& stop, StudyEvents* events = nullptr);
    // The same, but running trials see only `interrupt`: with `stop` alone no
    // new trial starts and the running ones finish (a pause).
    StopReason run(const std::atomic<bool>& stop, const std::atomic<bool>& interrupt,
                   StudyEvents* events);

    // Total finished-trial budget (overrides spec.budget.trials).
    void setTrialBudget(std::int64_t trials);
    // How many more trials to run from now on (resume --trials N).
    void extendTrialBudget(std::int64_t moreTrials);
    std::optional<std::int64_t> trialBudget() const;
    // Finished trials that count against the budget.
    std::int64_t countedTrials() const;

    const StudySpec& spec() const;
    std::int64_t id() const;
    const std::vector<Trial>& trials() const;
    std::optional<Trial> best() const;  // bestTrial(trials, spec)

  private:
    struct State;
    explicit Study(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

}  // namespace bonsai

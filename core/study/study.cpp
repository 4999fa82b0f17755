#include "study/study.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "exec/executor_settings.h"

namespace bonsai {

namespace {

const char* kInterruptedKey = "interrupted";

double simulatedSeconds(const std::vector<Trial>& trials) {
    double total = 0.0;
    for (const Trial& trial : trials)
        total += trial.attrs.value("simulated_seconds", 0.0);
    return total;
}

}  // namespace

const char* stopReasonText(StopReason reason) {
    switch (reason) {
        case StopReason::TrialBudget:
            return "trial budget used";
        case StopReason::TimeBudget:
            return "time budget used";
        case StopReason::TargetReached:
            return "target reached";
        case StopReason::SpaceExhausted:
            return "search space exhausted";
        case StopReason::StopRequested:
            return "stopped by user";
    }
    return "";
}

std::optional<Trial> bestTrial(std::span<const Trial> trials, const StudySpec& spec) {
    if (!spec.objectives.empty())
        return std::nullopt;
    if (spec.constraints.empty())
        return bestTrial(trials, spec.direction);
    std::vector<Trial> feasible;
    for (const Trial& trial : trials)
        if (trial.state == TrialState::Complete && isFeasible(trial, spec))
            feasible.push_back(trial);
    return bestTrial(feasible, spec.direction);
}

bool isInterrupted(const Trial& trial) {
    return trial.state == TrialState::Failed && trial.attrs.value(kInterruptedKey, false);
}

// Shared state of a study. `mutex` guards `trials` and every call into
// `events`: workers evaluate their own copy of a trial and publish each change
// under the lock, so the strategy, pruner and observers always see a
// consistent list in which running trials are the pending ones.
struct Study::State {
    Database& database;
    ObjectiveRegistry objectives;
    std::int64_t id = 0;
    StudySpec spec;
    std::vector<Trial> trials;
    std::unique_ptr<Strategy> strategy;
    std::unique_ptr<Pruner> pruner;
    std::optional<std::int64_t> trialBudget;
    // Shared by every worker's objective (one squeue for all jobs); null for
    // the local executor, which objectives hold themselves.
    std::shared_ptr<Executor> executor;

    std::mutex mutex;
    std::condition_variable trialDone;
    StudyEvents* events = nullptr;

    State(Database& db, StudySpec s, const ObjectiveRegistry& registry)
        : database(db), objectives(registry), spec(std::move(s)) {
        strategy = StrategyRegistry::builtins().create(spec.strategy, spec.space);
        pruner = PrunerRegistry::builtins().create(spec.pruner);
        trialBudget = spec.budget.trials;
        if (!spec.executor.is_null())
            executor = makeExecutor(parseExecutorSettings(spec.executor));
    }

    std::unique_ptr<Objective> makeObjective() const {
        std::unique_ptr<Objective> objective = objectives.create(spec.objective, spec.space);
        if (executor)
            objective->setExecutor(executor);  // checked by parseStudySpec
        return objective;
    }

    std::size_t indexOf(int number) const {
        // Numbers are dense and ascending, so this is usually exact at once.
        std::size_t guess = static_cast<std::size_t>(number - trials.front().number);
        if (guess < trials.size() && trials[guess].number == number)
            return guess;
        for (std::size_t i = 0; i < trials.size(); ++i)
            if (trials[i].number == number)
                return i;
        return trials.size();
    }

    // Copies a worker's trial into the shared list. Caller holds the mutex.
    void publish(const Trial& trial) { trials[indexOf(trial.number)] = trial; }

    // nullopt when the strategy has nothing left to propose. Runs on a
    // snapshot so workers can report while the strategy thinks.
    std::optional<Suggestion> ask(int number, const std::vector<Trial>& snapshot) {
        Rng rng(mixSeed(spec.seed, static_cast<std::uint64_t>(number)));
        SuggestContext context{.space = spec.space,
                               .trials = snapshot,
                               .direction = spec.direction,
                               .rng = rng,
                               .seed = spec.seed,
                               .objectives = spec.objectives,
                               .constraints = spec.constraints};
        try {
            return strategy->suggest(context);
        } catch (const std::exception& error) {
            // A strategy failure (numerics, say) must not end the study:
            // fall back to a uniform draw and say why on the trial.
            Eigen::VectorXd unit(spec.space.dimensionCount());
            for (int d = 0; d < unit.size(); ++d)
                unit[d] = uniform01(rng);
            return Suggestion{spec.space.decode(unit),
                              {{"strategy_fallback", std::string("random: ") + error.what()}}};
        }
    }

    // Evaluates `trial` (already stored as running) and stores the outcome;
    // `resume` follows work an earlier process started instead.
    void evaluate(Objective& objective, Trial& trial, const std::atomic<bool>& stop, bool resume);

    class EngineTrialContext;
};

// The objective's window onto its trial: persists each report at once and
// publishes it to the shared trial list.
class Study::State::EngineTrialContext final : public TrialContext {
  public:
    EngineTrialContext(State& state, Trial& trial, const std::atomic<bool>& stop)
        : m_state(state), m_trial(trial), m_stop(stop) {}

    int trialNumber() const override { return m_trial.number; }
    std::string studyName() const override { return m_state.spec.name; }

    void report(std::int64_t step, double value) override {
        if (!std::isfinite(value))
            return;  // a NaN report carries no information for pruners
        m_state.database.addIntermediate(m_state.id, m_trial.number, step, value);
        auto& curve = m_trial.intermediate;
        auto it =
            std::lower_bound(curve.begin(), curve.end(), step,
                             [](const auto& point, std::int64_t s) { return point.first < s; });
        if (it != curve.end() && it->first == step)
            it->second = value;
        else
            curve.insert(it, {step, value});
        std::lock_guard lock(m_state.mutex);
        m_state.publish(m_trial);
        if (m_state.events)
            m_state.events->intermediateReported(m_trial, step, value);
    }

    bool shouldPrune() override {
        if (!m_state.pruner || m_trial.intermediate.empty())
            return false;
        std::lock_guard lock(m_state.mutex);
        return m_state.pruner->shouldPrune(m_trial, m_state.trials, m_state.spec.direction);
    }

    bool stopRequested() const override { return m_stop.load(std::memory_order_relaxed); }

    void setAttribute(const std::string& key, const Json& value) override {
        m_state.database.setTrialAttribute(m_state.id, m_trial.number, key, value);
        m_trial.attrs[key] = value;
        std::lock_guard lock(m_state.mutex);
        m_state.publish(m_trial);
    }

    void addSimulatedSeconds(double seconds) override {
        if (!std::isfinite(seconds) || seconds <= 0)
            return;
        setAttribute("simulated_seconds", m_trial.attrs.value("simulated_seconds", 0.0) + seconds);
    }

  private:
    State& m_state;
    Trial& m_trial;
    const std::atomic<bool>& m_stop;
};

void Study::State::evaluate(Objective& objective, Trial& trial, const std::atomic<bool>& stop,
                            bool resume) {
    EngineTrialContext context(*this, trial, stop);
    try {
        const Json attrs = trial.attrs;  // the context updates trial.attrs as it goes
        double value = resume ? objective.resume(trial.params, attrs, context)
                              : objective.evaluate(trial.params, context);
        if (!spec.objectives.empty()) {
            // Several objectives: read from attributes (or the returned
            // value); a returned NaN only matters if an objective uses it.
            std::string problem = fillObjectiveValues(trial, value, spec.objectives);
            if (problem.empty()) {
                trial.state = TrialState::Complete;
                trial.value = trial.values.front();
            } else {
                trial.state = TrialState::Failed;
                trial.error = problem;
            }
        } else if (std::isfinite(value)) {
            trial.state = TrialState::Complete;
            trial.value = value;
        } else {
            trial.state = TrialState::Failed;
            trial.error =
                std::string("objective returned ") + (std::isnan(value) ? "NaN" : "infinity");
        }
    } catch (const TrialPruned&) {
        trial.state = TrialState::Pruned;
        if (!trial.intermediate.empty())
            trial.value = trial.intermediate.back().second;
        trial.error = "pruned at step " + (trial.intermediate.empty()
                                               ? std::string("0")
                                               : std::to_string(trial.intermediate.back().first));
    } catch (const TrialInterrupted& interrupted) {
        trial.state = TrialState::Failed;
        trial.error = interrupted.what();
        trial.attrs[kInterruptedKey] = true;
    } catch (const std::exception& error) {
        trial.state = TrialState::Failed;
        trial.error = error.what();
    } catch (...) {
        trial.state = TrialState::Failed;
        trial.error = "objective threw an unknown exception";
    }
    trial.completedAt = nowSeconds();
    database.finishTrial(id, trial);
}

Study::Study(std::unique_ptr<State> state) : m_state(std::move(state)) {}
Study::Study(Study&&) noexcept = default;
Study::~Study() = default;

Study Study::create(Database& database, StudySpec spec, const ObjectiveRegistry& objectives) {
    auto state = std::make_unique<State>(database, std::move(spec), objectives);
    // Build the objective once before storing anything, so a broken set-up
    // (a missing data file, say) leaves no empty study behind.
    objectives.create(state->spec.objective, state->spec.space);
    state->id = database.createStudy(state->spec.name, state->spec.direction, state->spec.source);
    return Study(std::move(state));
}

Study Study::open(Database& database, const std::string& name,
                  const ObjectiveRegistry& objectives) {
    StudyRecord record = database.requireStudy(name);
    auto state =
        std::make_unique<State>(database, parseStudySpec(record.spec, objectives), objectives);
    state->id = record.id;
    std::vector<Trial> trials = database.loadTrials(record.id);
    // Trials whose work lives on without us (a Slurm job still queued or
    // running) stay running, and run() follows them again.
    std::unique_ptr<Objective> resumer;
    if (state->executor && std::any_of(trials.begin(), trials.end(), [](const Trial& trial) {
            return trial.state == TrialState::Running;
        }))
        resumer = state->makeObjective();
    for (Trial& trial : trials) {
        if (trial.state != TrialState::Running)
            continue;
        if (resumer && resumer->canResume(state->spec.name, trial.number, trial.attrs))
            continue;
        trial.state = TrialState::Failed;
        trial.error = "interrupted: the process running this trial ended before it finished";
        trial.attrs[kInterruptedKey] = true;
        trial.completedAt = nowSeconds();
        database.finishTrial(record.id, trial);
    }
    state->trials = std::move(trials);
    return Study(std::move(state));
}

StopReason Study::run(const std::atomic<bool>& stop, StudyEvents* events) {
    return run(stop, stop, events);
}

StopReason Study::run(const std::atomic<bool>& stop, const std::atomic<bool>& interrupt,
                      StudyEvents* events) {
    State& s = *m_state;
    // One objective per worker, so objectives need not share state; those
    // that hold process-wide state (Torch's threads and generator) run one
    // trial at a time whatever `workers` says.
    std::vector<std::unique_ptr<Objective>> objectives;
    objectives.push_back(s.makeObjective());
    const int workers = objectives.front()->threadSafe() ? std::max(1, s.spec.workers) : 1;
    for (int w = 1; w < workers; ++w)
        objectives.push_back(s.makeObjective());
    std::vector<int> idleObjectives;
    for (int w = workers - 1; w >= 0; --w)
        idleObjectives.push_back(w);

    const auto started = std::chrono::steady_clock::now();
    const double simulatedAtStart = simulatedSeconds(s.trials);
    auto spentSeconds = [&] {
        std::chrono::duration<double> wall = std::chrono::steady_clock::now() - started;
        return wall.count() + simulatedSeconds(s.trials) - simulatedAtStart;
    };
    s.database.setStudyState(s.id, "running");

    std::unique_lock lock(s.mutex);
    s.events = events;
    int running = 0;
    // With several workers, a fixed pool takes (objective, trial) jobs.
    struct Job {
        int objective;
        Trial trial;
        bool resume;
    };
    std::deque<Job> jobs;
    // Trials Study::open found still running elsewhere: followed before any
    // new trial is asked for, whatever the budget says, so none is lost.
    std::deque<Trial> toResume;
    for (const Trial& trial : s.trials)
        if (trial.state == TrialState::Running)
            toResume.push_back(trial);
    bool closing = false;
    std::condition_variable jobReady;
    std::vector<std::thread> pool;

    // Why the study should end now, counting running trials as if they will
    // use their share of the trial budget.
    auto stopReason = [&]() -> std::optional<StopReason> {
        if (stop.load())
            return StopReason::StopRequested;
        if (s.trialBudget && countedTrials() + running >= *s.trialBudget)
            return StopReason::TrialBudget;
        if (s.spec.budget.seconds && spentSeconds() >= *s.spec.budget.seconds)
            return StopReason::TimeBudget;
        if (s.spec.budget.target) {
            auto best = bestTrial(s.trials, s.spec);
            if (best && !isBetter(*s.spec.budget.target, *best->value, s.spec.direction))
                return StopReason::TargetReached;
        }
        return std::nullopt;
    };

    auto evaluateAndPublish = [&](int objectiveIndex, Trial trial, bool resume) {
        s.evaluate(*objectives[static_cast<std::size_t>(objectiveIndex)], trial, interrupt, resume);
        std::lock_guard guard(s.mutex);
        s.publish(trial);
        --running;
        idleObjectives.push_back(objectiveIndex);
        if (s.events)
            s.events->trialFinished(trial);
        s.trialDone.notify_all();
    };
    auto poolWorker = [&] {
        std::unique_lock guard(s.mutex);
        while (true) {
            jobReady.wait(guard, [&] { return closing || !jobs.empty(); });
            if (jobs.empty())
                return;
            Job job = std::move(jobs.front());
            jobs.pop_front();
            guard.unlock();
            evaluateAndPublish(job.objective, std::move(job.trial), job.resume);
            guard.lock();
        }
    };
    if (workers > 1)
        for (int w = 0; w < workers; ++w)
            pool.emplace_back(poolWorker);

    // Runs `trial` on an idle objective: at once with one worker, else on the pool.
    auto dispatch = [&](Trial trial, bool resume) {
        ++running;
        int objectiveIndex = idleObjectives.back();
        idleObjectives.pop_back();
        if (workers == 1) {
            lock.unlock();
            evaluateAndPublish(objectiveIndex, std::move(trial), resume);
            lock.lock();
        } else {
            jobs.push_back({objectiveIndex, std::move(trial), resume});
            jobReady.notify_one();
        }
    };

    StopReason reason = StopReason::TrialBudget;
    while (true) {
        if (!toResume.empty()) {
            if (running >= workers) {
                s.trialDone.wait_for(lock, std::chrono::milliseconds(100));
                continue;
            }
            Trial trial = std::move(toResume.front());
            toResume.pop_front();
            dispatch(std::move(trial), true);
            continue;
        }
        if (auto why = stopReason()) {
            reason = *why;
            break;
        }
        if (running >= workers) {
            // Wake up now and then to notice the time budget or a stop request.
            s.trialDone.wait_for(lock, std::chrono::milliseconds(100));
            continue;
        }

        int number = s.trials.empty() ? 0 : s.trials.back().number + 1;
        std::vector<Trial> snapshot = s.trials;
        lock.unlock();
        const auto askStarted = std::chrono::steady_clock::now();
        std::optional<Suggestion> suggestion = s.ask(number, snapshot);
        lock.lock();
        if (!suggestion) {
            if (running == 0) {
                reason = StopReason::SpaceExhausted;
                break;
            }
            s.trialDone.wait(lock);  // a running trial may still fail and free its point
            continue;
        }
        suggestion->attrs["suggest_seconds"] =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - askStarted).count();

        Trial trial;
        trial.number = number;
        trial.params = std::move(suggestion->params);
        trial.attrs = std::move(suggestion->attrs);
        trial.startedAt = nowSeconds();
        s.database.insertTrial(s.id, trial);
        s.trials.push_back(trial);
        if (s.events)
            s.events->trialStarted(trial);
        dispatch(std::move(trial), false);
    }

    // Let running trials finish (an interrupt reaches them through their context).
    s.trialDone.wait(lock, [&] { return running == 0; });
    s.events = nullptr;
    closing = true;
    jobReady.notify_all();
    lock.unlock();
    for (auto& thread : pool)
        thread.join();
    s.database.setStudyState(s.id, reason == StopReason::StopRequested ? "stopped" : "finished");
    return reason;
}

void Study::setTrialBudget(std::int64_t trials) {
    m_state->trialBudget = trials;
}
void Study::extendTrialBudget(std::int64_t moreTrials) {
    m_state->trialBudget = countedTrials() + moreTrials;
}
std::optional<std::int64_t> Study::trialBudget() const {
    return m_state->trialBudget;
}

std::int64_t Study::countedTrials() const {
    std::int64_t count = 0;
    for (const Trial& trial : m_state->trials)
        if (trial.finished() && !isInterrupted(trial))
            ++count;
    return count;
}

const StudySpec& Study::spec() const {
    return m_state->spec;
}
std::int64_t Study::id() const {
    return m_state->id;
}
const std::vector<Trial>& Study::trials() const {
    return m_state->trials;
}
std::optional<Trial> Study::best() const {
    return bestTrial(m_state->trials, m_state->spec);
}

}  // namespace bonsai

#include "study/study.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>

#include "exec/executor_settings.h"
#include "study/trial_pool.h"
#include "study/trial_snapshot.h"

namespace bonsai {

namespace {

// Trial attribute: the index of the spec's enqueued point the trial evaluates.
const char* const kEnqueuedKey = "enqueued";

}  // namespace

std::optional<Trial> bestTrial(std::span<const Trial> trials, const StudySpec& spec) {
    if (!spec.objectives.empty())
        return std::nullopt;
    return bestFeasibleTrial(trials, spec);
}

// Shared state of a study. `mutex` guards `trials` (with its tally and the
// strategy's snapshot), the bookkeeping of a run and every call into
// `events`: workers evaluate their own copy of a trial and publish each change
// under the lock, so the strategy, pruner and observers always see a
// consistent list in which running trials are the pending ones.
struct Study::State {
    Database& database;
    // Copies of the injected kinds: the caller's registries may go first.
    ObjectiveRegistry objectives;
    StrategyRegistry strategies;
    PrunerRegistry pruners;
    std::int64_t id = 0;
    StudySpec spec;
    std::vector<Trial> trials;
    TrialTally tally{spec};
    std::unique_ptr<Strategy> strategy;
    std::unique_ptr<Pruner> pruner;
    std::optional<std::int64_t> trialBudget;
    // Shared by every worker's objective (one squeue for all jobs); null for
    // the local executor, which objectives hold themselves.
    std::shared_ptr<Executor> executor;

    std::mutex mutex;
    std::condition_variable trialDone;
    StudyEvents* events = nullptr;
    // This process is the study's one live runner while the Study exists.
    std::unique_ptr<StudyLease> lease;

    // Set during run().
    const StopPolicy* stopPolicy = nullptr;
    // Kept only with several workers; one worker evaluates on the thread
    // that asks, so the strategy can read `trials` itself.
    std::optional<TrialSnapshot> snapshot;
    // Why running trials are told to stop, besides the caller's stop flag.
    enum class Halt { None, TimeBudget, Failure };
    std::atomic<Halt> halt{Halt::None};

    State(Database& db, StudySpec s, const Registries& registries)
        : database(db),
          objectives(registries.objectives),
          strategies(registries.strategies),
          pruners(registries.pruners),
          spec(std::move(s)) {
        strategy = strategies.create(spec.strategy, spec.space);
        pruner = pruners.create(spec.pruner);
        trialBudget = spec.budget.trials;
        if (!spec.executor.is_null())
            executor = makeExecutor(parseExecutorSettings(spec.executor));
    }

    // The warm start's prior observations (none without one).
    std::span<const Trial> priors() const {
        return spec.warmStart.observations ? std::span<const Trial>(*spec.warmStart.observations)
                                           : std::span<const Trial>();
    }

    std::unique_ptr<Objective> makeObjective() const {
        std::unique_ptr<Objective> objective = objectives.create(spec.objective, spec.space);
        if (executor)
            objective->setExecutor(executor);  // checked by parseStudySpec
        return objective;
    }

    // One objective per worker, so objectives need not share state; those
    // that hold process-wide state (Torch's threads and generator) run one
    // trial at a time whatever `workers` says.
    std::vector<std::unique_ptr<Objective>> makeObjectives() const {
        std::vector<std::unique_ptr<Objective>> out;
        out.push_back(makeObjective());
        const int workers = out.front()->threadSafe() ? std::max(1, spec.workers) : 1;
        for (int w = 1; w < workers; ++w)
            out.push_back(makeObjective());
        return out;
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
    void publish(const Trial& trial) {
        const std::size_t index = indexOf(trial.number);
        tally.update(trials, index, trial);
        trials[index] = trial;
        if (snapshot)
            snapshot->changed(index);
    }
    // Adds a new trial to the shared list. Caller holds the mutex.
    void append(const Trial& trial) {
        tally.update(trials, trials.size(), trial);
        trials.push_back(trial);
    }

    StudyProgress progress(int running) const {
        StudyProgress out;
        out.countedTrials = tally.counted();
        out.runningTrials = running;
        out.simulatedSeconds = tally.simulatedSeconds();
        if (auto best = tally.bestIndex())
            out.bestValue = trials[*best].value;
        return out;
    }

    // Whether running trials should end now: the caller's stop flag, a
    // failure elsewhere, or the time budget (checked here too, as a single
    // worker evaluates on the thread that would otherwise notice it).
    bool trialsShouldStop(const std::atomic<bool>& stop) {
        if (stop.load(std::memory_order_relaxed) || halt.load() != Halt::None)
            return true;
        std::lock_guard lock(mutex);
        if (stopPolicy && stopPolicy->timeUp(tally.simulatedSeconds())) {
            Halt none = Halt::None;
            halt.compare_exchange_strong(none, Halt::TimeBudget);
            return true;
        }
        return false;
    }

    // nullopt when the strategy has nothing left to propose. Runs without the
    // lock, on a list no worker writes to, so workers can report meanwhile.
    std::optional<Suggestion> ask(int number, const std::vector<Trial>& view) {
        Rng rng(mixSeed(spec.seed, static_cast<std::uint64_t>(number)));
        SuggestContext context{.space = spec.space,
                               .trials = view,
                               .direction = spec.direction,
                               .rng = rng,
                               .seed = spec.seed,
                               .objectives = spec.objectives,
                               .constraints = spec.constraints,
                               .budgetTrials = spec.budget.trials,
                               .priors = priors()};
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
    // `resume` follows work an earlier process started instead. Throws the
    // StorageError of any write that failed on the way; the outcome is then
    // not stored.
    void evaluate(Objective& objective, Trial& trial, const std::atomic<bool>& stop, bool resume);

    struct Run;
    // `stop` ends the run (no new trial starts); `interrupt` is what running
    // trials see (TrialContext::stopRequested). Study::run(stop) passes the
    // same flag twice; a pause sets only `stop`, so running trials finish.
    StopReason runTrials(std::vector<std::unique_ptr<Objective>>& objectives,
                         const std::atomic<bool>& stop, const std::atomic<bool>& interrupt,
                         StudyEvents* observer);
    StopReason schedule(Run& run, TrialPool& pool, const std::atomic<bool>& stop,
                        const std::atomic<bool>& interrupt);
    void runJob(Run& run, int objectiveIndex, Trial trial, const std::atomic<bool>& interrupt,
                bool resume);

    class EngineTrialContext;
};

// One call of run(): what its trials share. Guarded by State::mutex.
struct Study::State::Run {
    Run(std::vector<std::unique_ptr<Objective>>& o, const StopPolicy& p)
        : objectives(o), stopPolicy(p) {}

    std::vector<std::unique_ptr<Objective>>& objectives;
    const StopPolicy& stopPolicy;
    int running = 0;
    std::vector<int> idleObjectives;
    // Trials Study::open found still running elsewhere: followed before any
    // new trial is asked for, whatever the budget says, so none is lost.
    std::deque<Trial> toResume;
    // Indices into spec.enqueue still to evaluate, in order.
    std::deque<std::size_t> enqueued;
    std::exception_ptr error;      // the first a trial's worker met
    bool interruptedHere = false;  // a trial of this run was cut short

    int workers() const { return static_cast<int>(objectives.size()); }
};

// The objective's window onto its trial: persists each report at once and
// publishes it to the shared trial list.
class Study::State::EngineTrialContext final : public TrialContext {
  public:
    EngineTrialContext(State& state, Trial& trial, const std::atomic<bool>& stop)
        : m_state(state), m_trial(trial), m_stop(stop) {}

    int trialNumber() const override { return m_trial.number; }
    std::string studyName() const override { return m_state.spec.name; }
    std::string studyKey() const override {
        std::error_code error;
        auto file = std::filesystem::weakly_canonical(m_state.database.path(), error);
        return (error ? m_state.database.path() : file.string()) + "#" + std::to_string(m_state.id);
    }

    void report(std::int64_t step, double value) override {
        if (!std::isfinite(value))
            return;  // a NaN report carries no information for pruners
        store([&] { m_state.database.addIntermediate(m_state.id, m_trial.number, step, value); });
        setPoint(m_trial.intermediate, step, value);
        std::lock_guard lock(m_state.mutex);
        // The shared copy gets the same point, not a copy of the whole curve:
        // a trial reporting 100,000 steps would copy it 100,000 times.
        setPoint(m_state.trials[m_state.indexOf(m_trial.number)].intermediate, step, value);
        if (m_state.events)
            m_state.events->intermediateReported(m_trial, step, value);
    }

    bool shouldPrune() override {
        if (!m_state.pruner || m_trial.intermediate.empty())
            return false;
        std::lock_guard lock(m_state.mutex);
        return m_state.pruner->shouldPrune(m_trial, m_state.trials, m_state.spec.direction);
    }

    bool stopRequested() const override { return m_state.trialsShouldStop(m_stop); }

    void setAttribute(const std::string& key, const Json& value) override {
        store([&] { m_state.database.setTrialAttribute(m_state.id, m_trial.number, key, value); });
        m_trial.attrs[key] = value;
        std::lock_guard lock(m_state.mutex);
        m_state.publish(m_trial);
    }

    void addSimulatedSeconds(double seconds) override {
        if (!std::isfinite(seconds) || seconds <= 0)
            return;
        setAttribute("simulated_seconds", m_trial.attrs.value("simulated_seconds", 0.0) + seconds);
    }

    // The first write that failed, even if the objective caught its error.
    std::exception_ptr storageError() const { return m_storageError; }

  private:
    // Re-reporting a step replaces it; steps stay sorted.
    static void setPoint(std::vector<std::pair<std::int64_t, double>>& curve, std::int64_t step,
                         double value) {
        auto it =
            std::lower_bound(curve.begin(), curve.end(), step,
                             [](const auto& point, std::int64_t s) { return point.first < s; });
        if (it != curve.end() && it->first == step)
            it->second = value;
        else
            curve.insert(it, {step, value});
    }

    template <class Write>
    void store(Write write) {
        try {
            write();
        } catch (const StorageError&) {
            if (!m_storageError)
                m_storageError = std::current_exception();
            throw;
        }
    }

    State& m_state;
    Trial& m_trial;
    const std::atomic<bool>& m_stop;
    std::exception_ptr m_storageError;
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
        const bool outOfTime = halt.load() == Halt::TimeBudget && !stop.load();
        markInterrupted(trial, outOfTime ? "stopped: the time budget (budget.seconds) was used"
                                         : interrupted.what());
    } catch (const std::exception& error) {
        trial.state = TrialState::Failed;
        trial.error = error.what();
    } catch (...) {
        trial.state = TrialState::Failed;
        trial.error = "objective threw an unknown exception";
    }
    // A failed write is the study's problem, not this trial's outcome.
    if (std::exception_ptr error = context.storageError())
        std::rethrow_exception(error);
    trial.completedAt = nowSeconds();
    database.finishTrial(id, trial);
}

Study::Study(std::unique_ptr<State> state) : m_state(std::move(state)) {}
Study::Study(Study&&) noexcept = default;
Study::~Study() = default;

Study Study::create(Database& database, StudySpec spec, const Registries& registries) {
    // Priors are read once, here, and stored with the spec: a resume sees
    // the same ones whatever has happened to the old studies since.
    resolveWarmStart(spec, database);
    auto state = std::make_unique<State>(database, std::move(spec), registries);
    // Build the objective once before storing anything, so a broken set-up
    // (a missing data file, say) leaves no empty study behind.
    state->objectives.create(state->spec.objective, state->spec.space);
    state->id = database.createStudy(state->spec.name, state->spec.direction, state->spec.source);
    state->lease = std::make_unique<StudyLease>(database, state->id);
    return Study(std::move(state));
}

Study Study::open(Database& database, const std::string& name, const Registries& registries) {
    StudyRecord record = database.requireStudy(name);
    StudySpec spec = parseStudySpec(record.spec, registries);
    resolveWarmStart(spec, database);  // a no-op for a study create() stored
    auto state = std::make_unique<State>(database, std::move(spec), registries);
    state->id = record.id;
    // Only a runner holding the lease may call running trials interrupted:
    // another live process may be running them.
    state->lease = std::make_unique<StudyLease>(database, record.id);
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
        markInterrupted(trial,
                        "interrupted: the process running this trial ended before it finished");
        trial.completedAt = nowSeconds();
        database.finishTrial(record.id, trial);
    }
    state->trials = std::move(trials);
    state->tally.reset(state->trials);
    return Study(std::move(state));
}

StopReason Study::run(const std::atomic<bool>& stop, StudyEvents* events) {
    return run(stop, stop, events);
}

StopReason Study::run(const std::atomic<bool>& stop, const std::atomic<bool>& interrupt,
                      StudyEvents* events) {
    State& s = *m_state;
    std::vector<std::unique_ptr<Objective>> objectives = s.makeObjectives();
    s.database.setStudyState(s.id, StudyState::Running);
    try {
        StopReason reason = s.runTrials(objectives, stop, interrupt, events);
        s.database.setStudyState(
            s.id, reason == StopReason::StopRequested ? StudyState::Stopped : StudyState::Finished);
        return reason;
    } catch (...) {
        // Whatever was stored stays stored; say the run failed if the file
        // still takes that write (on a full disk it may not), so that no
        // list shows the study running.
        try {
            s.database.setStudyState(s.id, StudyState::Failed);
        } catch (const StorageError&) {
        }
        throw;
    }
}

StopReason Study::State::runTrials(std::vector<std::unique_ptr<Objective>>& objectives,
                                   const std::atomic<bool>& stop,
                                   const std::atomic<bool>& interrupt, StudyEvents* observer) {
    StopPolicy policy(spec.budget, trialBudget, spec.direction, tally.simulatedSeconds());
    Run run(objectives, policy);
    for (int w = run.workers() - 1; w >= 0; --w)
        run.idleObjectives.push_back(w);
    for (const Trial& trial : trials)
        if (trial.state == TrialState::Running)
            run.toResume.push_back(trial);
    // Enqueued points go first, in order, but only once: those a trial
    // already evaluated (or is still running) are skipped; an interrupted one
    // runs again, as it did not count.
    std::vector<bool> taken(spec.enqueue.size(), false);
    for (const Trial& trial : trials) {
        auto point = trial.attrs.find(kEnqueuedKey);
        if (point != trial.attrs.end() && point->is_number_unsigned() && !isInterrupted(trial) &&
            point->get<std::size_t>() < taken.size())
            taken[point->get<std::size_t>()] = true;
    }
    for (std::size_t i = 0; i < taken.size(); ++i)
        if (!taken[i])
            run.enqueued.push_back(i);
    {
        std::lock_guard lock(mutex);
        events = observer;
        stopPolicy = &policy;
        if (run.workers() > 1)
            snapshot.emplace();
        halt = Halt::None;
    }
    // Detaches the run from the state however it ends; declared before the
    // pool, so it runs after the pool has joined its threads.
    struct Detach {
        State& state;
        ~Detach() {
            std::lock_guard lock(state.mutex);
            state.events = nullptr;
            state.stopPolicy = nullptr;
            state.snapshot.reset();
        }
    } detach{*this};

    // One worker evaluates on this thread; several on the pool's threads.
    TrialPool pool(run.workers() > 1 ? run.workers() : 0);
    try {
        return schedule(run, pool, stop, interrupt);
    } catch (...) {
        // Running trials end now; the pool's destructor waits for them.
        halt = Halt::Failure;
        throw;
    }
}

StopReason Study::State::schedule(Run& run, TrialPool& pool, const std::atomic<bool>& stop,
                                  const std::atomic<bool>& interrupt) {
    std::unique_lock lock(mutex);
    auto failed = [&] {
        if (!run.error)
            run.error = pool.firstError();
        return run.error != nullptr;
    };
    // Runs `trial` on an idle objective: at once with one worker, else on the pool.
    auto dispatch = [&](Trial trial, bool resume) {
        ++run.running;
        const int objectiveIndex = run.idleObjectives.back();
        run.idleObjectives.pop_back();
        lock.unlock();
        pool.submit([this, &run, &interrupt, objectiveIndex, resume, trial = std::move(trial)] {
            runJob(run, objectiveIndex, trial, interrupt, resume);
        });
        lock.lock();
    };
    // Wakes up now and then to notice the time budget or a stop request.
    auto waitForATrial = [&] { trialDone.wait_for(lock, std::chrono::milliseconds(100)); };

    StopReason reason = StopReason::TrialBudget;
    while (!failed()) {
        if (!run.toResume.empty()) {
            if (run.running >= run.workers()) {
                waitForATrial();
                continue;
            }
            Trial trial = std::move(run.toResume.front());
            run.toResume.pop_front();
            dispatch(std::move(trial), true);
            continue;
        }
        if (auto why = run.stopPolicy.reason(stop.load(), progress(run.running))) {
            reason = *why;
            if (reason == StopReason::TimeBudget) {
                Halt none = Halt::None;
                halt.compare_exchange_strong(none, Halt::TimeBudget);
            }
            break;
        }
        if (run.running >= run.workers()) {
            waitForATrial();
            continue;
        }

        const int number = trials.empty() ? 0 : trials.back().number + 1;
        const auto askStarted = std::chrono::steady_clock::now();
        std::optional<Suggestion> suggestion;
        if (!run.enqueued.empty()) {
            const std::size_t point = run.enqueued.front();
            run.enqueued.pop_front();
            suggestion = Suggestion{spec.enqueue[point], {{kEnqueuedKey, point}}};
        } else {
            const std::vector<Trial>& view = snapshot ? snapshot->refresh(trials) : trials;
            lock.unlock();
            suggestion = ask(number, view);
            lock.lock();
        }
        if (!suggestion) {
            if (run.running == 0) {
                reason = StopReason::SpaceExhausted;
                break;
            }
            trialDone.wait(lock);  // a running trial may still fail and free its point
            continue;
        }
        suggestion->attrs["suggest_seconds"] =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - askStarted).count();

        Trial trial;
        trial.number = number;
        trial.params = std::move(suggestion->params);
        trial.attrs = std::move(suggestion->attrs);
        trial.startedAt = nowSeconds();
        database.insertTrial(id, trial);
        append(trial);
        if (events)
            events->trialStarted(trial);
        dispatch(std::move(trial), false);
    }

    // Let running trials finish (an interrupt or a failure reaches them
    // through their context; a plain stop lets them end on their own), then
    // hand a worker's error to the caller.
    if (run.error)
        halt = Halt::Failure;
    trialDone.wait(lock, [&] { return run.running == 0; });
    if (failed())
        std::rethrow_exception(run.error);
    // A stop that cut the last trials short left their budget unused: the
    // study is stopped, not finished, and resume runs them again.
    if (run.interruptedHere && stop.load())
        reason = StopReason::StopRequested;
    return reason;
}

void Study::State::runJob(Run& run, int objectiveIndex, Trial trial,
                          const std::atomic<bool>& interrupt, bool resume) {
    std::exception_ptr error;
    try {
        evaluate(*run.objectives[static_cast<std::size_t>(objectiveIndex)], trial, interrupt,
                 resume);
    } catch (...) {
        error = std::current_exception();
    }
    std::lock_guard lock(mutex);
    if (error) {
        // The trial stays running as stored; the next open marks it interrupted.
        if (!run.error)
            run.error = error;
        halt = Halt::Failure;
    } else {
        run.interruptedHere = run.interruptedHere || isInterrupted(trial);
        publish(trial);
        if (events)
            events->trialFinished(trial);
    }
    --run.running;
    run.idleObjectives.push_back(objectiveIndex);
    trialDone.notify_all();
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
    return m_state->tally.counted();
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
    if (auto index = m_state->tally.bestIndex())
        return m_state->trials[*index];
    return std::nullopt;
}

}  // namespace bonsai

#include "study/study.h"

#include <chrono>
#include <cmath>

namespace bonsai {

namespace {

const char* kInterruptedKey = "interrupted";

// The objective's window onto its trial: persists each report at once.
class EngineTrialContext final : public TrialContext {
public:
    EngineTrialContext(Database& database, std::int64_t studyId, Trial& trial,
                       std::vector<Trial>& trials, Pruner* pruner, Direction direction,
                       const std::atomic<bool>& stop, StudyEvents* events)
        : m_database(database),
          m_studyId(studyId),
          m_trial(trial),
          m_trials(trials),
          m_pruner(pruner),
          m_direction(direction),
          m_stop(stop),
          m_events(events) {}

    int trialNumber() const override { return m_trial.number; }

    void report(std::int64_t step, double value) override {
        if (!std::isfinite(value)) return;  // a NaN report carries no information for pruners
        m_database.addIntermediate(m_studyId, m_trial.number, step, value);
        auto& curve = m_trial.intermediate;
        auto it = std::lower_bound(curve.begin(), curve.end(), step,
                                   [](const auto& point, std::int64_t s) { return point.first < s; });
        if (it != curve.end() && it->first == step)
            it->second = value;
        else
            curve.insert(it, {step, value});
        if (m_events) m_events->intermediateReported(m_trial, step, value);
    }

    bool shouldPrune() override {
        if (!m_pruner || m_trial.intermediate.empty()) return false;
        return m_pruner->shouldPrune(m_trial, m_trials, m_direction);
    }

    bool stopRequested() const override { return m_stop.load(std::memory_order_relaxed); }

    void setAttribute(const std::string& key, const Json& value) override {
        m_database.setTrialAttribute(m_studyId, m_trial.number, key, value);
        m_trial.attrs[key] = value;
    }

    void addSimulatedSeconds(double seconds) override {
        if (!std::isfinite(seconds) || seconds <= 0) return;
        double total = m_trial.attrs.value("simulated_seconds", 0.0) + seconds;
        setAttribute("simulated_seconds", total);
    }

private:
    Database& m_database;
    std::int64_t m_studyId;
    Trial& m_trial;
    std::vector<Trial>& m_trials;
    Pruner* m_pruner;
    Direction m_direction;
    const std::atomic<bool>& m_stop;
    StudyEvents* m_events;
};

double simulatedSeconds(const std::vector<Trial>& trials) {
    double total = 0.0;
    for (const Trial& trial : trials) total += trial.attrs.value("simulated_seconds", 0.0);
    return total;
}

}  // namespace

const char* stopReasonText(StopReason reason) {
    switch (reason) {
        case StopReason::TrialBudget: return "trial budget used";
        case StopReason::TimeBudget: return "time budget used";
        case StopReason::TargetReached: return "target reached";
        case StopReason::SpaceExhausted: return "search space exhausted";
        case StopReason::StopRequested: return "stopped by user";
    }
    return "";
}

std::optional<Trial> bestTrial(std::span<const Trial> trials, Direction direction) {
    const Trial* best = nullptr;
    for (const Trial& trial : trials) {
        if (trial.state != TrialState::Complete || !trial.value || !std::isfinite(*trial.value))
            continue;
        if (!best || isBetter(*trial.value, *best->value, direction)) best = &trial;
    }
    if (!best) return std::nullopt;
    return *best;
}

bool isInterrupted(const Trial& trial) {
    return trial.state == TrialState::Failed && trial.attrs.value(kInterruptedKey, false);
}

struct Study::State {
    Database& database;
    std::int64_t id = 0;
    StudySpec spec;
    std::vector<Trial> trials;
    std::unique_ptr<Strategy> strategy;
    std::unique_ptr<Objective> objective;
    std::unique_ptr<Pruner> pruner;
    std::optional<std::int64_t> trialBudget;

    State(Database& db, StudySpec s, const ObjectiveRegistry& objectives)
        : database(db), spec(std::move(s)) {
        strategy = StrategyRegistry::builtins().create(spec.strategy, spec.space);
        objective = objectives.create(spec.objective, spec.space);
        pruner = PrunerRegistry::builtins().create(spec.pruner);
        trialBudget = spec.budget.trials;
    }

    // nullopt when the strategy has nothing left to propose.
    std::optional<Suggestion> ask(int number) {
        Rng rng(mixSeed(spec.seed, static_cast<std::uint64_t>(number)));
        SuggestContext context{spec.space, trials, spec.direction, rng, spec.seed};
        try {
            return strategy->suggest(context);
        } catch (const std::exception& error) {
            // A strategy failure (numerics, say) must not end the study:
            // fall back to a uniform draw and say why on the trial.
            Eigen::VectorXd unit(spec.space.dimensionCount());
            for (int d = 0; d < unit.size(); ++d) unit[d] = uniform01(rng);
            return Suggestion{spec.space.decode(unit),
                              {{"strategy_fallback", std::string("random: ") + error.what()}}};
        }
    }

    // Evaluates `trial` (already stored as running) and stores the outcome.
    void evaluate(Trial& trial, const std::atomic<bool>& stop, StudyEvents* events) {
        EngineTrialContext context(database, id, trial, trials, pruner.get(), spec.direction, stop,
                                   events);
        try {
            double value = objective->evaluate(trial.params, context);
            if (std::isfinite(value)) {
                trial.state = TrialState::Complete;
                trial.value = value;
            } else {
                trial.state = TrialState::Failed;
                trial.error = std::string("objective returned ") + (std::isnan(value) ? "NaN" : "infinity");
            }
        } catch (const TrialPruned&) {
            trial.state = TrialState::Pruned;
            if (!trial.intermediate.empty()) trial.value = trial.intermediate.back().second;
            trial.error = "pruned at step " +
                          (trial.intermediate.empty() ? std::string("0")
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
};

Study::Study(std::unique_ptr<State> state) : m_state(std::move(state)) {}
Study::Study(Study&&) noexcept = default;
Study::~Study() = default;

Study Study::create(Database& database, StudySpec spec, const ObjectiveRegistry& objectives) {
    auto state = std::make_unique<State>(database, std::move(spec), objectives);
    state->id = database.createStudy(state->spec.name, state->spec.direction, state->spec.source);
    return Study(std::move(state));
}

Study Study::open(Database& database, const std::string& name, const ObjectiveRegistry& objectives) {
    auto record = database.findStudy(name);
    if (!record) throw StorageError("no study named '" + name + "' in " + database.path() +
                                    "; `bonsai-cli list` shows the studies there");
    auto state = std::make_unique<State>(database, parseStudySpec(record->spec, objectives), objectives);
    state->id = record->id;
    std::vector<Trial> trials = database.loadTrials(record->id);
    for (Trial& trial : trials) {
        if (trial.state != TrialState::Running) continue;
        trial.state = TrialState::Failed;
        trial.error = "interrupted: the process running this trial ended before it finished";
        trial.attrs[kInterruptedKey] = true;
        trial.completedAt = nowSeconds();
        database.finishTrial(record->id, trial);
    }
    state->trials = std::move(trials);
    return Study(std::move(state));
}

StopReason Study::run(const std::atomic<bool>& stop, StudyEvents* events) {
    State& s = *m_state;
    const auto started = std::chrono::steady_clock::now();
    const double simulatedAtStart = simulatedSeconds(s.trials);
    auto spentSeconds = [&] {
        std::chrono::duration<double> wall = std::chrono::steady_clock::now() - started;
        return wall.count() + simulatedSeconds(s.trials) - simulatedAtStart;
    };
    s.database.setStudyState(s.id, "running");
    auto finish = [&](StopReason reason) {
        s.database.setStudyState(s.id, reason == StopReason::StopRequested ? "stopped" : "finished");
        return reason;
    };

    while (true) {
        if (stop.load()) return finish(StopReason::StopRequested);
        if (s.trialBudget && countedTrials() >= *s.trialBudget) return finish(StopReason::TrialBudget);
        if (s.spec.budget.seconds && spentSeconds() >= *s.spec.budget.seconds)
            return finish(StopReason::TimeBudget);
        if (s.spec.budget.target) {
            auto best = this->best();
            if (best && !isBetter(*s.spec.budget.target, *best->value, s.spec.direction))
                return finish(StopReason::TargetReached);
        }

        int number = s.trials.empty() ? 0 : s.trials.back().number + 1;
        const auto askStarted = std::chrono::steady_clock::now();
        std::optional<Suggestion> suggestion = s.ask(number);
        if (!suggestion) return finish(StopReason::SpaceExhausted);
        suggestion->attrs["suggest_seconds"] =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - askStarted).count();

        Trial trial;
        trial.number = number;
        trial.params = std::move(suggestion->params);
        trial.attrs = std::move(suggestion->attrs);
        trial.startedAt = nowSeconds();
        s.database.insertTrial(s.id, trial);
        s.trials.push_back(std::move(trial));
        if (events) events->trialStarted(s.trials.back());

        s.evaluate(s.trials.back(), stop, events);
        if (events) events->trialFinished(s.trials.back());
    }
}

void Study::setTrialBudget(std::int64_t trials) { m_state->trialBudget = trials; }
void Study::extendTrialBudget(std::int64_t moreTrials) { m_state->trialBudget = countedTrials() + moreTrials; }
std::optional<std::int64_t> Study::trialBudget() const { return m_state->trialBudget; }

std::int64_t Study::countedTrials() const {
    std::int64_t count = 0;
    for (const Trial& trial : m_state->trials)
        if (trial.finished() && !isInterrupted(trial)) ++count;
    return count;
}

const StudySpec& Study::spec() const { return m_state->spec; }
std::int64_t Study::id() const { return m_state->id; }
const std::vector<Trial>& Study::trials() const { return m_state->trials; }
std::optional<Trial> Study::best() const { return bestTrial(m_state->trials, m_state->spec.direction); }

}  // namespace bonsai

#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "space/search_space.h"
#include "util/json_reader.h"
#include "util/kind_registry.h"

namespace bonsai {

class Executor;

// The objective's window onto its running trial. Implementations persist every
// call before returning, so a crash never loses a reported value.
class TrialContext {
  public:
    virtual ~TrialContext() = default;
    virtual int trialNumber() const = 0;
    virtual std::string studyName() const { return {}; }
    // Tells this study apart from every other one, even of the same name in
    // another database (its database file and id); "" outside a stored study.
    virtual std::string studyKey() const { return {}; }
    // An intermediate value (e.g. validation accuracy after epoch `step`).
    virtual void report(std::int64_t step, double value) = 0;
    // Whether the pruner wants this trial stopped, judged on the reports so far.
    virtual bool shouldPrune() = 0;
    // The user asked the study to stop (or pause): end the trial early.
    virtual bool stopRequested() const = 0;
    virtual void setAttribute(const std::string& key, const Json& value) = 0;
    // Simulated cost in seconds (tabular benchmarks), counted by budget.seconds.
    virtual void addSimulatedSeconds(double seconds) {}
};

// Thrown by an objective that honoured shouldPrune(); the trial becomes pruned.
struct TrialPruned : std::exception {
    const char* what() const noexcept override { return "pruned"; }
};
// Thrown by an objective that honoured stopRequested(); the trial is abandoned
// and marked failed with reason "stopped by user" (resume re-runs its budget).
struct TrialInterrupted : std::exception {
    const char* what() const noexcept override { return "stopped by user"; }
};

// Something that scores a point of the search space. Any other exception, or
// a NaN/inf result, fails that trial with the exception's text as reason.
class Objective {
  public:
    virtual ~Objective() = default;
    virtual double evaluate(const ParamMap& params, TrialContext& context) = 0;
    // Whether evaluate() may run concurrently on several threads.
    virtual bool threadSafe() const { return true; }

    // Objectives that run external programs (the command objective) can hand
    // them to another executor, such as a Slurm cluster; false for objectives
    // that evaluate inside Bonsai.
    virtual bool setExecutor(std::shared_ptr<Executor> executor) { return false; }
    // Work that outlives this process (a batch job) can be followed again
    // when its study is reopened. Whether trial `number` of `studyName`, left
    // running with these stored attributes, still can be.
    virtual bool canResume(const std::string& studyName, int number, const Json& attrs) {
        return false;
    }
    // Follows such a trial to its end instead of starting it anew; the same
    // outcomes (value, TrialPruned, ...) as evaluate().
    virtual double resume(const ParamMap& params, const Json& attrs, TrialContext& context) {
        throw std::logic_error("this objective cannot resume trials");
    }
};

using ObjectiveFactory =
    std::function<std::unique_ptr<Objective>(JsonReader& settings, const SearchSpace& space)>;

// An objective kind: its name in specs and its factory (which reads its own
// settings through the JsonReader).
struct ObjectiveKind {
    std::string kind;
    ObjectiveFactory factory;
};

// Name-keyed objective kinds. Core registers "function", "tabular" and
// "command"; applications add "fashion-mnist" (bonsai_nas) at start-up.
class ObjectiveRegistry : public KindRegistry<ObjectiveKind> {
  public:
    static ObjectiveRegistry withBuiltins();

    using KindRegistry<ObjectiveKind>::add;
    void add(const std::string& kind, ObjectiveFactory factory) {
        add(ObjectiveKind{kind, std::move(factory)});
    }
    std::unique_ptr<Objective> create(const Json& spec, const SearchSpace& space,
                                      const std::string& path = "objective") const;
};

}  // namespace bonsai

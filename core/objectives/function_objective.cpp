#include <chrono>
#include <cmath>
#include <thread>

#include "objectives/builtin_objectives.h"
#include "objectives/test_functions.h"

namespace bonsai {

namespace {

// Sleeps `seconds` to stand in for an expensive objective; the sleep ends
// early on a stop request.
void simulateCost(double seconds, TrialContext& context) {
    using Clock = std::chrono::steady_clock;
    const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(seconds));
    while (Clock::now() < end) {
        if (context.stopRequested())
            throw TrialInterrupted();
        Clock::duration left = end - Clock::now();
        std::this_thread::sleep_for(std::min<Clock::duration>(left, std::chrono::milliseconds(10)));
    }
}

// {"kind": "function", "function": NAME}: a built-in test function of the
// space's numeric parameters, taken in the order the space lists them.
//
// `delay_seconds` sleeps before answering, to stand in for an expensive
// objective in demos and tests; the sleep ends early on a stop request.
class FunctionObjective final : public Objective {
  public:
    FunctionObjective(const TestFunction& function, std::vector<std::string> names,
                      double delaySeconds)
        : m_function(function), m_names(std::move(names)), m_delaySeconds(delaySeconds) {}

    double evaluate(const ParamMap& params, TrialContext& context) override {
        simulateCost(m_delaySeconds, context);
        std::vector<double> x;
        x.reserve(m_names.size());
        for (const std::string& name : m_names) {
            auto it = params.find(name);
            if (it == params.end())
                throw std::runtime_error("parameter '" + name + "' is inactive; " +
                                         m_function.name + " needs every coordinate");
            x.push_back(*numericValue(it->second));
        }
        return m_function.evaluate(x);
    }

  private:
    const TestFunction& m_function;
    std::vector<std::string> m_names;
    double m_delaySeconds;
};

// A multi-objective test function: sets one trial attribute per objective
// ("f1", "f2") for a study's "objectives" to read, and returns the first.
class MultiObjectiveFunctionObjective final : public Objective {
  public:
    MultiObjectiveFunctionObjective(const MultiObjectiveTestFunction& function,
                                    std::vector<std::string> names, double delaySeconds)
        : m_function(function), m_names(std::move(names)), m_delaySeconds(delaySeconds) {}

    double evaluate(const ParamMap& params, TrialContext& context) override {
        simulateCost(m_delaySeconds, context);
        std::vector<double> x;
        x.reserve(m_names.size());
        for (const std::string& name : m_names)
            x.push_back(*numericValue(params.at(name)));
        std::vector<double> values = m_function.evaluate(x);
        for (std::size_t i = 0; i < values.size(); ++i)
            context.setAttribute(m_function.objectiveNames[i], values[i]);
        return values.front();
    }

  private:
    const MultiObjectiveTestFunction& m_function;
    std::vector<std::string> m_names;
    double m_delaySeconds;
};

double delaySeconds(JsonReader& settings) {
    double delay = settings.numberOr("delay_seconds", 0.0);
    if (delay < 0 || delay > 3600)
        settings.fail("delay_seconds",
                      "must be between 0 and 3600 (got " + describeJson(delay) + ")");
    return delay;
}

}  // namespace

std::unique_ptr<Objective> makeFunctionObjective(JsonReader& settings, const SearchSpace& space) {
    std::string name = settings.requireString("function");
    const TestFunction* function = findTestFunction(name);
    const MultiObjectiveTestFunction* multi = findMultiObjectiveTestFunction(name);
    if (!function && !multi) {
        std::vector<std::string> known = testFunctionNames();
        for (const std::string& other : multiObjectiveTestFunctionNames())
            known.push_back(other);
        settings.failUnknownName("function", "function", name, known);
    }
    std::vector<std::string> names;
    for (std::size_t i = 0; i < space.params().size(); ++i) {
        const ParamSpec& param = space.params()[i];
        if (param.type != ParamType::Float && param.type != ParamType::Int)
            settings.fail("function", name + " takes numeric parameters only; space[" +
                                          std::to_string(i) + "] ('" + abbreviate(param.name) +
                                          "') is " + paramTypeName(param.type));
        if (param.when)
            settings.fail("function", name + " needs every coordinate; space[" + std::to_string(i) +
                                          "] ('" + abbreviate(param.name) + "') is conditional");
        names.push_back(param.name);
    }
    int count = static_cast<int>(names.size());
    if (multi) {
        if (!multi->takesDimension(count))
            settings.fail(
                "function",
                name + " needs " +
                    (multi->minDimension == multi->maxDimension ? "exactly " : "at least ") +
                    std::to_string(multi->minDimension) + " parameters but the space has " +
                    std::to_string(count));
        for (std::size_t i = 0; i < space.params().size(); ++i) {
            const ParamSpec& param = space.params()[i];
            if (param.low < multi->domain.first || param.high > multi->domain.second)
                settings.fail("function",
                              name + " is defined on [" + describeJson(multi->domain.first) + ", " +
                                  describeJson(multi->domain.second) + "]; space[" +
                                  std::to_string(i) + "] ('" + param.name + "') goes from " +
                                  describeJson(param.low) + " to " + describeJson(param.high));
        }
        return std::make_unique<MultiObjectiveFunctionObjective>(*multi, std::move(names),
                                                                 delaySeconds(settings));
    }
    if (function->dimension != 0 && count != function->dimension)
        settings.fail("function", name + " takes " + std::to_string(function->dimension) +
                                      " parameters but the space has " + std::to_string(count) +
                                      "; define exactly " + std::to_string(function->dimension));
    if (count == 0)
        settings.fail("function", name + " needs at least one parameter");
    return std::make_unique<FunctionObjective>(*function, std::move(names), delaySeconds(settings));
}

}  // namespace bonsai

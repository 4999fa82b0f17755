#include <QtTest>

#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "space/search_space.h"
#include "support/spec_errors.h"
#include "util/spec_error.h"

using namespace bonsai;

namespace {

QString messageOf(const std::function<void()>& action) {
    return QString::fromStdString(test::specErrorMessage(action));
}

// A random JSON value biased towards the words a space spec uses, so the
// generator reaches deep validation paths instead of failing at the first key.
class RandomJson {
  public:
    explicit RandomJson(std::uint64_t seed) : m_rng(seed) {}

    Json space() {
        Json array = Json::array();
        int n = 1 + pick(5);
        for (int i = 0; i < n; ++i) {
            Json entry = chance(0.5) ? plausibleParam(i) : chance(0.9) ? param() : value(2);
            if (chance(0.3))
                mutate(entry);
            array.push_back(std::move(entry));
        }
        return chance(0.03) ? value(2) : array;
    }

  private:
    // A parameter that is valid on its own, so that mutations and conditions
    // are checked against real spaces too.
    Json plausibleParam(int index) {
        Json object{{"name", std::string("p").append(std::to_string(index))}};
        switch (pick(4)) {
            case 0: {
                double low = pick(5) + 1;
                object.update({{"type", "float"}, {"low", low}, {"high", low + 1 + pick(4)}});
                if (chance(0.3))
                    object["log"] = true;
                else if (chance(0.3))
                    object["step"] = 0.5;
                break;
            }
            case 1: {
                int low = pick(5) + 1;
                object.update({{"type", "int"}, {"low", low}, {"high", low + 2 * (1 + pick(4))}});
                if (chance(0.3))
                    object["log"] = true;
                else if (chance(0.3))
                    object["step"] = 2;
                break;
            }
            case 2:
                object.update({{"type", "categorical"}, {"choices", {"a", 1, true, 2.5}}});
                break;
            default:
                object["type"] = "nb201-cell";
        }
        if (index > 0 && chance(0.5)) {
            Json when{{"param", std::string("p").append(std::to_string(pick(index)))}};
            if (chance(0.5))
                when["equals"] = scalar();
            else
                when["in"] = list(3);
            object["when"] = when;
        }
        return object;
    }

    void mutate(Json& entry) {
        static const char* keys[] = {"name", "type", "low",     "high",
                                     "log",  "step", "choices", "when"};
        if (!entry.is_object())
            return;
        std::string key = keys[pick(8)];
        if (chance(0.3))
            entry.erase(key);
        else
            entry[key] = chance(0.5) ? scalar() : value(1);
    }

    Json param() {
        static const char* types[] = {"float", "int", "categorical", "nb201-cell", "flaot", ""};
        Json object = Json::object();
        if (chance(0.95))
            object["name"] = chance(0.9) ? Json(word()) : value(1);
        if (chance(0.95))
            object["type"] = chance(0.9) ? Json(types[pick(6)]) : value(1);
        if (chance(0.6))
            object["low"] = number();
        if (chance(0.6))
            object["high"] = number();
        if (chance(0.2))
            object["log"] = chance(0.8) ? Json(chance(0.5)) : value(1);
        if (chance(0.2))
            object["step"] = number();
        if (chance(0.3))
            object["choices"] = list(3);
        if (chance(0.3))
            object["when"] = when();
        if (chance(0.05))
            object[word() + "x"] = value(1);
        return object;
    }

    Json when() {
        Json object = Json::object();
        if (chance(0.9))
            object["param"] = chance(0.9) ? Json(word()) : value(1);
        if (chance(0.6))
            object["equals"] = scalar();
        if (chance(0.4))
            object["in"] = chance(0.8) ? list(3) : value(1);
        if (chance(0.05))
            object["equal"] = scalar();
        return chance(0.95) ? object : value(1);
    }

    Json list(int n) {
        Json array = Json::array();
        int size = pick(n + 1);
        for (int i = 0; i < size; ++i)
            array.push_back(chance(0.9) ? scalar() : value(1));
        return array;
    }

    Json scalar() {
        switch (pick(4)) {
            case 0:
                return word();
            case 1:
                return chance(0.5);
            default:
                return number();
        }
    }

    Json number() {
        static const double specials[] = {0.0,    -0.0,  1.0, -1.0, 0.5,  1e-300, 1e300,
                                          -1e308, 1e308, 3.0, 1e-9, 1e13, 0.1,    0.3};
        switch (pick(6)) {
            case 0:
                return specials[pick(14)];
            case 1:
                return static_cast<std::int64_t>(pick(21)) - 10;
            case 2:
                return std::numeric_limits<std::uint64_t>::max() - pick(3);
            case 3:
                return std::numeric_limits<std::int64_t>::min() + pick(3);
            case 4:
                return std::numeric_limits<double>::quiet_NaN();
            default:
                return std::uniform_real_distribution<double>(-20, 20)(m_rng);
        }
    }

    Json value(int depth) {
        switch (pick(depth > 0 ? 7 : 5)) {
            case 0:
                return nullptr;
            case 1:
                return chance(0.5);
            case 2:
                return number();
            case 3:
                return word();
            case 4:
                return "|none~0|+|none~0|none~1|+|none~0|none~1|skip_connect~2|";
            case 5:
                return list(3);
            default: {
                Json object = Json::object();
                object[word()] = value(depth - 1);
                return object;
            }
        }
    }

    std::string word() {
        static const char* words[] = {"a", "b", "lr", "act", "relu", "", "cell", "x"};
        return words[pick(8)];
    }

    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(m_rng); }
    bool chance(double p) { return std::bernoulli_distribution(p)(m_rng); }

    std::mt19937_64 m_rng;
};

}  // namespace

class TestSpaceSpec : public QObject {
    Q_OBJECT

  private slots:
    void badSpecsNameTheFieldAndTheFix_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("message");

        const QString opt =
            R"({"name": "optimizer", "type": "categorical", "choices": ["sgd", "adam"]})";
        const QString layers = R"({"name": "layers", "type": "int", "low": 1, "high": 4})";

        // The array itself
        QTest::newRow("not an array") << "{}"
                                      << "space: must be an array of parameters (got {})";
        QTest::newRow("empty")
            << "[]"
            << R"(space: must hold at least one parameter, e.g. [{"name": "x", "type": "float", "low": 0, "high": 1}])";
        QTest::newRow("entry not an object") << "[1]"
                                             << "space[0]: must be a JSON object (got a number)";

        // Names
        QTest::newRow("name missing") << R"([{"type": "float", "low": 0, "high": 1}])"
                                      << "space[0].name: is required";
        QTest::newRow("name empty") << R"([{"name": "", "type": "float", "low": 0, "high": 1}])"
                                    << "space[0].name: must not be empty";
        QTest::newRow("name not a string")
            << R"([{"name": 5, "type": "float", "low": 0, "high": 1}])"
            << "space[0].name: must be a string (got a number)";
        QTest::newRow("duplicate name") << R"([{"name": "x", "type": "float", "low": 0, "high": 1},
                  {"name": "lr", "type": "float", "low": 0, "high": 1},
                  {"name": "y", "type": "float", "low": 0, "high": 1},
                  {"name": "lr", "type": "int", "low": 0, "high": 1}])"
                                        << "space[3].name: duplicate name 'lr' (also space[1])";

        // Types and keys
        QTest::newRow("type missing") << R"([{"name": "x", "low": 0, "high": 1}])"
                                      << "space[0].type: is required";
        QTest::newRow("type misspelt")
            << R"([{"name": "x", "type": "flaot", "low": 0, "high": 1}])"
            << "space[0].type: unknown type 'flaot'; did you mean 'float'? (known: float, int, "
               "categorical, nb201-cell)";
        QTest::newRow("type unknown")
            << R"([{"name": "x", "type": "tensor"}])"
            << "space[0].type: unknown type 'tensor' (known: float, int, categorical, nb201-cell)";
        QTest::newRow("key misspelt") << R"([{"name": "x", "type": "float", "low": 0, "hihg": 1}])"
                                      << "space[0].hihg: unknown key; did you mean 'high'?";
        QTest::newRow("key unknown")
            << R"([{"name": "x", "type": "float", "low": 0, "high": 1, "xyz": 1}])"
            << "space[0].xyz: unknown key (known keys: choices, high, log, low, name, step, type, "
               "when)";
        QTest::newRow("choices on a float")
            << R"([{"name": "x", "type": "float", "low": 0, "high": 1, "choices": [1]}])"
            << "space[0].choices: does not apply to a float parameter";
        QTest::newRow("low on a categorical")
            << R"([{"name": "x", "type": "categorical", "choices": [1], "low": 0}])"
            << "space[0].low: does not apply to a categorical parameter";
        QTest::newRow("step on a cell")
            << R"([{"name": "c", "type": "nb201-cell", "step": 1}])"
            << "space[0].step: does not apply to an nb201-cell parameter";

        // Bounds
        QTest::newRow("low missing") << R"([{"name": "x", "type": "float", "high": 1}])"
                                     << "space[0].low: is required";
        QTest::newRow("low not a number")
            << R"([{"name": "x", "type": "float", "low": "0", "high": 1}])"
            << "space[0].low: must be a number (got a string)";
        QTest::newRow("low equals high")
            << R"([{"name": "x", "type": "float", "low": 1, "high": 1}])"
            << "space[0].high: must be greater than low = 1 (got 1)";
        QTest::newRow("low above high") << R"([{"name": "x", "type": "int", "low": 5, "high": -2}])"
                                        << "space[0].high: must be greater than low = 5 (got -2)";
        QTest::newRow("range overflows")
            << R"([{"name": "x", "type": "float", "low": -1e308, "high": 1e308}])"
            << "space[0].high: is too far from low: high - low overflows a double";
        QTest::newRow("log float with low 0")
            << R"([{"name": "a", "type": "int", "low": 0, "high": 1},
                  {"name": "b", "type": "int", "low": 0, "high": 1},
                  {"name": "lr", "type": "float", "low": 0, "high": 1, "log": true}])"
            << "space[2].low: must be > 0 when log is true (got 0)";
        QTest::newRow("log float with negative low")
            << R"([{"name": "lr", "type": "float", "low": -1e-3, "high": 1, "log": true}])"
            << "space[0].low: must be > 0 when log is true (got -0.001)";
        QTest::newRow("log not a boolean")
            << R"([{"name": "lr", "type": "float", "low": 1, "high": 2, "log": "yes"}])"
            << "space[0].log: must be true or false (got a string)";
        QTest::newRow("int low not whole")
            << R"([{"name": "n", "type": "int", "low": 0.5, "high": 4}])"
            << "space[0].low: must be a whole number (got 0.5)";
        QTest::newRow("int high not whole")
            << R"([{"name": "n", "type": "int", "low": 0, "high": 2.5}])"
            << "space[0].high: must be a whole number (got 2.5)";
        QTest::newRow("int bound too large")
            << R"([{"name": "n", "type": "int", "low": 0, "high": 10000000000000}])"
            << "space[0].high: must be within +-2^40 = 1099511627776 (got 10000000000000); use a "
               "float for wider ranges";
        QTest::newRow("log int with low 0")
            << R"([{"name": "n", "type": "int", "low": 0, "high": 64, "log": true}])"
            << "space[0].low: must be >= 1 when log is true for an int, so every value gets a bin "
               "on the log scale (got 0)";

        // Steps
        QTest::newRow("float step zero")
            << R"([{"name": "x", "type": "float", "low": 0, "high": 1, "step": 0}])"
            << "space[0].step: must be > 0 (got 0)";
        QTest::newRow("int step negative")
            << R"([{"name": "n", "type": "int", "low": 0, "high": 10, "step": -2}])"
            << "space[0].step: must be > 0 (got -2)";
        QTest::newRow("int step not whole")
            << R"([{"name": "n", "type": "int", "low": 0, "high": 10, "step": 0.5}])"
            << "space[0].step: must be a whole number (got 0.5)";
        QTest::newRow("float step with log")
            << R"([{"name": "x", "type": "float", "low": 1, "high": 10, "log": true, "step": 1}])"
            << "space[0].step: cannot be combined with log on a float; drop step or set log to "
               "false";
        QTest::newRow("int step with log")
            << R"([{"name": "n", "type": "int", "low": 1, "high": 9, "log": true, "step": 2}])"
            << "space[0].step: cannot be combined with log on an int (only step 1); drop step or "
               "set log to false";
        QTest::newRow("float step does not divide the range")
            << R"([{"name": "x", "type": "float", "low": 0, "high": 1, "step": 0.3}])"
            << "space[0].step: (high - low) = 1 is not a multiple of step 0.3; pick a step that "
               "divides it";
        QTest::newRow("float step wider than the range")
            << R"([{"name": "x", "type": "float", "low": 0, "high": 1, "step": 2}])"
            << "space[0].step: (high - low) = 1 is not a multiple of step 2; pick a step that "
               "divides it";
        QTest::newRow("int step does not divide the range")
            << R"([{"name": "n", "type": "int", "low": 0, "high": 10, "step": 3}])"
            << "space[0].step: (high - low) = 10 is not a multiple of step 3; pick a step that "
               "divides it";
        QTest::newRow("float step too fine to encode")
            << R"([{"name": "x", "type": "float", "low": 0, "high": 1, "step": 1e-18}])"
            << "space[0].step: splits (high - low) = 1 into more than 2^50 values; pick a larger "
               "step or drop it";

        // Choices
        QTest::newRow("choices missing") << R"([{"name": "c", "type": "categorical"}])"
                                         << "space[0].choices: is required";
        QTest::newRow("choices not an array")
            << R"([{"name": "c", "type": "categorical", "choices": "relu"}])"
            << "space[0].choices: must be an array (got a string)";
        QTest::newRow("choices empty") << R"([{"name": "c", "type": "categorical", "choices": []}])"
                                       << "space[0].choices: must list at least one choice";
        QTest::newRow("duplicate string choice")
            << R"([{"name": "c", "type": "categorical", "choices": ["relu", "gelu", "relu"]}])"
            << R"(space[0].choices[2]: duplicate choice "relu" (also choices[0]))";
        QTest::newRow("duplicate numeric choice across types")
            << R"([{"name": "c", "type": "categorical", "choices": [1, 1.0]}])"
            << "space[0].choices[1]: duplicate choice 1 (also choices[0])";
        QTest::newRow("null choice")
            << R"([{"name": "c", "type": "categorical", "choices": ["a", null]}])"
            << "space[0].choices[1]: must be a string, number or boolean (got null)";
        QTest::newRow("array choice")
            << R"([{"name": "c", "type": "categorical", "choices": [[1]]}])"
            << "space[0].choices[0]: must be a string, number or boolean (got an array)";
        QTest::newRow("object choice")
            << R"([{"name": "c", "type": "categorical", "choices": [{"a": 1}]}])"
            << "space[0].choices[0]: must be a string, number or boolean (got an object)";
        QTest::newRow("choice beyond int64")
            << R"([{"name": "c", "type": "categorical", "choices": [18446744073709551615]}])"
            << "space[0].choices[0]: is too large for a 64-bit integer (got "
               "18446744073709551615)";

        // Conditions
        QTest::newRow("when not an object")
            << "[" + opt +
                   R"(, {"name": "m", "type": "float", "low": 0, "high": 1, "when": "sgd"}])"
            << "space[1].when: must be a JSON object (got a string)";
        QTest::newRow("when key misspelt")
            << "[" + opt +
                   R"(, {"name": "m", "type": "float", "low": 0, "high": 1, "when": {"param": "optimizer", "equal": "sgd"}}])"
            << "space[1].when.equal: unknown key; did you mean 'equals'?";
        QTest::newRow("when param missing")
            << "[" + opt +
                   R"(, {"name": "m", "type": "float", "low": 0, "high": 1, "when": {"equals": "sgd"}}])"
            << "space[1].when.param: is required";
        QTest::newRow("when on an unknown parameter (typo)")
            << "[" + opt +
                   R"(, {"name": "m", "type": "float", "low": 0, "high": 1, "when": {"param": "optimiser", "equals": "sgd"}}])"
            << "space[1].when.param: unknown parameter 'optimiser'; did you mean 'optimizer'?";
        QTest::newRow("when on an unknown parameter")
            << "[" + opt +
                   R"(, {"name": "m", "type": "float", "low": 0, "high": 1, "when": {"param": "zzz", "equals": 1}}])"
            << "space[1].when.param: unknown parameter 'zzz' (parameters before it: optimizer)";
        QTest::newRow("when on itself")
            << R"([{"name": "m", "type": "int", "low": 0, "high": 1, "when": {"param": "m", "equals": 1}}])"
            << "space[0].when.param: a parameter cannot depend on itself";
        QTest::newRow("when on a later parameter")
            << R"([{"name": "m", "type": "float", "low": 0, "high": 1, "when": {"param": "optimizer", "equals": "sgd"}}, )" +
                   opt + "]"
            << "space[0].when.param: 'optimizer' is defined later (space[1]); a condition must "
               "refer to a parameter defined before it";
        QTest::newRow("when with both equals and in")
            << "[" + opt +
                   R"(, {"name": "m", "type": "float", "low": 0, "high": 1, "when": {"param": "optimizer", "equals": "sgd", "in": ["sgd"]}}])"
            << "space[1].when: needs exactly one of 'equals' or 'in' (got both)";
        QTest::newRow("when with neither equals nor in")
            << "[" + opt +
                   R"(, {"name": "m", "type": "float", "low": 0, "high": 1, "when": {"param": "optimizer"}}])"
            << "space[1].when: needs exactly one of 'equals' or 'in'";
        QTest::newRow("when in empty")
            << "[" + opt +
                   R"(, {"name": "m", "type": "float", "low": 0, "high": 1, "when": {"param": "optimizer", "in": []}}])"
            << "space[1].when.in: must list at least one value";
        QTest::newRow("when in not an array")
            << "[" + opt +
                   R"(, {"name": "m", "type": "float", "low": 0, "high": 1, "when": {"param": "optimizer", "in": "sgd"}}])"
            << R"(space[1].when.in: must be an array of values (got "sgd"))";
        QTest::newRow("when equals null")
            << "[" + opt +
                   R"(, {"name": "m", "type": "float", "low": 0, "high": 1, "when": {"param": "optimizer", "equals": null}}])"
            << "space[1].when.equals: must be a string, number or boolean (got null)";
        QTest::newRow("when equals is not a choice")
            << "[" + opt +
                   R"(, {"name": "m", "type": "float", "low": 0, "high": 1, "when": {"param": "optimizer", "equals": "rmsprop"}}])"
            << R"(space[1].when.equals: never matches: 'optimizer' must be one of "sgd", "adam" (got "rmsprop"))";
        QTest::newRow("when in holds a value outside the range")
            << "[" + layers +
                   R"(, {"name": "w", "type": "int", "low": 8, "high": 64, "when": {"param": "layers", "in": [2, 7]}}])"
            << "space[1].when.in[1]: never matches: 'layers' must be in [1, 4] (got 7)";
        QTest::newRow("when equals a fraction of an int")
            << "[" + layers +
                   R"(, {"name": "w", "type": "int", "low": 8, "high": 64, "when": {"param": "layers", "equals": 2.5}}])"
            << "space[1].when.equals: never matches: 'layers' must be a whole number (got 2.5)";
        QTest::newRow("when equals a string for an int")
            << "[" + layers +
                   R"(, {"name": "w", "type": "int", "low": 8, "high": 64, "when": {"param": "layers", "equals": "3"}}])"
            << R"(space[1].when.equals: never matches: 'layers' must be a number (got "3"))";
        QTest::newRow("when equals off the step of a float")
            << R"([{"name": "x", "type": "float", "low": 0, "high": 1, "step": 0.25},
                  {"name": "y", "type": "int", "low": 0, "high": 1, "when": {"param": "x", "equals": 0.3}}])"
            << "space[1].when.equals: never matches: 'x' must be low + k * step = 0 + k * 0.25 "
               "(got 0.3)";
        QTest::newRow("when equals a malformed cell")
            << R"([{"name": "cell", "type": "nb201-cell"},
                  {"name": "y", "type": "int", "low": 0, "high": 1, "when": {"param": "cell", "equals": "|none~0|"}}])"
            << "space[1].when.equals: never matches: 'cell' is not an nb201 cell: expected 3 nodes "
               "separated by '+', got 1";
        QTest::newRow("when equals true for a string choice")
            << "[" + opt +
                   R"(, {"name": "m", "type": "float", "low": 0, "high": 1, "when": {"param": "optimizer", "equals": true}}])"
            << R"(space[1].when.equals: never matches: 'optimizer' must be one of "sgd", "adam" (got true))";
    }

    void badSpecsNameTheFieldAndTheFix() {
        QFETCH(QString, spec);
        QFETCH(QString, message);
        Json json = Json::parse(spec.toStdString());
        QCOMPARE(messageOf([&] { SearchSpace::fromJson(json); }), message);
    }

    void goodSpecsParseAndRoundTripThroughToJson_data() {
        QTest::addColumn<QString>("spec");
        QTest::newRow("float") << R"([{"name": "x", "type": "float", "low": -5, "high": 10}])";
        QTest::newRow("log float")
            << R"([{"name": "lr", "type": "float", "low": 1e-4, "high": 1e-1, "log": true}])";
        QTest::newRow("stepped float")
            << R"([{"name": "d", "type": "float", "low": 0, "high": 0.5, "step": 0.1}])";
        QTest::newRow("int with whole float bounds")
            << R"([{"name": "n", "type": "int", "low": 3.0, "high": 9.0}])";
        QTest::newRow("stepped int")
            << R"([{"name": "n", "type": "int", "low": 16, "high": 256, "step": 16}])";
        QTest::newRow("log int")
            << R"([{"name": "n", "type": "int", "low": 1, "high": 1024, "log": true, "step": 1}])";
        QTest::newRow("mixed choices")
            << R"([{"name": "c", "type": "categorical", "choices": ["relu", 3, 0.5, true, false]}])";
        QTest::newRow("single choice")
            << R"([{"name": "c", "type": "categorical", "choices": ["only"]}])";
        QTest::newRow("cell") << R"([{"name": "cell", "type": "nb201-cell"}])";
        QTest::newRow("conditions")
            << R"([{"name": "optimizer", "type": "categorical", "choices": ["sgd", "adam", "rmsprop"]},
                  {"name": "momentum", "type": "float", "low": 0, "high": 0.99, "when": {"param": "optimizer", "equals": "sgd"}},
                  {"name": "beta", "type": "float", "low": 0.8, "high": 0.999, "when": {"param": "optimizer", "in": ["adam", "rmsprop"]}},
                  {"name": "layers", "type": "int", "low": 1, "high": 4},
                  {"name": "width", "type": "int", "low": 8, "high": 64, "when": {"param": "layers", "in": [3, 4.0]}},
                  {"name": "cell", "type": "nb201-cell", "when": {"param": "layers", "equals": 1}},
                  {"name": "tag", "type": "categorical", "choices": [1, 2], "when": {"param": "cell", "equals": "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"}}])";
    }

    void goodSpecsParseAndRoundTripThroughToJson() {
        QFETCH(QString, spec);
        SearchSpace space = SearchSpace::fromJson(Json::parse(spec.toStdString()));
        Json normalized = space.toJson();
        QCOMPARE(SearchSpace::fromJson(normalized).toJson(), normalized);
    }

    void parsedSpecHoldsTheGivenValues() {
        SearchSpace space = SearchSpace::fromJson(Json::parse(R"([
            {"name": "lr", "type": "float", "low": 1e-4, "high": 1e-1, "log": true},
            {"name": "n", "type": "int", "low": 2.0, "high": 8},
            {"name": "act", "type": "categorical", "choices": ["relu", 2, true]},
            {"name": "w", "type": "int", "low": 8, "high": 64, "step": 8, "when": {"param": "act", "equals": "relu"}},
            {"name": "v", "type": "int", "low": 0, "high": 1, "when": {"param": "n", "in": [2, 3]}}
        ])"));
        QCOMPARE(space.params().size(), std::size_t{5});
        const ParamSpec* lr = space.find("lr");
        QVERIFY(lr);
        QCOMPARE(lr->type, ParamType::Float);
        QVERIFY(lr->log);
        QVERIFY(!lr->step);
        QVERIFY(!lr->levelCount());
        QCOMPARE(*space.indexOf("n"), std::size_t{1});
        QCOMPARE(space.find("n")->low, 2.0);
        QCOMPARE(space.find("n")->step.value_or(0), 1.0);  // an int's step defaults to 1
        QCOMPARE(*space.find("n")->levelCount(), std::int64_t{7});
        QCOMPARE(*space.find("w")->levelCount(), std::int64_t{8});
        QCOMPARE(*space.find("act")->levelCount(), std::int64_t{3});
        QVERIFY(std::holds_alternative<bool>(space.find("act")->choices[2]));
        QVERIFY(std::holds_alternative<std::int64_t>(space.find("act")->choices[1]));
        // `equals` is kept as a one-element list.
        QCOMPARE(space.find("w")->when->param, std::string("act"));
        QCOMPARE(space.find("w")->when->values.size(), std::size_t{1});
        QCOMPARE(space.find("v")->when->values.size(), std::size_t{2});
        QVERIFY(!space.find("missing"));
        QVERIFY(!space.indexOf("missing"));
        QCOMPARE(QString(paramTypeName(ParamType::Nb201Cell)), QString("nb201-cell"));
    }

    void pathPrefixIsTheCallersPath() {
        QCOMPARE(messageOf([] {
                     SearchSpace::fromJson(Json::parse(R"([{"name": "x", "type": "float"}])"),
                                           "study.space");
                 }),
                 QString("study.space[0].low: is required"));
    }

    void validateRejectsTrialsThatDoNotFit_data() {
        QTest::addColumn<QString>("params");
        QTest::addColumn<QString>("message");
        QTest::newRow("legal") << R"({"opt": "sgd", "m": 0.5, "n": 4, "d": 0.25})"
                               << "(no error)";
        QTest::newRow("legal with ints for floats and whole doubles for ints")
            << R"({"opt": "adam", "n": 4.0, "d": 0})"
            << "(no error)";
        QTest::newRow("unknown parameter")
            << R"({"opt": "sgd", "m": 0.5, "n": 4, "d": 0.25, "mm": 1})"
            << "trial.mm: unknown parameter; did you mean 'm'?";
        QTest::newRow("active parameter missing")
            << R"({"opt": "sgd", "n": 4, "d": 0.25})"
            << "trial.m: is missing (the parameter is active)";
        QTest::newRow("inactive parameter present")
            << R"({"opt": "adam", "m": 0.5, "n": 4, "d": 0.25})"
            << "trial.m: must be absent: its condition on 'opt' does not hold";
        QTest::newRow("not a choice")
            << R"({"opt": "rmsprop", "n": 4, "d": 0.25})"
            << R"(trial.opt: must be one of "sgd", "adam" (got "rmsprop"))";
        QTest::newRow("float out of range") << R"({"opt": "sgd", "m": 1.5, "n": 4, "d": 0.25})"
                                            << "trial.m: must be in [0, 1] (got 1.5)";
        QTest::newRow("float given a string") << R"({"opt": "sgd", "m": "0.5", "n": 4, "d": 0.25})"
                                              << R"(trial.m: must be a number (got "0.5"))";
        QTest::newRow("int not whole") << R"({"opt": "adam", "n": 4.5, "d": 0.25})"
                                       << "trial.n: must be a whole number (got 4.5)";
        QTest::newRow("int off its step") << R"({"opt": "adam", "n": 5, "d": 0.25})"
                                          << "trial.n: must be low + k * step = 2 + k * 2 (got 5)";
        QTest::newRow("float off its step")
            << R"({"opt": "adam", "n": 4, "d": 0.3})"
            << "trial.d: must be low + k * step = 0 + k * 0.25 (got 0.3)";
    }

    void validateRejectsTrialsThatDoNotFit() {
        QFETCH(QString, params);
        QFETCH(QString, message);
        SearchSpace space = SearchSpace::fromJson(Json::parse(R"([
            {"name": "opt", "type": "categorical", "choices": ["sgd", "adam"]},
            {"name": "m", "type": "float", "low": 0, "high": 1, "when": {"param": "opt", "equals": "sgd"}},
            {"name": "n", "type": "int", "low": 2, "high": 10, "step": 2},
            {"name": "d", "type": "float", "low": 0, "high": 1, "step": 0.25}
        ])"));
        ParamMap map = paramMapFromJson(Json::parse(params.toStdString()), "trial");
        QCOMPARE(messageOf([&] { space.validate(map, "trial"); }), message);
    }

    void validateChecksCells() {
        SearchSpace space =
            SearchSpace::fromJson(Json::parse(R"([{"name": "cell", "type": "nb201-cell"}])"));
        QCOMPARE(messageOf([&] {
                     space.validate({{"cell", std::string("|x~0|")}}, "p");
                 }),
                 QString("p.cell: is not an nb201 cell: expected 3 nodes separated by '+', got 1"));
        QCOMPARE(messageOf([&] {
                     space.validate({{"cell", std::int64_t{3}}}, "p");
                 }),
                 QString("p.cell: must be an nb201 cell string (got 3)"));
        QCOMPARE(messageOf([&] {
                     space.validate(
                         {{"cell", std::string("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|")}},
                         "p");
                 }),
                 QString("(no error)"));
    }

    // Whatever JSON arrives, fromJson either succeeds or throws SpecError; a
    // space it accepts must survive toJson, encode/decode and validate.
    void randomJsonNeverCrashes() {
        RandomJson generator(20240611);
        int accepted = 0, rejected = 0;
        std::mt19937_64 rng(7);
        std::uniform_real_distribution<double> uniform(-0.2, 1.2);
        for (int iteration = 0; iteration < 20000; ++iteration) {
            Json spec = generator.space();
            try {
                SearchSpace space = SearchSpace::fromJson(spec);
                ++accepted;
                QCOMPARE(SearchSpace::fromJson(space.toJson()).toJson(), space.toJson());
                for (int k = 0; k < 3; ++k) {
                    Eigen::VectorXd u(space.dimensionCount());
                    for (int d = 0; d < u.size(); ++d)
                        u[d] = uniform(rng);
                    ParamMap params = space.decode(u);
                    space.validate(params, "params");
                    Eigen::VectorXd c = space.encode(params);
                    QVERIFY(space.canonical(c).isApprox(c));
                }
            } catch (const SpecError&) {
                ++rejected;
            } catch (const std::exception& error) {
                QFAIL(qPrintable(QString("spec %1 threw a non-SpecError: %2")
                                     .arg(QString::fromStdString(spec.dump()), error.what())));
            }
        }
        // The generator must exercise both outcomes to mean anything.
        QVERIFY2(accepted > 1000, qPrintable(QString::number(accepted)));
        QVERIFY(rejected > 1000);
    }
};

QTEST_APPLESS_MAIN(TestSpaceSpec)
#include "tst_space_spec.moc"

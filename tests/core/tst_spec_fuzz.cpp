// A mutation fuzzer over whole study specs: every example spec in
// resources/examples plus hand-written ones covering each parameter type,
// condition, strategy, pruner and objective, mutated at random (tree edits and
// byte edits of the serialized text). Whatever comes out, parsing must either
// succeed and round-trip, or throw one SpecError whose message is a clear
// single line naming a path that exists in the input. Run it longer with
// BONSAI_FUZZ_ITERATIONS=N (and BONSAI_FUZZ_SEED=S for another sequence);
// CI runs it under ASan/UBSan too.
#include <QtTest>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

#include "objectives/objective.h"
#include "study/spec.h"
#include "support/stand_in_objectives.h"

using namespace bonsai;

namespace {

const std::string kSourceDir = BONSAI_SOURCE_DIR;
const std::string kTinyBench = kSourceDir + "/resources/examples/tiny-bench.csv";

std::string readFile(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

// The core library links no LibTorch, so "fashion-mnist" is not among its
// built-in objectives. The example specs that use it still make good seeds
// (nb201 cells, evolution, ASHA): a stand-in accepts the kind and any
// settings, so mutations get past the objective to the strategy, pruner and
// budget.
ObjectiveRegistry fuzzRegistry() {
    return test::withFashionMnistStandIn();
}

// ---------------------------------------------------------------------------
// What a good error looks like.

bool validUtf8(const std::string& text) {
    std::size_t i = 0;
    while (i < text.size()) {
        auto byte = static_cast<unsigned char>(text[i]);
        int extra = byte < 0x80           ? 0
                    : (byte >> 5) == 0x6  ? 1
                    : (byte >> 4) == 0xe  ? 2
                    : (byte >> 3) == 0x1e ? 3
                                          : -1;
        if (extra < 0 || i + extra >= text.size())
            return false;
        for (int k = 1; k <= extra; ++k)
            if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80)
                return false;
        i += extra + 1;
    }
    return true;
}

// Whether `path` (as SpecError writes it: `space[2].when.in[0]`, keys joined
// by '.', indices in brackets) names a value in `node`, or a missing key of
// an object in it ("is required"). Keys may themselves hold '.' or '[', so
// every key that fits the text is tried.
bool pathResolves(const Json& node, const std::string& rest, bool atStart) {
    if (rest.empty())
        return true;
    if (rest[0] == '[' && node.is_array()) {
        auto close = rest.find(']');
        if (close == std::string::npos || close == 1)
            return false;
        std::string digits = rest.substr(1, close - 1);
        if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9)
            return false;
        std::size_t index = std::stoul(digits);
        return index < node.size() && pathResolves(node[index], rest.substr(close + 1), false);
    }
    std::string keyed = rest;
    if (!atStart) {
        if (rest[0] != '.')
            return false;
        keyed = rest.substr(1);
    }
    if (!node.is_object())
        return false;
    for (const auto& [rawKey, child] : node.items()) {
        const std::string key = printableText(rawKey);  // as SpecError writes it
        if (keyed.compare(0, key.size(), key) != 0)
            continue;
        if (keyed.size() == key.size() || keyed[key.size()] == '.' || keyed[key.size()] == '[')
            if (pathResolves(child, keyed.substr(key.size()), false))
                return true;
    }
    // A key the object lacks ("budget.trials: is required").
    return !keyed.empty() && keyed.find_first_of(".[") == std::string::npos;
}

// Empty when `error` is a good error for `input`; otherwise what is wrong.
std::string judgeError(const SpecError& error, const Json* input) {
    std::string what = error.what();
    if (error.message().empty())
        return "empty message";
    if (what.find_first_of("\n\r") != std::string::npos)
        return "message is not one line";
    if (!validUtf8(what))
        return "message is not valid UTF-8";
    // The path may be as long as the key it names; the message must stay short.
    if (error.message().size() > 2000)
        return "message is " + std::to_string(error.message().size()) + " bytes long";
    if (input && !error.path().empty() && !pathResolves(*input, error.path(), true))
        return "path '" + error.path() + "' is not in the spec";
    if (!input && !error.path().empty())
        return "a JSON syntax error carries a path";
    return "";
}

// ---------------------------------------------------------------------------
// Mutations.

class Mutator {
    struct Site {
        Json* node;
        Json* parent;  // null for the root
    };

  public:
    explicit Mutator(std::uint64_t seed) : m_rng(seed) {}

    std::size_t below(std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(m_rng);
    }
    bool chance(double p) { return std::bernoulli_distribution(p)(m_rng); }

    // One random structural edit somewhere in `root`.
    void mutateTree(Json& root) {
        std::vector<Site> nodes;
        collect(root, nullptr, 0, nodes);
        const Site target = nodes[below(nodes.size())];
        Json& node = *target.node;
        switch (below(12)) {
            case 0:  // delete a key or element
                deleteChild(target);
                break;
            case 1:  // change the type
                node = randomScalarOrContainer(2);
                break;
            case 2:  // swap two values
                swapValues(nodes);
                break;
            case 3:  // a nasty number
                node = nastyNumber();
                break;
            case 4:  // empty containers
                node = chance(0.5) ? Json::array() : Json::object();
                break;
            case 5:  // deep nesting
                node = deeplyNested(std::move(node));
                break;
            case 6:  // garbage text
                node = garbageString();
                break;
            case 7:  // duplicate parameter names, or a name copied elsewhere
                duplicateName(root);
                break;
            case 8:  // an extra key
                if (node.is_object())
                    node[chance(0.5) ? garbageString() : pick(kWords).get<std::string>()] =
                        randomScalarOrContainer(1);
                else if (node.is_array())
                    node.push_back(randomScalarOrContainer(2));
                else
                    node = pick(kWords);
                break;
            case 9:  // a word the spec format uses, somewhere it may not belong
                node = pick(kWords);
                break;
            case 10:  // nudge a number
                if (node.is_number())
                    node = node.get<double>() * (chance(0.5) ? -1.0 : 0.5) + (chance(0.5) ? 1 : 0);
                else
                    node = nastyNumber();
                break;
            default:  // a whole array element duplicated (duplicate params, choices)
                if (node.is_array() && !node.empty())
                    node.push_back(node[below(node.size())]);
                else
                    node = Json::array({node, node});
                break;
        }
    }

    // Byte-level edits of the serialized spec.
    void mutateText(std::string& text) {
        if (text.empty())
            return;
        switch (below(6)) {
            case 5: {  // wrap in deep nesting, up to far beyond any limit
                std::size_t depth = chance(0.5) ? 90 + below(20) : 1 + below(200000);
                text = std::string(depth, '[') + text + std::string(depth, ']');
                break;
            }
            case 0:  // truncate
                text.resize(below(text.size()));
                break;
            case 1:  // flip characters
                for (int k = 0, n = 1 + static_cast<int>(below(4)); k < n && !text.empty(); ++k)
                    text[below(text.size())] = static_cast<char>(below(256));
                break;
            case 2:  // insert JSON punctuation
                text.insert(below(text.size()), std::string(1, "{}[]\",:\\0-eE.\n "[below(16)]));
                break;
            case 3:  // a duplicate key in an object
                if (auto brace = text.find('{', below(text.size())); brace != std::string::npos)
                    text.insert(brace + 1, "\"" + pick(kWords).get<std::string>() + "\": 1, ");
                break;
            default:  // delete a span
            {
                std::size_t at = below(text.size());
                text.erase(at, 1 + below(std::min<std::size_t>(40, text.size() - at)));
            } break;
        }
    }

  private:
    std::mt19937_64 m_rng;

    // Words of the spec format, for values and keys in the wrong place; the
    // strategy and pruner kinds, their settings and choices come from the
    // registries, so a new kind is fuzzed too.
    // clang-format off
    const std::vector<Json> kWords = withRegisteredKinds({
        "name", "type", "float", "int", "categorical", "nb201-cell", "low", "high", "log",
        "step", "choices", "when", "param", "equals", "in", "kind", "function", "tabular",
        "branin", "ackley", "file", "metric", "key", "cost", "report", "trials", "seconds",
        "target", "budget", "space", "strategy", "pruner", "objective", "seed", "workers",
        "direction", "maximize", "minimize", "version", "x1", "x2", "lr", "width", "depth",
        "activation", "valid_acc", "test_acc", "train_seconds", "relu", "cell",
        "delay_seconds", kTinyBench, "command", "argv", "env", "workdir", "timeout_s",
        "grace_s", "runs_dir", "{lr}", "{x}", "{{x}}", "{nope}", "python3", "/", "/tmp",
        "objectives", "constraints", "reference", "min", "max", "zdt1", "f1", "f2", "executor",
        "slurm", "local", "partition", "time", "mem", "gres", "extra_args", "max_concurrent",
        "16G", "90", "--qos=high", ""});
    // clang-format on

    static std::vector<Json> withRegisteredKinds(std::vector<Json> words) {
        auto add = [&](const auto& descriptions) {
            for (const auto* kind : descriptions) {
                words.push_back(kind->kind);
                for (const SettingSpec& setting : kind->settings) {
                    words.push_back(setting.key);
                    for (const std::string& choice : setting.choices)
                        words.push_back(choice);
                }
            }
        };
        add(StrategyRegistry::builtins().descriptions());
        add(PrunerRegistry::builtins().descriptions());
        return words;
    }

    Json pick(const std::vector<Json>& values) { return values[below(values.size())]; }

    // Every value of the tree down to kMaxDepth (deeper parts are nesting
    // added by a mutation; walking them all would make each step quadratic).
    static constexpr int kMaxDepth = 64;
    static void collect(Json& node, Json* parent, int depth, std::vector<Site>& out) {
        out.push_back({&node, parent});
        if (depth >= kMaxDepth)
            return;
        if (node.is_object())
            for (auto& [key, child] : node.items())
                collect(child, &node, depth + 1, out);
        else if (node.is_array())
            for (auto& child : node)
                collect(child, &node, depth + 1, out);
    }

    static bool contains(const Json& tree, const Json* node) {
        if (&tree == node)
            return true;
        if (tree.is_structured())
            for (const auto& child : tree)
                if (contains(child, node))
                    return true;
        return false;
    }

    void deleteChild(const Site& at) {
        Json& node = *at.node;
        if (node.is_object() && !node.empty()) {
            auto it = node.begin();
            std::advance(it, static_cast<long>(below(node.size())));
            node.erase(it);
        } else if (node.is_array() && !node.empty()) {
            node.erase(node.begin() + static_cast<long>(below(node.size())));
        } else if (at.parent) {
            for (auto it = at.parent->begin(); it != at.parent->end(); ++it)
                if (&*it == at.node) {
                    at.parent->erase(it);
                    break;
                }
        }
    }

    void swapValues(const std::vector<Site>& nodes) {
        Json* a = nodes[below(nodes.size())].node;
        Json* b = nodes[below(nodes.size())].node;
        if (contains(*a, b) || contains(*b, a))
            return;
        std::swap(*a, *b);
    }

    Json nastyNumber() {
        static const std::vector<Json> numbers{0,
                                               -0.0,
                                               1,
                                               -1,
                                               0.5,
                                               -1e-300,
                                               5e-324,
                                               1e308,
                                               -1e308,
                                               1.7976931348623157e308,
                                               std::numeric_limits<std::int64_t>::max(),
                                               std::numeric_limits<std::int64_t>::min(),
                                               std::numeric_limits<std::uint64_t>::max(),
                                               std::uint64_t{1} << 63,
                                               1099511627776,
                                               1099511627777,
                                               -1099511627777,
                                               9.0e15,
                                               9007199254740993.0,
                                               4294967296,
                                               2147483648,
                                               -2147483649,
                                               256,
                                               257,
                                               100000,
                                               100001,
                                               1e9,
                                               3600,
                                               3600.5,
                                               1e-9,
                                               2.5,
                                               "NaN",
                                               "nan",
                                               "inf",
                                               "-Infinity",
                                               "1e400",
                                               "-0",
                                               "0x10",
                                               "  3",
                                               "1_000",
                                               true,
                                               false,
                                               nullptr};
        if (chance(0.3))
            return std::uniform_real_distribution<double>(-1e6, 1e6)(m_rng);
        if (chance(0.2))
            return static_cast<std::int64_t>(m_rng());
        return pick(numbers);
    }

    std::string garbageString() {
        static const std::vector<std::string> pieces{"\n",
                                                     "\r\n",
                                                     "\t",
                                                     std::string("\0", 1),
                                                     "\x01",
                                                     "\x1b[31m",
                                                     "\x7f",
                                                     "\u00e9",
                                                     "\u200b",
                                                     "\u202e",
                                                     "\ufeff",
                                                     "\U0001F333",
                                                     "\u4e2d\u6587",
                                                     "\"",
                                                     "\\",
                                                     "'",
                                                     ".",
                                                     "[0]",
                                                     "]",
                                                     "{",
                                                     "%s",
                                                     "%n",
                                                     "~",
                                                     "|",
                                                     "nor_conv_3x3~0",
                                                     "|+|",
                                                     "x",
                                                     " ",
                                                     "NaN"};
        std::string out;
        std::size_t count = chance(0.05) ? 3000 : below(8);
        for (std::size_t i = 0; i < count; ++i)
            out += pieces[below(pieces.size())];
        return out;
    }

    Json randomScalarOrContainer(int depth) {
        switch (below(depth > 0 ? 7 : 5)) {
            case 0:
                return nullptr;
            case 1:
                return chance(0.5);
            case 2:
                return nastyNumber();
            case 3:
                return garbageString();
            case 4:
                return pick(kWords);
            case 5: {
                Json array = Json::array();
                for (std::size_t i = 0, n = below(4); i < n; ++i)
                    array.push_back(randomScalarOrContainer(depth - 1));
                return array;
            }
            default: {
                Json object = Json::object();
                for (std::size_t i = 0, n = below(4); i < n; ++i)
                    object[pick(kWords).get<std::string>()] = randomScalarOrContainer(depth - 1);
                return object;
            }
        }
    }

    Json deeplyNested(Json inner) {
        // Past parseJsonText's limit of 100 levels now and then; deeper text
        // comes from mutateText (a tree that deep would overflow the stack
        // of this test's own dump() under ASan).
        std::size_t depth = chance(0.1) ? 90 + below(30) : 1 + below(40);
        for (std::size_t i = 0; i < depth; ++i)
            inner = chance(0.5) ? Json::array({std::move(inner)})
                                : Json{{pick(kWords).get<std::string>(), std::move(inner)}};
        return inner;
    }

    void duplicateName(Json& root) {
        if (!root.is_object() || !root.contains("space") || !root["space"].is_array())
            return;
        Json& space = root["space"];
        if (space.size() < 2)
            return;
        std::size_t a = below(space.size()), b = below(space.size());
        if (space[a].is_object() && space[b].is_object() && space[a].contains("name"))
            space[b]["name"] = space[a]["name"];
    }
};

// ---------------------------------------------------------------------------
// Seeds.

// Hand-written specs so every feature of the format is a mutation away.
// `keyedTable`: a CSV with one row per value of its "depth" column.
std::vector<Json> handWrittenSeeds(const std::string& keyedTable) {
    const Json tabularObjective{{"kind", "tabular"},
                                {"file", kTinyBench},
                                {"metric", "valid_acc"},
                                {"report", {"test_acc"}},
                                {"cost", "train_seconds"}};
    const Json tabularSpace = Json::parse(R"([
        {"name": "lr", "type": "categorical", "choices": [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1]},
        {"name": "width", "type": "int", "low": 16, "high": 256, "log": true},
        {"name": "depth", "type": "int", "low": 1, "high": 8, "step": 1},
        {"name": "activation", "type": "categorical", "choices": ["relu", "gelu", "tanh"]}
    ])");
    std::vector<Json> seeds;
    seeds.push_back(Json::parse(R"({
        "version": 1, "name": "all-numeric", "description": "floats and ints of every kind",
        "direction": "maximize",
        "objective": {"kind": "function", "function": "ackley", "delay_seconds": 0},
        "space": [
            {"name": "a", "type": "float", "low": -1.5, "high": 2.5},
            {"name": "b", "type": "float", "low": 1e-5, "high": 1, "log": true},
            {"name": "c", "type": "float", "low": 0, "high": 1, "step": 0.25},
            {"name": "d", "type": "int", "low": -3, "high": 9},
            {"name": "e", "type": "int", "low": 1, "high": 1024, "log": true},
            {"name": "f", "type": "int", "low": 0, "high": 100, "step": 10}
        ],
        "strategy": {"kind": "gp", "kernel": "rbf", "acquisition": "ucb", "beta": 3.5,
                     "initial_trials": 6},
        "pruner": {"kind": "median", "startup_trials": 2, "warmup_steps": 1,
                   "interval_steps": 2, "min_trials": 3},
        "budget": {"trials": 30, "seconds": 60, "target": -0.5},
        "seed": 11, "workers": 3
    })"));
    seeds.push_back(Json::parse(R"({
        "name": "branin-grid",
        "objective": {"kind": "function", "function": "branin", "delay_seconds": 0.01},
        "space": [{"name": "x1", "type": "float", "low": -5, "high": 10},
                  {"name": "x2", "type": "int", "low": 0, "high": 15}],
        "strategy": {"kind": "grid", "resolution": 7},
        "pruner": {"kind": "none"},
        "budget": {"trials": 12}
    })"));
    seeds.push_back(Json::parse(R"({
        "name": "hartmann-sobol",
        "objective": {"kind": "function", "function": "hartmann3"},
        "space": [{"name": "x1", "type": "float", "low": 0, "high": 1},
                  {"name": "x2", "type": "float", "low": 0, "high": 1},
                  {"name": "x3", "type": "float", "low": 0, "high": 1}],
        "strategy": {"kind": "sobol"},
        "budget": {"seconds": 10}
    })"));
    Json tpe{{"name", "tabular-tpe-conditional"},
             {"direction", "maximize"},
             {"objective", tabularObjective},
             {"space", tabularSpace},
             {"strategy",
              {{"kind", "tpe"},
               {"gamma", 0.2},
               {"candidates", 16},
               {"prior_weight", 2.0},
               {"startup_trials", 4},
               {"multivariate", false},
               {"consider_endpoints", true}}},
             {"pruner",
              {{"kind", "asha"},
               {"min_resource", 1},
               {"reduction_factor", 2},
               {"min_early_stopping_rate", 1}}},
             {"budget", {{"trials", 20}}}};
    // Conditions, both forms.
    tpe["space"][3]["when"] = {{"param", "depth"}, {"equals", 4}};
    tpe["space"][1]["when"] = {{"param", "lr"}, {"in", {0.001, 0.01}}};
    seeds.push_back(tpe);
    Json evolution{{"name", "tabular-evolution"},
                   {"objective", tabularObjective},
                   {"space", tabularSpace},
                   {"strategy", {{"kind", "evolution"}, {"population", 6}, {"sample_size", 2}}},
                   {"budget", {{"trials", 10}}},
                   {"seed", 3}};
    seeds.push_back(evolution);
    Json keyed{
        {"name", "tabular-key"},
        {"objective",
         {{"kind", "tabular"}, {"file", keyedTable}, {"metric", "score"}, {"key", "depth"}}},
        {"space", Json::parse(R"([{"name": "layers", "type": "int", "low": 1, "high": 8}])")},
        {"strategy", {{"kind", "random"}}},
        {"budget", {{"trials", 5}}}};
    seeds.push_back(keyed);
    seeds.push_back(Json::parse(R"({
        "name": "nas-conditional",
        "direction": "maximize",
        "objective": {"kind": "fashion-mnist", "epochs": 1},
        "space": [
            {"name": "cell", "type": "nb201-cell"},
            {"name": "batch_size", "type": "categorical", "choices": [32, 64, 128, 256]},
            {"name": "momentum", "type": "float", "low": 0, "high": 0.99,
             "when": {"param": "batch_size", "equals": 64}},
            {"name": "nesterov", "type": "categorical", "choices": [true, false],
             "when": {"param": "momentum", "in": [0, 0.5]}}
        ],
        "strategy": {"kind": "gp", "acquisition": "ei"},
        "pruner": {"kind": "asha"},
        "budget": {"trials": 8}
    })"));
    // Several objectives, constraints and the strategies that take them.
    seeds.push_back(Json::parse(R"({
        "name": "multi-objective",
        "objective": {"kind": "function", "function": "zdt1"},
        "objectives": [
            {"name": "f1", "direction": "minimize", "reference": 1.1},
            {"name": "f2", "direction": "maximize"}
        ],
        "constraints": [{"name": "f1", "min": 0.1, "max": 0.9}, {"name": "cost", "max": 5}],
        "space": [{"name": "a", "type": "float", "low": 0, "high": 1},
                  {"name": "b", "type": "float", "low": 0, "high": 1},
                  {"name": "c", "type": "float", "low": 0, "high": 1}],
        "strategy": {"kind": "nsga2", "population_size": 8, "crossover_prob": 0.8,
                     "mutation_prob": 0.3, "eta": 15, "mutation_eta": 10},
        "budget": {"trials": 40, "seconds": 30}
    })"));
    seeds.push_back(Json::parse(R"({
        "name": "constrained-gp",
        "direction": "maximize",
        "objective": {"kind": "function", "function": "branin"},
        "constraints": [{"name": "latency", "min": 0}],
        "space": [{"name": "x1", "type": "float", "low": -5, "high": 10},
                  {"name": "x2", "type": "float", "low": 0, "high": 15}],
        "strategy": {"kind": "gp"},
        "budget": {"trials": 10, "target": 1}
    })"));

    // The command objective: placeholders (also inside a word, escaped and of a
    // conditional parameter), environment, timeouts and folders.
    Json command = Json::parse(R"({
        "name": "command-everything",
        "direction": "maximize",
        "objective": {"kind": "command",
                      "argv": ["python3", "train.py", "--lr={lr}", "--opt", "{opt}",
                               "--momentum", "{momentum}", "{{literal}}", "{'json': 1}"],
                      "env": {"OMP_NUM_THREADS": "1", "MODE": "fuzz"},
                      "timeout_s": 60, "grace_s": 2.5},
        "space": [
            {"name": "lr", "type": "float", "low": 0.001, "high": 1, "log": true},
            {"name": "opt", "type": "categorical", "choices": ["sgd", "adam", 3, true]},
            {"name": "momentum", "type": "float", "low": 0, "high": 0.99,
             "when": {"param": "opt", "equals": "sgd"}}
        ],
        "strategy": {"kind": "tpe"},
        "pruner": {"kind": "median", "warmup_steps": 3},
        "budget": {"trials": 10},
        "workers": 4
    })");
    command["objective"]["workdir"] = kSourceDir + "/resources/examples/command-python";
    command["objective"]["runs_dir"] = kSourceDir + "/build-runs";
    seeds.push_back(command);
    seeds.push_back(Json::parse(R"({
        "name": "command-slurm",
        "objective": {"kind": "command", "argv": ["python3", "train.py", "{x}"]},
        "executor": {"kind": "slurm", "partition": "gpu", "time": "1-02:00:00",
                     "cpus_per_task": 4, "gres": "gpu:1", "mem": "16G",
                     "extra_args": ["--qos=normal"], "max_concurrent": 8},
        "space": [{"name": "x", "type": "float", "low": 0, "high": 1}],
        "budget": {"trials": 10}
    })"));
    seeds.push_back(Json::parse(R"({
        "name": "command-minimal",
        "executor": {"kind": "local"},
        "objective": {"kind": "command", "argv": ["sh", "-c", "echo {x}"]},
        "space": [{"name": "x", "type": "int", "low": 0, "high": 9}],
        "strategy": {"kind": "grid"},
        "budget": {"trials": 10}
    })"));
    return seeds;
}

// Every example spec (its table or command folder made absolute, as
// loadStudySpecFile would).
std::vector<Json> exampleSeeds() {
    std::vector<Json> seeds;
    for (const auto& entry :
         std::filesystem::directory_iterator(kSourceDir + "/resources/examples")) {
        if (entry.path().extension() != ".json")
            continue;
        Json spec = Json::parse(readFile(entry.path().string()));
        for (const char* key : {"file", "workdir"})
            if (spec.contains("objective") && spec["objective"].contains(key))
                spec["objective"][key] =
                    (entry.path().parent_path() / spec["objective"][key].get<std::string>())
                        .lexically_normal()
                        .string();
        seeds.push_back(std::move(spec));
    }
    return seeds;
}

std::uint64_t envNumber(const char* name, std::uint64_t fallback) {
    const char* text = std::getenv(name);
    if (!text || !*text)
        return fallback;
    return std::strtoull(text, nullptr, 10);
}

}  // namespace

class TestSpecFuzz : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    ObjectiveRegistry m_registry = fuzzRegistry();
    std::vector<Json> m_seeds;

  private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const std::string keyedTable = m_dir.filePath("keyed.csv").toStdString();
        std::ofstream(keyedTable) << "depth,score\n1,0.5\n2,0.75\n3,0.25\n4,0.125\n";
        m_seeds = exampleSeeds();
        QVERIFY2(m_seeds.size() >= 7, "resources/examples should hold the example specs");
        for (Json& seed : handWrittenSeeds(keyedTable))
            m_seeds.push_back(std::move(seed));
    }

    // The oracle itself: paths that exist or miss one key pass, others do not.
    void pathCheckerAcceptsOnlyRealPaths() {
        Json spec = Json::parse(R"({"space": [{"name": "x", "when": {"in": [1, 2]}}],
                                    "budget": {}, "odd.key[0]": {"a": 1}})");
        for (const char* good : {"space", "space[0]", "space[0].when.in[1]", "budget.trials",
                                 "odd.key[0].a", "seed", "space[0].low"})
            QVERIFY2(pathResolves(spec, good, true), good);
        for (const char* bad : {"space[1]", "space[0].when.in[2]", "budget.trials.x", "space.name",
                                "nope.x", "space[0]when", "space[x]", "[0]"})
            QVERIFY2(!pathResolves(spec, bad, true), bad);
        QCOMPARE(judgeError(SpecError("space[3]", "bad"), &spec),
                 std::string("path 'space[3]' is not in the spec"));
        QCOMPARE(judgeError(SpecError("space", ""), &spec), std::string("empty message"));
        QCOMPARE(judgeError(SpecError("space", std::string(2001, 'x')), &spec),
                 std::string("message is 2001 bytes long"));
        QCOMPARE(judgeError(SpecError("space[0].when", "fine"), &spec), std::string());
        QVERIFY(!validUtf8(std::string("cut \xe2\x82", 6)));
        QVERIFY(validUtf8("caf\xc3\xa9 \xf0\x9f\x8c\xb3"));
    }

    // Names and JSON fragments quoted from the user's file cannot break the
    // one-line message: SpecError escapes control characters and stray bytes.
    void specErrorsAreOnePrintableLine() {
        SpecError error("space[0].a\nb",
                        std::string("unknown type 'x\ny\x1b\0'; cut \xe2\x82", 28));
        QCOMPARE(std::string(error.what()),
                 std::string("space[0].a\\nb: unknown type 'x\\ny\\u001b\\u0000'; cut \\xe2\\x82"));
        QCOMPARE(error.path(), std::string("space[0].a\\nb"));
        QCOMPARE(printableText("caf\xc3\xa9 \xf0\x9f\x8c\xb3 \t"),
                 std::string("caf\xc3\xa9 \xf0\x9f\x8c\xb3 \\t"));
        // A truncated parse error quotes at most a short piece of the text.
        try {
            parseJsonText("{\"name\": \"" + std::string(5000, 'y'));
            QFAIL("no error");
        } catch (const SpecError& syntax) {
            QVERIFY2(std::string(syntax.what()).size() < 200, syntax.what());
            QVERIFY2(QString(syntax.what()).startsWith("invalid JSON at line 1, column"),
                     syntax.what());
        }
    }

    // Inputs the fuzzer found, each once a crash or a bad message.
    void regressions() {
        // A number beyond a double escaped parseJsonText as nlohmann's out_of_range.
        try {
            parseJsonText("{\"name\": \"x\",\n \"seed\": -3E32075}");
            QFAIL("no error");
        } catch (const SpecError& error) {
            QCOMPARE(std::string(error.what()),
                     std::string("invalid JSON at line 2, column 10: the number -3E32075 is too "
                                 "large for a double"));
        }
        // A command's workdir too long for the system threw filesystem_error.
        Json command = Json::parse(R"({"name": "c", "budget": {"trials": 1},
            "objective": {"kind": "command", "argv": ["true"]},
            "space": [{"name": "x", "type": "float", "low": 0, "high": 1}]})");
        command["objective"]["workdir"] = std::string(5000, 'w');
        try {
            parseStudySpec(command, m_registry);
            QFAIL("no error");
        } catch (const SpecError& error) {
            QCOMPARE(error.path(), std::string("objective.workdir"));
            QVERIFY2(std::string(error.what()).size() < 400, error.what());
        }
        // Slurm sizes and time limits are matched by std::regex, which
        // recurses once per character: a long run of digits overflowed the stack.
        for (const char* key : {"mem", "time"}) {
            Json slurm = Json::parse(R"({"name": "s", "budget": {"trials": 1},
                "objective": {"kind": "command", "argv": ["true"]},
                "executor": {"kind": "slurm"},
                "space": [{"name": "x", "type": "float", "low": 0, "high": 1}]})");
            slurm["executor"][key] = std::string(300000, '7') + "x";
            try {
                parseStudySpec(slurm, m_registry);
                QFAIL("no error");
            } catch (const SpecError& error) {
                QCOMPARE(error.path(), "executor." + std::string(key));
                QVERIFY2(std::string(error.what()).size() < 400, error.what());
            }
        }
        // Deep nesting overflowed the stack when the value was later printed
        // or compared (first under ASan); it is now refused while parsing.
        std::string deep =
            "{\"name\": " + std::string(200000, '[') + std::string(200000, ']') + "}";
        try {
            parseJsonText(deep);
            QFAIL("no error");
        } catch (const SpecError& error) {
            QCOMPARE(std::string(error.what()),
                     std::string("invalid JSON at line 1, column 109: nested more than 100 levels "
                                 "deep; a spec needs only a few"));
        }
        // Brackets inside strings are text, not nesting.
        QCOMPARE(parseJsonText("{\"a\": \"" + std::string(500, '[') + "\\\"\"}")["a"]
                     .get<std::string>()
                     .size(),
                 std::size_t{501});
    }

    // Every seed is a valid spec that round-trips, so mutants start from
    // something the parser accepts.
    void seedsParseAndRoundTrip() {
        for (const Json& seed : m_seeds) {
            const std::string name = seed.value("name", "?");
            try {
                StudySpec spec = parseStudySpec(seed, m_registry);
                StudySpec again = parseStudySpec(parseJsonText(spec.source.dump()), m_registry);
                QVERIFY2(again.source == spec.source, name.c_str());
            } catch (const SpecError& error) {
                QFAIL(qPrintable(QString::fromStdString(name + ": " + error.what())));
            }
        }
    }

    void mutantsParseOrFailClearly() {
        const std::uint64_t iterations = envNumber("BONSAI_FUZZ_ITERATIONS", 60000);
        const std::uint64_t seed = envNumber("BONSAI_FUZZ_SEED", 20261129);
        Mutator mutate(seed);
        std::uint64_t accepted = 0, rejected = 0, syntaxErrors = 0;
        for (std::uint64_t iteration = 0; iteration < iterations; ++iteration) {
            Json tree = m_seeds[mutate.below(m_seeds.size())];
            // Mostly one edit, so a fair share of mutants still parse.
            for (std::size_t k = 0, n = mutate.chance(0.6) ? 1 : 2 + mutate.below(3); k < n; ++k)
                mutate.mutateTree(tree);
            // Indented half the time (line numbers in syntax errors), unless it is
            // deeply nested: indentation grows quadratically with depth.
            std::string text = tree.dump(-1, ' ', false, Json::error_handler_t::replace);
            if (text.size() < 20000 && mutate.chance(0.5))
                text = tree.dump(2, ' ', false, Json::error_handler_t::replace);
            bool textMutated = mutate.chance(0.3);
            if (textMutated)
                for (std::size_t k = 0, n = 1 + mutate.below(3); k < n; ++k)
                    mutate.mutateText(text);

            auto context = [&](const std::string& problem) {
                std::string shown = text.size() > 600 ? text.substr(0, 600) + "..." : text;
                return QString("iteration %1 (BONSAI_FUZZ_SEED=%2): %3\n  input: %4")
                    .arg(iteration)
                    .arg(seed)
                    .arg(QString::fromStdString(problem), QString::fromStdString(shown));
            };
            Json input;
            try {
                input = parseJsonText(text);
            } catch (const SpecError& error) {
                ++syntaxErrors;
                std::string verdict = judgeError(error, nullptr);
                if (!verdict.empty())
                    QFAIL(qPrintable(context(verdict + ": " + error.what())));
                continue;
            } catch (const std::exception& error) {
                QFAIL(qPrintable(
                    context(std::string("parseJsonText threw a non-SpecError: ") + error.what())));
            }
            try {
                StudySpec spec = parseStudySpec(input, m_registry);
                ++accepted;
                std::string stored = spec.source.dump();
                StudySpec again = parseStudySpec(parseJsonText(stored), m_registry);
                if (again.source != spec.source)
                    QFAIL(qPrintable(context("accepted spec does not round-trip: " + stored +
                                             " became " + again.source.dump())));
            } catch (const SpecError& error) {
                ++rejected;
                std::string verdict = judgeError(error, &input);
                if (!verdict.empty())
                    QFAIL(qPrintable(context(verdict + ": " + error.what())));
            } catch (const std::exception& error) {
                QFAIL(qPrintable(
                    context(std::string("parseStudySpec threw a non-SpecError: ") + error.what())));
            }
        }
        qInfo("%llu mutants: %llu accepted, %llu rejected, %llu not JSON",
              static_cast<unsigned long long>(iterations),
              static_cast<unsigned long long>(accepted), static_cast<unsigned long long>(rejected),
              static_cast<unsigned long long>(syntaxErrors));
        // A fuzzer that only ever hits one outcome explores nothing.
        if (iterations >= 1000) {
            QVERIFY(accepted > iterations / 50);
            QVERIFY(rejected > iterations / 4);
            QVERIFY(syntaxErrors > iterations / 50);
        }
    }
};

QTEST_APPLESS_MAIN(TestSpecFuzz)
#include "tst_spec_fuzz.moc"

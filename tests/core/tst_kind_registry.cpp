// Kinds that describe themselves: the README's strategy and pruner tables are
// the registries' own (as `bonsai-cli strategies --markdown` prints them), a
// setting's range gives its error sentence, and a strategy or pruner defined
// outside the tree (here) runs a whole study when its registry is injected.
#include <QtTest>

#include <fstream>
#include <sstream>

#include "storage/database.h"
#include "study/study.h"
#include "support/spec_errors.h"

using namespace bonsai;

namespace {

std::string readme() {
    std::ifstream in(std::string(BONSAI_SOURCE_DIR) + "/README.md");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// The README's text between <!-- begin NAME --> and <!-- end NAME -->.
std::string generatedSection(const std::string& text, const std::string& name) {
    const std::string begin = "<!-- begin " + name + " ", end = "<!-- end " + name + " -->";
    std::size_t from = text.find(begin);
    std::size_t to = text.find(end);
    if (from == std::string::npos || to == std::string::npos || to < from)
        return "(no section " + name + ")";
    from = text.find("-->\n", from) + 4;
    return text.substr(from, to - from);
}

// Proposes x = 0, 1, 2, ... in trial order (a stand-in for a strategy that
// lives outside the tree) and says so in each trial's attributes.
class CountingStrategy final : public Strategy {
  public:
    explicit CountingStrategy(double step) : m_step(step) {}
    std::optional<Suggestion> suggest(const SuggestContext& context) override {
        Suggestion out;
        out.params["x"] = m_step * static_cast<double>(context.trials.size());
        out.attrs["counted"] = true;
        return out;
    }

  private:
    double m_step;
};

StrategyKind countingKind() {
    StrategyKind kind;
    kind.kind = "counting";
    kind.summary = "x = step * trial number";
    kind.factory = [](SettingsReader& settings, const SearchSpace&) -> std::unique_ptr<Strategy> {
        return std::make_unique<CountingStrategy>(settings.number("step"));
    };
    kind.settings = {SettingSpec::number("step", 0.5)
                         .between(0, 1, true)
                         .labelled("Step")
                         .documented("distance between points")};
    return kind;
}

// Prunes every trial at its first report.
class EagerPruner final : public Pruner {
  public:
    bool shouldPrune(const Trial&, std::span<const Trial>, Direction) override { return true; }
};

const char* kSpec = R"({
    "name": "injected",
    "objective": {"kind": "function", "function": "ackley"},
    "space": [{"name": "x", "type": "float", "low": 0, "high": 10}],
    "strategy": {"kind": "counting", "step": 0.25},
    "budget": {"trials": 6}
})";

}  // namespace

class KindRegistryTest : public QObject {
    Q_OBJECT

  private slots:
    void readmeTablesAreTheRegistries() {
        const std::string text = readme();
        QCOMPARE(generatedSection(text, "strategies"), StrategyRegistry::builtins().markdown());
        QCOMPARE(generatedSection(text, "pruners"), PrunerRegistry::builtins().markdown());
    }

    void rangesGiveTheErrorSentence() {
        Json spec = Json::parse(R"({"kind": "tpe", "gamma": 1.5})");
        SearchSpace space =
            SearchSpace::fromJson(Json::parse(R"([{"name": "x", "type": "float", "low": 0,
                                                   "high": 1}])"));
        QCOMPARE(test::specErrorMessage([&] { StrategyRegistry::builtins().create(spec, space); }),
                 std::string("strategy.gamma: must be between 0 and 1, exclusive (got 1.5); 0.1 "
                             "means the best 10% of trials, at most 25"));
        spec = Json::parse(R"({"kind": "median", "interval_steps": 0})");
        QCOMPARE(test::specErrorMessage([&] { PrunerRegistry::builtins().create(spec); }),
                 std::string("pruner.interval_steps: must be at least 1 (got 0)"));
        spec = Json::parse(R"({"kind": "asha", "min_resource": 0})");
        QCOMPARE(test::specErrorMessage([&] { PrunerRegistry::builtins().create(spec); }),
                 std::string("pruner.min_resource: must be a step > 0 (got 0): the first rung is "
                             "at this step"));
        spec = Json::parse(R"({"kind": "gp", "kernel": "matern32"})");
        BONSAI_EXPECT_SPEC_ERROR(StrategyRegistry::builtins().create(spec, space),
                                 "strategy.kernel: unknown kernel 'matern32'; did you mean "
                                 "'matern52'?");
    }

    void aStrategyDefinedOutsideTheTreeRunsAStudy() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        // The built-in kinds do not know it, and say which they do know.
        BONSAI_EXPECT_SPEC_ERROR(parseStudySpec(Json::parse(kSpec), objectives),
                                 "strategy.kind: unknown strategy 'counting'");

        StrategyRegistry strategies = StrategyRegistry::builtins();
        strategies.add(countingKind());
        const Registries registries(objectives, strategies);
        // Its declared settings are checked like a built-in kind's.
        Json bad = Json::parse(kSpec);
        bad["strategy"]["step"] = 2;
        BONSAI_EXPECT_SPEC_ERROR(parseStudySpec(bad, registries),
                                 "strategy.step: must be between 0 and 1, exclusive (got 2)");

        Database db(":memory:");
        std::atomic<bool> stop{false};
        std::int64_t id = 0;
        {
            Study study =
                Study::create(db, parseStudySpec(Json::parse(kSpec), registries), registries);
            id = study.id();
            QCOMPARE(study.run(stop), StopReason::TrialBudget);
        }
        const std::vector<Trial> stored = db.loadTrials(id);
        QCOMPARE(static_cast<int>(stored.size()), 6);
        for (const Trial& trial : stored) {
            QCOMPARE(std::get<double>(trial.params.at("x")), 0.25 * trial.number);
            QCOMPARE(trial.attrs.value("counted", false), true);
        }

        // Reopened with the same kinds, the study goes on where it was.
        Study reopened = Study::open(db, "injected", registries);
        reopened.extendTrialBudget(2);
        QCOMPARE(reopened.run(stop), StopReason::TrialBudget);
        QCOMPARE(std::get<double>(db.loadTrials(id).back().params.at("x")), 0.25 * 7);
    }

    void aPrunerDefinedOutsideTheTreeIsUsed() {
        PrunerRegistry pruners = PrunerRegistry::builtins();
        PrunerKind eager;
        eager.kind = "eager";
        eager.summary = "prunes at the first report";
        eager.factory = [](SettingsReader&) -> std::unique_ptr<Pruner> {
            return std::make_unique<EagerPruner>();
        };
        pruners.add(eager);
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        // An objective that reports before it finishes.
        objectives.add("reporting", [](JsonReader&, const SearchSpace&) {
            struct Reporting final : Objective {
                double evaluate(const ParamMap&, TrialContext& context) override {
                    context.report(1, 1.0);
                    if (context.shouldPrune())
                        throw TrialPruned();
                    return 1.0;
                }
            };
            return std::unique_ptr<Objective>(std::make_unique<Reporting>());
        });
        const Registries registries(objectives, StrategyRegistry::builtins(), pruners);
        Json spec = Json::parse(R"({
            "name": "eager", "objective": {"kind": "reporting"},
            "space": [{"name": "x", "type": "float", "low": 0, "high": 1}],
            "pruner": {"kind": "eager"}, "budget": {"trials": 3}})");
        Database db(":memory:");
        Study study = Study::create(db, parseStudySpec(spec, registries), registries);
        std::atomic<bool> stop{false};
        study.run(stop);
        for (const Trial& trial : db.loadTrials(study.id()))
            QCOMPARE(trial.state, TrialState::Pruned);
    }
};

QTEST_APPLESS_MAIN(KindRegistryTest)
#include "tst_kind_registry.moc"

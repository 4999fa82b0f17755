// What every registered strategy promises, checked by iterating over the
// registry, so a new strategy is covered without touching this file (as
// Optuna's testing/pytest_samplers.py does for its samplers): legal points on
// mixed, conditional and cell spaces, with one objective and (where claimed)
// several; reproducible from the seed; no repeats on finite spaces and
// running trials respected where the kind claims it; and every declared
// setting accepted at its default and refused out of its range by path.
#include <QtTest>

#include <set>

#include "study/spec.h"
#include "support/spec_errors.h"
#include "support/strategy_harness.h"

using namespace bonsai;
using namespace bonsai::test;

namespace {

const std::vector<ObjectiveSpec> kTwoObjectives = {{"f1", Direction::Minimize},
                                                   {"f2", Direction::Maximize}};

std::vector<double> twoValues(const ParamMap& params) {
    const double loss = anyLoss(params);
    return {loss, std::fmod(loss * 7.0, 5.0)};
}

std::string strategyJson(const StrategyKind& kind) {
    return Json{{"kind", kind.kind}}.dump();
}

void addKindRows() {
    QTest::addColumn<QString>("kind");
    for (const StrategyKind* kind : StrategyRegistry::builtins().descriptions())
        QTest::newRow(kind->kind.c_str()) << QString::fromStdString(kind->kind);
}

void addMultiObjectiveKindRows() {
    QTest::addColumn<QString>("kind");
    for (const StrategyKind* kind : StrategyRegistry::builtins().descriptions())
        if (kind->capabilities.multiObjective)
            QTest::newRow(kind->kind.c_str()) << QString::fromStdString(kind->kind);
}

const StrategyKind& kindNamed(const QString& name) {
    return *StrategyRegistry::builtins().find(name.toStdString());
}

std::set<std::string> distinctPoints(const std::vector<Trial>& trials) {
    std::set<std::string> out;
    for (const Trial& trial : trials)
        out.insert(toJson(trial.params).dump());
    return out;
}

}  // namespace

class StrategyConformanceTest : public QObject {
    Q_OBJECT

  private slots:
    void everyKindDescribesItself_data() { addKindRows(); }

    void everyKindDescribesItself() {
        QFETCH(QString, kind);
        const StrategyKind& description = kindNamed(kind);
        QVERIFY(!description.summary.empty());
        QVERIFY(description.factory);
        std::set<std::string> keys;
        for (const SettingSpec& setting : description.settings) {
            QVERIFY2(keys.insert(setting.key).second, setting.key.c_str());
            QVERIFY2(!setting.doc.empty() && !setting.label.empty(), setting.key.c_str());
            QVERIFY2(!setting.defaultDisplay().empty(), setting.key.c_str());
        }
    }

    void legalPointsOnMixedConditionalAndCellSpaces_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("space");
        for (const StrategyKind* kind : StrategyRegistry::builtins().descriptions()) {
            QTest::addRow("%s mixed", kind->kind.c_str())
                << QString::fromStdString(kind->kind) << QString(kMixedSpace);
            QTest::addRow("%s cell", kind->kind.c_str())
                << QString::fromStdString(kind->kind) << QString(kCellSpace);
        }
    }

    void legalPointsOnMixedConditionalAndCellSpaces() {
        QFETCH(QString, kind);
        QFETCH(QString, space);
        const StrategyKind& description = kindNamed(kind);
        SearchSpace s = spaceFrom(qPrintable(space));
        auto trials = runStrategy(*makeStrategy(s, strategyJson(description)), s, 30, 2, anyLoss);
        QCOMPARE(static_cast<int>(trials.size()), 30);
        for (const Trial& trial : trials)
            s.validate(trial.params, "trial");
        // Cells vary (validate() has checked that exactly the active
        // parameters are present).
        std::set<std::string> cells;
        for (const Trial& trial : trials)
            if (trial.params.count("cell"))
                cells.insert(std::get<std::string>(trial.params.at("cell")));
        QVERIFY2(cells.size() > 5, qPrintable(QString::number(cells.size())));
    }

    void legalPointsWithSeveralObjectivesAndConstraints_data() { addMultiObjectiveKindRows(); }

    void legalPointsWithSeveralObjectivesAndConstraints() {
        QFETCH(QString, kind);
        SearchSpace s = spaceFrom(kMixedSpace);
        const std::vector<ConstraintSpec> constraints = {{"f1", std::nullopt, 10.0}};
        auto trials = runStrategy(*makeStrategy(s, strategyJson(kindNamed(kind))), s, 30, 4,
                                  Values(twoValues), {kTwoObjectives, constraints});
        QCOMPARE(static_cast<int>(trials.size()), 30);
        for (const Trial& trial : trials)
            s.validate(trial.params, "trial");
    }

    void reproducibleFromTheSeed_data() { addKindRows(); }

    void reproducibleFromTheSeed() {
        QFETCH(QString, kind);
        const std::string json = strategyJson(kindNamed(kind));
        SearchSpace s = spaceFrom(kMixedSpace);
        auto a = runStrategy(*makeStrategy(s, json), s, 25, 11, anyLoss);
        auto b = runStrategy(*makeStrategy(s, json), s, 25, 11, anyLoss);
        auto c = runStrategy(*makeStrategy(s, json), s, 25, 12, anyLoss);
        QCOMPARE(a.size(), b.size());
        bool differs = false;
        for (std::size_t i = 0; i < a.size(); ++i) {
            QVERIFY2(a[i].params == b[i].params, qPrintable(QString("trial %1").arg(i)));
            QVERIFY(a[i].attrs == b[i].attrs);
            differs |= i < c.size() && a[i].params != c[i].params;
        }
        QVERIFY(differs);
    }

    // Two objectives on one cell parameter: gp screens all 15,625 cells, in
    // blocks on several threads; the result is still the seed's alone.
    void reproducibleFromTheSeedWithTwoObjectives_data() { addMultiObjectiveKindRows(); }

    void reproducibleFromTheSeedWithTwoObjectives() {
        QFETCH(QString, kind);
        const std::string json = strategyJson(kindNamed(kind));
        SearchSpace s = spaceFrom(R"([{"name": "cell", "type": "nb201-cell"}])");
        const StudyShape two{kTwoObjectives, {}};
        // 30 trials: past gp's 25-point design on a cell space.
        auto a = runStrategy(*makeStrategy(s, json), s, 30, 5, Values(twoValues), two);
        auto b = runStrategy(*makeStrategy(s, json), s, 30, 5, Values(twoValues), two);
        QCOMPARE(a.size(), std::size_t{30});
        QCOMPARE(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            QVERIFY2(a[i].params == b[i].params, qPrintable(QString("trial %1").arg(i)));
            QVERIFY2(a[i].attrs == b[i].attrs, qPrintable(QString("trial %1").arg(i)));
        }
        if (kind == "gp")
            QVERIFY(a.back().attrs.contains("acquisition"));  // a model-based suggestion
    }

    void noRepeatsOnFiniteSpacesWhereClaimed_data() {
        QTest::addColumn<QString>("kind");
        for (const StrategyKind* kind : StrategyRegistry::builtins().descriptions())
            if (kind->capabilities.finiteSpaces)
                QTest::newRow(kind->kind.c_str()) << QString::fromStdString(kind->kind);
    }

    void noRepeatsOnFiniteSpacesWhereClaimed() {
        QFETCH(QString, kind);
        SearchSpace s = spaceFrom(kFiniteSpace);
        for (std::uint64_t seed = 0; seed < 5; ++seed) {
            auto trials = runStrategy(*makeStrategy(s, strategyJson(kindNamed(kind))), s,
                                      kFiniteSpacePoints + 5, seed, anyLoss);
            // Every point once, then nothing more to propose.
            QCOMPARE(static_cast<int>(trials.size()), kFiniteSpacePoints);
            QCOMPARE(static_cast<int>(distinctPoints(trials).size()), kFiniteSpacePoints);
        }
    }

    // Asked twice with the same random stream, the second time with the first
    // suggestion running on another worker: a kind that respects running
    // trials proposes something else (most of the time: TPE's constant liar
    // only makes the point less likely).
    void runningTrialsRespectedWhereClaimed_data() {
        QTest::addColumn<QString>("kind");
        for (const StrategyKind* kind : StrategyRegistry::builtins().descriptions())
            if (kind->capabilities.pendingTrials)
                QTest::newRow(kind->kind.c_str()) << QString::fromStdString(kind->kind);
    }

    void runningTrialsRespectedWhereClaimed() {
        QFETCH(QString, kind);
        SearchSpace s = spaceFrom(R"([{"name": "x", "type": "float", "low": 0, "high": 1},
                                      {"name": "k", "type": "int", "low": 0, "high": 20}])");
        Loss loss = [](const ParamMap& p) {
            return std::pow(numberOf(p, "x") - 0.3, 2) + 0.01 * numberOf(p, "k");
        };
        // 20 trials: past every kind's start-up phase at its defaults (evolution's
        // population), short of the end of a grid over this space (25 points).
        const int seeds = 8, history = 20;
        int differ = 0;
        for (std::uint64_t seed = 0; seed < seeds; ++seed) {
            auto strategy = makeStrategy(s, strategyJson(kindNamed(kind)));
            std::vector<Trial> trials = runStrategy(*strategy, s, history, seed, loss);
            Rng first(mixSeed(seed, 1000));
            auto a = suggestNext(*strategy, s, trials, first, seed);
            QVERIFY(a);
            trials.push_back(runningTrial(history, a->params));
            Rng second(mixSeed(seed, 1000));
            auto b = suggestNext(*strategy, s, trials, second, seed);
            QVERIFY(b);
            if (b->params != a->params)
                ++differ;
        }
        QVERIFY2(differ >= seeds / 2, qPrintable(QString("%1 of %2").arg(differ).arg(seeds)));
    }

    // The spec accepts "objectives" exactly with the kinds that claim them.
    void severalObjectivesExactlyWhereClaimed_data() { addKindRows(); }

    void severalObjectivesExactlyWhereClaimed() {
        QFETCH(QString, kind);
        const StrategyKind& description = kindNamed(kind);
        Json spec = Json::parse(R"({
            "name": "mo", "objective": {"kind": "function", "function": "zdt1"},
            "objectives": [{"name": "f1", "direction": "minimize"},
                           {"name": "f2", "direction": "minimize"}],
            "space": [{"name": "a", "type": "float", "low": 0, "high": 1},
                      {"name": "b", "type": "float", "low": 0, "high": 1}],
            "budget": {"trials": 5}})");
        spec["strategy"] = {{"kind", description.kind}};
        const std::string error = studySpecError(spec);
        if (description.capabilities.multiObjective)
            QCOMPARE(error, std::string("(no error)"));
        else
            QVERIFY2(error.find("strategy.kind: '" + description.kind +
                                "' optimizes a single objective") == 0,
                     error.c_str());
    }

    // Each declared setting: its default given explicitly is accepted; a value
    // outside its range, of the wrong type or off its choices is refused with
    // the setting's path; a misspelt key gets a did-you-mean.
    void declaredSettingsAreCheckedByPath_data() { addKindRows(); }

    void declaredSettingsAreCheckedByPath() {
        QFETCH(QString, kind);
        const StrategyKind& description = kindNamed(kind);
        SearchSpace s = spaceFrom(kMixedSpace);
        Json defaults = {{"kind", description.kind}};
        for (const SettingSpec& setting : description.settings)
            if (!setting.defaultValue.is_null())
                defaults[setting.key] = setting.defaultValue;
        makeStrategy(s, defaults.dump());

        for (const SettingSpec& setting : description.settings) {
            const std::string path = "strategy." + setting.key + ": ";
            auto refused = [&](const Json& value) {
                Json json = {{"kind", description.kind}, {setting.key, value}};
                return specErrorMessage([&] { makeStrategy(s, json.dump()); });
            };
            std::string wrongType = refused(setting.type == SettingSpec::Type::Choice ||
                                                    setting.type == SettingSpec::Type::Bool
                                                ? Json(3)
                                                : Json("3"));
            QVERIFY2(wrongType.find(path) == 0, wrongType.c_str());
            if (setting.type == SettingSpec::Type::Choice) {
                std::string offChoices = refused("no-such-choice");
                QVERIFY2(offChoices.find(path) == 0, offChoices.c_str());
            }
            if (setting.min) {
                std::string below =
                    refused(setting.type == SettingSpec::Type::Integer
                                ? Json(static_cast<std::int64_t>(*setting.min) - 1)
                                : Json(setting.minExclusive ? *setting.min : *setting.min - 1));
                QVERIFY2(below.find(path + "must be") == 0, below.c_str());
            }
            if (setting.max) {
                std::string above =
                    refused(setting.type == SettingSpec::Type::Integer
                                ? Json(static_cast<std::int64_t>(*setting.max) + 1)
                                : Json(setting.maxExclusive ? *setting.max : *setting.max + 1));
                QVERIFY2(above.find(path + "must be") == 0, above.c_str());
            }
            if (setting.key.size() > 3) {
                Json json = {{"kind", description.kind}, {setting.key.substr(1), 1}};
                BONSAI_EXPECT_SPEC_ERROR(makeStrategy(s, json.dump()),
                                         "did you mean '" + setting.key + "'");
            }
        }
    }
};

QTEST_APPLESS_MAIN(StrategyConformanceTest)
#include "tst_strategy_conformance.moc"

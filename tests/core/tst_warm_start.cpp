// Warm start ("warm_start" in the spec): the complete trials of earlier
// studies become prior observations. Checked here: the section's validation
// with exact messages (unknown studies, missing or unreadable databases,
// other directions or objectives, parameters the old study lacks), each
// learning strategy using the priors, priors counting toward no budget, the
// provenance stored with the study, and a resumed warm-started study
// repeating an uninterrupted one.
#include <QtTest>

#include <cmath>
#include <fstream>

#include "study/study.h"
#include "util/spec_error.h"

using namespace bonsai;

namespace {

// (x1 - 2)^2 + (x2 - 3)^2 (+ z when present); "f1"/"f2" attributes for
// two-objective studies.
class Bowl final : public Objective {
  public:
    double evaluate(const ParamMap& params, TrialContext& context) override {
        double x1 = *numericValue(params.at("x1"));
        double x2 = *numericValue(params.at("x2"));
        double value = (x1 - 2) * (x1 - 2) + (x2 - 3) * (x2 - 3);
        if (auto z = params.find("z"); z != params.end())
            value += *numericValue(z->second);
        context.setAttribute("f1", x1);
        context.setAttribute("f2", value);
        return value;
    }
};

ObjectiveRegistry registry() {
    ObjectiveRegistry out = ObjectiveRegistry::withBuiltins();
    out.add("bowl", [](JsonReader&, const SearchSpace&) { return std::make_unique<Bowl>(); });
    return out;
}

Json studyJson(const std::string& name, const Json& strategy, int trials) {
    Json out = Json::parse(R"({
        "objective": {"kind": "bowl"},
        "space": [{"name": "x1", "type": "float", "low": -5, "high": 10},
                  {"name": "x2", "type": "float", "low": 0, "high": 15}],
        "seed": 4
    })");
    out["name"] = name;
    out["strategy"] = strategy;
    out["budget"] = {{"trials", trials}};
    return out;
}

Json warmJson(const Json& warmStart, const Json& strategy = {{"kind", "gp"}}, int trials = 5) {
    Json out = studyJson("new", strategy, trials);
    out["warm_start"] = warmStart;
    return out;
}

// Runs a study to its budget in `db`.
Study runStudy(Database& db, const Json& json) {
    ObjectiveRegistry objectives = registry();
    Study study = Study::create(db, parseStudySpec(json, objectives), objectives);
    std::atomic<bool> stop{false};
    study.run(stop);
    return study;
}

// The message of the SpecError parsing and creating `json` throws, or "".
QString createError(Database& db, const Json& json) {
    ObjectiveRegistry objectives = registry();
    try {
        Study::create(db, parseStudySpec(json, objectives), objectives);
    } catch (const SpecError& error) {
        return QString::fromUtf8(error.what());
    }
    return QString();
}

std::vector<Trial> priorTrials(int count, const std::string& study = "old") {
    std::vector<Trial> out;
    Rng rng(77);
    for (int i = 0; i < count; ++i) {
        Trial trial;
        trial.number = i - count;
        trial.state = TrialState::Complete;
        double x1 = -5 + 15 * uniform01(rng), x2 = 15 * uniform01(rng);
        trial.params = {{"x1", x1}, {"x2", x2}};
        trial.value = (x1 - 2) * (x1 - 2) + (x2 - 3) * (x2 - 3);
        trial.values = {x1, *trial.value};
        trial.attrs["warm_start"] = {{"study", study}, {"number", i}};
        out.push_back(std::move(trial));
    }
    return out;
}

SearchSpace bowlSpace() {
    return SearchSpace::fromJson(studyJson("s", {{"kind", "random"}}, 1)["space"]);
}

std::optional<Suggestion> suggestWith(const Json& strategyJson, std::span<const Trial> priors,
                                      bool multi = false) {
    SearchSpace space = bowlSpace();
    auto strategy = StrategyRegistry::builtins().create(strategyJson, space);
    static const std::vector<ObjectiveSpec> kTwo = {{"f1", Direction::Minimize, std::nullopt},
                                                    {"f2", Direction::Minimize, std::nullopt}};
    Rng rng(5);
    std::vector<Trial> none;
    SuggestContext context{space, none, Direction::Minimize, rng, 5};
    if (multi)
        context.objectives = kTwo;
    context.priors = priors;
    return strategy->suggest(context);
}

}  // namespace

class WarmStartTest : public QObject {
    Q_OBJECT

  private slots:
    void badSectionsAreRejectedWithTheirPath_data() {
        QTest::addColumn<QString>("warmStart");
        QTest::addColumn<QString>("message");
        QTest::newRow("not an object") << R"(["old"])"
                                       << "warm_start: must be a JSON object (got an array)";
        QTest::newRow("no studies") << R"({"database": "x.db"})"
                                    << "warm_start.studies: is required";
        QTest::newRow("studies not an array") << R"({"studies": "old"})"
                                              << "warm_start.studies: must be an array";
        QTest::newRow("empty studies")
            << R"({"studies": []})"
            << "warm_start.studies: must name at least one earlier study, e.g. [\"older-study\"]";
        QTest::newRow("not a name") << R"({"studies": ["old", 3]})"
                                    << "warm_start.studies[1]: must be the name of an earlier "
                                       "study (got 3)";
        QTest::newRow("twice") << R"({"studies": ["old", "old"]})"
                               << "warm_start.studies[1]: 'old' is already warm_start.studies[0]; "
                                  "name each study once";
        QTest::newRow("empty database")
            << R"({"studies": ["old"], "database": ""})"
            << "warm_start.database: must be the path of a Bonsai database file";
        QTest::newRow("defaults not an object") << R"({"studies": ["old"], "defaults": [1]})"
                                                << "warm_start.defaults: must be an object";
        QTest::newRow("unknown default")
            << R"({"studies": ["old"], "defaults": {"x3": 1}})"
            << "warm_start.defaults.x3: unknown parameter; did you mean 'x1'?";
        QTest::newRow("default out of range")
            << R"({"studies": ["old"], "defaults": {"x1": 11}})"
            << "warm_start.defaults.x1: must be in [-5, 10] (got 11)";
        QTest::newRow("misspelt key") << R"({"studys": ["old"]})"
                                      << "warm_start.studies: is required";
        QTest::newRow("unknown key") << R"({"studies": ["old"], "databse": "x.db"})"
                                     << "warm_start.databse: unknown key; did you mean 'database'?";
        QTest::newRow("bad observation")
            << R"({"studies": ["old"], "observations": [{"study": "old", "number": 1,
                   "params": {"x1": 20, "x2": 1}, "value": 3}]})"
            << "warm_start.observations[0].params.x1: must be in [-5, 10] (got 20)";
    }
    void badSectionsAreRejectedWithTheirPath() {
        QFETCH(QString, warmStart);
        QFETCH(QString, message);
        QString error;
        try {
            parseStudySpec(warmJson(Json::parse(warmStart.toStdString())), registry());
        } catch (const SpecError& e) {
            error = QString::fromUtf8(e.what());
        }
        QVERIFY2(error.startsWith(message), qPrintable(error));
    }

    void studiesThatCannotServeAreRefusedByName() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("s.db").toStdString();
        Database db(path);
        runStudy(db, studyJson("old", {{"kind", "random"}}, 6));
        Json maximized = studyJson("old-max", {{"kind", "random"}}, 3);
        maximized["direction"] = "maximize";
        runStudy(db, maximized);
        Json narrow = studyJson("narrow", {{"kind", "random"}}, 3);
        narrow["space"][0]["low"] = 9.5;  // every x1 above this space's x1 range below
        runStudy(db, narrow);

        auto expect = [&](const Json& warm, const QString& message, const Json& base = Json()) {
            Json json = base.is_null() ? warmJson(warm) : base;
            json["warm_start"] = warm;
            const QString error = createError(db, json);
            QVERIFY2(error.startsWith(message), qPrintable(error));
            QVERIFY(!db.findStudy(json["name"].get<std::string>()));  // nothing stored
        };
        expect({{"studies", {"old", "olf"}}}, "warm_start.studies[1]: no study named 'olf' in " +
                                                  QString::fromStdString(path) +
                                                  "; did you mean 'old'? (`bonsai-cli list --db '" +
                                                  QString::fromStdString(path) + "'` shows them)");
        expect({{"studies", {"old-max"}}},
               "warm_start.studies[0]: study 'old-max' was set to maximize and this study to "
               "minimize; its values would mislead the strategy, so warm-start only from "
               "studies with the same direction");
        const std::string missing = dir.filePath("none.db").toStdString();
        expect({{"studies", {"old"}}, {"database", missing}},
               "warm_start.database: no file '" + QString::fromStdString(missing) +
                   "'; give the path of the Bonsai database that holds the studies, or leave "
                   "\"database\" out to read this study's own");
        const std::string text = dir.filePath("notes.txt").toStdString();
        std::ofstream(text) << "not a database\n";
        expect({{"studies", {"old"}}, {"database", text}}, "warm_start.database: cannot read '" +
                                                               QString::fromStdString(text) +
                                                               "' as a Bonsai database (");

        // A parameter the old study lacks: refused without a default.
        Json wider = warmJson({{"studies", {"old"}}});
        wider["space"].push_back({{"name", "z"}, {"type", "int"}, {"low", 0}, {"high", 4}});
        expect({{"studies", {"old"}}},
               "warm_start.studies[0]: study 'old' has no parameter 'z'; give it a value in "
               "warm_start.defaults (e.g. \"defaults\": {\"z\": 0}) or remove the study",
               wider);
        // No trial of the old study fits this space.
        Json tight = warmJson({{"studies", {"narrow"}}});
        tight["space"][0]["high"] = 9;
        expect({{"studies", {"narrow"}}},
               "warm_start.studies[0]: study 'narrow' has no complete trial whose parameters "
               "fit this space (3 complete, none inside it); finish some trials there or remove "
               "the study",
               tight);
    }

    void aDefaultFillsTheMissingParameter() {
        Database db(":memory:");
        runStudy(db, studyJson("old", {{"kind", "random"}}, 6));
        Json json = warmJson({{"studies", {"old"}}, {"defaults", {{"z", 2}}}});
        json["space"].push_back({{"name", "z"}, {"type", "int"}, {"low", 0}, {"high", 4}});
        Study study = runStudy(db, json);
        const auto& priors = *study.spec().warmStart.observations;
        QCOMPARE(priors.size(), std::size_t(6));
        for (const Trial& prior : priors)
            QCOMPARE(prior.params.at("z"), ParamValue(std::int64_t{2}));
    }

    void multiObjectiveValuesMustMatch() {
        Database db(":memory:");
        Json two = studyJson("two", {{"kind", "random"}}, 4);
        two.erase("direction");
        two["objectives"] = Json::parse(R"([{"name": "f1", "direction": "minimize"},
                                            {"name": "f2", "direction": "minimize"}])");
        runStudy(db, two);
        runStudy(db, studyJson("one", {{"kind", "random"}}, 4));

        Json target = two;
        target["name"] = "mo-new";
        target["strategy"] = {{"kind", "nsga2"}, {"population_size", 4}};
        target["warm_start"] = {{"studies", {"one"}}};
        QString error = createError(db, target);
        QVERIFY2(error.startsWith("warm_start.studies[0]: study 'one' has one objective and this "
                                  "study 2; warm-start only from studies with the same "
                                  "objectives"),
                 qPrintable(error));
        target["objectives"][1]["direction"] = "maximize";
        target["warm_start"] = {{"studies", {"two"}}};
        error = createError(db, target);
        QVERIFY2(error.startsWith("warm_start.studies[0]: study 'two' is set to minimize "
                                  "objective 1 ('f2') and this study to maximize 'f2'"),
                 qPrintable(error));
        Json single = warmJson({{"studies", {"two"}}});
        error = createError(db, single);
        QVERIFY2(error.startsWith("warm_start.studies[0]: study 'two' has 2 objectives and this "
                                  "study one"),
                 qPrintable(error));

        // Matching objectives: the values come across and nsga2 breeds from them.
        target["objectives"][1]["direction"] = "minimize";
        Study study = runStudy(db, target);
        const auto& priors = *study.spec().warmStart.observations;
        QCOMPARE(priors.size(), std::size_t(4));
        QCOMPARE(priors.front().values.size(), std::size_t(2));
        QCOMPARE(study.trials().front().attrs.value("generation", -1), 1);
    }

    void priorsCountTowardNoBudgetAndTheirSourceIsStored() {
        QTemporaryDir dir;
        const std::string oldPath = dir.filePath("old.db").toStdString();
        {
            Database old(oldPath);
            runStudy(old, studyJson("old", {{"kind", "random"}}, 12));
        }
        Database db(dir.filePath("new.db").toStdString());
        Study study = runStudy(
            db, warmJson({{"studies", {"old"}}, {"database", oldPath}}, {{"kind", "tpe"}}, 5));
        QCOMPARE(study.trials().size(), std::size_t(5));
        QCOMPARE(study.countedTrials(), std::int64_t{5});
        QCOMPARE(db.loadTrials(study.id()).size(), std::size_t(5));
        for (const Trial& trial : study.trials())
            QVERIFY(trial.number >= 0);

        const Json stored = db.requireStudy("new").spec;
        const Json& warm = stored.at("warm_start");
        QCOMPARE(warm.at("observations").size(), std::size_t(12));
        QCOMPARE(warm.at("observations")[0].value("study", ""), std::string("old"));
        QCOMPARE(warm.at("sources")[0].value("trials", 0), 12);
        QCOMPARE(warm.at("sources")[0].value("database", ""), oldPath);
        QCOMPARE(QString::fromStdString(warmStartSummary(stored)),
                 "12 prior trials: 12 from 'old' in " + QString::fromStdString(oldPath));
        // tpe (startup 10) had 12 observations from the start: no random draw.
        QVERIFY(study.trials().front().attrs.contains("tpe_score"));
    }

    void gpConditionsOnPriors() {
        const std::vector<Trial> priors = priorTrials(20);
        auto cold = suggestWith({{"kind", "gp"}}, {});
        auto warm = suggestWith({{"kind", "gp"}}, priors);
        QVERIFY(cold->attrs.contains("design"));  // Sobol: nothing to model yet
        QVERIFY(!warm->attrs.contains("design"));
        auto loss = [](const ParamMap& p) {
            double x1 = *numericValue(p.at("x1")), x2 = *numericValue(p.at("x2"));
            return (x1 - 2) * (x1 - 2) + (x2 - 3) * (x2 - 3);
        };
        double median;
        {
            std::vector<double> values;
            for (const Trial& prior : priors)
                values.push_back(*prior.value);
            std::sort(values.begin(), values.end());
            median = values[values.size() / 2];
        }
        QVERIFY2(loss(warm->params) < median, qPrintable(QString::number(loss(warm->params))));
    }

    void tpeCountsPriorsInItsHistory() {
        const std::vector<Trial> priors = priorTrials(10);
        auto cold = suggestWith({{"kind", "tpe"}}, {});
        auto few = suggestWith({{"kind", "tpe"}}, std::span(priors).first(9));
        auto warm = suggestWith({{"kind", "tpe"}}, priors);
        // startup_trials is 10: nine priors leave it random, ten do not.
        QVERIFY(!cold->attrs.contains("tpe_score"));
        QVERIFY(!few->attrs.contains("tpe_score"));
        QVERIFY(warm->attrs.contains("tpe_score"));
    }

    void evolutionSeedsItsPopulationFromPriors() {
        const std::vector<Trial> priors = priorTrials(8);
        const Json strategy = {{"kind", "evolution"}, {"population", 8}, {"sample_size", 3}};
        auto cold = suggestWith(strategy, {});
        auto warm = suggestWith(strategy, priors);
        QVERIFY(!cold->attrs.contains("parent"));
        QVERIFY(warm->attrs.contains("parent"));
        const int parent = warm->attrs.value("parent", 0);
        QVERIFY2(parent < 0 && parent >= -8, qPrintable(QString::number(parent)));
    }

    void nsga2TakesPriorsAsItsFirstPopulation() {
        const std::vector<Trial> priors = priorTrials(6);
        const Json strategy = {{"kind", "nsga2"}, {"population_size", 6}};
        auto cold = suggestWith(strategy, {}, true);
        auto warm = suggestWith(strategy, priors, true);
        QCOMPARE(cold->attrs.value("generation", -1), 0);
        QCOMPARE(warm->attrs.value("generation", -1), 1);
        for (const Json& parent : warm->attrs.at("parents"))
            QVERIFY(parent.get<int>() < 0);
    }

    void aResumedWarmStartRepeatsAnUninterruptedRun_data() {
        QTest::addColumn<QString>("strategy");
        QTest::newRow("gp") << R"({"kind": "gp", "initial_trials": 4})";
        QTest::newRow("tpe") << R"({"kind": "tpe"})";
        QTest::newRow("evolution") << R"({"kind": "evolution", "population": 6})";
    }
    void aResumedWarmStartRepeatsAnUninterruptedRun() {
        QFETCH(QString, strategy);
        const Json strategyJson = Json::parse(strategy.toStdString());
        const Json json = warmJson({{"studies", {"old"}}}, strategyJson, 10);
        std::vector<Trial> whole;
        {
            Database db(":memory:");
            runStudy(db, studyJson("old", {{"kind", "random"}}, 12));
            whole = runStudy(db, json).trials();
        }
        Database db(":memory:");
        const std::int64_t oldId = runStudy(db, studyJson("old", {{"kind", "random"}}, 12)).id();
        Json half = json;
        half["budget"]["trials"] = 4;
        runStudy(db, half);
        // The old study is gone by now: the priors stored with the study stand.
        db.deleteStudy(oldId);
        ObjectiveRegistry objectives = registry();
        Study resumed = Study::open(db, "new", objectives);
        resumed.setTrialBudget(10);
        std::atomic<bool> stop{false};
        resumed.run(stop);
        QCOMPARE(resumed.trials().size(), whole.size());
        for (std::size_t i = 0; i < whole.size(); ++i)
            QCOMPARE(resumed.trials()[i].params, whole[i].params);
    }
};

QTEST_GUILESS_MAIN(WarmStartTest)
#include "tst_warm_start.moc"

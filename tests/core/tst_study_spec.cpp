// The top level of a study spec: every section is validated with a message
// that names the JSON path and says how to fix it. (Parameter-level rules are
// specified in tst_space_spec.)
#include <QtTest>

#include "study/spec.h"
#include "support/spec_errors.h"
#include "util/json_reader.h"

using namespace bonsai;

namespace {

Json validSpec() {
    return Json::parse(R"({
        "name": "branin-random",
        "direction": "minimize",
        "objective": {"kind": "function", "function": "branin"},
        "space": [{"name": "x1", "type": "float", "low": -5, "high": 10},
                  {"name": "x2", "type": "float", "low": 0, "high": 15}],
        "strategy": {"kind": "random"},
        "budget": {"trials": 20},
        "seed": 3
    })");
}

// Two objectives (a trial attribute and the returned value) and a constraint.
Json multiObjectiveSpec() {
    Json json = validSpec();
    json.erase("direction");
    json["objectives"] = Json::parse(R"([
        {"name": "loss", "direction": "minimize", "reference": 300},
        {"name": "size", "direction": "maximize"}])");
    json["constraints"] = Json::parse(R"([{"name": "size", "min": 1, "max": 10}])");
    return json;
}

}  // namespace

class StudySpecTest : public QObject {
    Q_OBJECT

  private slots:
    // "Did you mean" names a typo's word, never a guess: at most a third of
    // the word differs, and at least one letter is in place.
    void suggestionsAreForTyposOnly() {
        const std::vector<std::string> names{"lr", "momentum", "epochs", "initial_trials"};
        QCOMPARE(closestMatch("lrr", names), std::string("lr"));
        QCOMPARE(closestMatch("epoch", names), std::string("epochs"));
        QCOMPARE(closestMatch("initail_trials", names), std::string("initial_trials"));
        QCOMPARE(closestMatch("x1", names), std::string());
        QCOMPARE(closestMatch("dropout", names), std::string());
    }

    void aValidSpecParsesWithDefaults() {
        Json json = validSpec();
        json.erase("strategy");
        json.erase("direction");
        json.erase("seed");
        StudySpec spec = parseStudySpec(json, ObjectiveRegistry::withBuiltins());
        QCOMPARE(spec.name, std::string("branin-random"));
        QCOMPARE(spec.direction, Direction::Minimize);
        QCOMPARE(spec.strategy["kind"].get<std::string>(), std::string("random"));
        QCOMPARE(spec.seed, std::uint64_t{0});
        QCOMPARE(*spec.budget.trials, std::int64_t{20});
        QVERIFY(spec.pruner.is_null());
        QCOMPARE(spec.source["version"].get<int>(), 1);
    }

    void theNormalizedSourceParsesToTheSameSpec() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        StudySpec spec = parseStudySpec(validSpec(), objectives);
        StudySpec again = parseStudySpec(spec.source, objectives);
        QCOMPARE(again.source, spec.source);
    }

    void objectivesAndConstraintsParseAndRoundTrip() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        StudySpec spec = parseStudySpec(multiObjectiveSpec(), objectives);
        QCOMPARE(spec.objectives.size(), std::size_t{2});
        QCOMPARE(spec.objectives[0].name, std::string("loss"));
        QCOMPARE(spec.objectives[0].direction, Direction::Minimize);
        QCOMPARE(*spec.objectives[0].reference, 300.0);
        QCOMPARE(spec.objectives[1].direction, Direction::Maximize);
        QVERIFY(!spec.objectives[1].reference);
        QCOMPARE(spec.direction, Direction::Minimize);  // the first objective's
        QCOMPARE(spec.constraints.size(), std::size_t{1});
        QCOMPARE(*spec.constraints[0].min, 1.0);
        QCOMPARE(*spec.constraints[0].max, 10.0);
        QVERIFY(!spec.source.contains("direction"));
        StudySpec again = parseStudySpec(spec.source, objectives);
        QCOMPARE(again.source, spec.source);
        QCOMPARE(again.objectives.size(), std::size_t{2});
        QCOMPARE(again.constraints.size(), std::size_t{1});

        // Constraints also apply to a single-objective study.
        Json single = validSpec();
        single["constraints"] = Json::parse(R"([{"name": "x1", "max": 2}])");
        StudySpec constrained = parseStudySpec(single, objectives);
        QVERIFY(constrained.objectives.empty());
        QCOMPARE(constrained.constraints.size(), std::size_t{1});
        QCOMPARE(parseStudySpec(constrained.source, objectives).source, constrained.source);
        // A single-objective spec's source is unchanged by these fields.
        QVERIFY(!parseStudySpec(validSpec(), objectives).source.contains("objectives"));
        QVERIFY(!parseStudySpec(validSpec(), objectives).source.contains("constraints"));
    }

    void badMultiObjectiveSpecsAreRejectedWithPathAndFix_data() {
        QTest::addColumn<QString>("patch");  // JSON merge patch applied to multiObjectiveSpec()
        QTest::addColumn<QString>("message");
        QTest::newRow("both direction and objectives")
            << R"({"direction": "minimize"})"
            << "direction: a study has either \"direction\" (one objective) or \"objectives\" "
               "(several), not both; pick one";
        QTest::newRow("objectives not array")
            << R"({"objectives": {"name": "a"}})"
            << "objectives: must be an array of {\"name\", \"direction\"} objects";
        QTest::newRow("one objective")
            << R"({"objectives": [{"name": "a", "direction": "minimize"}]})"
            << "objectives: needs at least 2 entries (got 1); for one objective use "
               "\"direction\" instead";
        QTest::newRow("objective not object")
            << R"({"objectives": [{"name": "a", "direction": "minimize"}, "b"]})"
            << "objectives[1]: must be a JSON object (got a string)";
        QTest::newRow("objective direction missing")
            << R"({"objectives": [{"name": "a", "direction": "minimize"}, {"name": "b"}]})"
            << "objectives[1].direction: is required (\"minimize\" or \"maximize\")";
        QTest::newRow("objective direction bad")
            << R"({"objectives": [{"name": "a", "direction": "minimize"},
                                  {"name": "b", "direction": "down"}]})"
            << "objectives[1].direction: must be \"minimize\" or \"maximize\" (got \"down\")";
        QTest::newRow("objective name missing")
            << R"({"objectives": [{"direction": "minimize"}, {"name": "b", "direction": "minimize"}]})"
            << "objectives[0].name: is required";
        QTest::newRow("objective name empty")
            << R"({"objectives": [{"name": "a", "direction": "minimize"},
                                  {"name": " ", "direction": "minimize"}]})"
            << "objectives[1].name: must not be empty; name a trial attribute such as "
               "\"accuracy\"";
        QTest::newRow("objective name duplicate")
            << R"({"objectives": [{"name": "a", "direction": "minimize"},
                                  {"name": "a", "direction": "maximize"}]})"
            << "objectives[1].name: 'a' is already objectives[0]; each objective needs its own "
               "name";
        QTest::newRow("objective reference not number")
            << R"({"objectives": [{"name": "a", "direction": "minimize", "reference": "high"},
                                  {"name": "b", "direction": "minimize"}]})"
            << "objectives[0].reference: must be a number (got a string)";
        QTest::newRow("objective typo")
            << R"({"objectives": [{"name": "a", "direction": "minimize", "refrence": 1},
                                  {"name": "b", "direction": "minimize"}]})"
            << "objectives[0].refrence: unknown key; did you mean 'reference'?";
        QTest::newRow("single-objective strategy")
            << R"({"strategy": {"kind": "tpe"}})"
            << "strategy.kind: 'tpe' optimizes a single objective; a study with "
               "\"objectives\" can use gp, grid, ";
        QTest::newRow("evolution strategy")
            << R"({"strategy": {"kind": "evolution"}})"
            << "strategy.kind: 'evolution' optimizes a single objective;";
        // EHVI asked for by name past three objectives: said, not quietly ParEGO.
        QTest::newRow("ehvi for four objectives")
            << R"({"strategy": {"kind": "gp", "acquisition": "ehvi"}, "objectives": [
                   {"name": "a", "direction": "minimize"}, {"name": "b", "direction": "minimize"},
                   {"name": "c", "direction": "minimize"}, {"name": "d", "direction": "minimize"}]})"
            << "strategy.acquisition: ehvi handles two or three objectives and this study has "
               "4; use \"parego\", or leave acquisition out (ParEGO is the default past three)";
        QTest::newRow("target")
            << R"({"budget": {"trials": 5, "target": 1}})"
            << "budget.target: needs a single objective; a study with \"objectives\" stops on "
               "\"trials\" or \"seconds\"";
        QTest::newRow("constraints not array")
            << R"({"constraints": {"name": "size"}})"
            << "constraints: must be an array of {\"name\", \"min\", \"max\"} objects";
        QTest::newRow("constraint without bounds")
            << R"({"constraints": [{"name": "size"}]})"
            << "constraints[0]: needs \"min\", \"max\" or both";
        QTest::newRow("constraint min above max")
            << R"({"constraints": [{"name": "a", "max": 1}, {"name": "b", "min": 3, "max": 2}]})"
            << "constraints[1].min: must be <= max (got min 3, max 2)";
        QTest::newRow("constraint name missing") << R"({"constraints": [{"max": 1}]})"
                                                 << "constraints[0].name: is required";
        QTest::newRow("constraint duplicate")
            << R"({"constraints": [{"name": "a", "max": 1}, {"name": "a", "min": 0}]})"
            << "constraints[1].name: 'a' is already constrained by constraints[0]; give min and "
               "max in one entry";
        QTest::newRow("constraint bound not number")
            << R"({"constraints": [{"name": "a", "max": "1"}]})"
            << "constraints[0].max: must be a number (got a string)";
        QTest::newRow("constraint typo") << R"({"constraints": [{"name": "a", "maximum": 1}]})"
                                         << "constraints[0].maximum: unknown key";
    }

    void badMultiObjectiveSpecsAreRejectedWithPathAndFix() {
        QFETCH(QString, patch);
        QFETCH(QString, message);
        Json json = multiObjectiveSpec();
        json.merge_patch(Json::parse(patch.toStdString()));
        BONSAI_EXPECT_SPEC_ERROR_STARTS(parseStudySpec(json, ObjectiveRegistry::withBuiltins()),
                                        message.toStdString());
    }

    void multiObjectiveStrategiesAreAccepted() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        for (const char* kind : {"random", "sobol", "grid", "gp"}) {
            Json json = multiObjectiveSpec();
            json["strategy"] = {{"kind", kind}};
            QCOMPARE(parseStudySpec(json, objectives).strategy["kind"].get<std::string>(),
                     std::string(kind));
        }
        // EHVI for two or three objectives; four take ParEGO, by default or by name.
        Json three = multiObjectiveSpec();
        three["objectives"].push_back({{"name", "time"}, {"direction", "minimize"}});
        three["strategy"] = {{"kind", "gp"}, {"acquisition", "ehvi"}};
        QCOMPARE(parseStudySpec(three, objectives).objectives.size(), std::size_t{3});
        Json four = three;
        four["objectives"].push_back({{"name", "memory"}, {"direction", "minimize"}});
        for (const Json& strategy :
             {Json{{"kind", "gp"}}, Json{{"kind", "gp"}, {"acquisition", "parego"}}}) {
            four["strategy"] = strategy;
            QCOMPARE(parseStudySpec(four, objectives).objectives.size(), std::size_t{4});
        }
    }

    void badSpecsAreRejectedWithPathAndFix_data() {
        QTest::addColumn<QString>("patch");  // JSON merge patch applied to validSpec()
        QTest::addColumn<QString>("message");
        QTest::newRow("name missing") << R"({"name": null})"
                                      << "name: is required";
        QTest::newRow("name empty") << R"({"name": "  "})"
                                    << "name: must not be empty; give the study a name";
        QTest::newRow("name not string") << R"({"name": 5})"
                                         << "name: must be a string (got a number)";
        QTest::newRow("direction")
            << R"({"direction": "up"})"
            << "direction: must be \"minimize\" or \"maximize\" (got \"up\")";
        QTest::newRow("unknown top key") << R"({"budgte": {"trials": 3}})"
                                         << "budgte: unknown key; did you mean 'budget'?";
        QTest::newRow("budget missing") << R"({"budget": null})"
                                        << "budget: is required";
        QTest::newRow("budget zero") << R"({"budget": {"trials": 0}})"
                                     << "budget.trials: must be > 0 (got 0)";
        QTest::newRow("budget negative seconds") << R"({"budget": {"seconds": -1}})"
                                                 << "budget.seconds: must be > 0 (got -1)";
        QTest::newRow("budget fractional trials")
            << R"({"budget": {"trials": 2.5}})"
            << "budget.trials: must be a whole number (got 2.5)";
        QTest::newRow("budget target only")
            << R"({"budget": {"trials": null, "target": 0.5}})"
            << "budget: needs \"trials\" or \"seconds\" (a target alone may "
               "never be reached)";
        QTest::newRow("budget typo") << R"({"budget": {"trials": 5, "trails": 5}})"
                                     << "budget.trails: unknown key; did you mean 'trials'?";
        QTest::newRow("seed negative") << R"({"seed": -1})"
                                       << "seed: must be a whole number >= 0 (got -1)";
        QTest::newRow("workers zero") << R"({"workers": 0})"
                                      << "workers: must be between 1 and 256 (got 0)";
        QTest::newRow("version") << R"({"version": 2})"
                                 << "version: this Bonsai reads spec version 1 (got 2)";
        QTest::newRow("strategy unknown")
            << R"({"strategy": {"kind": "randm"}})"
            << "strategy.kind: unknown strategy 'randm'; did you mean 'random'?";
        QTest::newRow("strategy not object") << R"({"strategy": "random"})"
                                             << "strategy: must be a JSON object (got a string)";
        QTest::newRow("strategy unknown setting")
            << R"({"strategy": {"kind": "grid", "resolutoin": 3}})"
            << "strategy.resolutoin: unknown key; did you mean 'resolution'?";
        QTest::newRow("grid resolution") << R"({"strategy": {"kind": "grid", "resolution": 1}})"
                                         << "strategy.resolution: must be at least 2 (got 1)";
        QTest::newRow("objective kind")
            << R"({"objective": {"kind": "functoin"}})"
            << "objective.kind: unknown objective kind 'functoin'; did you mean "
               "'function'?";
        QTest::newRow("objective function")
            << R"({"objective": {"function": "branni"}})"
            << "objective.function: unknown function 'branni'; did you mean "
               "'branin'?";
        QTest::newRow("objective arity")
            << R"({"objective": {"function": "hartmann3"}})"
            << "objective.function: hartmann3 takes 3 parameters but the space "
               "has 2; define exactly 3";
        QTest::newRow("objective delay")
            << R"({"objective": {"delay_seconds": -2}})"
            << "objective.delay_seconds: must be between 0 and 3600 (got -2)";
        QTest::newRow("pruner unknown") << R"({"pruner": {"kind": "never"}})"
                                        << "pruner.kind: unknown pruner 'never'";
        QTest::newRow("space missing") << R"({"space": null})"
                                       << "space: is required";
    }

    void badSpecsAreRejectedWithPathAndFix() {
        QFETCH(QString, patch);
        QFETCH(QString, message);
        Json json = validSpec();
        json.merge_patch(Json::parse(patch.toStdString()));
        BONSAI_EXPECT_SPEC_ERROR_STARTS(parseStudySpec(json, ObjectiveRegistry::withBuiltins()),
                                        message.toStdString());
    }

    void jsonSyntaxErrorsNameLineAndColumn() {
        BONSAI_EXPECT_SPEC_ERROR_STARTS(parseJsonText("{\n  \"name\": \"x\",\n  \"seed\": ,\n}"),
                                        "invalid JSON at line 3, column 11");
    }

    // Readers of stored studies (the studio's panel notes) take the budget
    // alone, checked as the whole spec would be.
    void theBudgetSectionParsesAloneWithTheSameChecks() {
        const Budget budget = parseBudgetSection(validSpec());
        QCOMPARE(*budget.trials, std::int64_t{20});
        QVERIFY(!budget.seconds);
        Json zero = validSpec();
        zero["budget"] = {{"trials", 0}};
        QCOMPARE(test::specErrorMessage([&] { parseBudgetSection(zero); }),
                 std::string("budget.trials: must be > 0 (got 0)"));
        Json missing = validSpec();
        missing.erase("budget");
        QCOMPARE(test::specErrorMessage([&] { parseBudgetSection(missing); }),
                 std::string("budget: is required"));
    }

    void aMissingSpecFileSaysSo() {
        QCOMPARE(test::specErrorMessage([&] {
                     loadStudySpecFile("/nonexistent/spec.json", ObjectiveRegistry::withBuiltins());
                 }),
                 std::string("cannot read spec file '/nonexistent/spec.json'; check the path"));
    }

    // What a spec file names relative to itself starts from its folder;
    // absolute paths and everything else stay as written.
    void relativePathsStartFromTheSpecFilesFolder() {
        Json spec = {{"objective",
                      {{"kind", "tabular"},
                       {"file", {"a.csv", "/data/b.csv", "../c.csv"}},
                       {"workdir", "scripts"},
                       {"metric", "acc"}}},
                     {"warm_start", {{"database", "old/studies.db"}, {"study", "s"}}},
                     {"name", "x.csv"}};
        resolveRelativeSpecPaths(spec, "/home/user/specs/study.json");
        QCOMPARE(spec["objective"]["file"],
                 Json({"/home/user/specs/a.csv", "/data/b.csv", "/home/user/c.csv"}));
        QCOMPARE(spec["objective"]["workdir"], Json("/home/user/specs/scripts"));
        QCOMPARE(spec["warm_start"]["database"], Json("/home/user/specs/old/studies.db"));
        QCOMPARE(spec["objective"]["metric"], Json("acc"));
        QCOMPARE(spec["name"], Json("x.csv"));
        Json notAnObject = Json::array({"a.csv"});
        resolveRelativeSpecPaths(notAnObject, "/home/user/specs/study.json");
        QCOMPARE(notAnObject, Json::array({"a.csv"}));
    }

    void theBundledExamplesAreValid() {
        QDir examples(QString(BONSAI_SOURCE_DIR) + "/resources/examples");
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        int checked = 0;
        for (const QString& file : examples.entryList({"*.json"})) {
            std::string path = examples.filePath(file).toStdString();
            try {
                loadStudySpecFile(path, objectives);
                ++checked;
            } catch (const SpecError& error) {
                // Objectives from optional libraries (fashion-mnist) are checked by their own
                // tests.
                if (QString(error.what()).contains("unknown objective kind"))
                    continue;
                QFAIL(qPrintable(file + ": " + error.what()));
            }
        }
        QVERIFY(checked > 0);
    }
};

QTEST_APPLESS_MAIN(StudySpecTest)
#include "tst_study_spec.moc"

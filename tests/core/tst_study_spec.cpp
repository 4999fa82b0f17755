// The top level of a study spec: every section is validated with a message
// that names the JSON path and says how to fix it. (Parameter-level rules are
// specified in tst_space_spec.)
#include <QtTest>

#include "study/spec.h"

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

}  // namespace

class StudySpecTest : public QObject {
    Q_OBJECT

  private slots:
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
        try {
            parseStudySpec(json, ObjectiveRegistry::withBuiltins());
            QFAIL("the spec was accepted");
        } catch (const SpecError& error) {
            QString got = QString::fromStdString(error.what());
            QVERIFY2(got.startsWith(message), qPrintable("got: " + got));
        }
    }

    void jsonSyntaxErrorsNameLineAndColumn() {
        try {
            parseJsonText("{\n  \"name\": \"x\",\n  \"seed\": ,\n}");
            QFAIL("accepted");
        } catch (const SpecError& error) {
            QVERIFY2(QString(error.what()).startsWith("invalid JSON at line 3, column 11"),
                     error.what());
        }
    }

    void aMissingSpecFileSaysSo() {
        try {
            loadStudySpecFile("/nonexistent/spec.json", ObjectiveRegistry::withBuiltins());
            QFAIL("accepted");
        } catch (const SpecError& error) {
            QCOMPARE(QString(error.what()),
                     QString("cannot read spec file '/nonexistent/spec.json'; check the path"));
        }
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

// The tabular objective over several files joined on "key" (hardware-aware
// NAS: accuracy from one table, device latency from another): every column of
// every table usable, and each join error naming the tables exactly.
#include <QtTest>

#include <set>

#include "study/multi_objective.h"
#include "study/study.h"
#include "support/tabular_tables.h"

using namespace bonsai;

class TabularJoinTest : public QObject {
    Q_OBJECT

    test::TableFiles m_tables;

    Json joined(const std::vector<std::string>& files, const char* metric = "acc") {
        return Json{{"kind", "tabular"}, {"file", files}, {"key", "arch"}, {"metric", metric}};
    }

  private slots:
    void initTestCase() { QVERIFY(m_tables.isValid()); }

    // Accuracy from one table, latency (another order, another column
    // layout) from a second: a two-objective study with a latency constraint
    // reads both, and its constraint counts.
    void joinedColumnsServeAsMetricReportObjectiveAndConstraint() {
        const std::string accuracy = m_tables.write(
            "acc.csv", "index,arch,acc,params\n0,a,70,1.5\n1,b,90,3.0\n2,c,80,2.0\n");
        const std::string latency = m_tables.write(
            "lat.csv", "arch,index,lat_ms,energy\nc,2,4.0,7\na,0,1.0,5\nb,1,9.0,8\n");
        Json objective = joined({accuracy, latency});
        objective["report"] = {"lat_ms", "params", "energy"};
        Json spec{{"name", "hw"},
                  {"objectives", Json::array({{{"name", "value"}, {"direction", "maximize"}},
                                              {{"name", "lat_ms"}, {"direction", "minimize"}}})},
                  {"constraints", Json::array({{{"name", "lat_ms"}, {"max", 5.0}}})},
                  {"objective", objective},
                  {"space", Json::parse(test::kModelSpace)},
                  {"strategy", {{"kind", "grid"}}},
                  {"budget", {{"trials", 3}}},
                  {"seed", 1}};
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Database db(":memory:");
        Study study = Study::create(db, parseStudySpec(spec, objectives), objectives);
        std::atomic<bool> stop{false};
        study.run(stop);
        QCOMPARE(study.trials().size(), std::size_t{3});
        const std::map<std::string, std::tuple<double, double, double, double>> rows{
            {"a", {70, 1.0, 1.5, 5}}, {"b", {90, 9.0, 3.0, 8}}, {"c", {80, 4.0, 2.0, 7}}};
        for (const Trial& trial : db.loadTrials(study.id())) {
            QCOMPARE(trial.state, TrialState::Complete);
            const auto& [acc, lat, params, energy] =
                rows.at(std::get<std::string>(trial.params.at("model")));
            QCOMPARE(trial.values, (std::vector<double>{acc, lat}));
            QCOMPARE(trial.attrs["params"].get<double>(), params);
            QCOMPARE(trial.attrs["energy"].get<double>(), energy);
        }
        // b is the most accurate but breaks the latency limit: the Pareto set
        // is a (fastest) and c.
        std::set<std::string> front;
        for (std::size_t index :
             paretoTrialIndices(study.trials(), parseStudySpec(spec, objectives)))
            front.insert(std::get<std::string>(study.trials()[index].params.at("model")));
        QCOMPARE(front, (std::set<std::string>{"a", "c"}));
    }

    void aTableWithoutTheKeyColumnIsNamed() {
        const std::string a = m_tables.write("k1.csv", "arch,acc\na,1\nb,2\nc,3\n");
        const std::string b = m_tables.write("k2.csv", "name,lat_ms\na,1\nb,2\nc,3\n");
        QCOMPARE(test::objectiveSpecError(joined({a, b})),
                 std::string("objective.file[1]: k2.csv has no column 'arch' (its columns: name, "
                             "lat_ms); every joined table needs the \"key\" column"));
        QCOMPARE(test::objectiveSpecError(joined({b, a})),
                 std::string("objective.file[0]: k2.csv has no column 'arch' (its columns: name, "
                             "lat_ms); every joined table needs the \"key\" column"));
    }

    void keysMissingFromATableAreCountedWithAnExample() {
        const std::string a = m_tables.write("m1.csv", "arch,acc\na,1\nb,2\nc,3\n");
        const std::string b = m_tables.write("m2.csv", "arch,lat_ms\nb,2\n");
        QCOMPARE(test::objectiveSpecError(joined({a, b})),
                 std::string("objective.file[1]: m2.csv has no row for 2 of the 3 arch values in "
                             "m1.csv, e.g. 'a'; every joined table needs a row for each key"));
        const std::string c = m_tables.write("m3.csv", "arch,lat_ms\na,1\nb,2\nc,3\nd,4\ne,5\n");
        QCOMPARE(test::objectiveSpecError(joined({a, c})),
                 std::string("objective.file[1]: m3.csv has 2 arch values that m1.csv lacks, "
                             "e.g. 'd'; every joined table needs a row for each key"));
    }

    void aColumnInTwoTablesNamesBothFiles() {
        const std::string a = m_tables.write("d1.csv", "arch,acc,index\na,1,0\nb,2,1\nc,3,2\n");
        const std::string b =
            m_tables.write("d2.csv", "arch,acc,index,lat_ms\na,5,0,1\nb,6,1,2\nc,7,2,3\n");
        QCOMPARE(test::objectiveSpecError(joined({a, b})),
                 std::string("objective.metric: column 'acc' is in both d1.csv and d2.csv; rename "
                             "it in one of them so the name says which table it is from"));
        Json objective = joined({a, b}, "lat_ms");
        objective["report"] = {"index"};
        QCOMPARE(test::objectiveSpecError(objective),
                 std::string("objective.report[0]: column 'index' is in both d1.csv and d2.csv; "
                             "rename it in one of them so the name says which table it is from"));
        // Shared columns nobody names (like NAS-Bench tables' arch_index) are fine.
        QCOMPARE(test::objectiveSpecError(joined({a, b}, "lat_ms")), std::string());
    }

    void otherJoinMistakes() {
        const std::string a = m_tables.write("o1.csv", "arch,acc\na,1\nb,2\nc,3\n");
        const std::string b = m_tables.write("o2.csv", "arch,lat_ms\na,1\nb,2\nb,3\nc,4\n");
        QCOMPARE(test::objectiveSpecError(joined({a, b})),
                 std::string("objective.file[1]: o2.csv line 4: a second row for arch = 'b' (the "
                             "first is on line 3); keep one row per key"));
        Json noKey{{"kind", "tabular"}, {"file", {a, a}}, {"metric", "acc"}};
        QCOMPARE(test::objectiveSpecError(noKey),
                 std::string("objective.key: required when \"file\" lists several tables: name the "
                             "column they share, e.g. \"arch_str\""));
        Json notAName{{"kind", "tabular"}, {"file", {a, 3}}, {"metric", "acc"}, {"key", "arch"}};
        QCOMPARE(test::objectiveSpecError(notAName),
                 std::string("objective.file[1]: must name a CSV file (got 3)"));
        const std::string bad = m_tables.write("o3.csv", "arch,lat_ms\na,1\nb,x\nc,2\n");
        Json badNumber = joined({a, bad}, "lat_ms");
        QCOMPARE(test::objectiveSpecError(badNumber),
                 std::string("objective.file: line 3 of o3.csv, column 'lat_ms': 'x' is not a "
                             "number"));
        QVERIFY(test::objectiveSpecError(joined({a, m_tables.filePath("absent.csv")}))
                    .rfind("objective.file[1]: no such file", 0) == 0);
    }

    // The relative paths of a spec file's tables start from its folder.
    void aSpecFileResolvesEveryTable() {
        QVERIFY(QDir(m_tables.path()).mkpath("spec"));
        const std::string a = m_tables.write("spec/r1.csv", "arch,acc\na,1\nb,2\nc,3\n");
        const std::string b = m_tables.write("spec/r2.csv", "arch,lat_ms\na,1\nb,2\nc,3\n");
        Json spec{{"name", "rel"},
                  {"direction", "maximize"},
                  {"objective", joined({"r1.csv", "r2.csv"})},
                  {"space", Json::parse(test::kModelSpace)},
                  {"strategy", {{"kind", "random"}}},
                  {"budget", {{"trials", 2}}}};
        const std::string path = m_tables.write("spec/study.json", spec.dump());
        StudySpec parsed = loadStudySpecFile(path, ObjectiveRegistry::withBuiltins());
        QCOMPARE(parsed.objective["file"], (Json{a, b}));
    }
};

QTEST_GUILESS_MAIN(TabularJoinTest)
#include "tst_tabular_join.moc"

// The tabular objective: CSV tables looked up by a key column or one column
// per parameter, report columns as attributes, a cost column as simulated
// seconds, and errors that name the line, the column and the fix. Runs on the
// real NAS-Bench-201 table when ../shared/data has it.
#include <QElapsedTimer>
#include <QtTest>

#include <fstream>

#include "objectives/csv_table.h"
#include "study/study.h"
#include "support/tabular_tables.h"

using namespace bonsai;

namespace {

const char* kNb201Table = BONSAI_SHARED_DATA_DIR "/nb201/nb201_accuracy.csv";

Json studySpec(const std::string& name, const Json& objective, const char* space,
               const Json& budget, const char* strategy = R"({"kind": "random"})") {
    Json spec;
    spec["name"] = name;
    spec["direction"] = "maximize";
    spec["objective"] = objective;
    spec["space"] = Json::parse(space);
    spec["strategy"] = Json::parse(strategy);
    spec["budget"] = budget;
    spec["seed"] = 3;
    return spec;
}

}  // namespace

class TabularTest : public QObject {
    Q_OBJECT

    test::TableFiles m_tables;

  private slots:
    void initTestCase() { QVERIFY(m_tables.isValid()); }

    void csvFollowsRfc4180() {
        CsvTable table = CsvTable::parse(
            "\xEF\xBB\xBFname,note,x\r\n"
            "\"a,b\",\"say \"\"hi\"\"\",1\r\n"
            "\r\n"
            "c,\"two\nlines\",2.5\n"
            "d,,-3e2");
        QCOMPARE(table.header(), (std::vector<std::string>{"name", "note", "x"}));
        QCOMPARE(table.rowCount(), std::size_t{3});
        QCOMPARE(table.cell(0, 0), std::string("a,b"));
        QCOMPARE(table.cell(0, 1), std::string("say \"hi\""));
        QCOMPARE(table.cell(1, 1), std::string("two\nlines"));
        QCOMPARE(table.cell(2, 1), std::string(""));
        QCOMPARE(table.line(0), 2);
        QCOMPARE(table.line(1), 4);
        QCOMPARE(table.line(2), 6);  // the quoted line break counts
        QCOMPARE(*parseCsvNumber(table.cell(2, 2)), -300.0);
        QCOMPARE(*parseCsvNumber(" +1.5 "), 1.5);
        QVERIFY(!parseCsvNumber("1.5x"));
        QVERIFY(!parseCsvNumber(""));
    }

    // The column pickers read only the header: a BOM, blank lines and quoted
    // names as the whole parse reads them, and no further (a bad row below
    // the header does not hide the columns).
    void theHeaderAloneIsReadAsTheWholeTableReadsIt() {
        QTemporaryDir dir;
        auto write = [&](const char* name, const char* text) {
            const std::string path = dir.filePath(name).toStdString();
            std::ofstream(path, std::ios::binary) << text;
            return path;
        };
        QCOMPARE(CsvTable::readHeader(write("ok.csv",
                                            "\xEF\xBB\xBF\r\n\"lr, log\",\"two\nlines\","
                                            "acc\r\n1,2\nnot,a,row,at,all\n")),
                 (std::vector<std::string>{"lr, log", "two\nlines", "acc"}));
        QCOMPARE(CsvTable::readHeader(write("bare.csv", "a,b")),
                 (std::vector<std::string>{"a", "b"}));
        // With the first data record, as read, for pickers of number columns.
        using Row = std::vector<std::string>;
        QCOMPARE(CsvTable::readHead(write("first.csv", "x,y\n\n3,\"a\nb\"\n4,5\n")).firstRow,
                 (Row{"3", "a\nb"}));
        QCOMPARE(CsvTable::readHead(dir.filePath("bare.csv").toStdString()).firstRow, Row{});
        const CsvTable::Head open = CsvTable::readHead(write("open-row.csv", "x,y\n1,\"2\n"));
        QCOMPARE(open.header, (Row{"x", "y"}));
        QCOMPARE(open.firstRow, Row{});

        auto fails = [&](const std::string& path) -> QString {
            try {
                CsvTable::readHeader(path);
            } catch (const std::exception& error) {
                return QString::fromStdString(error.what());
            }
            return QStringLiteral("no error");
        };
        QCOMPARE(fails(write("twice.csv", "\nacc,acc\n1,2\n")),
                 QStringLiteral("line 2: duplicate column 'acc'"));
        QCOMPARE(fails(write("unnamed.csv", "acc,\n")),
                 QStringLiteral("line 1: column 2 of the header has no name"));
        QCOMPARE(fails(write("open.csv", "acc,\"lr\n1,2\n")),
                 QStringLiteral("line 1: a quoted field is never closed"));
        QCOMPARE(fails(write("empty.csv", "\r\n\n")),
                 QStringLiteral("the file is empty; it needs a header row"));
        QCOMPARE(fails(dir.filePath("missing.csv").toStdString()),
                 "cannot read '" + dir.filePath("missing.csv") + "'");
    }

    void badTablesNameTheLine_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("fields") << "model,valid_acc\na,1\n\"b\nb\",2\nc,3,4\n"
                                << "objective.file: line 5: expected 2 fields, got 3";
        QTest::newRow("number")
            << "model,valid_acc\na,1\nb,abc\n"
            << "objective.file: line 3, column 'valid_acc': 'abc' is not a number";
        QTest::newRow("empty number") << "model,valid_acc\na,\n"
                                      << "line 2, column 'valid_acc': '' is not a number";
        QTest::newRow("quote") << "model,valid_acc\n\"a,1\n"
                               << "line 2: a quoted field is never closed";
        QTest::newRow("duplicate column") << "model,model\na,1\n"
                                          << "line 1: duplicate column 'model'";
        QTest::newRow("no rows") << "model,valid_acc\n"
                                 << "no rows";
        QTest::newRow("duplicate row")
            << "model,valid_acc\na,1\nb,2\na,3\n"
            << "line 4: a second row for model = 'a' (the first is on line 2)";
    }

    void badTablesNameTheLine() {
        QFETCH(QString, text);
        QFETCH(QString, message);
        std::string path = m_tables.write("bad.csv", text.toStdString());
        Json objective{{"kind", "tabular"}, {"file", path}, {"metric", "valid_acc"}};
        QVERIFY2(QString::fromStdString(test::objectiveSpecError(objective, test::kModelSpace))
                     .contains(message),
                 test::objectiveSpecError(objective, test::kModelSpace).c_str());
    }

    void columnsAndFilesAreCheckedAtSpecTime() {
        std::string path =
            m_tables.write("t.csv", "arch,valid_acc,test_acc\na,1,2\nb,2,3\nc,3,4\n");
        Json base{{"kind", "tabular"}, {"file", path}, {"metric", "valid_acc"}, {"key", "arch"}};

        QCOMPARE(test::objectiveSpecError(base, test::kModelSpace), std::string());
        Json typo = base;
        typo["metric"] = "valid_ac";
        QVERIFY(test::objectiveSpecError(typo, test::kModelSpace)
                    .find("objective.metric: no column 'valid_ac'") == 0);
        QVERIFY(
            test::objectiveSpecError(typo, test::kModelSpace).find("did you mean 'valid_acc'?") !=
            std::string::npos);
        Json report = base;
        report["report"] = {"test_acc", "tset_acc"};
        QVERIFY(test::objectiveSpecError(report, test::kModelSpace)
                    .find("objective.report[1]: no column 'tset_acc'") == 0);
        Json key = base;
        key["key"] = "arc";
        QVERIFY(test::objectiveSpecError(key, test::kModelSpace)
                    .find("objective.key: no column 'arc'") == 0);

        Json missing = base;
        missing["file"] = "no/such/table.csv";
        std::string error = test::objectiveSpecError(missing, test::kModelSpace);
        QVERIFY2(error.find("objective.file: no such file 'no/such/table.csv'") == 0,
                 error.c_str());
        QVERIFY2(error.find("current directory") != std::string::npos, error.c_str());

        // The metric and the cost are results: a parameter's column, or one
        // of text, is the field's mistake, and the message offers the numbers.
        Json metricIsKey = base;
        metricIsKey["metric"] = "arch";
        QCOMPARE(test::objectiveSpecError(metricIsKey, test::kModelSpace),
                 std::string("objective.metric: 'arch' is the column of a search-space "
                             "parameter, not a result; choose a column of numbers: valid_acc, "
                             "test_acc"));
        std::string texts = m_tables.write("texts.csv", "arch,family,valid_acc\na,conv,1\nb,,2\n");
        Json textMetric{
            {"kind", "tabular"}, {"file", texts}, {"metric", "family"}, {"key", "arch"}};
        QCOMPARE(test::objectiveSpecError(textMetric, test::kModelSpace),
                 std::string("objective.metric: column 'family' holds no numbers (line 2: "
                             "'conv'); choose a column of numbers: valid_acc"));
        std::string wide =
            m_tables.write("wide.csv", "arch,a1,a2,a3,a4,a5,a6,a7\na,1,2,3,4,5,6,7\n");
        Json wideMetric{{"kind", "tabular"}, {"file", wide}, {"metric", "arch"}, {"key", "arch"}};
        QVERIFY2(test::objectiveSpecError(wideMetric, test::kModelSpace)
                     .ends_with("choose a column of numbers: a1, a2, a3, a4, a5 or 2 more"),
                 test::objectiveSpecError(wideMetric, test::kModelSpace).c_str());
        Json textCost = textMetric;
        textCost["metric"] = "valid_acc";
        textCost["cost"] = "family";
        QVERIFY2(test::objectiveSpecError(textCost, test::kModelSpace)
                         .find("objective.cost: column 'family' holds no numbers") == 0,
                 test::objectiveSpecError(textCost, test::kModelSpace).c_str());

        // Without "key", a column per parameter is needed.
        Json noKey = base;
        noKey.erase("key");
        error = test::objectiveSpecError(noKey, test::kModelSpace);
        QVERIFY2(error.find("objective.key: required") == 0, error.c_str());
        error = test::objectiveSpecError(noKey, R"([{"name": "cell", "type": "nb201-cell"}])");
        QVERIFY2(error.find("\"arch_str\"") != std::string::npos, error.c_str());
        // With "key", the space has one parameter.
        error = test::objectiveSpecError(
            base, R"([{"name": "model", "type": "categorical", "choices": ["a"]},
                                    {"name": "x", "type": "float", "low": 0, "high": 1}])");
        QVERIFY2(error.find("objective.key: names the column") == 0, error.c_str());
    }

    void keyModeReturnsTheMetricAndReportsAttributes() {
        std::string path = m_tables.write("key.csv",
                                          "arch,valid_acc,test_acc,note,train_seconds\n"
                                          "a,10,11,small,1.5\n"
                                          "b,20,21,\"medium, wide\",2.5\n"
                                          "c,30,31,large,3.5\n");
        Json objective{{"kind", "tabular"},
                       {"file", path},
                       {"metric", "valid_acc"},
                       {"key", "arch"},
                       {"report", {"test_acc", "note"}},
                       {"cost", "train_seconds"}};
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Database db(":memory:");
        Study study = Study::create(
            db,
            parseStudySpec(studySpec("key", objective, test::kModelSpace, {{"trials", 12}}),
                           objectives),
            objectives);
        std::atomic<bool> stop{false};
        study.run(stop);
        QCOMPARE(study.trials().size(), std::size_t{12});
        const std::map<std::string, std::tuple<double, double, std::string, double>> rows{
            {"a", {10, 11, "small", 1.5}},
            {"b", {20, 21, "medium, wide", 2.5}},
            {"c", {30, 31, "large", 3.5}}};
        for (const Trial& trial : db.loadTrials(study.id())) {
            QCOMPARE(trial.state, TrialState::Complete);
            const auto& [valid, test, note, seconds] =
                rows.at(std::get<std::string>(trial.params.at("model")));
            QCOMPARE(*trial.value, valid);
            QCOMPARE(trial.attrs["test_acc"].get<double>(), test);
            QCOMPARE(trial.attrs["note"].get<std::string>(), note);
            QCOMPARE(trial.attrs["simulated_seconds"].get<double>(), seconds);
        }
        QCOMPARE(*study.best()->value, 30.0);
    }

    void perColumnModeMatchesNumbersConditionsAndBooleans() {
        // opt, lr (stepped float: 0.1 * 3 decodes as 0.30000000000000004),
        // width (int, step 16), momentum only for sgd (empty cell otherwise),
        // bn (boolean choices).
        std::string csv = "opt,lr,width,momentum,bn,score\n";
        int rows = 0;
        for (const char* opt : {"sgd", "adam"})
            for (const char* lr : {"0", "0.1", "0.2", "0.3"})
                for (int width : {16, 32, 48, 64})
                    for (const char* momentum : {"0.0", "0.9"})
                        for (const char* bn : {"true", "False"}) {
                            if (std::string(opt) == "adam" && std::string(momentum) == "0.9")
                                continue;
                            std::string m = std::string(opt) == "sgd" ? momentum : "";
                            csv += std::string(opt) + "," + lr + "," + std::to_string(width) + "," +
                                   m + "," + bn + "," + std::to_string(++rows) + "\n";
                        }
        std::string path = m_tables.write("grid.csv", csv);
        const char* space = R"([
            {"name": "opt", "type": "categorical", "choices": ["sgd", "adam"]},
            {"name": "lr", "type": "float", "low": 0, "high": 0.3, "step": 0.1},
            {"name": "width", "type": "int", "low": 16, "high": 64, "step": 16},
            {"name": "momentum", "type": "categorical", "choices": [0, 0.9], "when": {"param": "opt", "equals": "sgd"}},
            {"name": "bn", "type": "categorical", "choices": [true, false]}
        ])";
        Json objective{{"kind", "tabular"}, {"file", path}, {"metric", "score"}};
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Database db(":memory:");
        Study study = Study::create(
            db,
            parseStudySpec(
                studySpec("grid", objective, space, {{"trials", 200}}, R"({"kind": "grid"})"),
                objectives),
            objectives);
        std::atomic<bool> stop{false};
        QCOMPARE(study.run(stop), StopReason::SpaceExhausted);
        // Every point of the space has its row: 2 x 4 x 4 x 2 (sgd) + 4 x 4 x 2 (adam).
        QCOMPARE(study.trials().size(), std::size_t{96});
        std::set<double> values;
        for (const Trial& trial : study.trials()) {
            QVERIFY2(trial.state == TrialState::Complete, trial.error.c_str());
            values.insert(*trial.value);
        }
        QCOMPARE(values.size(), std::size_t{96});
    }

    void aMissingRowFailsTheTrialWithAReason() {
        std::string path = m_tables.write("partial.csv", "arch,valid_acc\na,1\nb,2\n");
        Json objective{
            {"kind", "tabular"}, {"file", path}, {"metric", "valid_acc"}, {"key", "arch"}};
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Database db(":memory:");
        Study study = Study::create(
            db,
            parseStudySpec(studySpec("partial", objective, test::kModelSpace, {{"trials", 15}}),
                           objectives),
            objectives);
        std::atomic<bool> stop{false};
        study.run(stop);
        int failed = 0;
        for (const Trial& trial : study.trials()) {
            if (trial.state != TrialState::Failed)
                continue;
            ++failed;
            QCOMPARE(trial.error, "no row for arch = 'c' in " + path);
        }
        QVERIFY(failed > 0);
    }

    void costCountsAgainstTheTimeBudget() {
        std::string path =
            m_tables.write("cost.csv", "arch,valid_acc,train_seconds\na,1,30\nb,2,30\nc,3,30\n");
        Json objective{{"kind", "tabular"},
                       {"file", path},
                       {"metric", "valid_acc"},
                       {"key", "arch"},
                       {"cost", "train_seconds"}};
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Database db(":memory:");
        Study study = Study::create(
            db,
            parseStudySpec(studySpec("cost", objective, test::kModelSpace, {{"seconds", 100}}),
                           objectives),
            objectives);
        std::atomic<bool> stop{false};
        QCOMPARE(study.run(stop), StopReason::TimeBudget);
        // 0, 30, 60, 90 simulated seconds before each trial: the fifth never starts.
        QCOMPARE(study.trials().size(), std::size_t{4});
    }

    void aSpecFileReadsItsTableFromItsOwnFolder() {
        QVERIFY(QDir(m_tables.path()).mkpath("specs/tables"));
        std::string table = m_tables.write("specs/tables/t.csv", "arch,valid_acc\na,1\nb,2\nc,3\n");
        Json spec = studySpec("relative",
                              {{"kind", "tabular"},
                               {"file", "tables/t.csv"},
                               {"metric", "valid_acc"},
                               {"key", "arch"}},
                              test::kModelSpace, {{"trials", 3}});
        std::string path = m_tables.write("specs/study.json", spec.dump());
        // The working directory (the test's build folder) has no tables/t.csv.
        StudySpec parsed = loadStudySpecFile(path, ObjectiveRegistry::withBuiltins());
        QCOMPARE(parsed.objective["file"].get<std::string>(), table);
        QCOMPARE(parsed.source["objective"]["file"].get<std::string>(), table);
    }

    void theTableIsReadOncePerFileVersion() {
        std::string path = m_tables.write("cache.csv", "arch,valid_acc\na,1\n");
        auto first = CsvTable::load(path);
        QCOMPARE(CsvTable::load(path).get(), first.get());
        // A changed file (size differs) is read again.
        m_tables.write("cache.csv", "arch,valid_acc\na,1\nb,2\n");
        auto second = CsvTable::load(path);
        QVERIFY(second.get() != first.get());
        QCOMPARE(second->rowCount(), std::size_t{2});
    }

    void realNb201Table() {
        if (!QFile::exists(kNb201Table))
            QSKIP("no NAS-Bench-201 table in ../shared/data/nb201");
        QElapsedTimer timer;
        timer.start();
        CsvTable table = CsvTable::parse([] {
            std::ifstream in(kNb201Table, std::ios::binary);
            return std::string(std::istreambuf_iterator<char>(in), {});
        }());
        qDebug() << "read and parse" << table.rowCount() << "rows in" << timer.elapsed() << "ms";
        QCOMPARE(table.rowCount(), std::size_t{15625});

        Json objective{{"kind", "tabular"},
                       {"file", kNb201Table},
                       {"key", "arch_str"},
                       {"metric", "cifar10_valid_acc_12ep"},
                       {"report", {"cifar10_test_acc", "params_M"}}};
        const char* space = R"([{"name": "cell", "type": "nb201-cell"}])";
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        timer.restart();
        StudySpec spec =
            parseStudySpec(studySpec("nb201", objective, space, {{"trials", 200}}), objectives);
        qDebug() << "spec validation (load + index)" << timer.elapsed() << "ms";
        QVERIFY(timer.elapsed() < 5000);
        Database db(":memory:");
        timer.restart();
        Study study = Study::create(db, std::move(spec), objectives);
        qDebug() << "objective for the run (cached table)" << timer.elapsed() << "ms";
        std::atomic<bool> stop{false};
        timer.restart();
        study.run(stop);
        qDebug() << "200 random trials in" << timer.elapsed() << "ms";
        for (const Trial& trial : study.trials())
            QVERIFY2(trial.state == TrialState::Complete, trial.error.c_str());
        auto best = study.best();
        qDebug() << "best cifar10_valid_acc_12ep" << *best->value << "test acc (200 ep)"
                 << best->attrs["cifar10_test_acc"].get<double>();
        // The table's best is 84.89; 200 random cells reach its top few percent.
        QVERIFY(*best->value > 80.0);
        QVERIFY(best->attrs["cifar10_test_acc"].get<double>() > 90.0);
    }
};

QTEST_APPLESS_MAIN(TabularTest)
#include "tst_tabular.moc"

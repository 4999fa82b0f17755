// The bonsai-cli contract, line by line, on a real process: scripts and the
// GUI's export depend on exactly these commands, outputs and exit codes.
#include <QtTest>

#include <csignal>

#include "storage/database.h"
#include "study/study.h"
#include "support/process_runner.h"

using namespace bonsai;

namespace {

using Result = test::ProcessResult;

Result cli(const QStringList& args, int timeoutMs = 60000) {
    return test::runCli(args, timeoutMs);
}

// Waits until `study` has at least `count` finished trials in the database
// (another process is writing it), so signals hit a study mid-run.
bool waitForFinishedTrials(const QString& db, const std::string& study, int count,
                           int timeoutMs = 60000) {
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        try {
            Database database(db.toStdString(), Database::Mode::ReadOnly);
            if (auto record = database.findStudy(study)) {
                int finished = 0;
                for (const Trial& trial : database.loadTrials(record->id))
                    finished += trial.finished();
                if (finished >= count)
                    return true;
            }
        } catch (const StorageError&) {
            // Not created yet.
        }
        QTest::qWait(20);
    }
    return false;
}

QByteArray readFile(const QString& path) {
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    return file.readAll();
}

// Running or sleeping; a zombie waiting for a reaper counts as gone.
bool processAlive(int pid) {
    QFile stat(QString("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QList<QByteArray> fields = stat.readAll().split(' ');
    return fields.size() > 2 && fields[2] != "Z" && fields[2] != "X";
}

}  // namespace

class CliTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_db;

    QString writeSpec(const QString& name, const QString& extra = "", int trials = 12) {
        QString path = m_dir.filePath(name + ".json");
        QFile file(path);
        file.open(QIODevice::WriteOnly);
        file.write(QString(R"({
            "name": "%1",
            "objective": {"kind": "function", "function": "branin"%2},
            "space": [{"name": "x1", "type": "float", "low": -5, "high": 10},
                      {"name": "x2", "type": "float", "low": 0, "high": 15}],
            "strategy": {"kind": "sobol"},
            "budget": {"trials": %3},
            "seed": 7
        })")
                       .arg(name, extra)
                       .arg(trials)
                       .toUtf8());
        return path;
    }

    // ZDT1 on 4 variables, two minimized objectives, f1 <= 0.8 required.
    QString writeMultiObjectiveSpec(const QString& name, int trials = 16) {
        QString path = m_dir.filePath(name + ".json");
        QFile file(path);
        file.open(QIODevice::WriteOnly);
        file.write(QString(R"({
            "name": "%1",
            "objective": {"kind": "function", "function": "zdt1"},
            "objectives": [{"name": "f1", "direction": "minimize", "reference": 1.1},
                           {"name": "f2", "direction": "minimize", "reference": 11}],
            "constraints": [{"name": "f1", "max": 0.8}],
            "space": [{"name": "x1", "type": "float", "low": 0, "high": 1},
                      {"name": "x2", "type": "float", "low": 0, "high": 1},
                      {"name": "x3", "type": "float", "low": 0, "high": 1},
                      {"name": "x4", "type": "float", "low": 0, "high": 1}],
            "strategy": {"kind": "sobol"},
            "budget": {"trials": %2},
            "seed": 7
        })")
                       .arg(name)
                       .arg(trials)
                       .toUtf8());
        return path;
    }

    // The stored study and its Pareto set, as the engine computes them.
    std::pair<StudySpec, std::vector<Trial>> storedStudy(const std::string& name) {
        Database db(m_db.toStdString(), Database::Mode::ReadOnly);
        StudyRecord record = db.requireStudy(name);
        return {parseObjectiveSections(record.spec), db.loadTrials(record.id)};
    }

  private slots:
    // The README's tables come from this command (tst_kind_registry checks the
    // README against the same registries).
    void strategiesAndPrunersListTheirKinds() {
        Result r = cli({"strategies", "--markdown"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.toStdString(), StrategyRegistry::builtins().markdown());
        r = cli({"pruners", "--markdown"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.toStdString(), PrunerRegistry::builtins().markdown());
        for (const char* command : {"strategies", "pruners"}) {
            r = cli({command});
            QCOMPARE(r.exitCode, 0);
            // Wrapped for an 80-column terminal (no setting's words are that long).
            for (const QString& line : r.out.split('\n'))
                QVERIFY2(line.size() <= 80, qPrintable(line));
        }
        r = cli({"strategies"});
        QVERIFY2(r.out.contains("nsga2: NSGA-II") &&
                     r.out.contains("\n  population_size (int, default budget.trials / 10"),
                 qPrintable(r.out));
        r = cli({"strategies", "extra"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("unexpected argument 'extra'"), qPrintable(r.err));
    }

    void init() {
        m_db = m_dir.filePath(QString("studies-%1.db").arg(QTest::currentTestFunction()));
    }

    void runPrintsProgressLinesAndTheBestTrial() {
        Result r = cli({"run", writeSpec("plain"), "--db", m_db});
        QCOMPARE(r.exitCode, 0);
        // Not a terminal: one plain line per trial, then the best.
        QCOMPARE(r.out.count(QRegularExpression("^trial \\d+ complete value=",
                                                QRegularExpression::MultilineOption)),
                 12);
        QVERIFY2(r.out.contains("study 'plain': trial budget used after 12 trials"),
                 qPrintable(r.out));
        QVERIFY(r.out.contains(QRegularExpression("best trial \\d+: value [0-9.]+  x1=")));
    }

    void runJsonPrintsOneObjectAndHonoursOverrides() {
        Result r =
            cli({"run", writeSpec("json"), "--db", m_db, "--trials", "5", "--seed", "3", "--json"});
        QCOMPARE(r.exitCode, 0);
        Json out = Json::parse(r.out.toStdString());
        QCOMPARE(out["study"].get<std::string>(), std::string("json"));
        QCOMPARE(out["trials"].get<int>(), 5);
        QVERIFY(out["best_value"].is_number());
        QVERIFY(out["best_params"].contains("x1") && out["best_params"].contains("x2"));
        Database db(m_db.toStdString(), Database::Mode::ReadOnly);
        QCOMPARE(db.findStudy("json")->spec["seed"].get<int>(), 3);
        auto best = bestTrial(db.loadTrials(db.findStudy("json")->id), Direction::Minimize);
        QCOMPARE(out["best_value"].get<double>(), *best->value);
    }

    void workersRunTrialsConcurrently() {
        Result r = cli({"run", writeSpec("workers", R"(, "delay_seconds": 0.2)", 8), "--db", m_db,
                        "--workers", "4", "--json"});
        QCOMPARE(r.exitCode, 0);
        Database db(m_db.toStdString(), Database::Mode::ReadOnly);
        QCOMPARE(db.findStudy("workers")->spec["workers"].get<int>(), 4);
        std::vector<Trial> trials = db.loadTrials(db.findStudy("workers")->id);
        QCOMPARE(static_cast<int>(trials.size()), 8);
        // Four at a time: some trial starts before the first one has finished.
        QVERIFY(trials[1].startedAt < *trials[0].completedAt);
    }

    // The bundled Python example runs from any working directory.
    void theCommandExampleRuns() {
        Result r =
            cli({"run", QString(BONSAI_SOURCE_DIR) + "/resources/examples/command-python.json",
                 "--db", m_db, "--trials", "6", "--json"},
                120000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        Database db(m_db.toStdString(), Database::Mode::ReadOnly);
        std::vector<Trial> trials = db.loadTrials(db.findStudy("command-python")->id);
        QCOMPARE(static_cast<int>(trials.size()), 6);
        for (const Trial& trial : trials) {
            QVERIFY2(trial.state == TrialState::Complete || trial.state == TrialState::Pruned,
                     trial.error.c_str());
            QVERIFY(*trial.value >= 0.0 && *trial.value <= 1.0);
            QVERIFY(!trial.intermediate.empty());
        }
        QVERIFY(trials[0].attrs.contains("train_accuracy"));
    }

    // kill -9 of bonsai-cli takes the running commands (and their children) with it.
    void killNineLeavesNoCommandRunning() {
        QString pids = m_dir.filePath("pids");
        QString spec = m_dir.filePath("orphans.json");
        QFile file(spec);
        file.open(QIODevice::WriteOnly);
        file.write(QString(R"({"name": "orphans",
            "objective": {"kind": "command", "argv": ["sh", "-c", "echo $$ >> %1; sleep 1000 & echo $! >> %1; wait"]},
            "space": [{"name": "x", "type": "float", "low": 0, "high": 1}],
            "budget": {"trials": 4}, "workers": 2})")
                       .arg(pids)
                       .toUtf8());
        file.close();
        QProcess process;
        process.start(BONSAI_CLI_PATH, {"run", spec, "--db", m_db});
        QTRY_VERIFY_WITH_TIMEOUT(
            QFile(pids).size() > 0 &&
                QString(readFile(pids)).split('\n', Qt::SkipEmptyParts).size() >= 4,
            20000);
        process.kill();  // SIGKILL
        process.waitForFinished();
        for (const QString& pid : QString(readFile(pids)).split('\n', Qt::SkipEmptyParts))
            QTRY_VERIFY2_WITH_TIMEOUT(!processAlive(pid.toInt()), qPrintable(pid), 5000);
    }

    // A spec run twice: the second run is refused with the commands that
    // go on with the first study or start a second one; --name starts it.
    void runRefusesATakenNameAndSaysHowToGoOn() {
        const QString spec = writeSpec("taken");
        QCOMPARE(cli({"run", spec, "--db", m_db}).exitCode, 0);
        Result again = cli({"run", spec, "--db", m_db});
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains("'taken' already exists") &&
                     again.err.contains("continue it with bonsai-cli resume 'taken' --db '" + m_db +
                                        "'") &&
                     again.err.contains("--name NEW-NAME"),
                 qPrintable(again.err));
        Result second = cli({"run", spec, "--db", m_db, "--name", "taken-2", "--seed", "7"});
        QCOMPARE(second.exitCode, 0);
        QVERIFY2(second.out.contains("study 'taken-2': trial budget used"), qPrintable(second.out));
        Database db(m_db.toStdString(), Database::Mode::ReadOnly);
        QCOMPARE(db.listStudies().size(), std::size_t(2));
        QCOMPARE(db.findStudy("taken-2")->spec["name"].get<std::string>(), std::string("taken-2"));
        QCOMPARE(db.loadTrials(db.findStudy("taken")->id).size(), std::size_t(12));  // untouched
        Result empty = cli({"run", spec, "--db", m_db, "--name", ""});
        QCOMPARE(empty.exitCode, 2);
        QVERIFY2(empty.err.contains("--name needs a study name"), qPrintable(empty.err));
    }

    void badSpecsAndBadUsageExitWithTwo_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no command") << QStringList{} << "usage:";
        QTest::newRow("unknown command")
            << QStringList{"rnu"} << "unknown command 'rnu'; did you mean 'run'?";
        QTest::newRow("missing spec") << QStringList{"run"} << "missing SPEC.json";
        QTest::newRow("unknown option")
            << QStringList{"list", "--dbb", "x"} << "unknown option '--dbb'; did you mean '--db'?";
        QTest::newRow("bad trials") << QStringList{"run", "x.json", "--trials", "zero"}
                                    << "--trials must be a whole number >= 1";
        QTest::newRow("bad format") << QStringList{"export", "x", "--format", "xml"}
                                    << "--format must be csv, json or optuna (got 'xml')";
        QTest::newRow("format by an unknown suffix")
            << QStringList{"export", "x", "--out", "trials.txt"}
            << "--format is needed: 'trials.txt' does not end in .csv, .json or .db";
        QTest::newRow("unreadable spec")
            << QStringList{"run", "/nonexistent.json"} << "cannot read spec file";
    }

    void badSpecsAndBadUsageExitWithTwo() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        Result r = cli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    // A usage mistake repeats the command's own usage, not every command's.
    void aUsageErrorShowsThatCommandsUsage() {
        Result r = cli({"bench", "--trials", "0"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith("bonsai-cli bench: --trials must be a whole number >= 1"),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains("usage: bonsai-cli bench [--strategies LIST]"), qPrintable(r.err));
        QVERIFY2(r.err.contains("bonsai-cli bench --help explains each option."),
                 qPrintable(r.err));
        QVERIFY2(!r.err.contains("bonsai-cli run SPEC.json"), qPrintable(r.err));
    }

    void helpExplainsOneCommand_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("explains");
        QTest::newRow("bench --help")
            << QStringList{"bench", "--help"} << "nb201-hw:DATASET:COLUMN";
        QTest::newRow("help bench") << QStringList{"help", "bench"} << "--nb201 FOLDER";
        QTest::newRow("-h after options")
            << QStringList{"bench", "--seeds", "3", "-h"} << "kind/setting=value";
        QTest::newRow("export") << QStringList{"export", "--help"}
                                << "v3.2.0.a (Optuna 3.2 to 4.x)";
        QTest::newRow("run") << QStringList{"run", "-h"}
                             << "--workers N   trials evaluated at once";
    }

    // Help goes to stdout with exit code 0 and runs nothing.
    void helpExplainsOneCommand() {
        QFETCH(QStringList, args);
        QFETCH(QString, explains);
        Result r = cli(args);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(explains), qPrintable(r.out));
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
    }

    void everyCommandHasHelp() {
        for (const QString command : {"run", "resume", "list", "show", "export", "import-optuna",
                                      "bench", "strategies", "pruners"}) {
            Result r = cli({command, "--help"});
            QCOMPARE(r.exitCode, 0);
            QVERIFY2(r.out.startsWith("usage: bonsai-cli " + command + " "), qPrintable(r.out));
            QVERIFY2(cli({}).err.contains("  bonsai-cli " + command + " "), qPrintable(command));
        }
    }

    void helpAloneListsEveryCommand() {
        for (const QStringList& args :
             {QStringList{"--help"}, QStringList{"help"}, QStringList{"help", "--help"}}) {
            Result r = cli(args);
            QCOMPARE(r.exitCode, 0);
            QVERIFY2(r.out.startsWith("usage:\n  bonsai-cli run SPEC.json"), qPrintable(r.out));
        }
    }

    void helpForAnUnknownCommandSuggestsOne() {
        Result r = cli({"help", "bnech"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("no help for unknown command 'bnech'; did you mean 'bench'?"),
                 qPrintable(r.err));
    }

    // After `--` a `--help` is a study's name, as every other argument there.
    void helpAfterDoubleDashIsAName() {
        cli({"run", writeSpec("named"), "--db", m_db, "--trials", "2"});
        Result r = cli({"show", "--db", m_db, "--", "--help"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no study named '--help'"), qPrintable(r.err));
    }

    void anInvalidSpecNamesTheFieldAndStoresNothing() {
        QString path = m_dir.filePath("bad.json");
        QFile file(path);
        file.open(QIODevice::WriteOnly);
        file.write(R"({"name": "bad", "objective": {"kind": "function", "function": "branin"},
                      "space": [{"name": "x1", "type": "float", "low": 0, "high": 1, "log": true},
                                {"name": "x2", "type": "float", "low": 0, "high": 1}],
                      "budget": {"trials": 3}})");
        file.close();
        Result r = cli({"run", path, "--db", m_db});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("space[0].low: must be > 0 when log is true (got 0)"),
                 qPrintable(r.err));
        QVERIFY(Database(m_db.toStdString()).listStudies().empty());
    }

    // Parameters print in the spec's order, as exports list them: x2 before
    // x10, not the alphabetical x1 x10 x2.
    void parametersPrintInTheSpecsOrder() {
        QString space;
        for (int i = 1; i <= 10; ++i)
            space += QString(R"(%1{"name": "x%2", "type": "float", "low": 0, "high": 1})")
                         .arg(i > 1 ? "," : "")
                         .arg(i);
        const QString path = m_dir.filePath("ordered.json");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QString(R"({"name": "ordered", "seed": 1, "budget": {"trials": 2},
            "objective": {"kind": "function", "function": "zdt1"},
            "objectives": [{"name": "f1", "direction": "minimize"},
                           {"name": "f2", "direction": "minimize"}],
            "space": [%1], "strategy": {"kind": "random"}})")
                       .arg(space)
                       .toUtf8());
        file.close();
        const QRegularExpression inOrder(
            "x1=\\S+ x2=\\S+ x3=\\S+ x4=\\S+ x5=\\S+ x6=\\S+ x7=\\S+ x8=\\S+ x9=\\S+ x10=\\S+");
        Result run = cli({"run", path, "--db", m_db});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out.count(inOrder), 2);
        Result show = cli({"show", "ordered", "--db", m_db});
        QCOMPARE(show.exitCode, 0);
        QCOMPARE(show.out.count(inOrder), 4);  // the Pareto list and the table
        // Durations to the millisecond, not to six significant digits.
        QVERIFY2(show.out.contains(QRegularExpression("^     0 complete .* \\d+\\.\\d{3}  x1=",
                                                      QRegularExpression::MultilineOption)),
                 qPrintable(show.out));
    }

    void listShowsEveryStudy() {
        cli({"run", writeSpec("first"), "--db", m_db});
        cli({"run", writeSpec("second"), "--db", m_db, "--trials", "3"});
        Result r = cli({"list", "--db", m_db});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("NAME"));
        QVERIFY(r.out.contains(QRegularExpression("first\\s+finished\\s+12\\s+[0-9.]+\\s+sobol")));
        QVERIFY(r.out.contains(QRegularExpression("second\\s+finished\\s+3\\s")));
    }

    void showDescribesOneStudy() {
        cli({"run", writeSpec("shown"), "--db", m_db, "--trials", "4"});
        Result r = cli({"show", "shown", "--db", m_db});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("trials     4 (complete 4, pruned 0, failed 0, running 0)"));
        QVERIFY(r.out.contains(QRegularExpression("best       trial \\d+: ")));
        Result missing = cli({"show", "nope", "--db", m_db});
        QCOMPARE(missing.exitCode, 1);
        // The hint names the file, so it can be pasted as it is.
        QVERIFY2(
            missing.err.contains("no study named 'nope' in " + m_db + "; `bonsai-cli list --db '" +
                                 m_db + "'` shows the studies there"),
            qPrintable(missing.err));
    }

    void warmStartFromAnotherDatabaseIsShownAndExported() {
        const QString oldDb = m_dir.filePath("warm-old.db");
        QCOMPARE(cli({"run", writeSpec("old-study"), "--db", oldDb}).exitCode, 0);
        // A relative "database" starts from the spec file's folder.
        auto warmSpec = [this](const QString& name, const QString& study) {
            Json spec = Json::parse(readFile(writeSpec(name, "", 3)).toStdString());
            spec["strategy"] = {{"kind", "tpe"}};
            spec["warm_start"] = {{"studies", {study.toStdString()}}, {"database", "warm-old.db"}};
            const QString path = m_dir.filePath(name + ".json");
            QFile file(path);
            file.open(QIODevice::WriteOnly);
            file.write(QByteArray::fromStdString(spec.dump()));
            return path;
        };
        Result run = cli({"run", warmSpec("warm", "old-study"), "--db", m_db});
        QCOMPARE(run.exitCode, 0);
        Result shown = cli({"show", "warm", "--db", m_db});
        QVERIFY2(shown.out.contains("warm start 12 prior trials: 12 from 'old-study' in " + oldDb),
                 qPrintable(shown.out));
        QVERIFY(shown.out.contains("trials     3 (complete 3"));  // priors are not its trials
        Result exported = cli({"export", "warm", "--db", m_db, "--format", "json"});
        const Json json = Json::parse(exported.out.toStdString());
        QCOMPARE(json["study"]["spec"]["warm_start"]["observations"].size(), std::size_t(12));
        QCOMPARE(json["trials"].size(), std::size_t(3));

        Result bad = cli({"run", warmSpec("bad", "old-studie"), "--db", m_db});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("warm_start.studies[0]: no study named 'old-studie' in " + oldDb +
                                  "; did you mean 'old-study'?"),
                 qPrintable(bad.err));
        QVERIFY(!cli({"list", "--db", m_db}).out.contains("bad"));
    }

    void exportJsonFollowsTheContract() {
        cli({"run", writeSpec("exported"), "--db", m_db, "--trials", "3"});
        QString out = m_dir.filePath("exported.json");
        QCOMPARE(
            cli({"export", "exported", "--db", m_db, "--format", "json", "--out", out}).exitCode,
            0);
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        Json json = Json::parse(file.readAll().toStdString());
        QCOMPARE(json["study"]["name"].get<std::string>(), std::string("exported"));
        QCOMPARE(json["study"]["direction"].get<std::string>(), std::string("minimize"));
        QVERIFY(json["study"]["spec"].is_object());
        QCOMPARE(json["trials"].size(), std::size_t{3});
        for (const Json& trial : json["trials"]) {
            for (const char* key : {"number", "state", "params", "value", "intermediate", "started",
                                    "completed", "duration_s", "attrs", "error"})
                QVERIFY2(trial.contains(key), key);
            QCOMPARE(trial["params"].size(), std::size_t{2});
        }
    }

    void exportCsvHasOneRowPerTrial() {
        cli({"run", writeSpec("csv"), "--db", m_db, "--trials", "4"});
        Result r = cli({"export", "csv", "--db", m_db, "--format", "csv"});
        QCOMPARE(r.exitCode, 0);
        // Without --format the suffix of --out says which.
        const QString out = m_dir.filePath("by-suffix.CSV");
        QCOMPARE(cli({"export", "csv", "--db", m_db, "--out", out}).exitCode, 0);
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(file.readAll()), r.out);
        QStringList lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 5);
        QCOMPARE(lines[0], QString("number,state,value,x1,x2,duration_s"));
        QVERIFY(lines[1].startsWith("0,complete,"));
    }

    void resumeFinishesOrExtendsTheBudget() {
        cli({"run", writeSpec("resumed"), "--db", m_db, "--trials", "3"});
        Result r = cli({"resume", "resumed", "--db", m_db, "--trials", "2", "--json"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(Json::parse(r.out.toStdString())["trials"].get<int>(), 5);
    }

    void killNineMidStudyLosesNothingAndResumeFinishes() {
        QString spec = writeSpec("killed", R"(, "delay_seconds": 0.05)", 40);
        for (int round = 0; round < 3; ++round) {
            QProcess process;
            process.start(BONSAI_CLI_PATH, round == 0
                                               ? QStringList{"run", spec, "--db", m_db}
                                               : QStringList{"resume", "killed", "--db", m_db});
            QVERIFY(process.waitForStarted());
            QVERIFY(waitForFinishedTrials(m_db, "killed", 3 + 4 * round));
            QTest::qWait(17 * round);  // land at different moments of a trial
            // processId() is 0 once the process has ended, and kill(0) would
            // signal our own process group.
            QVERIFY2(process.processId() > 0, "bonsai-cli ended before it could be killed");
            ::kill(static_cast<pid_t>(process.processId()), SIGKILL);
            process.waitForFinished();

            Database db(m_db.toStdString());
            QVERIFY(db.integrityOk());
            std::vector<Trial> trials = db.loadTrials(db.findStudy("killed")->id);
            QVERIFY(!trials.empty());
            for (const Trial& trial : trials)
                if (trial.state == TrialState::Complete)
                    QVERIFY(trial.value && !trial.params.empty());
        }
        std::vector<Trial> before;
        {
            Database db(m_db.toStdString());
            before = db.loadTrials(db.findStudy("killed")->id);
        }
        Result r = cli({"resume", "killed", "--db", m_db, "--json"});
        QCOMPARE(r.exitCode, 0);
        Database db(m_db.toStdString());
        std::vector<Trial> after = db.loadTrials(db.findStudy("killed")->id);
        int counted = 0;
        for (const Trial& trial : after)
            counted += trial.finished() && !isInterrupted(trial);
        QCOMPARE(counted, 40);
        for (const Trial& trial : before) {
            if (trial.state != TrialState::Complete)
                continue;
            QCOMPARE(after[trial.number].state, TrialState::Complete);
            QCOMPARE(*after[trial.number].value, *trial.value);
        }
    }

    void multiObjectiveRunReportsTheParetoSet() {
        Result r = cli({"run", writeMultiObjectiveSpec("mo"), "--db", m_db});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.count(QRegularExpression("^trial \\d+ complete f1=[0-9.e-]+ f2=[0-9.e-]+",
                                                QRegularExpression::MultilineOption)),
                 16);
        QVERIFY2(r.out.contains(QRegularExpression(
                     "\npareto set: \\d+ trials?, hypervolume [0-9.]+ \\(reference f1=1.1 "
                     "f2=11\\)\n")),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(" infeasible"), qPrintable(r.out));  // sobol covers f1 > 0.8
        QVERIFY(!r.out.contains("best"));

        auto [spec, trials] = storedStudy("mo");
        std::vector<Trial> pareto = paretoTrials(trials, spec);
        QVERIFY(!pareto.empty());
        Result json = cli({"resume", "mo", "--db", m_db, "--trials", "2", "--json"});
        QCOMPARE(json.exitCode, 0);
        Json out = Json::parse(json.out.toStdString());
        std::tie(spec, trials) = storedStudy("mo");
        QCOMPARE(out["trials"].get<int>(), 18);
        QVERIFY(out["best_value"].is_null());
        QCOMPARE(out["hypervolume"].get<double>(), studyHypervolume(trials, spec));
        Json front = Json::array();
        for (const Trial& trial : paretoTrials(trials, spec))
            front.push_back(trial.number);
        QCOMPARE(out["pareto_front"], front);
    }

    void multiObjectiveShowAndExport() {
        QCOMPARE(cli({"run", writeMultiObjectiveSpec("mo-shown"), "--db", m_db}).exitCode, 0);
        auto [spec, trials] = storedStudy("mo-shown");
        std::vector<Trial> pareto = paretoTrials(trials, spec);
        int infeasible = 0;
        for (const Trial& trial : trials)
            infeasible += !isFeasible(trial, spec);
        QVERIFY(infeasible > 0);

        Result show = cli({"show", "mo-shown", "--db", m_db});
        QCOMPARE(show.exitCode, 0);
        QVERIFY2(show.out.contains("objectives f1 (minimize), f2 (minimize)\n"),
                 qPrintable(show.out));
        QVERIFY(show.out.contains("constraints f1 <= 0.8\n"));
        QVERIFY(!show.out.contains("direction"));
        char hypervolume[32];
        std::snprintf(hypervolume, sizeof hypervolume, "%.6g", studyHypervolume(trials, spec));
        QVERIFY2(show.out.contains(QString("pareto     %1 trial%2, hypervolume %3 (reference "
                                           "f1=1.1 f2=11)\n")
                                       .arg(pareto.size())
                                       .arg(pareto.size() == 1 ? "" : "s")
                                       .arg(hypervolume)),
                 qPrintable(show.out));
        for (const Trial& trial : pareto)
            QVERIFY(show.out.contains(QString("           trial %1: f1=").arg(trial.number)));
        QCOMPARE(show.out.count(" *  "), static_cast<int>(pareto.size()));
        QCOMPARE(show.out.count("(infeasible)"), infeasible);
        QVERIFY(show.out.contains("VALUES (f1, f2)"));

        // `list` has no best value to give it: the size of its Pareto set.
        Result list = cli({"list", "--db", m_db});
        QVERIFY2(list.out.contains(
                     QRegularExpression(QString("mo-shown +finished +%1 +%2 on front sobol")
                                            .arg(trials.size())
                                            .arg(pareto.size()))),
                 qPrintable(list.out));

        Result json = cli({"export", "mo-shown", "--db", m_db, "--format", "json"});
        QCOMPARE(json.exitCode, 0);
        Json out = Json::parse(json.out.toStdString());
        QCOMPARE(out["pareto_front"].size(), pareto.size());
        for (std::size_t i = 0; i < pareto.size(); ++i)
            QCOMPARE(out["pareto_front"][i].get<int>(), pareto[i].number);
        QCOMPARE(out["hypervolume"]["reference"], Json::parse("[1.1, 11.0]"));
        for (const Json& trial : out["trials"]) {
            QCOMPARE(trial["values"].size(), std::size_t{2});
            QCOMPARE(trial["feasible"].get<bool>(), trial["values"][0].get<double>() <= 0.8);
        }

        Result csv = cli({"export", "mo-shown", "--db", m_db, "--format", "csv"});
        QCOMPARE(csv.exitCode, 0);
        QStringList lines = csv.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 17);
        QCOMPARE(lines[0],
                 QString("number,state,value,f1,f2,x1,x2,x3,x4,duration_s,pareto,feasible"));
        QCOMPARE(csv.out.count(",true,true\n"), static_cast<int>(pareto.size()));
        QCOMPARE(csv.out.count(",false\n"), infeasible);
    }

    void benchReportsHypervolumeForMultiObjectiveProblems() {
        QString out = m_dir.filePath("bench-mo.csv");
        Result r = cli({"bench", "--problems", "zdt1:4,zdt2:4", "--strategies", "random,sobol",
                        "--seeds", "2", "--trials", "10", "--out", out});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("hypervolume ratio (found / HV*): mean, then median [q25, q75] "
                                "over 2 seeds"),
                 qPrintable(r.out));
        QVERIFY(r.out.contains(QRegularExpression("zdt1:4\\s+sobol\\s+[0-9.]+ \\([0-9.]+ \\[")));
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QStringList lines = QString::fromUtf8(file.readAll()).trimmed().split('\n');
        QCOMPARE(lines.size(), 1 + 2 * 2 * 2 * 10);
        QCOMPARE(lines[0], QString("problem,strategy,seed,trial,value,best_so_far,regret,"
                                   "suggest_seconds,hypervolume"));

        Result missing = cli({"bench", "--problems", "nb201-params"});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains("nb201-params needs the NAS-Bench-201 table"),
                 qPrintable(missing.err));
        Result single = cli({"bench", "--problems", "zdt1:4", "--strategies", "tpe"});
        QCOMPARE(single.exitCode, 2);
        QVERIFY(single.err.contains("'tpe' optimizes a single objective"));
    }

    // A strategy mistake names the --strategies item it came from.
    void benchNamesTheStrategyItemAMistakeIsIn() {
        Result typo = cli({"bench", "--problems", "branin", "--strategies", "random,gpp"});
        QCOMPARE(typo.exitCode, 2);
        QVERIFY2(typo.err.contains("--strategies: 'gpp' (strategy.kind): unknown strategy 'gpp'; "
                                   "did you mean 'gp'?"),
                 qPrintable(typo.err));
        Result setting = cli({"bench", "--problems", "branin", "--strategies", "gp/local_evry=3"});
        QCOMPARE(setting.exitCode, 2);
        QVERIFY2(setting.err.contains("--strategies: 'gp/local_evry=3' (strategy.local_evry): "),
                 qPrintable(setting.err));
    }

    void benchFirstSeedRunsTheLaterSeedsAlone() {
        // Seeds 3 and 4 on their own give the rows seeds 3 and 4 give in a
        // run of seeds 0..4, so new seeds can be measured apart from those a
        // figure was taken on.
        auto rowsOf = [](const QString& path, const QString& seed) {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                return QStringList();
            QStringList rows;
            for (const QString& line : QString::fromUtf8(file.readAll()).trimmed().split('\n')) {
                QStringList fields = line.split(',');
                // suggest_seconds (the last field) is a timing, not a result
                if (fields.size() > 3 && fields[2] == seed)
                    rows << fields.mid(0, fields.size() - 1).join(',');
            }
            return rows;
        };
        QString all = m_dir.filePath("bench-all.csv"), later = m_dir.filePath("bench-later.csv");
        Result r = cli({"bench", "--problems", "branin", "--strategies", "tpe", "--seeds", "5",
                        "--trials", "12", "--out", all});
        QCOMPARE(r.exitCode, 0);
        r = cli({"bench", "--problems", "branin", "--strategies", "tpe", "--seeds", "2",
                 "--first-seed", "3", "--trials", "12", "--out", later});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("over 2 seeds (3 to 4)"), qPrintable(r.out));
        QCOMPARE(rowsOf(later, "0"), QStringList());
        QCOMPARE(rowsOf(later, "2"), QStringList());
        for (const QString seed : {"3", "4"}) {
            QCOMPARE(rowsOf(later, seed).size(), 12);
            QCOMPARE(rowsOf(later, seed), rowsOf(all, seed));
        }
        Result negative = cli({"bench", "--problems", "branin", "--first-seed", "-1"});
        QCOMPARE(negative.exitCode, 2);
        QVERIFY2(negative.err.contains("--first-seed must be a whole number >= 0 (got '-1')"),
                 qPrintable(negative.err));
    }

    void sigintStopsCleanlyBetweenTrials() {
        QString spec = writeSpec("interrupted", R"(, "delay_seconds": 0.05)", 200);
        QProcess process;
        process.start(BONSAI_CLI_PATH, {"run", spec, "--db", m_db});
        QVERIFY(process.waitForStarted());
        QVERIFY(waitForFinishedTrials(m_db, "interrupted", 2));
        QVERIFY2(process.processId() > 0, "bonsai-cli ended before it could be interrupted");
        ::kill(static_cast<pid_t>(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 1);
        QVERIFY(
            QString(process.readAllStandardError()).contains("bonsai-cli resume 'interrupted'"));
        Database db(m_db.toStdString());
        QCOMPARE(db.findStudy("interrupted")->state, StudyState::Stopped);
        for (const Trial& trial : db.loadTrials(db.findStudy("interrupted")->id))
            QVERIFY(trial.finished());
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "tst_cli.moc"

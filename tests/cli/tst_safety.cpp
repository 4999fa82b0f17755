// Issue 18: the ways a study could lose data, crash or write where it should
// not, each checked on a real bonsai-cli process. Checks that need another
// user (a planted folder, a folder the user cannot write) run as root through
// setpriv and skip with a message elsewhere.
#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <functional>
#include <set>

#include "storage/database.h"
#include "support/process_runner.h"
#include "util/json.h"

using namespace bonsai;

namespace {

using Result = test::ProcessResult;

Result runProcess(const QString& program, const QStringList& args,
                  const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
                  int timeoutMs = 120000) {
    return test::runProcess(program, args, env, timeoutMs);
}

Result cli(const QStringList& args, int timeoutMs = 120000) {
    return test::runCli(args, timeoutMs);
}

void writeFile(const QString& path, const QByteArray& text) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text);
}

QByteArray readFile(const QString& path) {
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    return file.readAll();
}

// The trials of `study` as `export --format json` gives them.
Json exportedTrials(const QString& db, const QString& study) {
    Result r = cli({"export", study, "--db", db, "--format", "json"});
    if (r.exitCode != 0)
        return Json::array();
    return Json::parse(r.out.toStdString())["trials"];
}

// A command objective study: `script` runs under sh -c with {x} (0..1) and
// {k} (1..3) substituted.
Json commandSpec(const QString& name, const QString& script, int trials, const QString& runsDir,
                 int workers = 1) {
    Json spec = {
        {"name", name.toStdString()},
        {"objective",
         {{"kind", "command"}, {"argv", {"sh", "-c", script.toStdString()}}, {"grace_s", 1}}},
        {"space",
         {{{"name", "x"}, {"type", "float"}, {"low", 0}, {"high", 1}},
          {{"name", "k"}, {"type", "int"}, {"low", 1}, {"high", 3}}}},
        {"strategy", {{"kind", "random"}}},
        {"budget", {{"trials", trials}}},
        {"workers", workers},
        {"seed", 3}};
    if (!runsDir.isEmpty())
        spec["objective"]["runs_dir"] = runsDir.toStdString();
    return spec;
}

// A `function` study whose trials take `delay` seconds.
Json slowSpec(const QString& name, double delay, int trials, int workers) {
    return {{"name", name.toStdString()},
            {"objective", {{"kind", "function"}, {"function", "branin"}, {"delay_seconds", delay}}},
            {"space",
             {{{"name", "x1"}, {"type", "float"}, {"low", -5}, {"high", 10}},
              {{"name", "x2"}, {"type", "float"}, {"low", 0}, {"high", 15}}}},
            {"strategy", {{"kind", "random"}}},
            {"budget", {{"trials", trials}}},
            {"workers", workers},
            {"seed", 1}};
}

// Trials of `study` in state `state`, read while another process writes.
int trialsIn(const QString& db, const std::string& study, TrialState state) {
    try {
        Database database(db.toStdString(), Database::Mode::ReadOnly);
        auto record = database.findStudy(study);
        if (!record)
            return 0;
        int count = 0;
        for (const Trial& trial : database.loadTrials(record->id))
            count += trial.state == state;
        return count;
    } catch (const StorageError&) {
        return 0;  // not created yet
    }
}

bool waitFor(const std::function<bool()>& condition, int timeoutMs = 60000) {
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        if (condition())
            return true;
        QTest::qWait(20);
    }
    return false;
}

bool isInterruptedTrial(const Json& trial) {
    return trial["state"] == "failed" && trial.contains("attrs") &&
           trial["attrs"].value("interrupted", false);
}

// setpriv drops to `nobody` for the checks that need a second user.
bool canActAsAnotherUser() {
    return ::geteuid() == 0 && QFile::exists("/usr/bin/setpriv");
}

Result cliAsNobody(const QStringList& args) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("HOME", "/nonexistent");
    return runProcess(
        "/usr/bin/setpriv",
        QStringList{"--reuid=nobody", "--regid=nogroup", "--clear-groups", BONSAI_CLI_PATH} + args,
        env);
}

}  // namespace

class SafetyTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_db;

    int m_files = 0;

    // Named by a counter: study names here are hostile on purpose.
    QString writeSpec(const Json& spec) {
        const QString path = m_dir.filePath(QString("spec-%1.json").arg(++m_files));
        writeFile(path, QByteArray::fromStdString(spec.dump()));
        return path;
    }

    // "python3 FILE" for a script holding `code`, to use as a command.
    QString python(const QByteArray& code) {
        const QString path = m_dir.filePath(QString("script-%1.py").arg(++m_files));
        writeFile(path, code);
        return "/usr/bin/python3 '" + path + "'";
    }

  private slots:
    void init() { m_db = m_dir.filePath(QString("%1.db").arg(QTest::currentTestFunction())); }

    // 1. A tqdm-like stderr whose 8 KB tail cuts a two-byte character, then
    // the value on stdout: the value is kept and the tail stored as UTF-8
    // starting on a character boundary.
    void aTailThatIsNotUtf8KeepsTheValue() {
        // 10,004 bytes of stderr: the last 8,192 start on the second byte of
        // an e-acute, and one byte (0xff) is no UTF-8 at all.
        const QString spec = writeSpec(commandSpec("utf8", python(R"(import sys
print('a' + '\u00e9' * 5000, file=sys.stderr)
sys.stderr.flush()
sys.stderr.buffer.write(b'\xff\n')
print(0.5)
)"),
                                                   1, m_dir.filePath("runs")));
        Result r = cli({"run", spec, "--db", m_db});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        Json trials = exportedTrials(m_db, "utf8");
        QCOMPARE(trials.size(), std::size_t(1));
        QVERIFY2(trials[0]["state"] == "complete", trials[0].dump().c_str());
        QCOMPARE(trials[0]["value"].get<double>(), 0.5);
        const std::string tail = trials[0]["attrs"]["stderr_tail"];
        QVERIFY(tail.size() >= 8000);
        QVERIFY2(tail.rfind("\xc3\xa9", 0) == 0, "the tail starts inside a character");
        QVERIFY(tail.find("\xef\xbf\xbd") != std::string::npos);  // U+FFFD for the 0xff
    }

    // 2. Studies named `train` in two databases run at once, each keeping its
    // result in $BONSAI_TRIAL_DIR: each reads back its own value.
    void studiesOfOneNameInTwoDatabasesKeepTheirOwnFolders() {
        const QString runs = m_dir.filePath("shared-runs");
        const QString spec =
            writeSpec(commandSpec("train",
                                  "echo {x} > \"$BONSAI_TRIAL_DIR/result.txt\"; sleep 1; "
                                  "cat \"$BONSAI_TRIAL_DIR/result.txt\"",
                                  3, runs));
        const QString dbA = m_dir.filePath("a.db"), dbB = m_dir.filePath("b.db");
        // Different seeds, so the two studies draw different values.
        QProcess a, b;
        a.start(BONSAI_CLI_PATH, {"run", spec, "--db", dbA, "--seed", "1"});
        b.start(BONSAI_CLI_PATH, {"run", spec, "--db", dbB, "--seed", "2"});
        QVERIFY(a.waitForFinished(60000) && b.waitForFinished(60000));
        QCOMPARE(a.exitCode(), 0);
        QCOMPARE(b.exitCode(), 0);
        std::set<std::string> folders;
        for (const QString& db : {dbA, dbB}) {
            Json trials = exportedTrials(db, "train");
            QCOMPARE(trials.size(), std::size_t(3));
            for (const Json& trial : trials) {
                QVERIFY2(trial["state"] == "complete", trial.dump().c_str());
                QCOMPARE(trial["value"].get<double>(), trial["params"]["x"].get<double>());
                folders.insert(trial["attrs"]["trial_dir"].get<std::string>());
            }
        }
        QCOMPARE(folders.size(), std::size_t(6));
        // "exp 1" and "exp_1" map to one safe name, yet not to one folder.
        for (const QString& name : {QString("exp 1"), QString("exp_1")}) {
            Result r = cli({"run", writeSpec(commandSpec(name, "echo 1", 1, runs)), "--db", m_db});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            folders.insert(exportedTrials(m_db, name)[0]["attrs"]["trial_dir"].get<std::string>());
        }
        QCOMPARE(folders.size(), std::size_t(8));
    }

    // 2. A study folder marked as another study's is an error, not shared.
    void aStudyFolderOfAnotherStudyIsAnError() {
        const QString runs = m_dir.filePath("marked-runs");
        Result r = cli({"run", writeSpec(commandSpec("marked", "echo 1", 1, runs)), "--db", m_db});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString trialDir = QString::fromStdString(
            exportedTrials(m_db, "marked")[0]["attrs"]["trial_dir"].get<std::string>());
        writeFile(QFileInfo(trialDir).path() + "/.bonsai-study", "/elsewhere/other.db#7\n");
        r = cli({"resume", "marked", "--db", m_db, "--trials", "1"});
        Json trials = exportedTrials(m_db, "marked");
        QCOMPARE(trials.size(), std::size_t(2));
        QCOMPARE(trials[1]["state"], Json("failed"));
        QVERIFY2(trials[1]["error"].get<std::string>().find("holds the trials of another study") !=
                     std::string::npos,
                 trials[1].dump().c_str());
    }

    // 3. An unset shell variable as --db is a usage error, not a temporary
    // database that loses everything.
    void anEmptyDatabasePathIsAUsageError() {
        const QString spec = writeSpec(slowSpec("empty-db", 0, 2, 1));
        for (const QStringList& args :
             {QStringList{"run", spec, "--db", ""}, QStringList{"run", spec, "--db="},
              QStringList{"resume", "empty-db", "--db", ""}, QStringList{"list", "--db", ""}}) {
            Result r = cli(args);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains("--db needs a file name"), qPrintable(r.err));
        }
    }

    // 4. export --out never overwrites the database, its -wal/-shm or any
    // other SQLite file; a normal target is replaced whole.
    void exportNeverOverwritesADatabase() {
        Result r = cli({"run", writeSpec(slowSpec("exported", 0, 3, 1)), "--db", m_db});
        QCOMPARE(r.exitCode, 0);
        const QByteArray before = readFile(m_db);
        const QString other = m_dir.filePath("other.db");
        QVERIFY(cli({"run", writeSpec(slowSpec("other", 0, 1, 1)), "--db", other}).exitCode == 0);
        const QString link = m_dir.filePath("link-to-db");
        QVERIFY(QFile::link(m_db, link));
        for (const QString& out : {m_db, m_db + "-wal", m_db + "-shm", other, link,
                                   m_dir.filePath(".") + "/" + QFileInfo(m_db).fileName()}) {
            r = cli({"export", "exported", "--db", m_db, "--format", "csv", "--out", out});
            QVERIFY2(r.exitCode == 2, qPrintable(out + ": " + r.err));
            QVERIFY2(r.err.contains("database") || r.err.contains("SQLite"), qPrintable(r.err));
        }
        QCOMPARE(readFile(m_db), before);
        QVERIFY(Database::isSqliteFile(other.toStdString()));
        QVERIFY(!QFile::exists(m_db + "-wal"));
        QCOMPARE(cli({"list", "--db", m_db}).exitCode, 0);

        const QString csv = m_dir.filePath("out.csv");
        writeFile(csv, "old text that is longer than nothing\n");
        r = cli({"export", "exported", "--db", m_db, "--format", "csv", "--out", csv});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(readFile(csv).startsWith("number,"));
        QCOMPARE(QDir(m_dir.path()).entryList({"out.csv.tmp-*"}, QDir::Files | QDir::Hidden).size(),
                 0);
    }

    // 5. Ctrl-C while the last two trials run: stopped (exit 1), and resume
    // runs the two interrupted trials.
    void ctrlCDuringTheLastBatchStopsTheStudy() {
        const QString spec = writeSpec(slowSpec("last-batch", 4, 2, 2));
        QProcess process;
        process.start(BONSAI_CLI_PATH, {"run", spec, "--db", m_db});
        QVERIFY(waitFor([&] { return trialsIn(m_db, "last-batch", TrialState::Running) == 2; }));
        ::kill(static_cast<pid_t>(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitCode(), 1);
        const QString out = process.readAllStandardOutput();
        QVERIFY2(out.contains("stopped by user"), qPrintable(out));
        QVERIFY(QString(process.readAllStandardError()).contains("continue with:"));
        Database db(m_db.toStdString(), Database::Mode::ReadOnly);
        QCOMPARE(db.findStudy("last-batch")->state, StudyState::Stopped);

        Result r = cli({"resume", "last-batch", "--db", m_db, "--json"}, 120000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        Json trials = exportedTrials(m_db, "last-batch");
        QCOMPARE(trials.size(), std::size_t(4));
        int counted = 0;
        for (const Json& trial : trials)
            counted += trial["state"] == "complete";
        QCOMPARE(counted, 2);
    }

    // 6. While one process runs a study, a second runner is refused with the
    // first one's pid, and the first finishes its exact budget undisturbed.
    void aSecondRunnerOfAStudyIsRefused() {
        // Long enough trials that a loaded machine still starts the second
        // process while the first runs.
        const QString spec = writeSpec(slowSpec("leased", 5, 6, 3));
        QProcess first;
        first.start(BONSAI_CLI_PATH, {"run", spec, "--db", m_db});
        QVERIFY(waitFor([&] { return trialsIn(m_db, "leased", TrialState::Running) > 0; }));
        Result second = cli({"resume", "leased", "--db", m_db});
        QVERIFY2(second.exitCode == 1, qPrintable(second.out + second.err));
        QVERIFY2(second.err.contains(QString("is being run by process %1").arg(first.processId())),
                 qPrintable(second.err));
        QVERIFY(first.waitForFinished(60000));
        QCOMPARE(first.exitStatus(), QProcess::NormalExit);
        QCOMPARE(first.exitCode(), 0);
        Json trials = exportedTrials(m_db, "leased");
        QCOMPARE(trials.size(), std::size_t(6));
        for (const Json& trial : trials)
            QVERIFY2(trial["state"] == "complete", trial.dump().c_str());
        // Once it has ended, the study is free again.
        Result again = cli({"resume", "leased", "--db", m_db, "--trials", "1"});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
    }

    // 6. A runner killed with -9 leaves its lease behind; the next resume
    // takes it over at once and only then calls its trials interrupted.
    void aKilledRunnersLeaseIsTakenOver() {
        const QString spec = writeSpec(slowSpec("taken-over", 30, 3, 3));
        QProcess first;
        first.start(BONSAI_CLI_PATH, {"run", spec, "--db", m_db});
        QVERIFY(waitFor([&] { return trialsIn(m_db, "taken-over", TrialState::Running) == 3; }));
        first.kill();
        QVERIFY(first.waitForFinished(10000));
        // The killed runner's trials stay running until a new runner holds the lease.
        QCOMPARE(trialsIn(m_db, "taken-over", TrialState::Running), 3);
        QProcess second;
        second.start(BONSAI_CLI_PATH, {"resume", "taken-over", "--db", m_db});
        QVERIFY(waitFor([&] { return trialsIn(m_db, "taken-over", TrialState::Failed) == 3; }));
        ::kill(static_cast<pid_t>(second.processId()), SIGINT);
        QVERIFY(second.waitForFinished(30000));
        QCOMPARE(second.exitCode(), 1);
        Json trials = exportedTrials(m_db, "taken-over");
        for (int i = 0; i < 3; ++i)
            QVERIFY2(isInterruptedTrial(trials[i]), trials[i].dump().c_str());
    }

    // 8. A protocol line nested 200,000 levels deep fails its trial with a
    // reason; the CLI does not crash, and show/export/resume still work.
    void aDeeplyNestedProtocolLineFailsOnlyItsTrial() {
        const QString spec = writeSpec(commandSpec(
            "deep",
            python(R"(print('{"value": 1, "attrs": {"a": ' + '[' * 200000 + ']' * 200000 + '}}'))"),
            1, m_dir.filePath("runs")));
        Result r = cli({"run", spec, "--db", m_db});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        Json trials = exportedTrials(m_db, "deep");
        QCOMPARE(trials.size(), std::size_t(1));
        QCOMPARE(trials[0]["state"], Json("failed"));
        QVERIFY2(trials[0]["error"].get<std::string>().find("nested more than 100 levels") !=
                     std::string::npos,
                 trials[0]["error"].dump().c_str());
        QCOMPARE(cli({"show", "deep", "--db", m_db}).exitCode, 0);
        QCOMPARE(cli({"resume", "deep", "--db", m_db, "--trials", "1"}).exitCode, 0);
    }

    // 9. A FIFO as --db is refused at once, never waited on.
    void aFifoIsNotADatabase() {
        const QString fifo = m_dir.filePath("fifo.db");
        QCOMPARE(::mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
        const QString spec = writeSpec(slowSpec("fifo", 0, 1, 1));
        for (const QStringList& args :
             {QStringList{"list", "--db", fifo}, QStringList{"run", spec, "--db", fifo},
              QStringList{"show", "fifo", "--db", fifo}}) {
            Result r = cli(args, 10000);
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains("is not a regular file (a FIFO)"), qPrintable(r.err));
        }
    }

    // 11. Parameters too large for one environment string reach the command
    // through BONSAI_PARAMS_FILE alone.
    void parametersTooLargeForTheEnvironmentComeAsAFile() {
        Json space = Json::array();
        const std::string longChoice(700, 'p');
        for (int i = 0; i < 200; ++i)
            space.push_back({{"name", "p" + std::to_string(i)},
                             {"type", "categorical"},
                             {"choices", {longChoice + std::to_string(i)}}});
        Json spec =
            commandSpec("large-params",
                        "test -z \"${BONSAI_PARAMS+set}\" && /usr/bin/python3 -c 'import json, os; "
                        "print(len(json.load(open(os.environ[\"BONSAI_PARAMS_FILE\"]))))'",
                        1, m_dir.filePath("runs"));
        spec["space"] = space;
        Result r = cli({"run", writeSpec(spec), "--db", m_db});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        Json trials = exportedTrials(m_db, "large-params");
        QVERIFY2(trials[0]["state"] == "complete", trials[0].dump().substr(0, 2000).c_str());
        QCOMPARE(trials[0]["value"].get<double>(), 200.0);
    }

    // 12. The default runs_dir is the user's own (~/.cache/bonsai/runs), and
    // its study and trial folders are private.
    void theDefaultRunsFolderIsPerUserAndPrivate() {
        QTemporaryDir home;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("HOME", home.path());
        env.remove("XDG_CACHE_HOME");
        env.insert("TMPDIR", m_dir.path());
        Result r = runProcess(
            BONSAI_CLI_PATH,
            {"run", writeSpec(commandSpec("private", "echo 1", 1, "")), "--db", m_db}, env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString trialDir = QString::fromStdString(
            exportedTrials(m_db, "private")[0]["attrs"]["trial_dir"].get<std::string>());
        QVERIFY2(trialDir.startsWith(home.path() + "/.cache/bonsai/runs/private-"),
                 qPrintable(trialDir));
        for (const QString& folder : {trialDir, QFileInfo(trialDir).path()}) {
            struct stat info {};
            QCOMPARE(::stat(folder.toLocal8Bit().constData(), &info), 0);
            QCOMPARE(info.st_mode & 0777, mode_t(0700));
        }
    }

    // 12. A params.json planted as a symlink is replaced, never written through.
    void aPlantedSymlinkIsNotWrittenThrough() {
        const QString runs = m_dir.filePath("planted-runs");
        Result r = cli({"run", writeSpec(commandSpec("planted", "echo 1", 1, runs)), "--db", m_db});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString studyDir =
            QFileInfo(
                QString::fromStdString(
                    exportedTrials(m_db, "planted")[0]["attrs"]["trial_dir"].get<std::string>()))
                .path();
        const QString victim = m_dir.filePath("victim.txt");
        writeFile(victim, "precious\n");
        QVERIFY(QDir().mkpath(studyDir + "/trial-1"));
        QVERIFY(QFile::link(victim, studyDir + "/trial-1/params.json"));
        r = cli({"resume", "planted", "--db", m_db, "--trials", "1"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(readFile(victim), QByteArray("precious\n"));
        QVERIFY(!QFileInfo(studyDir + "/trial-1/params.json").isSymLink());
    }

    // 12. As root: a trial folder another user prepared (with params.json
    // linked to a file of ours) is refused; nothing is written through it.
    void aFolderOfAnotherUserIsRefused() {
        if (!canActAsAnotherUser())
            QSKIP("needs root and setpriv to play the other user");
        const QString runs = m_dir.filePath("attacked-runs");
        Result r =
            cli({"run", writeSpec(commandSpec("attacked", "echo 1", 1, runs)), "--db", m_db});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString studyDir =
            QFileInfo(
                QString::fromStdString(
                    exportedTrials(m_db, "attacked")[0]["attrs"]["trial_dir"].get<std::string>()))
                .path();
        const QString victim = m_dir.filePath("victim-of-nobody.txt");
        writeFile(victim, "precious\n");
        const QString planted = studyDir + "/trial-1";
        QVERIFY(QDir().mkpath(planted));
        QVERIFY(QFile::link(victim, planted + "/params.json"));
        QCOMPARE(::lchown(planted.toLocal8Bit().constData(), 65534, 65534), 0);
        QCOMPARE(::lchown((planted + "/params.json").toLocal8Bit().constData(), 65534, 65534), 0);
        r = cli({"resume", "attacked", "--db", m_db, "--trials", "1"});
        QCOMPARE(readFile(victim), QByteArray("precious\n"));
        Json trials = exportedTrials(m_db, "attacked");
        QCOMPARE(trials.size(), std::size_t(2));
        QCOMPARE(trials[1]["state"], Json("failed"));
        QVERIFY2(trials[1]["error"].get<std::string>().find("belongs to another user") !=
                     std::string::npos,
                 trials[1].dump().c_str());
    }

    // 13. A study named ".." keeps its trial folders inside runs_dir.
    void aStudyNamedDotDotStaysInsideRunsDir() {
        const QString parent = m_dir.filePath("escape");
        QVERIFY(QDir().mkpath(parent));
        const QString runs = parent + "/runs";
        for (const QString& name : {QString(".."), QString("../x"), QString("/abs")}) {
            Result r = cli({"run", writeSpec(commandSpec(name, "echo 1", 1, runs)), "--db", m_db});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            const QString trialDir = QString::fromStdString(
                exportedTrials(m_db, name)[0]["attrs"]["trial_dir"].get<std::string>());
            QVERIFY2(QFileInfo(trialDir).canonicalFilePath().startsWith(
                         QFileInfo(runs).canonicalFilePath() + "/"),
                     qPrintable(trialDir));
            QCOMPARE(QFileInfo(QFileInfo(trialDir).path()).canonicalPath(),
                     QFileInfo(runs).canonicalFilePath());
        }
        QCOMPARE(QDir(parent).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                 QStringList{"runs"});
    }

    // 14. The resume hint is one shell command: pasted, it runs exactly
    // `bonsai-cli resume NAME --db DB`, whatever the name holds.
    void theResumeHintIsShellQuotedAndNamesTheDatabase() {
        const QString name = "it's'; touch PWNED; echo '";
        const QString db = m_dir.filePath("odd dir $HOME/hint.db");
        QVERIFY(QDir().mkpath(QFileInfo(db).path()));
        Json spec = slowSpec(name, 0.2, 1000, 1);
        const QString specPath = m_dir.filePath("hint.json");
        writeFile(specPath, QByteArray::fromStdString(spec.dump()));
        QProcess process;
        process.start(BONSAI_CLI_PATH, {"run", specPath, "--db", db});
        QVERIFY(
            waitFor([&] { return trialsIn(db, name.toStdString(), TrialState::Complete) > 0; }));
        ::kill(static_cast<pid_t>(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitCode(), 1);
        const QString err = process.readAllStandardError();
        const qsizetype at = err.indexOf("continue with: ");
        QVERIFY2(at >= 0, qPrintable(err));
        const QString hint = err.mid(at + 15).section('\n', 0, 0);

        // A stand-in bonsai-cli on PATH prints the words it was given.
        QTemporaryDir bin;
        writeFile(bin.filePath("bonsai-cli"),
                  "#!/bin/sh\nfor a in \"$@\"; do echo \"[$a]\"; done\n");
        QFile(bin.filePath("bonsai-cli"))
            .setPermissions(QFileDevice::ExeOwner | QFileDevice::ReadOwner);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("PATH", bin.path() + ":" + env.value("PATH"));
        QProcess shell;
        shell.setProcessEnvironment(env);
        shell.setWorkingDirectory(bin.path());
        shell.start("/bin/sh", {"-c", hint});
        QVERIFY(shell.waitForFinished(10000));
        QCOMPARE(QString(shell.readAllStandardOutput()),
                 "[resume]\n[" + name + "]\n[--db]\n[" + db + "]\n");
        QVERIFY(!QFile::exists(bin.filePath("PWNED")));
    }

    // 15. An intact database in a folder the user cannot write is read, not
    // called damaged (as root: read by `nobody` from a root-owned folder).
    void readersOpenADatabaseInAReadOnlyFolder() {
        const QString folder = m_dir.filePath("readonly");
        QVERIFY(QDir().mkpath(folder));
        const QString db = folder + "/studies.db";
        QCOMPARE(cli({"run", writeSpec(slowSpec("kept", 0, 3, 1)), "--db", db}).exitCode, 0);
        QVERIFY(!QFile::exists(db + "-wal"));
        const QList<QStringList> readers = {{"list", "--db", db},
                                            {"show", "kept", "--db", db},
                                            {"export", "kept", "--db", db, "--format", "json"}};
        if (::geteuid() == 0) {
            if (!canActAsAnotherUser())
                QSKIP("as root, needs setpriv to read as another user");
            // nobody may enter the folders down to the database, not write there.
            for (const QString& path : {m_dir.path(), folder})
                ::chmod(path.toLocal8Bit().constData(), 0755);
            ::chmod(db.toLocal8Bit().constData(), 0644);
            for (const QStringList& args : readers) {
                Result r = cliAsNobody(args);
                QVERIFY2(r.exitCode == 0, qPrintable(args.join(' ') + ": " + r.err));
                QVERIFY(!r.err.contains("damaged"));
            }
            // A writer is told about access, never about damage.
            Result r = cliAsNobody({"resume", "kept", "--db", db});
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(!r.err.contains("damaged"), qPrintable(r.err));
        } else {
            QVERIFY(QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
            for (const QStringList& args : readers) {
                Result r = cli(args);
                QVERIFY2(r.exitCode == 0, qPrintable(args.join(' ') + ": " + r.err));
            }
            QFile::setPermissions(
                folder, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        }
        QVERIFY(!QFile::exists(db + "-wal") && !QFile::exists(db + "-shm"));
    }
};

QTEST_GUILESS_MAIN(SafetyTest)
#include "tst_safety.moc"

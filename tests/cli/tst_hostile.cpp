// bonsai-cli against hostile names, numbers and pipes (issue 19): what it
// prints and refuses, on a real process.
#include <QtTest>

#include <sqlite3.h>

#include "storage/database.h"
#include "support/process_runner.h"

using namespace bonsai;

namespace {

// Standard output byte for byte: what reaches a terminal.
struct Result {
    int exitCode;
    QByteArray out;
    QString err;
};

Result cli(const QStringList& args, int timeoutMs = 60000) {
    test::ProcessResult r = test::runCli(args, timeoutMs);
    return {r.exitCode, r.rawOut, r.err};
}

}  // namespace

class HostileTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_db;

    // A quick Branin study named `name` (JSON-escaped here).
    QString writeSpec(const QString& file, const std::string& name, int trials = 3,
                      double delay = 0) {
        Json spec = {
            {"name", name},
            {"objective", {{"kind", "function"}, {"function", "branin"}, {"delay_seconds", delay}}},
            {"space",
             {{{"name", "x1"}, {"type", "float"}, {"low", -5}, {"high", 10}},
              {{"name", "x2"}, {"type", "float"}, {"low", 0}, {"high", 15}}}},
            {"budget", {{"trials", trials}}}};
        QString path = m_dir.filePath(file);
        QFile out(path);
        out.open(QIODevice::WriteOnly);
        out.write(QByteArray::fromStdString(spec.dump()));
        return path;
    }

  private slots:
    void init() {
        m_db = m_dir.filePath(QString("hostile-%1.db").arg(QTest::currentTestFunction()));
    }

    // 19.9: a name holding terminal escapes is shown as text.
    void controlCharactersInNamesAreEscaped() {
        const std::string name = "evil\x1b[2J\x1b]0;owned\x07\xc2\x9b";
        QCOMPARE(cli({"run", writeSpec("evil.json", name), "--db", m_db}).exitCode, 0);
        for (const QStringList& args :
             {QStringList{"list", "--db", m_db},
              QStringList{"show", QString::fromStdString(name), "--db", m_db}}) {
            Result r = cli(args);
            QCOMPARE(r.exitCode, 0);
            QVERIFY2(
                !r.out.contains('\x1b') && !r.out.contains('\x07') && !r.out.contains("\xc2\x9b"),
                r.out.constData());
            QVERIFY2(r.out.contains("evil\\x1b[2J\\x1b]0;owned\\x07\\xc2\\x9b"), r.out.constData());
        }
    }

    // 19.11: a name starting with "--" is reachable after "--".
    void aNameStartingWithDashesIsReachableAfterDoubleDash() {
        QCOMPARE(cli({"run", writeSpec("dashes.json", "--db"), "--db", m_db}).exitCode, 0);
        Result shown = cli({"show", "--db", m_db, "--", "--db"});
        QVERIFY2(shown.exitCode == 0, qPrintable(shown.err));
        QVERIFY(shown.out.contains("study      --db"));
        Result unknown = cli({"show", "--weird", "--db", m_db});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.err.contains("unknown option '--weird' (a name that starts with '--' "
                                      "goes after '--': -- --weird)"),
                 qPrintable(unknown.err));
    }

    void aFlagGivenAValueIsNamed() {
        Result r = cli({"run", writeSpec("flag.json", "flag"), "--db", m_db, "--json=1"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--json takes no value (got '--json=1'); write just --json"),
                 qPrintable(r.err));
    }

    void aHugeTrialCountIsRefusedNotWrapped() {
        QCOMPARE(cli({"run", writeSpec("huge.json", "huge"), "--db", m_db}).exitCode, 0);
        Result r = cli({"resume", "huge", "--db", m_db, "--trials", "9223372036854775807"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--trials must be at most 1000000000 (got '9223372036854775807')"),
                 qPrintable(r.err));
        Result beyond = cli({"resume", "huge", "--db", m_db, "--trials", "99999999999999999999"});
        QCOMPARE(beyond.exitCode, 2);
        QVERIFY(beyond.err.contains("--trials must be at most"));
    }

    // Only `run` creates a database; a mistyped --db leaves nothing behind.
    void aMistypedDatabaseIsNotCreated() {
        const QString missing = m_dir.filePath("typo/studies.db");
        for (const char* command : {"resume", "show", "export"}) {
            QStringList args = {command, "s", "--db", missing};
            if (QString(command) == "export")
                args << "--format"
                     << "csv";
            Result r = cli(args);
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains("does not exist"), qPrintable(r.err));
            QVERIFY(!QFileInfo::exists(m_dir.filePath("typo")));
        }
    }

    // `run ... | head`: the study is not killed by SIGPIPE half-way (left
    // "running"); it runs to its end.
    void aClosedStdoutDoesNotKillTheStudy() {
        const QString spec = writeSpec("pipe.json", "pipe", 15, 0.02);
        QProcess shell;
        shell.start("sh", {"-c", QString("'%1' run '%2' --db '%3' | head -c 1 >/dev/null")
                                     .arg(BONSAI_CLI_PATH, spec, m_db)});
        QVERIFY(shell.waitForFinished(60000));
        Database db(m_db.toStdString(), Database::Mode::ReadOnly);
        auto record = db.requireStudy("pipe");
        // `sh` waits for both sides of the pipe, so the study is done here.
        QCOMPARE(record.state, StudyState::Finished);
        QCOMPARE(db.loadTrials(record.id).size(), std::size_t(15));
    }

    // A stored spec that is not an object (hand-edited) is damage at that
    // row, not a raw json.exception from `show`.
    void aStoredArraySpecIsDamage() {
        QCOMPARE(cli({"run", writeSpec("array.json", "array"), "--db", m_db}).exitCode, 0);
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(m_db.toUtf8().constData(), &db), SQLITE_OK);
        QCOMPARE(sqlite3_exec(db, "UPDATE studies SET spec = '[]'", nullptr, nullptr, nullptr),
                 SQLITE_OK);
        sqlite3_close(db);
        Result r = cli({"show", "array", "--db", m_db});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("is damaged (the spec of study 'array' is [], not a JSON object)"),
                 qPrintable(r.err));
    }

    // 19.11: an intact database on a full disk is "disk full", not damage.
    // A 400 KB tmpfs in a user namespace plays the full disk.
    void aFullDiskIsNotDamage() {
        if (QProcess::execute("unshare", {"-rm", "true"}) != 0)
            QSKIP("needs `unshare -rm` (user namespaces) to mount a small tmpfs");
        const QString mount = m_dir.filePath("full");
        QDir().mkpath(mount);
        const QString cli = BONSAI_CLI_PATH;
        const QString script =
            QString(
                "mount -t tmpfs -o size=400k none '%1' || exit 3; "
                "'%2' run '%3' --db '%1/d.db' >/dev/null || exit 4; "
                "head -c 10000000 /dev/zero > '%1/fill' 2>/dev/null; "
                "'%2' show full --db '%1/d.db'; '%2' resume full --db '%1/d.db' --trials 1")
                .arg(mount, cli, writeSpec("full.json", "full"));
        QProcess shell;
        shell.setProcessChannelMode(QProcess::MergedChannels);
        shell.start("unshare", {"-rm", "sh", "-c", script});
        QVERIFY(shell.waitForFinished(60000));
        if (shell.exitCode() == 3)
            QSKIP("cannot mount a tmpfs here");
        const QString out = QString::fromUtf8(shell.readAll());
        QVERIFY2(out.count(": disk full; free some space and try again.") == 2, qPrintable(out));
        QVERIFY2(!out.contains("damaged"), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(HostileTest)
#include "tst_hostile.moc"

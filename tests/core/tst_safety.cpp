// Issue 18 in the engine: text from outside kept safely (UTF-8, nesting),
// stored values that must not crash a reader, one live runner per study, and
// spec sizes that validate quickly.
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <optional>

#include "exec/command_protocol.h"
#include "objectives/objective.h"
#include "space/search_space.h"
#include "storage/database.h"
#include "study/study.h"
#include "support/raw_sql.h"
#include "support/spec_errors.h"
#include "util/safe_files.h"
#include "util/safe_text.h"

using namespace bonsai;

namespace {

using test::rawExec;

Json studySpecJson(const std::string& name) {
    return Json::parse(R"({"name": ")" + name + R"(",
        "objective": {"kind": "function", "function": "branin"},
        "space": [{"name": "x1", "type": "float", "low": -5, "high": 10},
                  {"name": "x2", "type": "float", "low": 0, "high": 15}],
        "strategy": {"kind": "random"}, "budget": {"trials": 3}, "seed": 1})");
}

template <typename Call>
QString storageErrorOf(Call call) {
    try {
        call();
    } catch (const StorageError& error) {
        return QString::fromUtf8(error.what());
    }
    return {};
}

Json categorical(std::size_t choices) {
    Json list = Json::array();
    for (std::size_t i = 0; i < choices; ++i)
        list.push_back("c" + std::to_string(i));
    return Json::array({{{"name", "c"}, {"type", "categorical"}, {"choices", list}}});
}

QString specErrorOf(const Json& space) {
    auto error = test::specErrorFrom([&] { SearchSpace::fromJson(space, "space"); });
    return error ? QString::fromUtf8(error->what()) : QString();
}

}  // namespace

class SafetyCoreTest : public QObject {
    Q_OBJECT

  private slots:
    void validUtf8ReplacesBadBytesAndCutsOnABoundary() {
        QCOMPARE(validUtf8("plain"), std::string("plain"));
        QCOMPARE(validUtf8("caf\xc3\xa9"), std::string("caf\xc3\xa9"));
        QCOMPARE(validUtf8("a\xff"
                           "b"),
                 std::string("a\xef\xbf\xbd"
                             "b"));
        // Overlong, surrogate, truncated: each bad byte becomes one U+FFFD.
        QCOMPARE(validUtf8("\xc0\xaf"), std::string("\xef\xbf\xbd\xef\xbf\xbd"));
        QCOMPARE(validUtf8("\xed\xa0\x80").size(), std::size_t(9));
        QCOMPARE(validUtf8("x\xe2\x82"), std::string("x\xef\xbf\xbd\xef\xbf\xbd"));
        // A tail cut inside a character drops the partial front only.
        QCOMPARE(validUtf8("\xa9\xc3\xa9z", true), std::string("\xc3\xa9z"));
        QCOMPARE(validUtf8("\x82\xac\xe2\x82\xac", true), std::string("\xe2\x82\xac"));
        // Whatever comes in, the result is JSON-safe.
        std::string noise;
        for (int i = 0; i < 4096; ++i)
            noise += static_cast<char>((i * 7919) & 0xff);
        QVERIFY(!Json(validUtf8(noise, true)).dump().empty());
    }

    void nestingIsFoundWithoutRecursion() {
        // (Brackets built, not written: moc misreads a double bracket in a literal.)
        const std::string open4(4, '[');
        QVERIFY(!jsonNestingBeyond(
            R"({"a": [)" + open4.substr(0, 1) + R"(1], {"b": ")" + open4 + R"("}]})", 3));
        QCOMPARE(jsonNestingBeyond(open4, 3), std::optional<std::size_t>(3));
        const std::string deep = std::string(200000, '[') + std::string(200000, ']');
        QCOMPARE(jsonNestingBeyond(deep), std::optional<std::size_t>(kMaxJsonNesting));
    }

    // Item 8: a protocol line nested deeper than a spec may be is a
    // protocol error (the trial fails with it), not a crash.
    void aDeepProtocolLineIsAProtocolError() {
        CommandProtocol protocol;
        const std::string deep = R"({"value": 1, "attrs": {"a": )" + std::string(200000, '[') +
                                 std::string(200000, ']') + "}}";
        try {
            protocol.feed(deep);
            QFAIL("expected a ProtocolError");
        } catch (const ProtocolError& error) {
            QVERIFY2(QString(error.what()).contains("nested more than 100 levels"), error.what());
        }
        // At the limit it still speaks the protocol.
        const std::string fine =
            R"({"value": 2, "attrs": {"a": )" + std::string(98, '[') + std::string(98, ']') + "}}";
        protocol.feed(fine);
        QCOMPARE(protocol.finalValue(), std::optional<double>(2.0));
    }

    // Item 8: an attribute stored nested 200,000 deep (as an unlimited
    // Bonsai could) does not crash a reader: the file is reported damaged at
    // that row (issue 19, item 10), which a user can repair.
    void aDeepStoredAttributeDoesNotCrashAReader() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("deep.db").toStdString();
        std::int64_t id = 0;
        {
            Database db(path);
            id = db.createStudy("s", Direction::Minimize, studySpecJson("s"));
            Trial trial;
            trial.number = 0;
            trial.params = {{"x1", 0.0}, {"x2", 1.0}};
            trial.startedAt = nowSeconds();
            db.insertTrial(id, trial);
        }
        const std::string deep = std::string(200000, '[') + std::string(200000, ']');
        rawExec(path,
                "INSERT INTO trial_attrs (trial_id, key, value) VALUES ((SELECT id FROM "
                "trials), 'deep', '" +
                    deep + "')");
        Database db(path, Database::Mode::ReadOnly);
        try {
            db.loadTrials(id);
            QFAIL("a damaged row was read without an error");
        } catch (const StorageError& error) {
            QVERIFY2(
                std::string(error.what()).find("attribute 'deep' of trial 0 nests more than") !=
                    std::string::npos,
                error.what());
        }
    }

    // Item 1: invalid UTF-8 in an attribute is stored with U+FFFD, not
    // refused (which failed the trial and lost its value).
    void invalidUtf8IsStoredReplaced() {
        Database db(":memory:");
        const auto id = db.createStudy("s", Direction::Minimize, studySpecJson("s"));
        Trial trial;
        trial.number = 0;
        trial.startedAt = nowSeconds();
        db.insertTrial(id, trial);
        db.setTrialAttribute(id, 0, "tail", std::string("ok \xc3"));
        QCOMPARE(db.loadTrial(id, 0)->attrs["tail"].get<std::string>(),
                 std::string("ok \xef\xbf\xbd"));
    }

    // Item 6: one live runner per study; the holder is named; gone holders
    // (another host's stale heartbeat, a dead local process) are taken over.
    void oneLiveRunnerPerStudy() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("lease.db").toStdString();
        Database db(path);
        const auto id = db.createStudy("leased", Direction::Minimize, studySpecJson("leased"));
        const std::string token = db.acquireLease(id);
        QString message = storageErrorOf([&] { db.acquireLease(id); });
        QVERIFY2(message.contains(QString("is being run by process %1").arg(::getpid())),
                 qPrintable(message));
        QVERIFY(message.contains("'leased'"));
        const auto me = db.liveRunner(id);
        QVERIFY(me);
        QCOMPARE(me->pid, std::int64_t(::getpid()));
        QVERIFY(db.renewLease(id, token));
        db.releaseLease(id, token);
        QVERIFY(!db.renewLease(id, token));
        const std::string again = db.acquireLease(id);
        QVERIFY(again != token);
        db.releaseLease(id, again);

        // Another machine with a fresh heartbeat holds it; then it goes quiet.
        const std::string other =
            "INSERT OR REPLACE INTO study_leases VALUES (" + std::to_string(id) +
            ", 'theirs', 4242, 'elsewhere.example', 'boot', 1, 'bonsai-cli', %1)";
        rawExec(path, QString::fromStdString(other).arg(nowSeconds(), 0, 'f', 3).toStdString());
        message = storageErrorOf([&] { db.acquireLease(id); });
        QVERIFY2(message.contains("process 4242 (bonsai-cli on elsewhere.example"),
                 qPrintable(message));
        QCOMPARE(db.liveRunner(id)->program, std::string("bonsai-cli"));
        QCOMPARE(db.liveRunner(id)->host, std::string("elsewhere.example"));
        rawExec(path,
                QString::fromStdString(other).arg(nowSeconds() - 120, 0, 'f', 3).toStdString());
        QVERIFY(!db.liveRunner(id));  // gone quiet
        db.releaseLease(id, db.acquireLease(id));

        // This machine, a process that is gone (pid 1 never had this start time).
        char host[256] = {};
        ::gethostname(host, sizeof host - 1);
        std::ifstream bootFile("/proc/sys/kernel/random/boot_id");
        std::string boot;
        std::getline(bootFile, boot);
        rawExec(path, "INSERT OR REPLACE INTO study_leases VALUES (" + std::to_string(id) +
                          ", 'dead', 1, '" + host + "', '" + boot + "', 123456789, 'x', " +
                          std::to_string(nowSeconds()) + ")");
        QVERIFY(!db.liveRunner(id));
        QVERIFY(!db.runnerAlive(id));
        db.releaseLease(id, db.acquireLease(id));
    }

    // A study stored as running whose runner was killed shows as
    // "interrupted" (browser, header, `bonsai-cli list` and `show`), not as
    // running: only a live lease holder makes it running.
    void aRunningStudyWithoutALiveRunnerShowsAsInterrupted() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("orphan.db").toStdString();
        Database db(path);
        const auto id = db.createStudy("orphan", Direction::Minimize, studySpecJson("orphan"));
        QVERIFY(!db.findStudy(id)->runnerGone);  // created, never run
        db.setStudyState(id, StudyState::Running);
        QVERIFY(db.findStudy(id)->runnerGone);
        QCOMPARE(std::string(shownStudyStateName(*db.findStudy("orphan"))), "interrupted");
        QVERIFY(db.listStudies().front().study.runnerGone);

        const std::string token = db.acquireLease(id);  // this process runs it
        QVERIFY(!db.findStudy(id)->runnerGone);
        QCOMPARE(std::string(shownStudyStateName(*db.findStudy(id))), "running");
        QVERIFY(!db.listStudies().front().study.runnerGone);
        db.releaseLease(id, token);

        // Another machine's fresh heartbeat: running there.
        rawExec(path, "INSERT OR REPLACE INTO study_leases VALUES (" + std::to_string(id) +
                          ", 'theirs', 4242, 'elsewhere.example', 'boot', 1, 'bonsai-cli', " +
                          std::to_string(nowSeconds()) + ")");
        QVERIFY(!db.findStudy(id)->runnerGone);
        // Quiet for two minutes: gone.
        rawExec(path, "UPDATE study_leases SET heartbeat = " + std::to_string(nowSeconds() - 120));
        QVERIFY(db.findStudy(id)->runnerGone);

        // A paused study has no runner to miss.
        db.setStudyState(id, StudyState::Paused);
        QVERIFY(!db.findStudy(id)->runnerGone);
        QCOMPARE(std::string(shownStudyStateName(*db.findStudy(id))), "paused");
    }

    // Item 6: opening a study that a live runner holds is refused before
    // its running trials could be called interrupted.
    void openingAHeldStudyLeavesItsTrialsRunning() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("held.db").toStdString();
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Database db(path);
        std::optional<Study> first;
        first.emplace(
            Study::create(db, parseStudySpec(studySpecJson("held"), objectives), objectives));
        Trial running;
        running.number = 0;
        running.params = {{"x1", 0.0}, {"x2", 1.0}};
        running.startedAt = nowSeconds();
        db.insertTrial(first->id(), running);

        Database second(path);
        QString message = storageErrorOf([&] { Study::open(second, "held", objectives); });
        QVERIFY2(message.contains("is being run by process"), qPrintable(message));
        QCOMPARE(second.loadTrial(first->id(), 0)->state, TrialState::Running);

        first.reset();  // the runner ends: its lease goes with it
        Study reopened = Study::open(second, "held", objectives);
        QVERIFY(isInterrupted(reopened.trials()[0]));
    }

    // Item 10: duplicates are found in one pass; sizes beyond the limits
    // are refused with the limit named.
    void largeSpacesValidateQuicklyWithLimits() {
        QElapsedTimer timer;
        timer.start();
        Json space = categorical(10000);
        QVERIFY2(specErrorOf(space).isEmpty(), qPrintable(specErrorOf(space)));
        space[0]["choices"][9999] = "c17";
        QString message = specErrorOf(space);
        QVERIFY2(message.contains("space[0].choices[9999]: duplicate choice") &&
                     message.contains("choices[17]"),
                 qPrintable(message));
        // 1 and 1.0 are one choice, as before.
        QVERIFY(specErrorOf(Json::parse(R"([{"name": "c", "type": "categorical",
                                             "choices": [1, 2, 1.0]}])"))
                    .contains("duplicate choice"));
        QVERIFY(specErrorOf(Json::parse(R"([{"name": "c", "type": "categorical",
                                             "choices": [1, 1.5, "1", true]}])"))
                    .isEmpty());
        message = specErrorOf(categorical(100000));
        QVERIFY2(message.contains("more than 10000 per parameter"), qPrintable(message));
        Json many = Json::array();
        for (int i = 0; i < 6000; ++i)
            many.push_back(
                {{"name", "p" + std::to_string(i)}, {"type", "float"}, {"low", 0}, {"high", 1}});
        message = specErrorOf(many);
        QVERIFY2(message.contains("6000 parameters, more than the 1000"), qPrintable(message));
        QVERIFY2(timer.elapsed() < 10000, "validation took more than 10 s");
        qInfo() << "validation of the large spaces took" << timer.elapsed() << "ms";
    }

    // Item 12: files are replaced, never written through a planted symlink;
    // folders are private and must be this user's.
    void privateFilesAndFolders() {
        QTemporaryDir dir;
        const std::string folder = dir.filePath("private").toStdString();
        ensurePrivateFolder(folder);
        struct stat info {};
        QCOMPARE(::stat(folder.c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, mode_t(0700));
        const std::string victim = dir.filePath("victim").toStdString();
        std::ofstream(victim) << "precious";
        const std::string planted = folder + "/params.json";
        QCOMPARE(::symlink(victim.c_str(), planted.c_str()), 0);
        replaceFile(planted, "{}\n", 0600);
        std::ifstream in(victim);
        std::string text;
        std::getline(in, text);
        QCOMPARE(text, std::string("precious"));
        QCOMPARE(::lstat(planted.c_str(), &info), 0);
        QVERIFY(S_ISREG(info.st_mode));
        const std::string link = dir.filePath("link").toStdString();
        QCOMPARE(::symlink(folder.c_str(), link.c_str()), 0);
        try {
            ensurePrivateFolder(link);
            QFAIL("a symlink was accepted as a private folder");
        } catch (const std::runtime_error& error) {
            QVERIFY2(QString(error.what()).contains("is not a folder"), error.what());
        }
        if (::geteuid() == 0) {
            const std::string theirs = dir.filePath("theirs").toStdString();
            QCOMPARE(::mkdir(theirs.c_str(), 0777), 0);
            QCOMPARE(::chown(theirs.c_str(), 65534, 65534), 0);
            try {
                ensurePrivateFolder(theirs);
                QFAIL("another user's folder was accepted");
            } catch (const std::runtime_error& error) {
                QVERIFY2(QString(error.what()).contains("belongs to another user"), error.what());
            }
        }
    }
};

QTEST_GUILESS_MAIN(SafetyCoreTest)
#include "tst_safety.moc"

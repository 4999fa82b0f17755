#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <thread>

#include "storage/database.h"
#include "support/raw_sql.h"

using namespace bonsai;

namespace {

QByteArray fileHash(const std::string& path) {
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

Json sampleSpec() {
    return Json::parse(R"({
        "name": "sample", "direction": "minimize",
        "space": [
            {"name": "lr", "type": "float", "low": 1e-5, "high": 1, "log": true},
            {"name": "layers", "type": "int", "low": 1, "high": 8},
            {"name": "optimizer", "type": "categorical", "choices": ["sgd", "adam"]},
            {"name": "momentum", "type": "float", "low": 0, "high": 1,
             "when": {"param": "optimizer", "equals": "sgd"}},
            {"name": "nesterov", "type": "categorical", "choices": [true, false]}
        ],
        "strategy": {"kind": "tpe"}
    })");
}

Trial makeTrial(int number, TrialState state, std::optional<double> value) {
    Trial trial;
    trial.number = number;
    trial.state = state;
    trial.value = value;
    trial.startedAt = 1'800'000'000.0 + number;
    if (state != TrialState::Running)
        trial.completedAt = trial.startedAt + 1.5;
    trial.params = {{"lr", 0.001 * (number + 1)},
                    {"layers", std::int64_t{number % 8 + 1}},
                    {"optimizer", std::string("adam")},
                    {"nesterov", number % 2 == 0}};
    return trial;
}

using test::rawExec;

std::string rawQueryText(const std::string& path, const char* sql) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* stmt = nullptr;
    std::string result;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
        result = text ? text : "<null>";
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return result;
}

// Runs `open` and checks that it throws a StorageError naming the file and
// containing `expected`.
template <typename Open>
void expectStorageError(Open open, const std::string& path, const char* expected) {
    try {
        open();
        QFAIL("expected a StorageError");
    } catch (const StorageError& error) {
        const QString message = QString::fromUtf8(error.what());
        qInfo().noquote() << "error:" << message;
        QVERIFY2(message.contains(QString::fromStdString(path)), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String(expected)), qPrintable(message));
        // One sentence: ends with a period and has no line breaks.
        QVERIFY2(message.endsWith('.') && !message.contains('\n'), qPrintable(message));
    }
}

void makeBonsaiDatabase(const std::string& path, int trials) {
    Database db(path);
    const auto id = db.createStudy("s", Direction::Minimize, sampleSpec());
    for (int i = 0; i < trials; ++i) {
        Trial trial = makeTrial(i, TrialState::Complete, i * 0.5);
        trial.attrs = {{"note", std::string(100, 'x')}};
        db.insertTrial(id, trial);
    }
}

}  // namespace

class TestStorage : public QObject {
    Q_OBJECT

  private slots:
    void studyLifecycle();
    void studyStatesRoundTrip();
    void duplicateStudyName();
    void trialRoundTrip();
    void intermediateReReportReplaces();
    void finishKeepsEarlierAttributes();
    void failRunningTrials();
    void listSummaries();
    void schemaVersionTable();
    void distributionStored();
    void reopenPersists();
    void objectiveValuesRoundTrip();
    void version1DatabaseIsUpgraded();
    void emptyFileIsNewDatabase();
    void createsParentDirectories();
    void defaultPathFollowsXdg();
    void newerSchemaRejectedUntouched();
    void notSqliteRejectedUntouched();
    void foreignSqliteRejectedUntouched();
    void corruptRejectedUntouched_data();
    void corruptRejectedUntouched();
    void directoryRejected();
    void readOnlyModeNeverWrites();
    void readOnlyVersion2FileCannotTellARunnerIsGone();
    void readOnlyModeMissingFile();
    void readOnlyFileRejected();
    void concurrentConnections();
    void aFollowerSeesOtherConnectionsCommits();
    void concurrentProcesses();
    void killedWriterLosesNothingCommitted();
    void integrity();
    void transitionTiming();
};

void TestStorage::studyLifecycle() {
    QTemporaryDir dir;
    Database db(dir.filePath("s.db").toStdString());
    QVERIFY(db.listStudies().empty());

    const std::string quoted = "it's a \"quoted\", name; DROP TABLE studies --";
    const auto a = db.createStudy(quoted, Direction::Minimize, sampleSpec());
    const auto b = db.createStudy("second", Direction::Maximize, Json{{"space", Json::array()}});
    QVERIFY(a != b);

    auto found = db.findStudy(quoted);
    QVERIFY(found);
    QCOMPARE(found->id, a);
    QCOMPARE(found->name, quoted);
    QCOMPARE(found->direction, Direction::Minimize);
    QCOMPARE(found->spec, sampleSpec());
    QCOMPARE(found->state, StudyState::Created);
    QVERIFY(std::abs(found->createdAt - nowSeconds()) < 60);

    auto byId = db.findStudy(b);
    QVERIFY(byId);
    QCOMPARE(byId->name, std::string("second"));
    QCOMPARE(byId->direction, Direction::Maximize);
    QVERIFY(!db.findStudy("missing"));
    QVERIFY(!db.findStudy(std::int64_t{12345}));

    db.setStudyState(a, StudyState::Running);
    QCOMPARE(db.findStudy(a)->state, StudyState::Running);
    QVERIFY_THROWS_EXCEPTION(StorageError, db.setStudyState(999, StudyState::Running));

    auto list = db.listStudies();
    QCOMPARE(list.size(), std::size_t(2));
    QCOMPARE(list[0].study.id, a);
    QCOMPARE(list[1].study.id, b);

    db.insertTrial(a, makeTrial(0, TrialState::Running, std::nullopt));
    db.addIntermediate(a, 0, 1, 0.5);
    db.setTrialAttribute(a, 0, "k", 1);
    db.deleteStudy(a);
    QVERIFY(!db.findStudy(a));
    QCOMPARE(db.listStudies().size(), std::size_t(1));
    QVERIFY(db.loadTrials(a).empty());
    // Cascade removed every dependent row.
    const std::string path = db.path();
    QCOMPARE(rawQueryText(path, "SELECT COUNT(*) FROM trials"), std::string("0"));
    QCOMPARE(rawQueryText(path, "SELECT COUNT(*) FROM trial_params"), std::string("0"));
    QCOMPARE(rawQueryText(path, "SELECT COUNT(*) FROM trial_intermediate"), std::string("0"));
    QCOMPARE(rawQueryText(path, "SELECT COUNT(*) FROM trial_attrs"), std::string("0"));

    // A deleted study's id is never handed out again.
    const auto c = db.createStudy("third", Direction::Minimize, sampleSpec());
    QVERIFY(c > b);
}

void TestStorage::studyStatesRoundTrip() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("s.db").toStdString();
    {
        Database db(path);
        const auto id = db.createStudy("s", Direction::Minimize, sampleSpec());
        for (StudyState state : {StudyState::Created, StudyState::Running, StudyState::Paused,
                                 StudyState::Stopped, StudyState::Finished, StudyState::Failed}) {
            db.setStudyState(id, state);
            QCOMPARE(db.findStudy(id)->state, state);
            // Stored under the name the CLI and the studio show.
            QCOMPARE(rawQueryText(path, "SELECT state FROM studies"),
                     std::string(studyStateName(state)));
            QCOMPARE(studyStateFromName(studyStateName(state)), std::optional(state));
        }
        QVERIFY(!studyStateFromName("bogus"));
    }
    // A state no Bonsai writes is damage, named with its study.
    rawExec(path, "UPDATE studies SET state = 'bogus'");
    Database db(path);
    expectStorageError([&] { db.findStudy("s"); }, path, "study 's' has the unknown state 'bogus'");
    expectStorageError([&] { db.listStudies(); }, path, "unknown state 'bogus'");
}

void TestStorage::duplicateStudyName() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("s.db").toStdString();
    Database db(path);
    db.createStudy("same", Direction::Minimize, sampleSpec());
    expectStorageError([&] { db.createStudy("same", Direction::Maximize, sampleSpec()); }, path,
                       "already exists");
    QCOMPARE(db.listStudies().size(), std::size_t(1));
}

void TestStorage::trialRoundTrip() {
    QTemporaryDir dir;
    Database db(dir.filePath("s.db").toStdString());
    const auto id = db.createStudy("rt", Direction::Minimize, sampleSpec());

    std::vector<Trial> expected;
    // Every state; params of every type, including a string with quotes and an
    // integral double that must stay a double.
    Trial complete = makeTrial(0, TrialState::Complete, 0.125);
    complete.params = {{"lr", 1e-5},
                       {"layers", std::int64_t{-3}},
                       {"optimizer", std::string("say \"hi\", o'k")},
                       {"momentum", 2.0},
                       {"nesterov", true},
                       {"big", std::int64_t{9'007'199'254'740'993}}};
    complete.intermediate = {{1, 0.9}, {2, 0.5}, {5, 0.125}};
    complete.attrs = {{"test_acc", 0.91},
                      {"gp", {{"lengthscales", {0.1, 0.2}}, {"noise", 1e-6}}},
                      {"label", "x"}};
    expected.push_back(complete);

    Trial pruned = makeTrial(1, TrialState::Pruned, 0.7);
    pruned.intermediate = {{1, 0.8}, {2, 0.7}};
    pruned.error = "pruned at step 2 by median";
    expected.push_back(pruned);

    Trial failed = makeTrial(2, TrialState::Failed, std::nullopt);
    failed.error = "objective returned NaN\nsecond line, with 'quotes'";
    expected.push_back(failed);

    Trial running = makeTrial(3, TrialState::Running, std::nullopt);
    running.params.erase("nesterov");  // inactive
    expected.push_back(running);

    // The engine's path: insert running, report, finish.
    for (const Trial& trial : expected) {
        Trial started = trial;
        started.state = TrialState::Running;
        started.value.reset();
        started.completedAt.reset();
        started.error.clear();
        started.intermediate.clear();
        started.attrs = Json::object();
        db.insertTrial(id, started);
        for (const auto& [step, value] : trial.intermediate) {
            db.addIntermediate(id, trial.number, step, value);
        }
        if (trial.finished())
            db.finishTrial(id, trial);
    }

    const std::vector<Trial> loaded = db.loadTrials(id);
    QCOMPARE(loaded.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const Trial& a = expected[i];
        const Trial& b = loaded[i];
        QCOMPARE(b.number, a.number);
        QCOMPARE(b.state, a.state);
        QCOMPARE(b.params, a.params);
        QCOMPARE(b.value, a.value);
        QCOMPARE(b.intermediate, a.intermediate);
        QCOMPARE(b.attrs, a.attrs);
        QCOMPARE(b.startedAt, a.startedAt);
        QCOMPARE(b.completedAt, a.completedAt);
        QCOMPARE(b.error, a.error);
    }
    // Types survive: the integral double is still a double.
    QVERIFY(std::holds_alternative<double>(loaded[0].params.at("momentum")));
    QVERIFY(std::holds_alternative<bool>(loaded[0].params.at("nesterov")));

    auto single = db.loadTrial(id, 1);
    QVERIFY(single);
    QCOMPARE(single->error, pruned.error);
    QCOMPARE(single->intermediate, pruned.intermediate);
    QVERIFY(!db.loadTrial(id, 99));

    // A NaN value is stored as NULL and read back as missing.
    Trial nan = makeTrial(4, TrialState::Failed, std::numeric_limits<double>::quiet_NaN());
    db.insertTrial(id, nan);
    QVERIFY(!db.loadTrial(id, 4)->value);

    // Numbers are unique per study; unknown trials are clear errors.
    QVERIFY_THROWS_EXCEPTION(StorageError,
                             db.insertTrial(id, makeTrial(0, TrialState::Running, {})));
    QVERIFY_THROWS_EXCEPTION(StorageError, db.addIntermediate(id, 42, 1, 0.0));
    QVERIFY_THROWS_EXCEPTION(StorageError,
                             db.finishTrial(id, makeTrial(42, TrialState::Complete, 1.0)));
    QVERIFY_THROWS_EXCEPTION(StorageError,
                             db.insertTrial(777, makeTrial(0, TrialState::Running, {})));
}

void TestStorage::intermediateReReportReplaces() {
    QTemporaryDir dir;
    Database db(dir.filePath("s.db").toStdString());
    const auto id = db.createStudy("i", Direction::Minimize, sampleSpec());
    db.insertTrial(id, makeTrial(0, TrialState::Running, std::nullopt));
    db.addIntermediate(id, 0, 3, 0.3);
    db.addIntermediate(id, 0, 1, 0.1);
    db.addIntermediate(id, 0, 2, 0.2);
    db.addIntermediate(id, 0, 2, 0.25);  // resumed trial repeats step 2
    const auto trial = db.loadTrial(id, 0);
    const std::vector<std::pair<std::int64_t, double>> expected = {{1, 0.1}, {2, 0.25}, {3, 0.3}};
    QCOMPARE(trial->intermediate, expected);
}

void TestStorage::finishKeepsEarlierAttributes() {
    QTemporaryDir dir;
    Database db(dir.filePath("s.db").toStdString());
    const auto id = db.createStudy("a", Direction::Minimize, sampleSpec());
    db.insertTrial(id, makeTrial(0, TrialState::Running, std::nullopt));
    db.setTrialAttribute(id, 0, "acquisition", {{"logei", -2.5}});
    db.setTrialAttribute(id, 0, "epoch", 1);
    db.setTrialAttribute(id, 0, "epoch", 2);  // replaces
    Trial done = makeTrial(0, TrialState::Complete, 3.0);
    done.attrs = {{"test_acc", 0.5}, {"epoch", 3}};
    db.finishTrial(id, done);
    const Json expected = {{"acquisition", {{"logei", -2.5}}}, {"epoch", 3}, {"test_acc", 0.5}};
    QCOMPARE(db.loadTrial(id, 0)->attrs, expected);
}

void TestStorage::failRunningTrials() {
    QTemporaryDir dir;
    Database db(dir.filePath("s.db").toStdString());
    const auto id = db.createStudy("f", Direction::Minimize, sampleSpec());
    const auto other = db.createStudy("other", Direction::Minimize, sampleSpec());
    db.insertTrial(id, makeTrial(0, TrialState::Running, std::nullopt));
    db.insertTrial(id, makeTrial(1, TrialState::Running, std::nullopt));
    db.finishTrial(id, makeTrial(1, TrialState::Complete, 1.0));
    db.insertTrial(id, makeTrial(2, TrialState::Running, std::nullopt));
    db.insertTrial(other, makeTrial(0, TrialState::Running, std::nullopt));

    const double before = nowSeconds();
    QCOMPARE(db.failRunningTrials(id, "the process was killed"), 2);
    QCOMPARE(db.failRunningTrials(id, "again"), 0);
    const auto trials = db.loadTrials(id);
    QCOMPARE(trials[0].state, TrialState::Failed);
    QCOMPARE(trials[0].error, std::string("the process was killed"));
    QVERIFY(trials[0].completedAt && *trials[0].completedAt >= before - 1);
    QCOMPARE(trials[1].state, TrialState::Complete);
    QVERIFY(trials[1].error.empty());
    QCOMPARE(trials[2].state, TrialState::Failed);
    QCOMPARE(db.loadTrial(other, 0)->state, TrialState::Running);
}

void TestStorage::listSummaries() {
    QTemporaryDir dir;
    Database db(dir.filePath("s.db").toStdString());
    const auto minId = db.createStudy("min", Direction::Minimize, sampleSpec());
    Json maxSpec = sampleSpec();
    maxSpec["strategy"]["kind"] = "gp";
    const auto maxId = db.createStudy("max", Direction::Maximize, maxSpec);
    const auto emptyId = db.createStudy("empty", Direction::Minimize, Json::object());

    const double inf = std::numeric_limits<double>::infinity();
    for (auto id : {minId, maxId}) {
        db.insertTrial(id, makeTrial(0, TrialState::Complete, 2.0));
        db.insertTrial(id, makeTrial(1, TrialState::Complete, -1.0));
        db.insertTrial(id, makeTrial(2, TrialState::Complete, 5.0));
        db.insertTrial(id, makeTrial(3, TrialState::Pruned, -100.0));  // not complete
        db.insertTrial(id, makeTrial(4, TrialState::Pruned, 100.0));
        db.insertTrial(id, makeTrial(5, TrialState::Failed, std::nullopt));
        db.insertTrial(id, makeTrial(6, TrialState::Complete, inf));  // not finite
        db.insertTrial(id, makeTrial(7, TrialState::Complete, -inf));
        db.insertTrial(id, makeTrial(8, TrialState::Running, std::nullopt));
    }
    const auto list = db.listStudies();
    QCOMPARE(list.size(), std::size_t(3));
    QCOMPARE(list[0].study.id, minId);
    QCOMPARE(list[0].trialCount, 9);
    QCOMPARE(list[0].completeCount, 5);
    QCOMPARE(list[0].bestValue, std::optional<double>(-1.0));
    QCOMPARE(list[0].strategy, std::string("tpe"));
    QCOMPARE(list[1].study.id, maxId);
    QCOMPARE(list[1].bestValue, std::optional<double>(5.0));
    QCOMPARE(list[1].strategy, std::string("gp"));
    QCOMPARE(list[2].study.id, emptyId);
    QCOMPARE(list[2].trialCount, 0);
    QVERIFY(!list[2].bestValue);
    QVERIFY(list[2].strategy.empty());

    // Infinities round-trip as values even though they never count as best.
    QCOMPARE(db.loadTrial(minId, 6)->value, std::optional<double>(inf));
}

void TestStorage::schemaVersionTable() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("s.db").toStdString();
    { Database db(path); }
    QCOMPARE(rawQueryText(path, "SELECT MAX(version) FROM schema_version"),
             std::to_string(Database::kSchemaVersion));
    QCOMPARE(rawQueryText(path, "PRAGMA journal_mode"), std::string("wal"));
    for (const char* table :
         {"studies", "trials", "trial_params", "trial_intermediate", "trial_attrs"}) {
        const std::string sql =
            std::string("SELECT name FROM sqlite_schema WHERE type='table' AND name='") + table +
            "'";
        QCOMPARE(rawQueryText(path, sql.c_str()), std::string(table));
    }
    // Reopening an up-to-date file does not touch it.
    const QByteArray before = fileHash(path);
    { Database db(path); }
    QCOMPARE(fileHash(path), before);
}

void TestStorage::distributionStored() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("s.db").toStdString();
    {
        Database db(path);
        const auto id = db.createStudy("d", Direction::Minimize, sampleSpec());
        Trial trial = makeTrial(0, TrialState::Running, std::nullopt);
        trial.params["not_in_spec"] = 1.0;
        db.insertTrial(id, trial);
    }
    const Json expected = sampleSpec()["space"][0];
    QCOMPARE(
        Json::parse(rawQueryText(path, "SELECT distribution FROM trial_params WHERE name = 'lr'")),
        expected);
    QCOMPARE(rawQueryText(path, "SELECT distribution FROM trial_params WHERE name = 'not_in_spec'"),
             std::string("<null>"));
}

void TestStorage::reopenPersists() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("s.db").toStdString();
    std::int64_t id = 0;
    {
        Database db(path);
        id = db.createStudy("p", Direction::Maximize, sampleSpec());
        db.insertTrial(id, makeTrial(0, TrialState::Running, std::nullopt));
        db.addIntermediate(id, 0, 1, 0.25);
        db.finishTrial(id, makeTrial(0, TrialState::Complete, 0.75));
        db.setStudyState(id, StudyState::Finished);
    }
    Database db(path);
    const auto study = db.findStudy("p");
    QVERIFY(study);
    QCOMPARE(study->state, StudyState::Finished);
    const auto trials = db.loadTrials(id);
    QCOMPARE(trials.size(), std::size_t(1));
    QCOMPARE(trials[0].value, std::optional<double>(0.75));
    QCOMPARE(trials[0].intermediate.size(), std::size_t(1));
    QVERIFY(db.integrityOk());
}

void TestStorage::objectiveValuesRoundTrip() {
    Database db(":memory:");
    const auto id = db.createStudy("mo", Direction::Minimize, sampleSpec());
    Trial trial = makeTrial(0, TrialState::Running, std::nullopt);
    db.insertTrial(id, trial);
    QVERIFY(db.loadTrial(id, 0)->values.empty());
    trial.state = TrialState::Complete;
    trial.values = {0.5, -2.0, std::numeric_limits<double>::quiet_NaN()};
    trial.value = 0.5;
    db.finishTrial(id, trial);
    std::vector<double> loaded = db.loadTrial(id, 0)->values;
    QCOMPARE(loaded.size(), std::size_t(3));
    QCOMPARE(loaded[0], 0.5);
    QCOMPARE(loaded[1], -2.0);
    QVERIFY(std::isnan(loaded[2]));  // stored as JSON null
    // A whole trial inserted at once keeps its values too.
    Trial whole = makeTrial(1, TrialState::Complete, 1.0);
    whole.values = {1.0, 2.0};
    db.insertTrial(id, whole);
    QCOMPARE(db.loadTrials(id)[1].values, (std::vector<double>{1.0, 2.0}));
}

void TestStorage::version1DatabaseIsUpgraded() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("v1.db").toStdString();
    makeBonsaiDatabase(path, 2);
    // Turn it back into what a version-1 Bonsai wrote.
    rawExec(path,
            "ALTER TABLE trials DROP COLUMN values_json;"
            "DROP TABLE study_leases;"
            "DELETE FROM schema_version WHERE version > 1;");
    QCOMPARE(rawQueryText(path, "SELECT MAX(version) FROM schema_version"), std::string("1"));
    expectStorageError([&] { Database db(path, Database::Mode::ReadOnly); }, path,
                       "older schema (version 1)");
    Database db(path);
    QCOMPARE(rawQueryText(path, "SELECT MAX(version) FROM schema_version"),
             std::to_string(Database::kSchemaVersion));
    const auto study = db.findStudy("s");
    QVERIFY(study);
    std::vector<Trial> trials = db.loadTrials(study->id);
    QCOMPARE(trials.size(), std::size_t(2));
    QCOMPARE(trials[1].value, std::optional<double>(0.5));
    QVERIFY(trials[1].values.empty());
    Trial next = makeTrial(2, TrialState::Complete, 3.0);
    next.values = {3.0, 4.0};
    db.insertTrial(study->id, next);
    QCOMPARE(db.loadTrial(study->id, 2)->values, (std::vector<double>{3.0, 4.0}));
}

void TestStorage::emptyFileIsNewDatabase() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("empty.db").toStdString();
    std::ofstream(path).close();
    QCOMPARE(std::filesystem::file_size(path), std::uintmax_t(0));
    Database db(path);
    db.createStudy("e", Direction::Minimize, sampleSpec());
    QCOMPARE(db.listStudies().size(), std::size_t(1));
}

void TestStorage::createsParentDirectories() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("a/b/c/studies.db").toStdString();
    Database db(path);
    QVERIFY(std::filesystem::exists(path));
}

void TestStorage::defaultPathFollowsXdg() {
    const QByteArray oldXdg = qgetenv("XDG_DATA_HOME");
    const QByteArray oldHome = qgetenv("HOME");
    qputenv("XDG_DATA_HOME", "/data/xdg");
    qputenv("HOME", "/home/me");
    QCOMPARE(Database::defaultPath(), std::string("/data/xdg/bonsai/studies.db"));
    qputenv("XDG_DATA_HOME", "relative/ignored");
    QCOMPARE(Database::defaultPath(), std::string("/home/me/.local/share/bonsai/studies.db"));
    qunsetenv("XDG_DATA_HOME");
    QCOMPARE(Database::defaultPath(), std::string("/home/me/.local/share/bonsai/studies.db"));
    oldXdg.isNull() ? qunsetenv("XDG_DATA_HOME") : qputenv("XDG_DATA_HOME", oldXdg);
    oldHome.isNull() ? qunsetenv("HOME") : qputenv("HOME", oldHome);
}

void TestStorage::newerSchemaRejectedUntouched() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("future.db").toStdString();
    makeBonsaiDatabase(path, 3);
    rawExec(path, "INSERT INTO schema_version (version, applied_at) VALUES (99, 0)");
    const QByteArray before = fileHash(path);
    expectStorageError([&] { Database db(path); }, path, "newer");
    expectStorageError([&] { Database db(path, Database::Mode::ReadOnly); }, path, "newer");
    QCOMPARE(fileHash(path), before);
}

void TestStorage::notSqliteRejectedUntouched() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("notes.db").toStdString();
    std::ofstream(path) << "These are my notes, not a database.\n";
    QByteArray before = fileHash(path);
    expectStorageError([&] { Database db(path); }, path, "not an SQLite file");
    expectStorageError([&] { Database db(path, Database::Mode::ReadOnly); }, path,
                       "not an SQLite file");
    QCOMPARE(fileHash(path), before);

    // Right magic, garbage after it.
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        << std::string("SQLite format 3\0", 16) << std::string(5000, '\x7f');
    before = fileHash(path);
    try {
        Database db(path);
        QFAIL("expected a StorageError");
    } catch (const StorageError& error) {
        qInfo() << "error:" << error.what();
        QVERIFY(QString(error.what()).contains(QString::fromStdString(path)));
    }
    QCOMPARE(fileHash(path), before);
}

void TestStorage::foreignSqliteRejectedUntouched() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("other.sqlite").toStdString();
    rawExec(path, "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x')");
    const QByteArray before = fileHash(path);
    expectStorageError([&] { Database db(path); }, path, "another program");
    QCOMPARE(fileHash(path), before);
}

void TestStorage::corruptRejectedUntouched_data() {
    QTest::addColumn<QString>("damage");
    QTest::newRow("overwritten page") << "overwrite";
    QTest::newRow("truncated") << "truncate";
}

void TestStorage::corruptRejectedUntouched() {
    QFETCH(QString, damage);
    QTemporaryDir dir;
    const std::string path = dir.filePath("broken.db").toStdString();
    makeBonsaiDatabase(path, 400);
    const auto size = std::filesystem::file_size(path);
    const std::uintmax_t pageSize = 4096;
    QVERIFY(size > 10 * pageSize);
    if (damage == "overwrite") {
        // A whole page in the middle: every page of a fresh file belongs to a b-tree.
        std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
        file.seekp(static_cast<std::streamoff>((size / pageSize / 2) * pageSize));
        const std::string junk(pageSize, '\xa5');
        file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    } else {
        std::filesystem::resize_file(path, (size / pageSize / 2) * pageSize);
    }
    const QByteArray before = fileHash(path);
    expectStorageError([&] { Database db(path); }, path, "damaged");
    expectStorageError([&] { Database db(path, Database::Mode::ReadOnly); }, path, "damaged");
    QCOMPARE(fileHash(path), before);
    // Nor is anything left beside it: the look inside made an empty -wal
    // and a -shm, and they stayed.
    QVERIFY(!std::filesystem::exists(path + "-wal"));
    QVERIFY(!std::filesystem::exists(path + "-shm"));
}

void TestStorage::directoryRejected() {
    QTemporaryDir dir;
    const std::string path = dir.path().toStdString();
    expectStorageError([&] { Database db(path); }, path, "is a folder");
    expectStorageError([&] { Database db(path, Database::Mode::ReadOnly); }, path, "is a folder");
}

void TestStorage::readOnlyModeNeverWrites() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("ro.db").toStdString();
    makeBonsaiDatabase(path, 20);
    const QByteArray before = fileHash(path);
    {
        Database db(path, Database::Mode::ReadOnly);
        const auto list = db.listStudies();
        QCOMPARE(list.size(), std::size_t(1));
        QCOMPARE(db.loadTrials(list[0].study.id).size(), std::size_t(20));
        QVERIFY(db.integrityOk());
        expectStorageError([&] { db.createStudy("x", Direction::Minimize, sampleSpec()); }, path,
                           "read-only");
        expectStorageError([&] { db.failRunningTrials(list[0].study.id, "r"); }, path, "read-only");
    }
    QCOMPARE(fileHash(path), before);
}

// A version-2 file (no leases) read without upgrading: a running study
// cannot be told apart from an interrupted one, so it shows as running.
void TestStorage::readOnlyVersion2FileCannotTellARunnerIsGone() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("v2.db").toStdString();
    makeBonsaiDatabase(path, 2);
    rawExec(path,
            "UPDATE studies SET state = 'running';"
            "DROP TABLE study_leases;"
            "DELETE FROM schema_version WHERE version > 2;");
    Database db(path, Database::Mode::ReadOnly);
    const auto list = db.listStudies();
    QCOMPARE(list.size(), std::size_t(1));
    QVERIFY(!list[0].study.runnerGone);
    QCOMPARE(std::string(shownStudyStateName(*db.findStudy("s"))), "running");
}

void TestStorage::readOnlyModeMissingFile() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("nothing/here.db").toStdString();
    expectStorageError([&] { Database db(path, Database::Mode::ReadOnly); }, path,
                       "does not exist");
    QVERIFY(!std::filesystem::exists(dir.filePath("nothing").toStdString()));
}

// A 0444 file opened for writing must be refused. Tests run as root here, and
// root passes every permission check (access(W_OK) says yes, and SQLite could
// write), so as root the check is demonstrated in a forked child that drops
// to an unprivileged user. Without the right to switch users the test skips.
void TestStorage::readOnlyFileRejected() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("locked.db").toStdString();
    makeBonsaiDatabase(path, 5);
    QCOMPARE(::chmod(path.c_str(), 0444), 0);
    QCOMPARE(::chmod(dir.path().toLocal8Bit().constData(), 0755), 0);
    const QByteArray before = fileHash(path);

    if (::geteuid() != 0) {
        expectStorageError([&] { Database db(path); }, path, "read-only");
        QCOMPARE(fileHash(path), before);
        return;
    }
    qInfo("running as root: checking the read-only file as user 65534 in a child process");
    const pid_t child = ::fork();
    QVERIFY(child >= 0);
    if (child == 0) {
        if (::setgid(65534) != 0 || ::setuid(65534) != 0)
            ::_exit(77);
        try {
            Database db(path);
            ::_exit(1);  // opened for writing: the bug we test for
        } catch (const StorageError& error) {
            ::_exit(std::string(error.what()).find("read-only") != std::string::npos ? 0 : 2);
        } catch (...) {
            ::_exit(3);
        }
    }
    int status = 0;
    QCOMPARE(::waitpid(child, &status, 0), child);
    QVERIFY(WIFEXITED(status));
    if (WEXITSTATUS(status) == 77)
        QSKIP("cannot switch to an unprivileged user here");
    QCOMPARE(WEXITSTATUS(status), 0);
    QCOMPARE(fileHash(path), before);
}

// The studio follows a study another process runs: data_version tells it
// that something was committed elsewhere (not its own writes), and it reads
// again only the trials from the first unfinished one on.
void TestStorage::aFollowerSeesOtherConnectionsCommits() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("followed.db").toStdString();
    Database follower(path);
    const auto id = follower.createStudy("f", Direction::Minimize, sampleSpec());
    const std::int64_t start = follower.dataVersion();
    follower.insertTrial(id, makeTrial(0, TrialState::Complete, 1.0));
    QCOMPARE(follower.dataVersion(), start);  // its own write

    Database runner(path);
    runner.insertTrial(id, makeTrial(1, TrialState::Running, std::nullopt));
    const std::int64_t afterInsert = follower.dataVersion();
    QVERIFY(afterInsert != start);
    QCOMPARE(follower.dataVersion(), afterInsert);  // nothing new since
    runner.addIntermediate(id, 1, 1, 0.5);
    runner.flushReports();
    QVERIFY(follower.dataVersion() != afterInsert);

    runner.insertTrial(id, makeTrial(2, TrialState::Running, std::nullopt));
    const std::vector<Trial> fresh = follower.loadTrialsFrom(id, 1);
    QCOMPARE(fresh.size(), std::size_t(2));
    QCOMPARE(fresh[0].number, 1);
    QCOMPARE(fresh[0].intermediate.size(), std::size_t(1));
    QCOMPARE(fresh[1].number, 2);
    QCOMPARE(follower.loadTrialsFrom(id, 0).size(), std::size_t(3));
    QVERIFY(follower.loadTrialsFrom(id, 3).empty());
}

void TestStorage::concurrentConnections() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("shared.db").toStdString();
    Database reader(path);
    const auto id = reader.createStudy("c", Direction::Minimize, sampleSpec());

    std::atomic<bool> done{false};
    std::string writerError;
    std::thread writer([&] {
        try {
            Database db(path);
            for (int i = 0; i < 150; ++i) {
                db.insertTrial(id, makeTrial(i, TrialState::Running, std::nullopt));
                for (int step = 1; step <= 3; ++step)
                    db.addIntermediate(id, i, step, 1.0 / step);
                Trial trial = makeTrial(i, TrialState::Complete, i * 0.1);
                trial.attrs = {{"i", i}};
                db.finishTrial(id, trial);
            }
        } catch (const std::exception& error) {
            writerError = error.what();
        }
        done = true;
    });
    std::string readerError;
    int reads = 0;
    try {
        while (!done) {
            const auto list = reader.listStudies();
            const auto trials = reader.loadTrials(id);
            // One snapshot: a complete trial always carries its attrs.
            for (const Trial& trial : trials) {
                if (trial.state == TrialState::Complete && !trial.attrs.contains("i")) {
                    readerError = "inconsistent read";
                }
            }
            ++reads;
        }
    } catch (const std::exception& error) {
        readerError = error.what();
    }
    writer.join();
    QVERIFY2(writerError.empty(), writerError.c_str());
    QVERIFY2(readerError.empty(), readerError.c_str());
    qInfo() << "reads during writes:" << reads;
    QCOMPARE(reader.loadTrials(id).size(), std::size_t(150));
}

// Two processes writing the same study file at once: neither may see
// "database is locked".
void TestStorage::concurrentProcesses() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("procs.db").toStdString();
    std::int64_t id = 0;
    {
        Database db(path);
        id = db.createStudy("p", Direction::Minimize, sampleSpec());
    }
    const int perProcess = 150;
    const pid_t child = ::fork();
    QVERIFY(child >= 0);
    auto writeTrials = [&](int offset) {
        Database db(path);
        for (int i = offset; i < offset + perProcess; ++i) {
            db.insertTrial(id, makeTrial(i, TrialState::Running, std::nullopt));
            db.addIntermediate(id, i, 1, 0.5);
            db.finishTrial(id, makeTrial(i, TrialState::Complete, 1.0));
            db.listStudies();
        }
    };
    if (child == 0) {
        try {
            writeTrials(10'000);
            ::_exit(0);
        } catch (const std::exception& error) {
            std::fprintf(stderr, "child: %s\n", error.what());
            ::_exit(1);
        }
    }
    std::string parentError;
    try {
        writeTrials(0);
    } catch (const std::exception& error) {
        parentError = error.what();
    }
    int status = 0;
    QCOMPARE(::waitpid(child, &status, 0), child);
    QVERIFY2(parentError.empty(), parentError.c_str());
    QVERIFY(WIFEXITED(status));
    QCOMPARE(WEXITSTATUS(status), 0);
    Database db(path);
    QCOMPARE(db.loadTrials(id).size(), std::size_t(2 * perProcess));
    QVERIFY(db.integrityOk());
}

// A process killed with SIGKILL mid-study: every committed transition is
// there on the next open, and the running trial can be failed.
void TestStorage::killedWriterLosesNothingCommitted() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("killed.db").toStdString();
    std::int64_t id = 0;
    {
        Database db(path);
        id = db.createStudy("k", Direction::Minimize, sampleSpec());
    }
    const pid_t child = ::fork();
    QVERIFY(child >= 0);
    if (child == 0) {
        Database db(path);
        for (int i = 0; i < 20; ++i) {
            db.insertTrial(id, makeTrial(i, TrialState::Running, std::nullopt));
            db.addIntermediate(id, i, 1, 0.5);
            db.finishTrial(id, makeTrial(i, TrialState::Complete, i));
        }
        db.insertTrial(id, makeTrial(20, TrialState::Running, std::nullopt));
        db.addIntermediate(id, 20, 1, 0.25);
        ::kill(::getpid(), SIGKILL);  // no close, no checkpoint
        ::_exit(1);
    }
    int status = 0;
    QCOMPARE(::waitpid(child, &status, 0), child);
    QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    {
        Database reader(path, Database::Mode::ReadOnly);
        QCOMPARE(reader.loadTrials(id).size(), std::size_t(21));
    }
    Database db(path);
    QVERIFY(db.integrityOk());
    QCOMPARE(db.failRunningTrials(id, "the process was killed"), 1);
    const auto trials = db.loadTrials(id);
    QCOMPARE(trials.size(), std::size_t(21));
    QCOMPARE(trials[19].value, std::optional<double>(19.0));
    QCOMPARE(trials[20].state, TrialState::Failed);
    // Reports are batched (README, "Storage"): a kill may lose the last
    // 50 ms of them, but only of a trial that was still running.
    QVERIFY(trials[20].intermediate.size() <= 1);
    for (int i = 0; i < 20; ++i)
        QCOMPARE(trials[i].intermediate.size(), std::size_t(1));
}

void TestStorage::integrity() {
    QTemporaryDir dir;
    Database db(dir.filePath("s.db").toStdString());
    QVERIFY(db.integrityOk());
    Database memory(":memory:");
    QVERIFY(memory.integrityOk());
    QCOMPARE(memory.createStudy("m", Direction::Minimize, sampleSpec()), std::int64_t(1));
}

// The engine's write pattern, one committed transaction per transition.
// Printed, not asserted: timing depends on the disk (target < 2 s).
void TestStorage::transitionTiming() {
    QTemporaryDir dir;
    Database db(dir.filePath("t.db").toStdString());
    const auto id = db.createStudy("t", Direction::Minimize, sampleSpec());
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 1000; ++i) {
        db.insertTrial(id, makeTrial(i, TrialState::Running, std::nullopt));
        for (int step = 0; step < 10; ++step)
            db.addIntermediate(id, i, step, step * 0.1);
        db.finishTrial(id, makeTrial(i, TrialState::Complete, i * 1.0));
    }
    qInfo("1000 trials x 10 intermediate values, 12000 transactions: %lld ms",
          static_cast<long long>(timer.elapsed()));
    QCOMPARE(db.loadTrials(id).size(), std::size_t(1000));
}

QTEST_APPLESS_MAIN(TestStorage)
#include "tst_storage.moc"

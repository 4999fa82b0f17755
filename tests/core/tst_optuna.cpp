// Optuna's RDB schema across its revisions, from fixtures written here after
// Optuna's published alembic migrations (optuna/storages/_rdb/alembic/versions):
//   v2.4.0.a  study_directions, trial_values(objective), trial_intermediate_values
//   v2.6.0.a  trial_heartbeats; attribute columns become TEXT
//   v3.0.0.a  Uniform/LogUniform/DiscreteUniform/IntUniform/IntLogUniform
//             rewritten as Float/Int distributions
//   v3.0.0.b  intermediate_value nullable
//   v3.0.0.c  intermediate_value_type (INF_POS, INF_NEG, NAN, FINITE)
//   v3.0.0.d  trial_values.value_type, value nullable
//   v3.2.0.a  index on trials.study_id (Optuna 3.2 to 4.x)
// and one revision too old to read (v1.3.0.a).
#include <sqlite3.h>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include "space/search_space.h"
#include "storage/optuna.h"
#include "study/spec.h"

using namespace bonsai;

namespace {

const std::vector<std::string> kRevisions = {"v2.4.0.a", "v2.6.0.a", "v3.0.0.a", "v3.0.0.b",
                                             "v3.0.0.c", "v3.0.0.d", "v3.2.0.a"};

bool atLeast(const std::string& revision, const std::string& than) {
    auto at = [](const std::string& r) {
        return std::find(kRevisions.begin(), kRevisions.end(), r) - kRevisions.begin();
    };
    return at(revision) >= at(than);
}

// The tables of `revision`, as that migration left them in SQLite.
std::string schemaAt(const std::string& revision) {
    const bool text = atLeast(revision, "v2.6.0.a");
    const std::string attr = text ? "TEXT" : "VARCHAR(2048)";
    std::string sql =
        "CREATE TABLE studies (study_id INTEGER NOT NULL PRIMARY KEY, study_name VARCHAR(512) "
        "NOT NULL UNIQUE);"
        "CREATE TABLE version_info (version_info_id INTEGER NOT NULL PRIMARY KEY CHECK "
        "(version_info_id=1), schema_version INTEGER, library_version VARCHAR(256));"
        "CREATE TABLE study_directions (study_direction_id INTEGER NOT NULL PRIMARY KEY, "
        "direction VARCHAR(8) NOT NULL, study_id INTEGER NOT NULL, objective INTEGER NOT NULL, "
        "UNIQUE (study_id, objective));"
        "CREATE TABLE study_user_attributes (study_user_attribute_id INTEGER PRIMARY KEY, "
        "study_id INTEGER, key VARCHAR(512), value_json " +
        attr +
        ");"
        "CREATE TABLE study_system_attributes (study_system_attribute_id INTEGER PRIMARY KEY, "
        "study_id INTEGER, key VARCHAR(512), value_json " +
        attr +
        ");"
        "CREATE TABLE trials (trial_id INTEGER NOT NULL PRIMARY KEY, number INTEGER, study_id "
        "INTEGER, state VARCHAR(8) NOT NULL, datetime_start DATETIME, datetime_complete "
        "DATETIME);"
        "CREATE TABLE trial_user_attributes (trial_user_attribute_id INTEGER PRIMARY KEY, "
        "trial_id INTEGER, key VARCHAR(512), value_json " +
        attr +
        ");"
        "CREATE TABLE trial_system_attributes (trial_system_attribute_id INTEGER PRIMARY KEY, "
        "trial_id INTEGER, key VARCHAR(512), value_json " +
        attr +
        ");"
        "CREATE TABLE trial_params (param_id INTEGER PRIMARY KEY, trial_id INTEGER, param_name "
        "VARCHAR(512), param_value FLOAT, distribution_json " +
        attr + ");";
    sql += atLeast(revision, "v3.0.0.d")
               ? "CREATE TABLE trial_values (trial_value_id INTEGER PRIMARY KEY, trial_id INTEGER "
                 "NOT NULL, objective INTEGER NOT NULL, value FLOAT, value_type VARCHAR(7) NOT "
                 "NULL);"
               : "CREATE TABLE trial_values (trial_value_id INTEGER PRIMARY KEY, trial_id INTEGER "
                 "NOT NULL, objective INTEGER NOT NULL, value FLOAT NOT NULL);";
    sql += std::string(
               "CREATE TABLE trial_intermediate_values (trial_intermediate_value_id "
               "INTEGER PRIMARY KEY, trial_id INTEGER NOT NULL, step INTEGER NOT NULL, "
               "intermediate_value FLOAT") +
           (atLeast(revision, "v3.0.0.b") ? "" : " NOT NULL") +
           (atLeast(revision, "v3.0.0.c") ? ", intermediate_value_type VARCHAR(7) NOT NULL" : "") +
           ");";
    if (atLeast(revision, "v2.6.0.a"))
        sql +=
            "CREATE TABLE trial_heartbeats (trial_heartbeat_id INTEGER PRIMARY KEY, trial_id "
            "INTEGER NOT NULL UNIQUE, heartbeat DATETIME NOT NULL);";
    if (atLeast(revision, "v3.2.0.a"))
        sql += "CREATE INDEX trials_study_id_key ON trials (study_id);";
    sql +=
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);"
        "INSERT INTO alembic_version VALUES ('" +
        revision +
        "');"
        "INSERT INTO version_info VALUES (1, 12, '3.1.0');";
    return sql;
}

void execute(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    const std::string message = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    QVERIFY2(rc == SQLITE_OK, message.c_str());
}

// Distribution JSON as the revision stored it.
std::string floatLog(const std::string& revision) {
    return atLeast(revision, "v3.0.0.a")
               ? R"({"name": "FloatDistribution", "attributes": {"low": 0.001, "high": 1.0, "log": true, "step": null}})"
               : R"({"name": "LogUniformDistribution", "attributes": {"low": 0.001, "high": 1.0}})";
}
std::string floatStep(const std::string& revision) {
    return atLeast(revision, "v3.0.0.a")
               ? R"({"name": "FloatDistribution", "attributes": {"low": 0.0, "high": 1.0, "log": false, "step": 0.25}})"
               : R"({"name": "DiscreteUniformDistribution", "attributes": {"low": 0.0, "high": 1.0, "q": 0.25}})";
}
std::string intStep(const std::string& revision) {
    return atLeast(revision, "v3.0.0.a")
               ? R"({"name": "IntDistribution", "attributes": {"low": 0, "high": 10, "log": false, "step": 2}})"
               : R"({"name": "IntUniformDistribution", "attributes": {"low": 0, "high": 10, "step": 2}})";
}
std::string intLog(const std::string& revision) {
    return atLeast(revision, "v3.0.0.a")
               ? R"({"name": "IntDistribution", "attributes": {"low": 1, "high": 64, "log": true, "step": 1}})"
               : R"({"name": "IntLogUniformDistribution", "attributes": {"low": 1, "high": 64, "step": 1}})";
}
const std::string kCategorical =
    R"({"name": "CategoricalDistribution", "attributes": {"choices": ["relu", 3, 2.5, true]}})";

std::string quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

std::string param(int id, int trial, const char* name, double value, const std::string& dist) {
    return "INSERT INTO trial_params VALUES (" + std::to_string(id) + ", " + std::to_string(trial) +
           ", '" + name + "', " + QByteArray::number(value, 'g', 17).toStdString() + ", " +
           quoted(dist) + ");";
}

// Study "single" (minimize): a complete, a pruned (intermediate +inf) and a
// failed trial; study "multi" (minimize, maximize) with one complete trial.
std::string sampleRows(const std::string& revision) {
    const bool types = atLeast(revision, "v3.0.0.c");
    const bool valueTypes = atLeast(revision, "v3.0.0.d");
    auto value = [&](int id, int trial, int objective, const std::string& v) {
        return "INSERT INTO trial_values VALUES (" + std::to_string(id) + ", " +
               std::to_string(trial) + ", " + std::to_string(objective) + ", " + v +
               (valueTypes ? ", 'FINITE'" : "") + ");";
    };
    auto point = [&](int id, int trial, int step, const std::string& v, const char* type) {
        const bool inf = std::string(type) == "INF_POS";
        return "INSERT INTO trial_intermediate_values VALUES (" + std::to_string(id) + ", " +
               std::to_string(trial) + ", " + std::to_string(step) + ", " +
               (types && inf ? std::string("NULL") : v) +
               (types ? std::string(", '") + type + "'" : std::string()) + ");";
    };
    std::string sql =
        "INSERT INTO studies VALUES (1, 'single'), (2, 'multi');"
        "INSERT INTO study_directions VALUES (1, 'MINIMIZE', 1, 0), (2, 'MINIMIZE', 2, 0), "
        "(3, 'MAXIMIZE', 2, 1);"
        "INSERT INTO study_user_attributes VALUES (1, 1, 'owner', '\"ci\"');"
        "INSERT INTO trials VALUES (1, 0, 1, 'COMPLETE', '2024-05-01 12:00:00.250000', "
        "'2024-05-01 12:00:02.750000'),"
        " (2, 1, 1, 'PRUNED', '2024-05-01 12:01:00', '2024-05-01 12:01:01'),"
        " (3, 2, 1, 'FAIL', '2024-05-01 12:02:00', '2024-05-01 12:02:01'),"
        " (4, 0, 2, 'COMPLETE', '2024-05-01 13:00:00', '2024-05-01 13:00:05');";
    int id = 0;
    for (int trial = 1; trial <= 3; ++trial) {
        sql += param(++id, trial, "lr", 0.01 * trial, floatLog(revision));
        sql += param(++id, trial, "frac", 0.25 * trial, floatStep(revision));
        sql += param(++id, trial, "n", 2.0 * trial, intStep(revision));
        sql += param(++id, trial, "width", 4.0 * trial, intLog(revision));
        sql += param(++id, trial, "act", trial - 1.0, kCategorical);
    }
    sql += param(++id, 4, "lr", 0.5, floatLog(revision));
    sql += value(1, 1, 0, "0.125") + value(2, 2, 0, "0.5") + value(3, 4, 0, "1.5") +
           value(4, 4, 1, "-2.5");
    sql += point(1, 1, 0, "0.75", "FINITE") + point(2, 1, 1, "0.5", "FINITE") +
           point(3, 2, 0, "9e999", "INF_POS") + point(4, 2, 5, "0.5", "FINITE");
    sql +=
        "INSERT INTO trial_user_attributes VALUES (1, 1, 'note', '{\"k\": [1, 2]}');"
        "INSERT INTO trial_system_attributes VALUES (1, 3, 'fail_reason', '\"diverged\"'),"
        " (2, 1, 'nsga2:generation', '0');";
    return sql;
}

Trial nativeTrial(int number, TrialState state) {
    Trial trial;
    trial.number = number;
    trial.state = state;
    trial.startedAt = 1'800'000'000.5 + number;
    trial.completedAt = trial.startedAt + 2.25;
    trial.params = {{"lr", 0.001 * (number + 1)},
                    {"opt", std::string(number % 2 ? "sgd" : "adam")},
                    {"layers", std::int64_t{number % 4 + 1}}};
    if (number % 2)
        trial.params["momentum"] = 0.5;
    if (state == TrialState::Complete)
        trial.value = 1.0 / (number + 1);
    if (state == TrialState::Failed)
        trial.error = "NaN loss";
    trial.intermediate = {{0, 2.0}, {3, 1.5}};
    trial.attrs = {{"test_acc", 0.75}};
    return trial;
}

StudyRecord nativeRecord() {
    StudyRecord record;
    record.name = "native";
    record.direction = Direction::Maximize;
    record.spec = Json::parse(R"({
        "name": "native", "direction": "maximize",
        "space": [
            {"name": "lr", "type": "float", "low": 1e-4, "high": 1, "log": true},
            {"name": "opt", "type": "categorical", "choices": ["adam", "sgd"]},
            {"name": "momentum", "type": "float", "low": 0, "high": 1,
             "when": {"param": "opt", "equals": "sgd"}},
            {"name": "layers", "type": "int", "low": 1, "high": 4}
        ],
        "objective": {"kind": "function", "function": "branin"}
    })");
    return record;
}

// An Optuna study with a conditional parameter, as Optuna stores it (the
// parameter is simply absent from the other trials).
OptunaStudy conditionalStudy() {
    const Json kind = {{"name", "CategoricalDistribution"},
                       {"attributes", {{"choices", {"forest", "svc", "knn"}}}}};
    const Json c = {
        {"name", "FloatDistribution"},
        {"attributes", {{"low", 0.1}, {"high", 10.0}, {"log", true}, {"step", nullptr}}}};
    const Json depth = {{"name", "IntDistribution"},
                        {"attributes", {{"low", 1}, {"high", 9}, {"log", false}, {"step", 1}}}};
    OptunaStudy study;
    study.name = "cond";
    study.directions = {Direction::Minimize};
    for (int i = 0; i < 9; ++i) {
        OptunaTrial trial;
        trial.number = i;
        trial.state = "COMPLETE";
        trial.values = {i * 0.5};
        // depth comes first in the trials, so the space must reorder it
        // after kind.
        if (i % 3 == 0)
            trial.params.push_back({"depth", static_cast<double>(i % 9 + 1), depth});
        trial.params.push_back({"kind", static_cast<double>(i % 3), kind});
        if (i % 3 == 1)
            trial.params.push_back({"c", 1.0, c});
        study.trials.push_back(trial);
    }
    return study;
}

}  // namespace

class TestOptuna : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_files = 0;

    std::string newPath() { return m_dir.filePath(QString("f%1.db").arg(++m_files)).toStdString(); }

  private slots:
    void readsRevisions_data() {
        QTest::addColumn<QString>("revision");
        for (const std::string& revision : kRevisions)
            QTest::newRow(revision.c_str()) << QString::fromStdString(revision);
    }

    void readsRevisions() {
        QFETCH(QString, revision);
        const std::string path = newPath();
        execute(path, schemaAt(revision.toStdString()) + sampleRows(revision.toStdString()));
        QVERIFY(isOptunaDatabase(path));
        QCOMPARE(optunaSchemaRevision(path), revision.toStdString());

        Database database(":memory:");
        const auto names = importOptunaFile(database, path);
        QCOMPARE(names, (std::vector<std::string>{"single", "multi"}));

        const StudyRecord single = database.requireStudy("single");
        QCOMPARE(single.direction, Direction::Minimize);
        QCOMPARE(single.spec["optuna_user_attrs"], Json({{"owner", "ci"}}));
        const SearchSpace space = SearchSpace::fromJson(single.spec["space"]);
        QCOMPARE(space.params().size(), std::size_t{5});
        const ParamSpec* lr = space.find("lr");
        QVERIFY(lr->type == ParamType::Float && lr->log && lr->low == 0.001 && lr->high == 1.0);
        QCOMPARE(space.find("frac")->step.value_or(0), 0.25);
        const ParamSpec* n = space.find("n");
        QVERIFY(n->type == ParamType::Int && !n->log && n->step.value_or(1) == 2.0);
        const ParamSpec* width = space.find("width");
        QVERIFY(width->type == ParamType::Int && width->log && width->high == 64);
        QCOMPARE(space.find("act")->choices.size(), std::size_t{4});

        const std::vector<Trial> trials = database.loadTrials(single.id);
        QCOMPARE(trials.size(), std::size_t{3});
        QCOMPARE(trials[0].state, TrialState::Complete);
        QCOMPARE(trials[1].state, TrialState::Pruned);
        QCOMPARE(trials[2].state, TrialState::Failed);
        QCOMPARE(*trials[0].value, 0.125);
        QCOMPARE(*trials[1].value, 0.5);
        QVERIFY(!trials[2].value);
        QCOMPARE(trials[2].error, std::string("diverged"));
        QCOMPARE(std::get<double>(trials[1].params.at("lr")), 0.02);
        QCOMPARE(std::get<std::int64_t>(trials[2].params.at("n")), std::int64_t{6});
        QCOMPARE(std::get<std::string>(trials[0].params.at("act")), std::string("relu"));
        QCOMPARE(std::get<std::int64_t>(trials[1].params.at("act")), std::int64_t{3});
        QCOMPARE(std::get<double>(trials[2].params.at("act")), 2.5);
        QCOMPARE(trials[0].intermediate.size(), std::size_t{2});
        QCOMPARE(trials[0].intermediate[1], (std::pair<std::int64_t, double>{1, 0.5}));
        QVERIFY(std::isinf(trials[1].intermediate[0].second));
        QCOMPARE(trials[1].intermediate[1].first, std::int64_t{5});
        QCOMPARE(trials[0].attrs["note"], Json({{"k", {1, 2}}}));
        QCOMPARE(trials[0].attrs["optuna_system_attrs"], Json({{"nsga2:generation", 0}}));
        QVERIFY(std::abs(trials[0].completedAt.value() - trials[0].startedAt - 2.5) < 1e-6);

        const StudyRecord multi = database.requireStudy("multi");
        QCOMPARE(multi.spec["objectives"].size(), std::size_t{2});
        QCOMPARE(multi.spec["objectives"][1]["direction"], Json("maximize"));
        const Trial both = database.loadTrials(multi.id).at(0);
        QCOMPARE(both.values, (std::vector<double>{1.5, -2.5}));
    }

    void rejectsRevisionsBefore24() {
        const std::string path = newPath();
        execute(path,
                "CREATE TABLE studies (study_id INTEGER PRIMARY KEY, study_name VARCHAR(512), "
                "direction VARCHAR(8));"
                "CREATE TABLE trials (trial_id INTEGER PRIMARY KEY, number INTEGER, study_id "
                "INTEGER, state VARCHAR(8), value FLOAT);"
                "CREATE TABLE version_info (version_info_id INTEGER PRIMARY KEY, schema_version "
                "INTEGER, library_version VARCHAR(256));"
                "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);"
                "INSERT INTO alembic_version VALUES ('v1.3.0.a');");
        QVERIFY(isOptunaDatabase(path));
        Database database(":memory:");
        try {
            importOptunaFile(database, path);
            QFAIL("an Optuna 1.x file was imported");
        } catch (const StorageError& error) {
            const std::string message = error.what();
            QVERIFY2(message.find("before 2.4") != std::string::npos, error.what());
            QVERIFY2(message.find("optuna storage upgrade") != std::string::npos, error.what());
        }
    }

    // A file that is not Optuna's says what it is instead, with the fix.
    void bonsaiFilesAreNotOptuna() {
        const std::string path = newPath();
        { Database database(path); }
        QVERIFY(!isOptunaDatabase(path));
        QCOMPARE(*optunaDatabaseProblem(path),
                 path +
                     " is a Bonsai database, not an Optuna one: open it as a database "
                     "rather than importing it");
        const std::string folder = m_dir.path().toStdString();
        QVERIFY(!isOptunaDatabase(folder));
        QVERIFY(optunaDatabaseProblem(folder)->starts_with(folder + " is not a file; choose"));
        const std::string missing = newPath();
        QVERIFY(!isOptunaDatabase(missing));
        QCOMPARE(*optunaDatabaseProblem(missing), missing + ": no such file");
        QVERIFY(!std::filesystem::exists(missing));  // asking did not create it

        const std::string text = newPath();
        std::ofstream(text) << "hello\n";
        QVERIFY(optunaDatabaseProblem(text)->starts_with(text + " is not an SQLite database"));
        const std::string other = newPath();
        execute(other, "CREATE TABLE studies (id INTEGER)");
        QVERIFY(optunaDatabaseProblem(other)->starts_with(
            other + " has no Optuna tables (alembic_version, version_info, studies, trials)"));
        try {
            Database database(newPath());
            importOptunaFile(database, missing);
            QFAIL("a missing file was imported");
        } catch (const StorageError& error) {
            QCOMPARE(std::string(error.what()), missing + ": no such file");
        }
    }

    // The first study is fine, the second changes a distribution: nothing
    // is written, and the message names study, trial and parameter.
    void changingDistributionWritesNothing() {
        const std::string path = newPath();
        execute(
            path,
            schemaAt("v3.0.0.d") + sampleRows("v3.0.0.d") +
                "INSERT INTO studies VALUES (3, 'drift');"
                "INSERT INTO study_directions VALUES (4, 'MINIMIZE', 3, 0);"
                "INSERT INTO trials VALUES (10, 0, 3, 'COMPLETE', NULL, NULL),"
                " (11, 1, 3, 'COMPLETE', NULL, NULL);" +
                param(100, 10, "x", 0.5, floatStep("v3.0.0.d")) +
                param(
                    101, 11, "x", 0.5,
                    R"({"name": "FloatDistribution", "attributes": {"low": 0.0, "high": 2.0, "log": false, "step": null}})"));
        const std::string target = newPath();
        Database database(target);
        try {
            importOptunaFile(database, path);
            QFAIL("a changing distribution was imported");
        } catch (const StorageError& error) {
            const std::string message = error.what();
            QVERIFY2(message.find("Optuna study 'drift', trial 1, parameter 'x'") == 0,
                     error.what());
            QVERIFY2(message.find("changes between trials") != std::string::npos, error.what());
        }
        QVERIFY(database.listStudies().empty());
        // One study can still be picked out.
        QCOMPARE(importOptunaFile(database, path, std::string("single")),
                 std::vector<std::string>{"single"});
        QCOMPARE(database.listStudies().size(), std::size_t{1});
        // A second import of the same study fails whole, naming the conflict.
        try {
            importOptunaFile(database, path, std::string("single"));
            QFAIL("a study was imported twice");
        } catch (const StorageError& error) {
            QVERIFY2(std::string(error.what()).find("already exists") != std::string::npos,
                     error.what());
        }
        QCOMPARE(database.listStudies().size(), std::size_t{1});
        try {
            importOptunaFile(database, path, std::string("nope"));
            QFAIL("an unknown study was imported");
        } catch (const StorageError& error) {
            QVERIFY2(std::string(error.what()).find("single, multi, drift") != std::string::npos,
                     error.what());
        }
    }

    void conditionalParameters() {
        const StudyImport imported = studyFromOptuna(conditionalStudy(), "x.db");
        const SearchSpace space = SearchSpace::fromJson(imported.spec["space"]);
        QCOMPARE(space.params().front().name, std::string("kind"));
        const ParamSpec* depth = space.find("depth");
        QVERIFY(depth->when);
        QCOMPARE(depth->when->param, std::string("kind"));
        QCOMPARE(depth->when->values.size(), std::size_t{1});
        QVERIFY(sameValue(depth->when->values[0], std::string("forest")));
        QVERIFY(sameValue(space.find("c")->when->values[0], std::string("svc")));
        for (const Trial& trial : imported.trials)
            for (std::size_t i = 0; i < space.params().size(); ++i)
                QCOMPARE(space.isActive(i, trial.params),
                         trial.params.count(space.params()[i].name) == 1);
    }

    // An imported study has no objective: it is marked so, and running it
    // (resume) says what to do instead of "unknown objective kind".
    void importedStudiesSayWhyTheyCannotRun() {
        const StudyImport imported = studyFromOptuna(conditionalStudy(), "x.db");
        QVERIFY(isImportedStudy(imported.spec));
        QVERIFY(!isImportedStudy(Json{{"objective", {{"kind", "function"}}}}));
        QVERIFY(!isImportedStudy(Json::array()));
        try {
            parseStudySpec(imported.spec, ObjectiveRegistry::withBuiltins());
            QFAIL("an imported study's spec parsed as runnable");
        } catch (const SpecError& error) {
            const std::string message = error.what();
            QVERIFY2(
                message.find("objective.kind: 'imported' marks a study copied from optuna") == 0,
                error.what());
            QVERIFY2(message.find("warm_start.studies") != std::string::npos, error.what());
        }
    }

    void unrepresentableStudies() {
        // A parameter missing from a complete trial with nothing to explain it.
        OptunaStudy study = conditionalStudy();
        study.trials[3].params.erase(study.trials[3].params.begin());  // depth, kind=forest
        try {
            studyFromOptuna(study, "x.db");
            QFAIL("an unexplained missing parameter was imported");
        } catch (const StorageError& error) {
            QVERIFY2(std::string(error.what())
                             .find("Optuna study 'cond', trial 3, parameter "
                                   "'depth'") == 0,
                     error.what());
        }
        // None among the choices.
        study = conditionalStudy();
        study.trials[2].params[0].distribution["attributes"]["choices"][2] = nullptr;
        try {
            studyFromOptuna(study, "x.db");
            QFAIL("a None choice was imported");
        } catch (const StorageError& error) {
            const std::string message = error.what();
            QVERIFY2(message.find("trial 2, parameter 'kind'") != std::string::npos, error.what());
            QVERIFY2(message.find("null") != std::string::npos, error.what());
        }
        // A waiting (enqueued) trial.
        study = conditionalStudy();
        study.trials[6].state = "WAITING";
        try {
            studyFromOptuna(study, "x.db");
            QFAIL("a waiting trial was imported");
        } catch (const StorageError& error) {
            QVERIFY2(std::string(error.what()).find("trial 6 is WAITING") != std::string::npos,
                     error.what());
        }
    }

    // Bonsai -> Optuna file -> Bonsai gives the same trials.
    void exportRoundTrip() {
        const StudyRecord record = nativeRecord();
        std::vector<Trial> trials;
        for (int i = 0; i < 6; ++i)
            trials.push_back(nativeTrial(i, i == 4   ? TrialState::Failed
                                            : i == 5 ? TrialState::Pruned
                                                     : TrialState::Complete));
        const std::string path = newPath();
        writeOptunaFile(path, {studyToOptuna(record, trials)});
        QVERIFY(isOptunaDatabase(path));
        QCOMPARE(optunaSchemaRevision(path), std::string("v3.0.0.d"));
        QVERIFY(!std::filesystem::exists(path + ".partial"));

        const auto read = readOptunaStudies(path);
        QCOMPARE(read.size(), std::size_t{1});
        QCOMPARE(read[0].directions, std::vector<Direction>{Direction::Maximize});
        QCOMPARE(read[0].trials[4].systemAttrs["fail_reason"], Json("NaN loss"));
        QCOMPARE(read[0].trials[1].params.size(), std::size_t{4});
        const StudyImport back = studyFromOptuna(read[0], path);
        QCOMPARE(back.direction, Direction::Maximize);
        QCOMPARE(back.trials.size(), trials.size());
        for (std::size_t i = 0; i < trials.size(); ++i) {
            const Trial& a = trials[i];
            const Trial& b = back.trials[i];
            QCOMPARE(b.number, a.number);
            QCOMPARE(b.state, a.state);
            QCOMPARE(b.value, a.value);
            QCOMPARE(b.error, a.error);
            QCOMPARE(b.intermediate, a.intermediate);
            QCOMPARE(b.attrs, a.attrs);
            QCOMPARE(toJson(b.params), toJson(a.params));
            QVERIFY(std::abs(b.startedAt - a.startedAt) < 1e-5);
            QVERIFY(std::abs(*b.completedAt - *a.completedAt) < 1e-5);
        }
        const SearchSpace space = SearchSpace::fromJson(back.spec["space"]);
        QCOMPARE(space.find("momentum")->when->param, std::string("opt"));

        // The head of Optuna 3.2 to 4.x: the same rows plus the trials index.
        const std::string v32 = newPath();
        writeOptunaFile(v32, {studyToOptuna(record, trials)}, "v3.2.0.a");
        QCOMPARE(optunaSchemaRevision(v32), std::string("v3.2.0.a"));
        QCOMPARE(readOptunaStudies(v32).at(0).trials.size(), trials.size());
        try {
            writeOptunaFile(newPath(), {}, "v4.0.0");
            QFAIL("an unknown revision was written");
        } catch (const StorageError& error) {
            QVERIFY2(std::string(error.what()).find("v3.2.0.a") != std::string::npos, error.what());
        }

        // Never over an existing file.
        try {
            writeOptunaFile(path, {studyToOptuna(record, trials)});
            QFAIL("an export overwrote a file");
        } catch (const StorageError& error) {
            QVERIFY2(std::string(error.what()).find("already exists") != std::string::npos,
                     error.what());
        }
    }

    void exportRejectsCells() {
        StudyRecord record;
        record.name = "nas";
        record.spec = {{"space", {{{"name", "cell"}, {"type", "nb201-cell"}}}}};
        Trial trial;
        trial.params["cell"] =
            std::string("|nor_conv_3x3~0|+|none~0|skip_connect~1|+|none~0|none~1|avg_pool_3x3~2|");
        try {
            studyToOptuna(record, {trial});
            QFAIL("an nb201-cell was exported to Optuna");
        } catch (const StorageError& error) {
            const std::string message = error.what();
            QVERIFY2(message.find("Study 'nas', trial 0, parameter 'cell'") == 0, error.what());
            QVERIFY2(message.find("nb201-cell") != std::string::npos, error.what());
        }
    }

    // What File > Open does with an Optuna file: 10,000 trials must open
    // well inside the studio's 2 s budget (bench-storage prints the figure).
    void opensLargeFileInMemory() {
        StudyRecord record = nativeRecord();
        std::vector<Trial> trials;
        for (int i = 0; i < 10000; ++i)
            trials.push_back(nativeTrial(i, TrialState::Complete));
        const std::string path = newPath();
        writeOptunaFile(path, {studyToOptuna(record, trials)});
        QElapsedTimer timer;
        timer.start();
        {
            const auto read = readOptunaStudies(path);
            const qint64 reading = timer.restart();
            const StudyImport imported = studyFromOptuna(read.at(0), path);
            const qint64 converting = timer.restart();
            Database memory(":memory:");
            memory.importStudies({imported});
            qInfo("read %lld ms, convert %lld ms, store %lld ms", reading, converting,
                  timer.restart());
        }
        auto database = openOptunaAsDatabase(path);
        const auto studies = database->listStudies();
        const auto loaded = database->loadTrials(studies.at(0).study.id);
        qInfo("10,000-trial Optuna file opened and loaded in %lld ms", timer.elapsed());
        QCOMPARE(loaded.size(), std::size_t{10000});
        QCOMPARE(studies[0].study.state, StudyState::Finished);
        QVERIFY(std::filesystem::exists(path));
    }
};

QTEST_GUILESS_MAIN(TestOptuna)
#include "tst_optuna.moc"

// Reading and writing Optuna's RDB schema in SQLite (see optuna.h for the
// revisions covered). Only SQL and rows here; optuna_convert.cpp maps them to
// Bonsai studies.
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <set>
#include <unordered_map>

#include "storage/optuna.h"
#include "storage/sql.h"

namespace bonsai {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& message) {
    throw StorageError(message);
}

// A connection closed on scope exit.
class Connection {
  public:
    Connection(const std::string& path, int flags) : m_path(path) {
        const int rc = sqlite3_open_v2(path.c_str(), &m_db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
        if (rc != SQLITE_OK) {
            const std::string detail = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
            sqlite3_close_v2(m_db);
            m_db = nullptr;
            fail("Cannot open " + path + " (" + detail + "); check the path and its permissions.");
        }
        sqlite3_busy_timeout(m_db, 5000);
    }
    ~Connection() { sqlite3_close_v2(m_db); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    sqlite3* handle() const { return m_db; }
    const std::string& path() const { return m_path; }
    [[noreturn]] void failHere(const std::string& action) const {
        fail("Cannot " + action + " " + m_path + " (" + sqlite3_errmsg(m_db) + ").");
    }
    void exec(const std::string& sql, const char* action) {
        if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
            failHere(action);
    }

  private:
    std::string m_path;
    sqlite3* m_db = nullptr;
};

// A prepared statement over a Connection; bind indices start at 1.
class Query {
  public:
    Query(Connection& connection, const std::string& sql) : m_connection(connection) {
        if (sqlite3_prepare_v2(connection.handle(), sql.c_str(), -1, &m_stmt, nullptr) != SQLITE_OK)
            connection.failHere("read");
    }
    ~Query() { sqlite3_finalize(m_stmt); }
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;

    Query& bind(int index, std::int64_t value) {
        sqlite3_bind_int64(m_stmt, index, value);
        return *this;
    }
    Query& bind(int index, const std::string& value) {
        sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()),
                          SQLITE_TRANSIENT);
        return *this;
    }
    // NaN and infinities are not stored as numbers in Optuna's schema: the
    // caller writes a value type next to NULL.
    Query& bindReal(int index, std::optional<double> value) {
        if (value && std::isfinite(*value))
            sqlite3_bind_double(m_stmt, index, *value);
        else
            sqlite3_bind_null(m_stmt, index);
        return *this;
    }
    Query& bindOptionalText(int index, const std::optional<std::string>& value) {
        if (value)
            return bind(index, *value);
        sqlite3_bind_null(m_stmt, index);
        return *this;
    }

    bool step() {
        const int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW)
            return true;
        if (rc != SQLITE_DONE)
            m_connection.failHere("read");
        return false;
    }
    void run() {
        while (step()) {
        }
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    bool isNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }
    std::int64_t int64(int column) const { return sqlite3_column_int64(m_stmt, column); }
    double real(int column) const { return sqlite3_column_double(m_stmt, column); }
    std::string text(int column) const {
        const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
        return data ? std::string(data,
                                  static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)))
                    : std::string();
    }

  private:
    Connection& m_connection;
    sqlite3_stmt* m_stmt = nullptr;
};

bool hasTable(Connection& db, const std::string& name) {
    Query query(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
    query.bind(1, name);
    return query.step();
}

bool hasColumn(Connection& db, const std::string& table, const std::string& column) {
    Query query(db, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?");
    query.bind(1, table).bind(2, column);
    return query.step();
}

// Optuna writes naive local datetimes ("2024-05-01 12:00:00.123456").
std::optional<double> parseDatetime(const std::string& text,
                                    std::unordered_map<std::string, std::time_t>& hours) {
    std::tm tm{};
    int micro = 0;
    char fraction[16] = {};
    const int fields =
        std::sscanf(text.c_str(), "%d-%d-%d %d:%d:%d.%15[0-9]", &tm.tm_year, &tm.tm_mon,
                    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, fraction);
    if (fields < 6)
        return std::nullopt;
    if (fields == 7) {
        std::string digits = std::string(fraction).substr(0, 6);
        digits.resize(6, '0');
        micro = std::stoi(digits);
    }
    // mktime consults the time zone on every call; trials share their hours.
    const int minutes = tm.tm_min, seconds = tm.tm_sec;
    const std::string hour = text.substr(0, 13);
    auto known = hours.find(hour);
    if (known == hours.end()) {
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        tm.tm_min = tm.tm_sec = 0;
        tm.tm_isdst = -1;
        known = hours.emplace(hour, std::mktime(&tm)).first;
    }
    return static_cast<double>(known->second) + minutes * 60 + seconds + micro * 1e-6;
}

std::string formatDatetime(double seconds) {
    const auto whole = static_cast<std::time_t>(std::floor(seconds));
    int micro = static_cast<int>(std::lround((seconds - std::floor(seconds)) * 1e6));
    if (micro >= 1000000)
        micro = 999999;
    std::tm tm{};
    localtime_r(&whole, &tm);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d.%06d", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micro);
    return text;
}

// Optuna's value types (v3.0.0.c/d): infinities and NaN are NULL plus a type.
double storedValue(const Query& query, int valueColumn, int typeColumn) {
    if (typeColumn >= 0 && !query.isNull(typeColumn)) {
        const std::string type = query.text(typeColumn);
        if (type == "INF_POS")
            return std::numeric_limits<double>::infinity();
        if (type == "INF_NEG")
            return -std::numeric_limits<double>::infinity();
        if (type == "NAN")
            return std::numeric_limits<double>::quiet_NaN();
    }
    return query.isNull(valueColumn) ? std::numeric_limits<double>::quiet_NaN()
                                     : query.real(valueColumn);
}

const char* valueType(double value, bool allowNan) {
    if (std::isnan(value))
        return allowNan ? "NAN" : "FINITE";
    if (std::isinf(value))
        return value > 0 ? "INF_POS" : "INF_NEG";
    return "FINITE";
}

// Revisions whose tables this reader understands (see optuna.h).
const std::set<std::string> kReadable = {"v2.4.0.a", "v2.6.0.a", "v3.0.0.a", "v3.0.0.b",
                                         "v3.0.0.c", "v3.0.0.d", "v3.2.0.a"};
const std::set<std::string> kTooOld = {"v0.9.0.a", "v1.2.0.a", "v1.3.0.a"};

Json parseAttr(const std::string& text, const std::string& where) {
    Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded())
        fail(where + " is not valid JSON; fix it in Optuna and try again.");
    return json;
}

void readAttrs(Connection& db, const std::string& table, const std::string& owner,
               std::int64_t studyId, const std::string& studyName,
               const std::function<Json*(std::int64_t)>& target) {
    const bool trial = owner == "trial_id";
    Query query(db, trial
                        ? "SELECT a.trial_id, a.key, a.value_json FROM " + table +
                              " a JOIN trials t ON a.trial_id = t.trial_id WHERE t.study_id = ?"
                        : "SELECT study_id, key, value_json FROM " + table + " WHERE study_id = ?");
    query.bind(1, studyId);
    while (query.step()) {
        Json* attrs = target(query.int64(0));
        if (!attrs)
            continue;
        const std::string key = query.text(1);
        (*attrs)[key] = parseAttr(
            query.text(2), "Optuna study '" + studyName + "': attribute '" + key + "' in " + table);
    }
}

}  // namespace

std::optional<std::string> optunaDatabaseProblem(const std::string& path) {
    const std::string fix = "; choose the file of an Optuna RDB storage (sqlite:///FILE)";
    std::error_code ec;
    if (!fs::exists(path, ec))
        return path + ": no such file";
    if (!fs::is_regular_file(path, ec))
        return path + " is not a file" + fix;
    if (!sql::isSqliteHeader(path))
        return path + " is not an SQLite database" + fix;
    try {
        Connection db(path, SQLITE_OPEN_READONLY);
        if (hasTable(db, "alembic_version") && hasTable(db, "version_info") &&
            hasTable(db, "studies") && hasTable(db, "trials"))
            return std::nullopt;
        if (hasTable(db, "schema_version") && hasTable(db, "trial_attrs"))
            return path +
                   " is a Bonsai database, not an Optuna one: open it as a database rather "
                   "than importing it";
    } catch (const StorageError& error) {
        return path + " cannot be read: " + error.what();
    }
    return path + " has no Optuna tables (alembic_version, version_info, studies, trials)" + fix;
}

bool isOptunaDatabase(const std::string& path) {
    return !optunaDatabaseProblem(path);
}

std::string optunaSchemaRevision(const std::string& path) {
    if (auto problem = optunaDatabaseProblem(path))
        fail(*problem);
    Connection db(path, SQLITE_OPEN_READONLY);
    Query query(db, "SELECT version_num FROM alembic_version");
    if (!query.step())
        fail(path +
             " is an Optuna database without a schema revision (alembic_version is "
             "empty); open it once with Optuna to set it up.");
    return query.text(0);
}

std::vector<OptunaStudy> readOptunaStudies(const std::string& path,
                                           const std::optional<std::string>& studyName) {
    const std::string revision = optunaSchemaRevision(path);
    if (kTooOld.count(revision)) {
        fail(path + " was written by Optuna before 2.4 (schema revision " + revision +
             "); upgrade it with `optuna storage upgrade --storage sqlite:///" + path +
             "` and try again.");
    }
    Connection db(path, SQLITE_OPEN_READONLY);
    const bool structured = hasTable(db, "study_directions") &&
                            hasTable(db, "trial_intermediate_values") &&
                            hasColumn(db, "trial_values", "objective");
    if (!kReadable.count(revision) || !structured) {
        std::string known;
        for (const std::string& name : kReadable)
            known += (known.empty() ? "" : ", ") + name;
        fail(path + " uses Optuna schema revision " + revision +
             ", which this Bonsai cannot read (it reads " + known +
             "); open it with an Optuna 3.x or 4.x once (`optuna storage upgrade`) or export the "
             "study to another file.");
    }
    const bool valueTypes = hasColumn(db, "trial_values", "value_type");
    const bool intermediateTypes =
        hasColumn(db, "trial_intermediate_values", "intermediate_value_type");

    // One snapshot for all queries, in case an Optuna process is writing.
    db.exec("BEGIN", "read");
    std::vector<OptunaStudy> studies;
    {
        Query query(db, "SELECT study_id, study_name FROM studies ORDER BY study_id");
        while (query.step()) {
            OptunaStudy study;
            study.id = query.int64(0);
            study.name = query.text(1);
            if (!studyName || *studyName == study.name)
                studies.push_back(std::move(study));
        }
    }
    if (studyName && studies.empty()) {
        std::string names;
        Query query(db, "SELECT study_name FROM studies ORDER BY study_id");
        while (query.step())
            names += (names.empty() ? "" : ", ") + query.text(0);
        fail("No Optuna study named '" + *studyName + "' in " + path +
             (names.empty() ? std::string("; the file holds no studies.")
                            : "; its studies are: " + names + "."));
    }

    for (OptunaStudy& study : studies) {
        {
            Query query(db,
                        "SELECT direction FROM study_directions WHERE study_id = ? ORDER BY "
                        "objective");
            query.bind(1, study.id);
            while (query.step())
                study.directions.push_back(query.text(0) == "MAXIMIZE" ? Direction::Maximize
                                                                       : Direction::Minimize);
        }
        if (study.directions.empty())
            study.directions.push_back(Direction::Minimize);

        std::unordered_map<std::int64_t, std::size_t> index;
        std::unordered_map<std::string, std::time_t> hours;
        {
            Query query(db,
                        "SELECT trial_id, number, state, datetime_start, datetime_complete FROM "
                        "trials WHERE study_id = ? ORDER BY number, trial_id");
            query.bind(1, study.id);
            while (query.step()) {
                OptunaTrial trial;
                trial.id = query.int64(0);
                trial.number = static_cast<int>(query.int64(1));
                trial.state = query.text(2);
                if (!query.isNull(3))
                    trial.startedAt = parseDatetime(query.text(3), hours);
                if (!query.isNull(4))
                    trial.completedAt = parseDatetime(query.text(4), hours);
                trial.values.assign(study.directions.size(),
                                    std::numeric_limits<double>::quiet_NaN());
                index.emplace(trial.id, study.trials.size());
                study.trials.push_back(std::move(trial));
            }
        }
        auto trialOf = [&](std::int64_t id) -> OptunaTrial* {
            auto it = index.find(id);
            return it == index.end() ? nullptr : &study.trials[it->second];
        };
        {
            Query query(db,
                        "SELECT p.trial_id, p.param_name, p.param_value, p.distribution_json FROM "
                        "trial_params p JOIN trials t ON p.trial_id = t.trial_id WHERE "
                        "t.study_id = ? ORDER BY p.param_id");
            query.bind(1, study.id);
            std::unordered_map<std::string, Json> parsed;
            while (query.step()) {
                OptunaTrial* trial = trialOf(query.int64(0));
                if (!trial)
                    continue;
                OptunaParam param;
                param.name = query.text(1);
                param.internal =
                    query.isNull(2) ? std::numeric_limits<double>::quiet_NaN() : query.real(2);
                // Every trial repeats the same few distributions: parse each once.
                const std::string text = query.text(3);
                auto known = parsed.find(text);
                if (known == parsed.end()) {
                    known = parsed
                                .emplace(text, parseAttr(text, "Optuna study '" + study.name +
                                                                   "', trial " +
                                                                   std::to_string(trial->number) +
                                                                   ": the distribution of '" +
                                                                   param.name + "'"))
                                .first;
                }
                param.distribution = known->second;
                trial->params.push_back(std::move(param));
            }
        }
        {
            Query query(db, std::string("SELECT v.trial_id, v.objective, v.value, ") +
                                (valueTypes ? "v.value_type" : "NULL") +
                                " FROM trial_values v JOIN trials t ON v.trial_id = t.trial_id "
                                "WHERE t.study_id = ?");
            query.bind(1, study.id);
            while (query.step()) {
                OptunaTrial* trial = trialOf(query.int64(0));
                const std::int64_t objective = query.int64(1);
                if (trial && objective >= 0 &&
                    objective < static_cast<std::int64_t>(trial->values.size()))
                    trial->values[static_cast<std::size_t>(objective)] = storedValue(query, 2, 3);
            }
        }
        {
            Query query(db, std::string("SELECT i.trial_id, i.step, i.intermediate_value, ") +
                                (intermediateTypes ? "i.intermediate_value_type" : "NULL") +
                                " FROM trial_intermediate_values i JOIN trials t ON i.trial_id = "
                                "t.trial_id WHERE t.study_id = ? ORDER BY i.trial_id, i.step");
            query.bind(1, study.id);
            while (query.step()) {
                if (OptunaTrial* trial = trialOf(query.int64(0)))
                    trial->intermediate.emplace_back(query.int64(1), storedValue(query, 2, 3));
            }
        }
        readAttrs(db, "trial_user_attributes", "trial_id", study.id, study.name,
                  [&](std::int64_t id) { return trialOf(id) ? &trialOf(id)->userAttrs : nullptr; });
        readAttrs(
            db, "trial_system_attributes", "trial_id", study.id, study.name,
            [&](std::int64_t id) { return trialOf(id) ? &trialOf(id)->systemAttrs : nullptr; });
        readAttrs(db, "study_user_attributes", "study_id", study.id, study.name,
                  [&](std::int64_t) { return &study.userAttrs; });
        readAttrs(db, "study_system_attributes", "study_id", study.id, study.name,
                  [&](std::int64_t) { return &study.systemAttrs; });
    }
    db.exec("COMMIT", "read");
    return studies;
}

// --- Writing

namespace {

// The tables and indices Optuna 3.0/3.1 creates (SQLAlchemy's DDL for
// optuna/storages/_rdb/models.py at alembic head v3.0.0.d), so Optuna finds
// exactly the schema it expects and runs no migration.
constexpr const char* kOptunaSchema = R"sql(
CREATE TABLE studies (
    study_id INTEGER NOT NULL,
    study_name VARCHAR(512) NOT NULL,
    PRIMARY KEY (study_id)
);
CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name);
CREATE TABLE version_info (
    version_info_id INTEGER NOT NULL,
    schema_version INTEGER,
    library_version VARCHAR(256),
    PRIMARY KEY (version_info_id),
    CHECK (version_info_id=1)
);
CREATE TABLE study_directions (
    study_direction_id INTEGER NOT NULL,
    direction VARCHAR(8) NOT NULL,
    study_id INTEGER NOT NULL,
    objective INTEGER NOT NULL,
    PRIMARY KEY (study_direction_id),
    UNIQUE (study_id, objective),
    FOREIGN KEY(study_id) REFERENCES studies (study_id)
);
CREATE TABLE study_user_attributes (
    study_user_attribute_id INTEGER NOT NULL,
    study_id INTEGER,
    "key" VARCHAR(512),
    value_json TEXT,
    PRIMARY KEY (study_user_attribute_id),
    UNIQUE (study_id, "key"),
    FOREIGN KEY(study_id) REFERENCES studies (study_id)
);
CREATE TABLE study_system_attributes (
    study_system_attribute_id INTEGER NOT NULL,
    study_id INTEGER,
    "key" VARCHAR(512),
    value_json TEXT,
    PRIMARY KEY (study_system_attribute_id),
    UNIQUE (study_id, "key"),
    FOREIGN KEY(study_id) REFERENCES studies (study_id)
);
CREATE TABLE trials (
    trial_id INTEGER NOT NULL,
    number INTEGER,
    study_id INTEGER,
    state VARCHAR(8) NOT NULL,
    datetime_start DATETIME,
    datetime_complete DATETIME,
    PRIMARY KEY (trial_id),
    FOREIGN KEY(study_id) REFERENCES studies (study_id)
);
CREATE TABLE trial_user_attributes (
    trial_user_attribute_id INTEGER NOT NULL,
    trial_id INTEGER,
    "key" VARCHAR(512),
    value_json TEXT,
    PRIMARY KEY (trial_user_attribute_id),
    UNIQUE (trial_id, "key"),
    FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
);
CREATE TABLE trial_system_attributes (
    trial_system_attribute_id INTEGER NOT NULL,
    trial_id INTEGER,
    "key" VARCHAR(512),
    value_json TEXT,
    PRIMARY KEY (trial_system_attribute_id),
    UNIQUE (trial_id, "key"),
    FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
);
CREATE TABLE trial_params (
    param_id INTEGER NOT NULL,
    trial_id INTEGER,
    param_name VARCHAR(512),
    param_value FLOAT,
    distribution_json TEXT,
    PRIMARY KEY (param_id),
    UNIQUE (trial_id, param_name),
    FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
);
CREATE TABLE trial_values (
    trial_value_id INTEGER NOT NULL,
    trial_id INTEGER NOT NULL,
    objective INTEGER NOT NULL,
    value FLOAT,
    value_type VARCHAR(7) NOT NULL,
    PRIMARY KEY (trial_value_id),
    UNIQUE (trial_id, objective),
    FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
);
CREATE TABLE trial_intermediate_values (
    trial_intermediate_value_id INTEGER NOT NULL,
    trial_id INTEGER NOT NULL,
    step INTEGER NOT NULL,
    intermediate_value FLOAT,
    intermediate_value_type VARCHAR(7) NOT NULL,
    PRIMARY KEY (trial_intermediate_value_id),
    UNIQUE (trial_id, step),
    FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
);
CREATE TABLE trial_heartbeats (
    trial_heartbeat_id INTEGER NOT NULL,
    trial_id INTEGER NOT NULL,
    heartbeat DATETIME NOT NULL,
    PRIMARY KEY (trial_heartbeat_id),
    UNIQUE (trial_id),
    FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
);
CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
)sql";

// What v3.2.0.a adds: an index on trials.study_id.
constexpr const char* kOptuna32Index = "CREATE INDEX ix_trials_study_id ON trials (study_id);";

// Optuna's four attribute tables share one shape: (owner id, key, value_json).
Query attrInsert(Connection& db, const std::string& table, const std::string& owner) {
    return Query(db, "INSERT INTO " + table + " (" + owner + ", key, value_json) VALUES (?, ?, ?)");
}

void writeAttrs(Query& insert, std::int64_t owner, const Json& attrs) {
    for (const auto& [key, value] : attrs.items())
        insert.bind(1, owner).bind(2, key).bind(3, value.dump()).run();
}

}  // namespace

void writeOptunaFile(const std::string& path, const std::vector<OptunaStudy>& studies,
                     const std::string& revision) {
    const bool v32 = revision == "v3.2.0.a";
    if (!v32 && revision != "v3.0.0.d")
        fail("Cannot write Optuna schema revision '" + revision +
             "'; choose v3.0.0.d (Optuna 3.0 and 3.1) or v3.2.0.a (Optuna 3.2 to 4.x).");
    std::error_code ec;
    if (fs::exists(path, ec))
        fail(path +
             " already exists; choose a new file name for the Optuna database (Bonsai "
             "never overwrites a file with an export).");
    const std::string partial = path + ".partial";
    fs::remove(partial, ec);
    try {
        {
            Connection db(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
            db.exec("BEGIN", "write");
            db.exec(kOptunaSchema, "write");
            if (v32)
                db.exec(kOptuna32Index, "write");
            // models.SCHEMA_VERSION is 12 from Optuna 3.0 to 4.x; the library
            // version is the first whose head revision the tables match.
            Query version(db,
                          "INSERT INTO version_info (version_info_id, schema_version, "
                          "library_version) VALUES (1, 12, ?)");
            version.bind(1, std::string(v32 ? "3.2.0" : "3.1.0")).run();
            Query alembic(db, "INSERT INTO alembic_version (version_num) VALUES (?)");
            alembic.bind(1, revision).run();
            Query study(db, "INSERT INTO studies (study_id, study_name) VALUES (?, ?)");
            Query direction(db,
                            "INSERT INTO study_directions (direction, study_id, objective) VALUES "
                            "(?, ?, ?)");
            Query studyUser = attrInsert(db, "study_user_attributes", "study_id");
            Query studySystem = attrInsert(db, "study_system_attributes", "study_id");
            Query trial(db,
                        "INSERT INTO trials (trial_id, number, study_id, state, datetime_start, "
                        "datetime_complete) VALUES (?, ?, ?, ?, ?, ?)");
            Query param(db,
                        "INSERT INTO trial_params (trial_id, param_name, param_value, "
                        "distribution_json) VALUES (?, ?, ?, ?)");
            Query value(db,
                        "INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES "
                        "(?, ?, ?, ?)");
            Query intermediate(db,
                               "INSERT INTO trial_intermediate_values (trial_id, step, "
                               "intermediate_value, intermediate_value_type) VALUES (?, ?, ?, ?)");
            Query trialUser = attrInsert(db, "trial_user_attributes", "trial_id");
            Query trialSystem = attrInsert(db, "trial_system_attributes", "trial_id");
            std::int64_t studyId = 0, trialId = 0;
            for (const OptunaStudy& s : studies) {
                study.bind(1, ++studyId).bind(2, s.name).run();
                for (std::size_t k = 0; k < s.directions.size(); ++k)
                    direction
                        .bind(1, std::string(s.directions[k] == Direction::Maximize ? "MAXIMIZE"
                                                                                    : "MINIMIZE"))
                        .bind(2, studyId)
                        .bind(3, static_cast<std::int64_t>(k))
                        .run();
                writeAttrs(studyUser, studyId, s.userAttrs);
                writeAttrs(studySystem, studyId, s.systemAttrs);
                for (const OptunaTrial& t : s.trials) {
                    trial.bind(1, ++trialId)
                        .bind(2, std::int64_t{t.number})
                        .bind(3, studyId)
                        .bind(4, t.state)
                        .bindOptionalText(5, t.startedAt
                                                 ? std::optional(formatDatetime(*t.startedAt))
                                                 : std::nullopt)
                        .bindOptionalText(6, t.completedAt
                                                 ? std::optional(formatDatetime(*t.completedAt))
                                                 : std::nullopt)
                        .run();
                    for (const OptunaParam& p : t.params)
                        param.bind(1, trialId)
                            .bind(2, p.name)
                            .bindReal(3, p.internal)
                            .bind(4, p.distribution.dump())
                            .run();
                    for (std::size_t k = 0; k < t.values.size(); ++k)
                        value.bind(1, trialId)
                            .bind(2, static_cast<std::int64_t>(k))
                            .bindReal(3, t.values[k])
                            .bind(4, std::string(valueType(t.values[k], false)))
                            .run();
                    for (const auto& [step, v] : t.intermediate)
                        intermediate.bind(1, trialId)
                            .bind(2, step)
                            .bindReal(3, v)
                            .bind(4, std::string(valueType(v, true)))
                            .run();
                    writeAttrs(trialUser, trialId, t.userAttrs);
                    writeAttrs(trialSystem, trialId, t.systemAttrs);
                }
            }
            db.exec("COMMIT", "write");
        }
        fs::rename(partial, path, ec);
        if (ec)
            fail("Cannot move the finished export to " + path + " (" + ec.message() +
                 "); check that its folder is writable.");
    } catch (...) {
        fs::remove(partial, ec);
        throw;
    }
}

}  // namespace bonsai

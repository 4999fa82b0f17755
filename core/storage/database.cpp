#include "storage/database.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>

#include <thread>
#include <unordered_map>
#include "util/json_reader.h"
#include "util/safe_text.h"
#include "util/spec_error.h"

namespace bonsai {

namespace {

namespace fs = std::filesystem;

// One schema step per entry; step N takes a database from version N-1 to N.
// Never edit a released step: append a new one and bump kSchemaVersion.
struct Migration {
    int version;
    const char* sql;
};

constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE studies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reuse an id a GUI may still hold
    name TEXT NOT NULL UNIQUE,
    direction TEXT NOT NULL CHECK (direction IN ('minimize', 'maximize')),
    spec TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'created',
    created_at REAL NOT NULL
);
CREATE TABLE trials (
    id INTEGER PRIMARY KEY,
    study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('running', 'complete', 'pruned', 'failed')),
    value REAL,
    started_at REAL NOT NULL,
    completed_at REAL,
    error TEXT,
    UNIQUE (study_id, number)
);
-- Counts, best value and failRunningTrials filter by (study, state).
CREATE INDEX trials_study_state_value ON trials(study_id, state, value);
CREATE TABLE trial_params (
    trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    distribution TEXT,
    PRIMARY KEY (trial_id, name)
) WITHOUT ROWID;
CREATE TABLE trial_intermediate (
    trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    value REAL,
    PRIMARY KEY (trial_id, step)
) WITHOUT ROWID;
CREATE TABLE trial_attrs (
    trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (trial_id, key)
) WITHOUT ROWID;
)sql"},
    // Multi-objective studies: one value per objective, as a JSON array in the
    // spec's objective order (NULL in single-objective studies). A column,
    // not attrs, because it belongs to the trial's outcome like `value`.
    {2, R"sql(
ALTER TABLE trials ADD COLUMN values_json TEXT;
)sql"},
    // One live runner per study (StudyLease): who holds it and when it last
    // said so. A row outlives a killed runner; the next one judges it stale.
    {3, R"sql(
CREATE TABLE study_leases (
    study_id INTEGER PRIMARY KEY REFERENCES studies(id) ON DELETE CASCADE,
    token TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    boot_id TEXT NOT NULL,
    process_start INTEGER NOT NULL,
    program TEXT NOT NULL,
    heartbeat REAL NOT NULL
);
)sql"},
};

static_assert(std::size(kMigrations) == Database::kSchemaVersion,
              "every schema version needs exactly one migration step");

// How long a writer keeps retrying BEGIN IMMEDIATE after the busy timeout
// itself ran out; long enough to ride out another process's checkpoint.
constexpr auto kBusyRetryBudget = std::chrono::seconds(30);
constexpr int kBusyTimeoutMs = 5000;
// Less free space than this on a failed write: the disk is full (SQLite
// needs a few pages at a time).
constexpr std::uint64_t kDiskFullBytes = 1 << 20;

[[noreturn]] void fail(const std::string& message) {
    throw StorageError(message);
}

std::string parentDirectory(const std::string& path) {
    fs::path parent = fs::path(path).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
}

// An I/O error is no sign of damage: on a full disk SQLite cannot grow its
// -shm or -wal file and says "disk I/O error". Free space tells which.
bool diskIsFull(const std::string& path) {
    struct statvfs disk {};
    return ::statvfs(parentDirectory(path).c_str(), &disk) == 0 &&
           static_cast<std::uint64_t>(disk.f_bavail) * disk.f_frsize < kDiskFullBytes;
}

[[noreturn]] void failIo(const std::string& path, const std::string& detail,
                         const std::string& action) {
    if (diskIsFull(path))
        fail("Cannot " + action + " " + path + ": disk full; free some space and try again.");
    fail("Cannot " + action + " " + path + " (" + detail +
         "); the disk may be failing or full; check it and try again.");
}

// The sentence for an SQLite failure during normal work, with the fix where
// the error code tells us one.
[[noreturn]] void failSql(sqlite3* db, const std::string& path, int rc, const char* action) {
    const std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    // SQLite reports most full-disk writes as SQLITE_FULL, but some (the
    // shared-memory file of WAL mode) as I/O errors; errno tells them apart.
    if ((rc & 0xff) == SQLITE_FULL ||
        ((rc & 0xff) == SQLITE_IOERR && db && sqlite3_system_errno(db) == ENOSPC))
        fail("Cannot " + std::string(action) + " in " + path +
             ": disk full; free some space and try again.");
    switch (rc & 0xff) {
        case SQLITE_IOERR:
            failIo(path, detail, std::string(action) + " in");
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            fail(path + " is damaged (" + detail +
                 "); restore it from a backup or choose another file.");
        case SQLITE_READONLY:
            fail("Cannot " + std::string(action) + " in " + path + " (" + detail +
                 "); it is open read-only, so reopen it for writing.");
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            fail("Cannot " + std::string(action) + " in " + path +
                 " because another process keeps it locked; close the other Bonsai "
                 "instance or try again.");
        default:
            fail("Cannot " + std::string(action) + " in " + path + " (" + detail + ").");
    }
}

// A prepared statement with bound parameters; finalized on scope exit.
class Statement {
  public:
    Statement(sqlite3* db, const std::string& path, const char* sql) : m_db(db), m_path(path) {
        const int rc = sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr);
        if (rc != SQLITE_OK)
            failSql(db, path, rc, "prepare a query");
    }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::int64_t value) {
        check(sqlite3_bind_int64(m_stmt, index, value));
        return *this;
    }
    Statement& bind(int index, int value) { return bind(index, std::int64_t{value}); }
    // NaN is not a number to store: it becomes NULL (SQLite would do the same,
    // but silently).
    Statement& bind(int index, double value) {
        check(std::isnan(value) ? sqlite3_bind_null(m_stmt, index)
                                : sqlite3_bind_double(m_stmt, index, value));
        return *this;
    }
    Statement& bind(int index, const std::optional<double>& value) {
        if (!value)
            return bindNull(index);
        return bind(index, *value);
    }
    Statement& bind(int index, const std::string& value) {
        check(sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()),
                                SQLITE_TRANSIENT));
        return *this;
    }
    Statement& bind(int index, const char* value) { return bind(index, std::string(value)); }
    Statement& bindNull(int index) {
        check(sqlite3_bind_null(m_stmt, index));
        return *this;
    }
    // Empty text is stored as NULL (no error, no description).
    Statement& bindTextOrNull(int index, const std::string& value) {
        return value.empty() ? bindNull(index) : bind(index, value);
    }

    // True while a row is available.
    bool step() {
        const int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW)
            return true;
        if (rc == SQLITE_DONE)
            return false;
        failSql(m_db, m_path, rc, "run a query");
    }
    void run() {
        while (step()) {
        }
    }
    void reset() {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }

    bool isNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }
    std::int64_t int64(int column) const { return sqlite3_column_int64(m_stmt, column); }
    double real(int column) const { return sqlite3_column_double(m_stmt, column); }
    std::optional<double> optionalReal(int column) const {
        if (isNull(column))
            return std::nullopt;
        return real(column);
    }
    std::string text(int column) const {
        const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
        if (!data)
            return {};
        return std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)));
    }

  private:
    void check(int rc) {
        if (rc != SQLITE_OK)
            failSql(m_db, m_path, rc, "bind a query parameter");
    }

    sqlite3* m_db;
    const std::string& m_path;
    sqlite3_stmt* m_stmt = nullptr;
};

void execSql(sqlite3* db, const std::string& path, const char* sql, const char* action) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
    sqlite3_free(message);  // sqlite3_errmsg still holds the same text
    if (rc != SQLITE_OK)
        failSql(db, path, rc, action);
}

// One write transaction. BEGIN IMMEDIATE takes the write lock up front, so a
// writer never has to upgrade a read lock (the one case where SQLite reports
// SQLITE_BUSY without calling the busy handler). If the busy timeout expires
// anyway, we keep retrying with a short sleep rather than show "database is
// locked".
class WriteTransaction {
  public:
    WriteTransaction(sqlite3* db, const std::string& path) : m_db(db), m_path(path) {
        if (sqlite3_db_readonly(db, "main") == 1) {
            fail(path + " is open read-only; reopen it for writing to change it.");
        }
        const auto deadline = std::chrono::steady_clock::now() + kBusyRetryBudget;
        for (;;) {
            const int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
            if (rc == SQLITE_OK)
                break;
            const int primary = rc & 0xff;
            if ((primary == SQLITE_BUSY || primary == SQLITE_LOCKED) &&
                std::chrono::steady_clock::now() < deadline) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                continue;
            }
            failSql(db, path, rc, "start a write");
        }
    }
    ~WriteTransaction() {
        if (!m_done)
            sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    void commit() {
        // COMMIT in WAL mode can only be busy for a moment (it never waits for
        // readers); retry it the same way.
        const auto deadline = std::chrono::steady_clock::now() + kBusyRetryBudget;
        for (;;) {
            const int rc = sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr);
            if (rc == SQLITE_OK)
                break;
            if ((rc & 0xff) == SQLITE_BUSY && std::chrono::steady_clock::now() < deadline) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                continue;
            }
            failSql(m_db, m_path, rc, "commit a write");
        }
        m_done = true;
    }

  private:
    sqlite3* m_db;
    const std::string& m_path;
    bool m_done = false;
};

// A read snapshot, so the several bulk queries of loadTrials() see one
// consistent state while another process writes.
class ReadTransaction {
  public:
    ReadTransaction(sqlite3* db, const std::string& path) : m_db(db) {
        // Nested inside a write transaction (recursive calls) there is nothing to do.
        if (!sqlite3_get_autocommit(db))
            return;
        execSql(db, path, "BEGIN", "start a read");
        m_owned = true;
    }
    ~ReadTransaction() {
        if (m_owned)
            sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr);
    }

  private:
    sqlite3* m_db;
    bool m_owned = false;
};

// A stored parameter value; anything but a scalar means the file was damaged.
ParamValue paramFromJson(const Json& json, const std::string& path) {
    try {
        return paramValueFromJson(json, "value");
    } catch (const SpecError&) {
        fail(path + " is damaged (a stored parameter value is " + json.dump() +
             "); restore it from a backup.");
    }
}

// `where` names the row ("the spec of study 'x'"), so a hand-edited file can
// be repaired at that row.
Json parseStoredJson(const std::string& text, const std::string& path, const std::string& where) {
    // Deeper nesting parses, but printing or copying it would overflow the stack.
    if (jsonNestingBeyond(text))
        fail(path + " is damaged (" + where + " nests more than " +
             std::to_string(kMaxJsonNesting) + " levels deep); restore it from a backup.");
    Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) {
        fail(path + " is damaged (" + where +
             " is stored JSON that does not parse); restore it from a backup.");
    }
    return json;
}

// JSON text to store: bytes that are not UTF-8 (a command's output, say)
// become U+FFFD instead of failing the write and losing the trial.
std::string storedText(const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Direction directionFromName(const std::string& name) {
    return name == "maximize" ? Direction::Maximize : Direction::Minimize;
}

TrialState stateFromStored(const std::string& name, const std::string& path) {
    auto state = trialStateFromName(name);
    if (!state)
        fail(path + " is damaged (unknown trial state '" + name + "'); restore it from a backup.");
    return *state;
}

// --- Opening

// What we learnt about an existing file by looking at it without writing.
struct Inspection {
    int version = 0;  // 0: no Bonsai schema yet (a new, empty database)
};

const char* fileKind(mode_t mode) {
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    return "not a plain file";
}

bool isSqliteHeader(const std::string& path) {
    static constexpr char kMagic[16] = "SQLite format 3";  // includes the trailing NUL
    std::ifstream in(path, std::ios::binary);
    char header[16] = {};
    if (!in.read(header, sizeof header))
        return false;
    return std::equal(std::begin(header), std::end(header), std::begin(kMagic));
}

// quick_check reports like "*** in database main ***\nPage 35: ..."; the
// user gets one sentence.
std::string oneLine(std::string text) {
    const std::string banner = "*** in database main ***";
    if (auto at = text.find(banner); at != std::string::npos)
        text.erase(at, banner.size());
    for (char& c : text) {
        if (c == '\n' || c == '\r')
            c = ' ';
    }
    const auto first = text.find_first_not_of(' ');
    const auto last = text.find_last_not_of(' ');
    return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
}

// An SQLite URI that opens `path` read-only. A reader needs no write access:
// in a folder it cannot write (read-only media, another user's folder) and
// with no -wal file, where SQLite could not create the -shm it needs, the
// file is opened immutable (nobody can be writing it through this folder
// without a -wal).
std::string readOnlyUri(const std::string& path) {
    std::string uri = path.rfind('/', 0) == 0 ? "file://" : "file:";
    for (char c : path) {
        if (c == '?' || c == '#' || c == '%') {
            char escaped[4];
            std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(c));
            uri += escaped;
        } else {
            uri += c;
        }
    }
    uri += "?mode=ro";
    std::error_code ec;
    if (::access(parentDirectory(path).c_str(), W_OK) != 0 && !fs::exists(path + "-wal", ec))
        uri += "&immutable=1";
    return uri;
}

constexpr int kReadOnlyFlags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;

// Only these codes mean the file itself is bad; anything else (cannot open,
// no permission, I/O) is about access, and an intact file is never called
// damaged.
bool isDamageCode(int rc) {
    return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;
}

// Looks at an existing, non-empty file through a read-only connection and
// rejects it before anything could write to it.
Inspection inspect(const std::string& path) {
    if (!isSqliteHeader(path)) {
        fail(path + " is not a Bonsai database (it is not an SQLite file); choose another file.");
    }
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(readOnlyUri(path).c_str(), &db, kReadOnlyFlags, nullptr);
    struct Closer {
        sqlite3* db;
        ~Closer() { sqlite3_close_v2(db); }
    } closer{db};
    if (rc != SQLITE_OK) {
        fail("Cannot open " + path + " (" +
             std::string(db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)) +
             "); check that the file is readable.");
    }
    sqlite3_busy_timeout(db, kBusyTimeoutMs);

    auto damaged = [&](const std::string& detail) -> void {
        const int code = sqlite3_errcode(db) & 0xff;
        if (code == SQLITE_IOERR || code == SQLITE_FULL)
            failIo(path, detail, "open");
        fail(path + " is damaged (" + detail +
             "); restore it from a backup or choose another file.");
    };
    auto unreadable = [&](const std::string& detail) -> void {
        // On a full disk SQLite cannot make the -shm a reader needs either.
        const int code = sqlite3_errcode(db) & 0xff;
        if ((code == SQLITE_IOERR || code == SQLITE_FULL) && diskIsFull(path))
            failIo(path, detail, "open");
        fail("Cannot read " + path + " (" + detail +
             "); check the permissions of the file, its folder and any -wal/-shm files "
             "next to it.");
    };
    // quick_check reads every page: catches a truncated or overwritten file
    // (O(size), a few ms for a typical studies file).
    {
        sqlite3_stmt* stmt = nullptr;
        rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &stmt, nullptr);
        if (rc != SQLITE_OK) {
            const std::string detail = sqlite3_errmsg(db);
            if ((rc & 0xff) == SQLITE_NOTADB) {
                fail(path + " is not a Bonsai database (" + detail + "); choose another file.");
            }
            if (!isDamageCode(rc))
                unreadable(detail);
            damaged(detail);
        }
        rc = sqlite3_step(stmt);
        std::string result;
        if (rc == SQLITE_ROW) {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
            result = text ? text : "";
        } else {
            result = sqlite3_errmsg(db);
        }
        const int primary = rc & 0xff;
        sqlite3_finalize(stmt);
        if (primary == SQLITE_IOERR || primary == SQLITE_FULL)
            failIo(path, result, "open");
        if (primary == SQLITE_BUSY) {
            fail("Cannot open " + path +
                 " because another process keeps it locked; close the other program and try "
                 "again.");
        }
        if (rc != SQLITE_ROW && !isDamageCode(rc))
            unreadable(result);
        if (result != "ok")
            damaged(oneLine(result));
    }

    Inspection inspection;
    bool hasVersionTable = false;
    int tableCount = 0;
    {
        sqlite3_stmt* stmt = nullptr;
        sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema WHERE type = 'table'", -1, &stmt,
                           nullptr);
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            const auto* name = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
            ++tableCount;
            if (name && std::string(name) == "schema_version")
                hasVersionTable = true;
        }
        sqlite3_finalize(stmt);
        if (rc != SQLITE_DONE)
            damaged(sqlite3_errmsg(db));
    }
    if (!hasVersionTable) {
        // An SQLite file of some other program: adding our tables to it would
        // modify a file the user did not mean to give us.
        if (tableCount > 0) {
            fail(path +
                 " is an SQLite database of another program, not a Bonsai database; choose "
                 "another file.");
        }
        return inspection;
    }
    {
        sqlite3_stmt* stmt = nullptr;
        sqlite3_prepare_v2(db, "SELECT MAX(version) FROM schema_version", -1, &stmt, nullptr);
        rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW)
            inspection.version = sqlite3_column_int(stmt, 0);
        sqlite3_finalize(stmt);
        if (rc != SQLITE_ROW)
            damaged(sqlite3_errmsg(db));
    }
    if (inspection.version > Database::kSchemaVersion) {
        fail(path + " was written by a newer Bonsai (schema version " +
             std::to_string(inspection.version) + ", this build knows up to " +
             std::to_string(Database::kSchemaVersion) + "); open it with that newer version.");
    }
    return inspection;
}

int readVersion(sqlite3* db, const std::string& path) {
    Statement hasTable(db, path,
                       "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = "
                       "'schema_version'");
    if (!hasTable.step())
        return 0;
    Statement version(db, path, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
    version.step();
    return static_cast<int>(version.int64(0));
}

}  // namespace

Database::Database(const std::string& path, Mode mode) : m_path(path) {
    const bool inMemory = path == ":memory:";
    if (path.empty())
        fail("No database file given (an empty path); name a file, e.g. studies.db.");
    // A FIFO would block the header check forever, a device is no database.
    struct stat info {};
    if (!inMemory && ::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode) &&
        !S_ISDIR(info.st_mode))
        fail(path + " is not a regular file (" + fileKind(info.st_mode) +
             "); choose a database file.");
    std::error_code ec;
    const bool exists = !inMemory && fs::exists(path, ec);
    if (!inMemory && fs::is_directory(path, ec)) {
        fail(path + " is a folder, not a database file; choose a file inside it.");
    }
    const bool empty = !exists || fs::file_size(path, ec) == 0;

    if (mode == Mode::ReadOnly) {
        if (!exists)
            fail(path + " does not exist; choose an existing Bonsai database.");
        if (::access(path.c_str(), R_OK) != 0) {
            fail(path + " is not readable; fix its permissions or choose another file.");
        }
    } else if (!inMemory) {
        if (!exists) {
            const std::string parent = parentDirectory(path);
            fs::create_directories(parent, ec);
            if (ec) {
                fail("Cannot create the folder " + parent + " for " + path + " (" + ec.message() +
                     "); choose another location.");
            }
        } else if (::access(path.c_str(), W_OK) != 0) {
            fail(path + " is read-only; open it read-only or make it writable.");
        }
        // WAL needs its -wal and -shm files next to the database.
        if (::access(parentDirectory(path).c_str(), W_OK) != 0) {
            fail("The folder of " + path +
                 " is not writable, which a database open for writing needs; open it "
                 "read-only or choose another location.");
        }
    }

    Inspection inspection;
    if (exists && !empty)
        inspection = inspect(path);

    if (mode == Mode::ReadOnly) {
        if (inspection.version == 0) {
            fail(path + " holds no Bonsai studies yet; open it for writing to start one.");
        }
        if (inspection.version < kReadableSchemaVersion) {
            fail(path + " uses an older schema (version " + std::to_string(inspection.version) +
                 "); open it once for writing so Bonsai can upgrade it.");
        }
    }

    // A new file is the owner's alone: specs hold "env" values (API tokens,
    // say). SQLite gives the -wal and -shm files the same permissions.
    if (mode == Mode::ReadWrite && !inMemory && !exists) {
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0)
            ::close(fd);
    }
    // NOMUTEX: we serialize with m_mutex.
    const int rc =
        mode == Mode::ReadOnly
            ? sqlite3_open_v2(readOnlyUri(path).c_str(), &m_db, kReadOnlyFlags, nullptr)
            : sqlite3_open_v2(path.c_str(), &m_db,
                              SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                              nullptr);
    if (rc != SQLITE_OK) {
        const std::string detail = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        fail("Cannot open " + path + " (" + detail + "); check the path and its permissions.");
    }
    try {
        // SQLite silently falls back to read-only when it cannot write; we
        // would only find out at the first write.
        if (mode == Mode::ReadWrite && sqlite3_db_readonly(m_db, "main") == 1) {
            fail(path + " is read-only; open it read-only or make it writable.");
        }
        sqlite3_busy_timeout(m_db, kBusyTimeoutMs);
        sqlite3_extended_result_codes(m_db, 1);
        exec("PRAGMA foreign_keys = ON");
        if (mode == Mode::ReadWrite) {
            // WAL: readers never block the writer. With synchronous=NORMAL a
            // commit is durable against a killed or crashed process (it is in
            // the WAL, replayed on next open); only a power cut can lose the
            // last commits before a checkpoint, never corrupt the file.
            // FULL (one fsync per commit) measured 30.6 s against 0.76 s
            // here for 1,000 trials x 10 intermediate values (12,000 commits),
            // far over our 2 s budget, so NORMAL it is.
            exec("PRAGMA journal_mode = WAL");
            exec("PRAGMA synchronous = NORMAL");
            migrate();
        }
    } catch (...) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw;
    }
}

Database::~Database() {
    if (m_flusher.joinable()) {
        {
            std::lock_guard lock(m_flushMutex);
            m_flushStop = true;
        }
        m_flushWake.notify_all();
        m_flusher.join();
    }
    try {
        flushReports();
    } catch (const StorageError&) {
        // Nothing to tell anyone any more; the trial's last reports are lost,
        // as they would be in a kill.
    }
    sqlite3_close_v2(m_db);
}

void Database::flushReports() {
    std::lock_guard lock(m_mutex);
    if (m_reports.empty())
        return;
    WriteTransaction txn(m_db, m_path);
    // Re-reporting a step replaces it (a resumed trial repeats its last step).
    Statement upsert(m_db, m_path,
                     "INSERT INTO trial_intermediate (trial_id, step, value) VALUES (?, ?, ?)"
                     " ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value");
    for (const QueuedReport& report : m_reports) {
        upsert.bind(1, report.trialId).bind(2, report.step).bind(3, report.value).run();
        upsert.reset();
    }
    txn.commit();
    m_reports.clear();
}

void Database::flushQueuedReportsForReading() {
    // A reader shows what is stored: a queued report that cannot be written
    // now stays queued, and the next write reports the error where the
    // engine can handle it (a read never fails for a write's sake).
    try {
        flushReports();
    } catch (const StorageError&) {
    }
}

void Database::flushLoop() {
    std::unique_lock wake(m_flushMutex);
    while (true) {
        m_flushWake.wait(wake, [this] { return m_flushQueued || m_flushStop; });
        if (m_flushStop)
            return;
        m_flushQueued = false;
        // Sleeping here lets the reports of the next kReportBatch join.
        m_flushWake.wait_for(wake, kReportBatch, [this] { return m_flushStop; });
        wake.unlock();
        try {
            flushReports();
        } catch (const StorageError&) {
            // The reports stay queued; the engine's next call flushes them
            // again and reports the error where it can be handled.
        }
        wake.lock();
    }
}

std::string Database::defaultPath() {
    const char* xdg = std::getenv("XDG_DATA_HOME");
    fs::path base;
    // The XDG spec says relative values are invalid and must be ignored.
    if (xdg && *xdg && fs::path(xdg).is_absolute()) {
        base = xdg;
    } else {
        const char* home = std::getenv("HOME");
        base = fs::path(home && *home ? home : ".") / ".local" / "share";
    }
    return (base / "bonsai" / "studies.db").string();
}

void Database::exec(const char* sql) {
    execSql(m_db, m_path, sql, "prepare the database");
}

void Database::migrate() {
    std::lock_guard lock(m_mutex);
    if (readVersion(m_db, m_path) >= kSchemaVersion)
        return;  // no write when up to date
    for (const Migration& migration : kMigrations) {
        WriteTransaction txn(m_db, m_path);
        // Re-read inside the write lock: another process may have migrated
        // the same file since we looked.
        const int current = readVersion(m_db, m_path);
        if (current > kSchemaVersion) {
            fail(m_path + " was written by a newer Bonsai (schema version " +
                 std::to_string(current) + "); open it with that newer version.");
        }
        if (current >= migration.version)
            continue;
        if (migration.version == 1) {
            exec(
                "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at REAL NOT "
                "NULL)");
        }
        execSql(m_db, m_path, migration.sql, "upgrade the database schema");
        Statement insert(m_db, m_path,
                         "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)");
        insert.bind(1, migration.version).bind(2, nowSeconds()).run();
        txn.commit();
    }
}

// --- Studies

std::int64_t Database::createStudy(const std::string& name, Direction direction, const Json& spec) {
    std::lock_guard lock(m_mutex);
    WriteTransaction txn(m_db, m_path);
    {
        Statement exists(m_db, m_path, "SELECT 1 FROM studies WHERE name = ?");
        exists.bind(1, name);
        if (exists.step()) {
            fail("A study named '" + name + "' already exists in " + m_path +
                 "; choose another name or delete the old study.");
        }
    }
    Statement insert(m_db, m_path,
                     "INSERT INTO studies (name, direction, spec, state, created_at) "
                     "VALUES (?, ?, ?, 'created', ?)");
    insert.bind(1, name)
        .bind(2, directionName(direction))
        .bind(3, storedText(spec))
        .bind(4, nowSeconds());
    insert.run();
    const std::int64_t id = sqlite3_last_insert_rowid(m_db);
    txn.commit();
    return id;
}

namespace {

constexpr const char* kStudyColumns = "id, name, direction, spec, state, created_at";

StudyRecord readStudy(const Statement& row, const std::string& path) {
    StudyRecord study;
    study.id = row.int64(0);
    study.name = row.text(1);
    study.direction = directionFromName(row.text(2));
    const std::string where = "the spec of study '" + abbreviate(study.name) + "'";
    study.spec = parseStoredJson(row.text(3), path, where);
    if (!study.spec.is_object())
        fail(path + " is damaged (" + where + " is " + abbreviate(study.spec.dump()) +
             ", not a JSON object); restore it from a backup.");
    study.state = row.text(4);
    study.createdAt = row.real(5);
    return study;
}

}  // namespace

std::optional<StudyRecord> Database::findStudy(const std::string& name) {
    std::lock_guard lock(m_mutex);
    Statement query(
        m_db, m_path,
        (std::string("SELECT ") + kStudyColumns + " FROM studies WHERE name = ?").c_str());
    query.bind(1, name);
    if (!query.step())
        return std::nullopt;
    return readStudy(query, m_path);
}

std::optional<StudyRecord> Database::findStudy(std::int64_t id) {
    std::lock_guard lock(m_mutex);
    Statement query(
        m_db, m_path,
        (std::string("SELECT ") + kStudyColumns + " FROM studies WHERE id = ?").c_str());
    query.bind(1, id);
    if (!query.step())
        return std::nullopt;
    return readStudy(query, m_path);
}

StudyRecord Database::requireStudy(const std::string& name) {
    if (auto record = findStudy(name))
        return *record;
    throw StorageError("no study named '" + name + "' in " + m_path +
                       "; `bonsai-cli list` shows the studies there");
}

namespace {
std::vector<Trial> loadTrialsWhere(sqlite3* db, const std::string& path, std::int64_t studyId,
                                   std::optional<int> number);
}  // namespace

std::vector<StudySummary> Database::listStudies() {
    std::lock_guard lock(m_mutex);
    flushQueuedReportsForReading();
    std::vector<StudySummary> summaries;
    std::vector<std::size_t> pending;  // constrained studies, indices into summaries
    {
        // 9e999 is +infinity in SQLite: the best value ignores infinities as well
        // as NULL (NaN) values.
        Statement query(m_db, m_path,
                        "SELECT s.id, s.name, s.direction, s.spec, s.state, s.created_at,"
                        " (SELECT COUNT(*) FROM trials t WHERE t.study_id = s.id),"
                        " (SELECT COUNT(*) FROM trials t WHERE t.study_id = s.id"
                        "   AND t.state = 'complete'),"
                        " CASE s.direction WHEN 'maximize' THEN"
                        "  (SELECT MAX(value) FROM trials t WHERE t.study_id = s.id"
                        "    AND t.state = 'complete' AND value > -9e999 AND value < 9e999)"
                        " ELSE"
                        "  (SELECT MIN(value) FROM trials t WHERE t.study_id = s.id"
                        "    AND t.state = 'complete' AND value > -9e999 AND value < 9e999)"
                        " END"
                        " FROM studies s ORDER BY s.id");
        while (query.step()) {
            StudySummary summary;
            summary.study = readStudy(query, m_path);
            summary.trialCount = static_cast<int>(query.int64(6));
            summary.completeCount = static_cast<int>(query.int64(7));
            summary.bestValue = query.optionalReal(8);
            const Json& spec = summary.study.spec;
            if (spec.is_object() && spec.contains("objectives"))
                summary.bestValue.reset();  // several objectives: a Pareto set, no best value
            else if (spec.is_object() && spec.contains("constraints"))
                pending.emplace_back(summaries.size());  // best among feasible trials, below
            if (spec.is_object() && spec.contains("strategy") && spec["strategy"].is_object()) {
                const Json& kind = spec["strategy"].value("kind", Json());
                if (kind.is_string())
                    summary.strategy = kind.get<std::string>();
            }
            summaries.push_back(std::move(summary));
        }
    }  // the listing statement is finished before trials are read
    // Constrained studies: infeasible trials are never best, which SQL alone
    // cannot tell.
    for (std::size_t index : pending) {
        StudySummary& summary = summaries[index];
        std::vector<ConstraintSpec> constraints;
        for (const Json& entry : summary.study.spec["constraints"]) {
            if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string())
                continue;
            ConstraintSpec constraint{entry["name"].get<std::string>(), std::nullopt, std::nullopt};
            if (entry.contains("min") && entry["min"].is_number())
                constraint.min = entry["min"].get<double>();
            if (entry.contains("max") && entry["max"].is_number())
                constraint.max = entry["max"].get<double>();
            constraints.push_back(std::move(constraint));
        }
        summary.bestValue.reset();
        for (const Trial& trial : loadTrialsWhere(m_db, m_path, summary.study.id, std::nullopt)) {
            if (trial.state != TrialState::Complete || !trial.value ||
                !std::isfinite(*trial.value) || !isFeasible(trial, {}, constraints))
                continue;
            if (!summary.bestValue ||
                isBetter(*trial.value, *summary.bestValue, summary.study.direction))
                summary.bestValue = trial.value;
        }
    }
    return summaries;
}

void Database::setStudyState(std::int64_t studyId, const std::string& state) {
    std::lock_guard lock(m_mutex);
    flushReports();  // reports first: they came before this call
    WriteTransaction txn(m_db, m_path);
    Statement update(m_db, m_path, "UPDATE studies SET state = ? WHERE id = ?");
    update.bind(1, state).bind(2, studyId).run();
    if (sqlite3_changes(m_db) == 0) {
        fail("Study " + std::to_string(studyId) + " does not exist in " + m_path +
             "; it may have been deleted by another window.");
    }
    txn.commit();
}

void Database::deleteStudy(std::int64_t studyId) {
    std::lock_guard lock(m_mutex);
    flushReports();  // reports first: they came before this call
    std::erase_if(m_reportTrialIds,
                  [&](const auto& entry) { return entry.first.first == studyId; });
    WriteTransaction txn(m_db, m_path);
    Statement remove(m_db, m_path, "DELETE FROM studies WHERE id = ?");
    remove.bind(1, studyId).run();  // trials and their rows go by ON DELETE CASCADE
    txn.commit();
}

void Database::renameStudy(std::int64_t studyId, const std::string& newName) {
    std::lock_guard lock(m_mutex);
    flushReports();  // reports first: they came before this call
    WriteTransaction txn(m_db, m_path);
    {
        Statement exists(m_db, m_path, "SELECT 1 FROM studies WHERE name = ? AND id <> ?");
        exists.bind(1, newName).bind(2, studyId);
        if (exists.step())
            fail("A study named '" + newName + "' already exists in " + m_path +
                 "; choose another name.");
    }
    Json spec;
    {
        Statement query(m_db, m_path, "SELECT spec FROM studies WHERE id = ?");
        query.bind(1, studyId);
        if (!query.step())
            fail("There is no study with id " + std::to_string(studyId) + " in " + m_path + ".");
        spec =
            parseStoredJson(query.text(0), m_path, "the spec of study " + std::to_string(studyId));
    }
    if (spec.is_object())
        spec["name"] = newName;  // the spec a duplicate or export starts from
    Statement update(m_db, m_path, "UPDATE studies SET name = ?, spec = ? WHERE id = ?");
    update.bind(1, newName).bind(2, storedText(spec)).bind(3, studyId).run();
    txn.commit();
}

// --- Trials

namespace {

// Objective values as stored: a JSON array of numbers (null for a NaN, which
// JSON cannot hold), or NULL when there are none.
std::optional<std::string> valuesToStored(const std::vector<double>& values) {
    if (values.empty())
        return std::nullopt;
    Json array = Json::array();
    for (double value : values)
        array.push_back(std::isfinite(value) ? Json(value) : Json());
    return array.dump();
}

std::vector<double> valuesFromStored(const std::string& text, const std::string& path, int number) {
    const Json array =
        parseStoredJson(text, path, "the objective values of trial " + std::to_string(number));
    if (!array.is_array())
        fail(path + " is damaged (stored objective values are " + array.dump() +
             ", not a list); restore it from a backup.");
    std::vector<double> values;
    for (const Json& value : array) {
        if (value.is_number())
            values.push_back(value.get<double>());
        else if (value.is_null())
            values.push_back(std::numeric_limits<double>::quiet_NaN());
        else
            fail(path + " is damaged (a stored objective value is " + value.dump() +
                 "); restore it from a backup.");
    }
    return values;
}

// Loads the trials selected by `where` (a condition on trials `t` binding the
// study id as ?1 and optionally the number as ?2) in four bulk queries keyed by
// trial id, never one query per trial.
std::vector<Trial> loadTrialsWhere(sqlite3* db, const std::string& path, std::int64_t studyId,
                                   std::optional<int> number) {
    ReadTransaction snapshot(db, path);
    const std::string where =
        number ? " WHERE t.study_id = ?1 AND t.number = ?2" : " WHERE t.study_id = ?1";
    auto bindKeys = [&](Statement& statement) {
        statement.bind(1, studyId);
        if (number)
            statement.bind(2, *number);
    };

    std::vector<Trial> trials;
    std::unordered_map<std::int64_t, std::size_t> indexOfId;
    {
        Statement query(db, path,
                        ("SELECT t.id, t.number, t.state, t.value, t.started_at, t.completed_at,"
                         " t.error, t.values_json FROM trials t" +
                         where + " ORDER BY t.number")
                            .c_str());
        bindKeys(query);
        while (query.step()) {
            Trial trial;
            // The next trial takes number + 1, so the largest int is no number.
            const std::int64_t storedNumber = query.int64(1);
            if (storedNumber < 0 || storedNumber >= std::numeric_limits<int>::max())
                fail(path + " is damaged (trial number " + std::to_string(storedNumber) +
                     " is out of range); restore it from a backup.");
            trial.number = static_cast<int>(storedNumber);
            trial.state = stateFromStored(query.text(2), path);
            trial.value = query.optionalReal(3);
            trial.startedAt = query.real(4);
            trial.completedAt = query.optionalReal(5);
            trial.error = query.text(6);
            if (!query.isNull(7))
                trial.values = valuesFromStored(query.text(7), path, trial.number);
            indexOfId.emplace(query.int64(0), trials.size());
            trials.push_back(std::move(trial));
        }
    }
    if (trials.empty())
        return trials;
    {
        Statement query(db, path,
                        ("SELECT p.trial_id, p.name, p.value FROM trials t"
                         " JOIN trial_params p ON p.trial_id = t.id" +
                         where)
                            .c_str());
        bindKeys(query);
        while (query.step()) {
            Trial& trial = trials[indexOfId.at(query.int64(0))];
            const std::string name = query.text(1);
            trial.params.emplace(
                name,
                paramFromJson(parseStoredJson(query.text(2), path,
                                              "parameter '" + abbreviate(name) + "' of trial " +
                                                  std::to_string(trial.number)),
                              path));
        }
    }
    {
        Statement query(db, path,
                        ("SELECT i.trial_id, i.step, i.value FROM trials t"
                         " JOIN trial_intermediate i ON i.trial_id = t.id" +
                         where + " ORDER BY i.trial_id, i.step")
                            .c_str());
        bindKeys(query);
        while (query.step()) {
            Trial& trial = trials[indexOfId.at(query.int64(0))];
            // A NULL value was a NaN report; keep the step so the curve shows the gap.
            trial.intermediate.emplace_back(
                query.int64(1),
                query.isNull(2) ? std::numeric_limits<double>::quiet_NaN() : query.real(2));
        }
    }
    {
        Statement query(db, path,
                        ("SELECT a.trial_id, a.key, a.value FROM trials t"
                         " JOIN trial_attrs a ON a.trial_id = t.id" +
                         where)
                            .c_str());
        bindKeys(query);
        while (query.step()) {
            Trial& trial = trials[indexOfId.at(query.int64(0))];
            const std::string key = query.text(1);
            trial.attrs[key] = parseStoredJson(
                query.text(2), path,
                "attribute '" + abbreviate(key) + "' of trial " + std::to_string(trial.number));
        }
    }
    return trials;
}

std::int64_t trialId(sqlite3* db, const std::string& path, std::int64_t studyId, int number) {
    Statement query(db, path, "SELECT id FROM trials WHERE study_id = ? AND number = ?");
    query.bind(1, studyId).bind(2, number);
    if (!query.step()) {
        fail("Trial " + std::to_string(number) + " of study " + std::to_string(studyId) +
             " does not exist in " + path + "; it may have been deleted by another window.");
    }
    return query.int64(0);
}

void upsertAttrs(sqlite3* db, const std::string& path, std::int64_t id, const Json& attrs) {
    if (!attrs.is_object() || attrs.empty())
        return;
    Statement upsert(db, path,
                     "INSERT INTO trial_attrs (trial_id, key, value) VALUES (?, ?, ?)"
                     " ON CONFLICT (trial_id, key) DO UPDATE SET value = excluded.value");
    for (const auto& [key, value] : attrs.items()) {
        upsert.bind(1, id).bind(2, key).bind(3, storedText(value));
        upsert.run();
        upsert.reset();
    }
}

}  // namespace

std::vector<Trial> Database::loadTrials(std::int64_t studyId) {
    std::lock_guard lock(m_mutex);
    flushQueuedReportsForReading();
    return loadTrialsWhere(m_db, m_path, studyId, std::nullopt);
}

std::optional<Trial> Database::loadTrial(std::int64_t studyId, int number) {
    std::lock_guard lock(m_mutex);
    flushQueuedReportsForReading();
    std::vector<Trial> trials = loadTrialsWhere(m_db, m_path, studyId, number);
    if (trials.empty())
        return std::nullopt;
    return std::move(trials.front());
}

namespace {

// Each parameter row keeps its own spec entry, so a trial stays readable even
// if the study's space were ever edited: name -> the entry's JSON text.
std::unordered_map<std::string, std::string> distributionsOf(const Json& spec) {
    std::unordered_map<std::string, std::string> distributions;
    if (spec.is_object() && spec.contains("space") && spec["space"].is_array()) {
        for (const Json& entry : spec["space"]) {
            if (entry.is_object() && entry.contains("name") && entry["name"].is_string()) {
                distributions.emplace(entry["name"].get<std::string>(), entry.dump());
            }
        }
    }
    return distributions;
}

// Writes the rows of trials inside the caller's write transaction, with its
// statements prepared once (an import stores thousands of trials).
class TrialRowWriter {
  public:
    TrialRowWriter(sqlite3* db, const std::string& path)
        : m_db(db),
          m_path(path),
          m_insert(db, path,
                   "INSERT INTO trials (study_id, number, state, value, started_at,"
                   " completed_at, error, values_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
          m_param(db, path,
                  "INSERT INTO trial_params (trial_id, name, value, distribution)"
                  " VALUES (?, ?, ?, ?)"),
          m_point(db, path,
                  "INSERT INTO trial_intermediate (trial_id, step, value) VALUES (?, ?, ?)"
                  " ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value"),
          m_attr(db, path,
                 "INSERT INTO trial_attrs (trial_id, key, value) VALUES (?, ?, ?)"
                 " ON CONFLICT (trial_id, key) DO UPDATE SET value = excluded.value") {}

    void write(std::int64_t studyId, const Trial& trial,
               const std::unordered_map<std::string, std::string>& distributions) {
        m_insert.bind(1, studyId)
            .bind(2, trial.number)
            .bind(3, trialStateName(trial.state))
            .bind(4, trial.value)
            .bind(5, trial.startedAt)
            .bind(6, trial.completedAt)
            .bindTextOrNull(7, trial.error)
            .bindTextOrNull(8, valuesToStored(trial.values).value_or(""));
        try {
            m_insert.run();
        } catch (const StorageError&) {
            if ((sqlite3_extended_errcode(m_db)) == SQLITE_CONSTRAINT_UNIQUE) {
                fail("Trial " + std::to_string(trial.number) + " of study " +
                     std::to_string(studyId) + " already exists in " + m_path +
                     "; another process may be running the same study.");
            }
            throw;
        }
        m_insert.reset();
        const std::int64_t id = sqlite3_last_insert_rowid(m_db);
        for (const auto& [name, value] : trial.params) {
            m_param.bind(1, id).bind(2, name).bind(3, toJson(value).dump());
            if (auto it = distributions.find(name); it != distributions.end()) {
                m_param.bind(4, it->second);
            }
            m_param.run();
            m_param.reset();
        }
        // Also written so a whole trial can be stored at once (imports, benchmarks).
        for (const auto& [step, value] : trial.intermediate) {
            m_point.bind(1, id).bind(2, step).bind(3, value);
            m_point.run();
            m_point.reset();
        }
        if (trial.attrs.is_object()) {
            for (const auto& [key, value] : trial.attrs.items()) {
                m_attr.bind(1, id).bind(2, key).bind(3, storedText(value));
                m_attr.run();
                m_attr.reset();
            }
        }
    }

  private:
    sqlite3* m_db;
    const std::string& m_path;
    Statement m_insert, m_param, m_point, m_attr;
};

}  // namespace

void Database::insertTrial(std::int64_t studyId, const Trial& trial) {
    std::lock_guard lock(m_mutex);
    flushReports();  // reports first: they came before this call
    WriteTransaction txn(m_db, m_path);
    std::unordered_map<std::string, std::string> distributions;
    {
        Statement query(m_db, m_path, "SELECT spec FROM studies WHERE id = ?");
        query.bind(1, studyId);
        if (!query.step()) {
            fail("Study " + std::to_string(studyId) + " does not exist in " + m_path +
                 "; it may have been deleted by another window.");
        }
        distributions = distributionsOf(
            parseStoredJson(query.text(0), m_path, "the spec of study " + std::to_string(studyId)));
    }
    TrialRowWriter(m_db, m_path).write(studyId, trial, distributions);
    txn.commit();
}

void Database::importStudies(const std::vector<StudyImport>& studies) {
    std::lock_guard lock(m_mutex);
    WriteTransaction txn(m_db, m_path);
    for (const StudyImport& study : studies) {
        {
            Statement exists(m_db, m_path, "SELECT 1 FROM studies WHERE name = ?");
            exists.bind(1, study.name);
            if (exists.step()) {
                fail("A study named '" + study.name + "' already exists in " + m_path +
                     "; nothing was imported. Delete the old study or import into another "
                     "database (--db).");
            }
        }
        Statement insert(m_db, m_path,
                         "INSERT INTO studies (name, direction, spec, state, created_at) "
                         "VALUES (?, ?, ?, ?, ?)");
        insert.bind(1, study.name)
            .bind(2, directionName(study.direction))
            .bind(3, storedText(study.spec))
            .bind(4, study.state)
            .bind(5, study.trials.empty() ? nowSeconds() : study.trials.front().startedAt)
            .run();
        const std::int64_t studyId = sqlite3_last_insert_rowid(m_db);
        const auto distributions = distributionsOf(study.spec);
        TrialRowWriter writer(m_db, m_path);
        for (const Trial& trial : study.trials)
            writer.write(studyId, trial, distributions);
    }
    txn.commit();
}

void Database::addIntermediate(std::int64_t studyId, int number, std::int64_t step, double value) {
    std::lock_guard lock(m_mutex);
    auto key = std::make_pair(studyId, number);
    auto known = m_reportTrialIds.find(key);
    if (known == m_reportTrialIds.end())
        known = m_reportTrialIds.emplace(key, trialId(m_db, m_path, studyId, number)).first;
    const auto now = std::chrono::steady_clock::now();
    if (m_reports.empty())
        m_oldestReport = now;
    m_reports.push_back({known->second, step, value});
    if (now - m_oldestReport >= kReportBatch) {
        flushReports();
        return;
    }
    if (!m_flusher.joinable())
        m_flusher = std::thread([this] { flushLoop(); });
    {
        std::lock_guard wake(m_flushMutex);
        m_flushQueued = true;
    }
    m_flushWake.notify_one();
}

void Database::setTrialAttribute(std::int64_t studyId, int number, const std::string& key,
                                 const Json& value) {
    std::lock_guard lock(m_mutex);
    flushReports();
    WriteTransaction txn(m_db, m_path);
    const std::int64_t id = trialId(m_db, m_path, studyId, number);
    upsertAttrs(m_db, m_path, id, Json{{key, value}});
    txn.commit();
}

void Database::finishTrial(std::int64_t studyId, const Trial& trial) {
    std::lock_guard lock(m_mutex);
    // A finished trial's reports are committed before it counts as finished,
    // so kill -9 never loses anything of a completed trial.
    flushReports();
    m_reportTrialIds.erase({studyId, trial.number});
    WriteTransaction txn(m_db, m_path);
    const std::int64_t id = trialId(m_db, m_path, studyId, trial.number);
    Statement update(m_db, m_path,
                     "UPDATE trials SET state = ?, value = ?, completed_at = ?, error = ?,"
                     " values_json = ? WHERE id = ?");
    update.bind(1, trialStateName(trial.state))
        .bind(2, trial.value)
        .bind(3, trial.completedAt)
        .bindTextOrNull(4, trial.error)
        .bindTextOrNull(5, valuesToStored(trial.values).value_or(""))
        .bind(6, id)
        .run();
    // Keys set earlier with setTrialAttribute and absent here are kept:
    // nothing already stored is lost.
    upsertAttrs(m_db, m_path, id, trial.attrs);
    txn.commit();
}

int Database::failRunningTrials(std::int64_t studyId, const std::string& reason) {
    std::lock_guard lock(m_mutex);
    flushReports();  // reports first: they came before this call
    WriteTransaction txn(m_db, m_path);
    Statement update(m_db, m_path,
                     "UPDATE trials SET state = 'failed', error = ?, completed_at = ?"
                     " WHERE study_id = ? AND state = 'running'");
    update.bindTextOrNull(1, reason).bind(2, nowSeconds()).bind(3, studyId).run();
    const int count = sqlite3_changes(m_db);
    txn.commit();
    return count;
}

bool Database::integrityOk() {
    std::lock_guard lock(m_mutex);
    Statement check(m_db, m_path, "PRAGMA integrity_check(1)");
    try {
        return check.step() && check.text(0) == "ok";
    } catch (const StorageError&) {
        return false;  // "malformed" is an answer here, not an error
    }
}

}  // namespace bonsai

// --- Study leases

namespace bonsai {

namespace {

std::string readFirstLine(const char* path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

std::string hostName() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0)
        return "unknown";
    return name;
}

// Field 22 of /proc/PID/stat: when the process started, in clock ticks after
// boot. Together with the pid it names one process, even after pid reuse.
// -1 if there is no such process.
std::int64_t processStart(std::int64_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');  // the command name may hold spaces
    if (close == std::string::npos)
        return -1;
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    for (int index = 3; index <= 22 && fields >> field; ++index) {
        if (index == 3 && (field == "Z" || field == "X"))
            return -1;  // a zombie runs nothing
        if (index == 22)
            return std::stoll(field);
    }
    return -1;
}

struct ProcessIdentity {
    std::int64_t pid;
    std::string host;
    std::string bootId;
    std::int64_t start;
    std::string program;
};

ProcessIdentity thisProcess() {
    const std::int64_t pid = ::getpid();
    std::string program = readFirstLine("/proc/self/comm");
    return {pid, hostName(), readFirstLine("/proc/sys/kernel/random/boot_id"), processStart(pid),
            program.empty() ? "bonsai" : program};
}

std::string newToken(const ProcessIdentity& me) {
    static std::atomic<std::uint64_t> counter{0};
    return me.host + ":" + std::to_string(me.pid) + ":" + std::to_string(me.start) + ":" +
           std::to_string(counter.fetch_add(1)) + ":" + std::to_string(nowSeconds());
}

}  // namespace

std::string Database::acquireLease(std::int64_t studyId, double staleSeconds) {
    std::lock_guard lock(m_mutex);
    const ProcessIdentity me = thisProcess();
    WriteTransaction txn(m_db, m_path);
    {
        Statement holder(m_db, m_path,
                         "SELECT l.pid, l.host, l.boot_id, l.process_start, l.program, l.heartbeat,"
                         " s.name FROM study_leases l JOIN studies s ON s.id = l.study_id"
                         " WHERE l.study_id = ?");
        holder.bind(1, studyId);
        if (holder.step()) {
            const std::int64_t pid = holder.int64(0);
            const std::string host = holder.text(1);
            const double age = nowSeconds() - holder.real(5);
            // On this machine (same boot) the process table is the truth and
            // a kill -9 is noticed at once; elsewhere only the heartbeat tells.
            bool alive;
            if (host == me.host && holder.text(2) == me.bootId)
                alive = processStart(pid) == holder.int64(3);
            else if (host == me.host)
                alive = false;  // held before a reboot
            else
                alive = age < staleSeconds;
            if (alive) {
                const std::string ago = std::to_string(static_cast<long long>(std::max(0.0, age)));
                fail("Study '" + holder.text(6) + "' in " + m_path + " is being run by process " +
                     std::to_string(pid) + " (" + holder.text(4) + " on " + host + ", heartbeat " +
                     ago + " s ago); wait for it to finish or stop it (kill -INT " +
                     std::to_string(pid) + ") before running the study again.");
            }
        }
    }
    const std::string token = newToken(me);
    Statement claim(m_db, m_path,
                    "INSERT INTO study_leases (study_id, token, pid, host, boot_id, process_start,"
                    " program, heartbeat) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (study_id) DO UPDATE SET token = excluded.token,"
                    " pid = excluded.pid, host = excluded.host, boot_id = excluded.boot_id,"
                    " process_start = excluded.process_start, program = excluded.program,"
                    " heartbeat = excluded.heartbeat");
    claim.bind(1, studyId)
        .bind(2, token)
        .bind(3, me.pid)
        .bind(4, me.host)
        .bind(5, me.bootId)
        .bind(6, me.start)
        .bind(7, me.program)
        .bind(8, nowSeconds())
        .run();
    txn.commit();
    return token;
}

bool Database::renewLease(std::int64_t studyId, const std::string& token) {
    std::lock_guard lock(m_mutex);
    WriteTransaction txn(m_db, m_path);
    Statement update(m_db, m_path,
                     "UPDATE study_leases SET heartbeat = ? WHERE study_id = ? AND token = ?");
    update.bind(1, nowSeconds()).bind(2, studyId).bind(3, token).run();
    const bool ours = sqlite3_changes(m_db) > 0;
    txn.commit();
    return ours;
}

void Database::releaseLease(std::int64_t studyId, const std::string& token) {
    std::lock_guard lock(m_mutex);
    WriteTransaction txn(m_db, m_path);
    Statement remove(m_db, m_path, "DELETE FROM study_leases WHERE study_id = ? AND token = ?");
    remove.bind(1, studyId).bind(2, token).run();
    txn.commit();
}

bool Database::isSqliteFile(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && isSqliteHeader(path);
}

struct StudyLease::Heartbeat {
    Database& database;
    std::int64_t studyId;
    std::string token;
    std::mutex mutex;
    std::condition_variable wake;
    bool closing = false;
    std::thread thread;
};

StudyLease::StudyLease(Database& database, std::int64_t studyId)
    : m_heartbeat(
          new Heartbeat{database, studyId, database.acquireLease(studyId), {}, {}, false, {}}) {
    Heartbeat& beat = *m_heartbeat;
    beat.thread = std::thread([&beat] {
        std::unique_lock lock(beat.mutex);
        while (!beat.wake.wait_for(lock, std::chrono::seconds(2), [&] { return beat.closing; })) {
            try {
                beat.database.renewLease(beat.studyId, beat.token);
            } catch (const std::exception&) {
                // A busy or full disk: the next beat tries again; a runner on
                // this machine is judged by its process, not the heartbeat.
            }
        }
    });
}

StudyLease::~StudyLease() {
    {
        std::lock_guard lock(m_heartbeat->mutex);
        m_heartbeat->closing = true;
    }
    m_heartbeat->wake.notify_all();
    m_heartbeat->thread.join();
    try {
        m_heartbeat->database.releaseLease(m_heartbeat->studyId, m_heartbeat->token);
    } catch (const std::exception&) {
        // Left behind, the lease is stale as soon as this process has ended.
    }
}

}  // namespace bonsai

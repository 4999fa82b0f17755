#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include "storage/database.h"

// The SQLite wrappers of Bonsai's own database: prepared statements,
// transactions and the one sentence each failure gets. Internal to storage/.
namespace bonsai::sql {

// How long a writer keeps retrying BEGIN IMMEDIATE after the busy timeout
// itself ran out; long enough to ride out another process's checkpoint.
constexpr auto kBusyRetryBudget = std::chrono::seconds(30);
constexpr int kBusyTimeoutMs = 5000;

[[noreturn]] void fail(const std::string& message);

// The folder of `path` ("." for a bare file name).
std::string parentDirectory(const std::string& path);
// A regular file's first 16 bytes are SQLite's header.
bool isSqliteHeader(const std::string& path);

// Whether the failed SQLite call (result code `rc` on `db`, which may be
// null) ran out of disk. SQLite reports most full-disk writes as SQLITE_FULL,
// but some (growing the -shm or -wal file of WAL mode) as I/O errors, which
// errno or the free space next to `path` tell apart from a failing disk.
bool isDiskFull(sqlite3* db, int rc, const std::string& path);
// The sentence for an I/O error or a full disk while trying to `action`
// ("open", "write in") `path`: "disk full" when isDiskFull() says so.
[[noreturn]] void failIo(sqlite3* db, int rc, const std::string& path, const std::string& detail,
                         const std::string& action);
// The sentence for an SQLite failure during normal work, with the fix where
// the error code tells us one.
[[noreturn]] void failSql(sqlite3* db, const std::string& path, int rc, const char* action);

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

// Runs `sql` (several statements may be given); fails with failSql(action).
void execSql(sqlite3* db, const std::string& path, const char* sql, const char* action);

// One write transaction. BEGIN IMMEDIATE takes the write lock up front, so a
// writer never has to upgrade a read lock (the one case where SQLite reports
// SQLITE_BUSY without calling the busy handler). If the busy timeout expires
// anyway, we keep retrying with a short sleep rather than show "database is
// locked". Rolled back on scope exit unless committed.
class WriteTransaction {
  public:
    WriteTransaction(sqlite3* db, const std::string& path);
    ~WriteTransaction();
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;
    void commit();

  private:
    sqlite3* m_db;
    const std::string& m_path;
    bool m_done = false;
};

// A read snapshot, so the several bulk queries of loadTrials() see one
// consistent state while another process writes.
class ReadTransaction {
  public:
    ReadTransaction(sqlite3* db, const std::string& path);
    ~ReadTransaction();
    ReadTransaction(const ReadTransaction&) = delete;
    ReadTransaction& operator=(const ReadTransaction&) = delete;

  private:
    sqlite3* m_db;
    bool m_owned = false;
};

}  // namespace bonsai::sql

#include "storage/sql.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

namespace bonsai::sql {

namespace {

namespace fs = std::filesystem;

// Less free space than this on a failed write: the disk is full (SQLite
// needs a few pages at a time).
constexpr std::uint64_t kDiskFullBytes = 1 << 20;

// An I/O error is no sign of damage: on a full disk SQLite cannot grow its
// -shm or -wal file and says "disk I/O error". Free space tells which.
bool freeSpaceExhausted(const std::string& path) {
    struct statvfs disk {};
    return ::statvfs(parentDirectory(path).c_str(), &disk) == 0 &&
           static_cast<std::uint64_t>(disk.f_bavail) * disk.f_frsize < kDiskFullBytes;
}

}  // namespace

[[noreturn]] void fail(const std::string& message) {
    throw StorageError(message);
}

std::string parentDirectory(const std::string& path) {
    fs::path parent = fs::path(path).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
}

bool isSqliteHeader(const std::string& path) {
    static constexpr char kMagic[16] = "SQLite format 3";  // includes the trailing NUL
    std::ifstream in(path, std::ios::binary);
    char header[16] = {};
    if (!in.read(header, sizeof header))
        return false;
    return std::equal(std::begin(header), std::end(header), std::begin(kMagic));
}

bool isDiskFull(sqlite3* db, int rc, const std::string& path) {
    const int primary = rc & 0xff;
    if (primary == SQLITE_FULL)
        return true;
    if (primary != SQLITE_IOERR)
        return false;
    return (db && sqlite3_system_errno(db) == ENOSPC) || freeSpaceExhausted(path);
}

[[noreturn]] void failIo(sqlite3* db, int rc, const std::string& path, const std::string& detail,
                         const std::string& action) {
    if (isDiskFull(db, rc, path))
        fail("Cannot " + action + " " + path + ": disk full; free some space and try again.");
    fail("Cannot " + action + " " + path + " (" + detail +
         "); the disk may be failing or full; check it and try again.");
}

[[noreturn]] void failSql(sqlite3* db, const std::string& path, int rc, const char* action) {
    const std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
        case SQLITE_FULL:
        case SQLITE_IOERR:
            failIo(db, rc, path, detail, std::string(action) + " in");
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

void execSql(sqlite3* db, const std::string& path, const char* sql, const char* action) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
    sqlite3_free(message);  // sqlite3_errmsg still holds the same text
    if (rc != SQLITE_OK)
        failSql(db, path, rc, action);
}

WriteTransaction::WriteTransaction(sqlite3* db, const std::string& path) : m_db(db), m_path(path) {
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

WriteTransaction::~WriteTransaction() {
    if (!m_done)
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
}

void WriteTransaction::commit() {
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

ReadTransaction::ReadTransaction(sqlite3* db, const std::string& path) : m_db(db) {
    // Nested inside a write transaction (recursive calls) there is nothing to do.
    if (!sqlite3_get_autocommit(db))
        return;
    execSql(db, path, "BEGIN", "start a read");
    m_owned = true;
}

ReadTransaction::~ReadTransaction() {
    if (m_owned)
        sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr);
}

}  // namespace bonsai::sql

#pragma once

// Executes SQL on a database file through a connection of its own, behind the
// back of whatever else has it open: to make Bonsai's writes fail mid-study
// with a trigger (a fault-injecting database), or to build damaged files.

#include <sqlite3.h>

#include <QTest>
#include <string>

namespace bonsai::test {

inline void rawExec(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    const QString message = error ? QString::fromUtf8(error) : QString();
    sqlite3_free(error);
    sqlite3_close(db);
    QVERIFY2(rc == SQLITE_OK, qPrintable(message));
}

// The first column of the first row of `sql` as an int (-1 when there is
// none), read through a read-only connection of its own.
inline int rawCount(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
    int count = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW)
        count = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return count;
}

// SQL for a trigger that fails every `event` (INSERT, UPDATE) on `table` for
// which `when` holds, with the message "injected fault"; drop it with
// "DROP TRIGGER inject_fault;".
inline std::string failingTrigger(const std::string& event, const std::string& table,
                                  const std::string& when) {
    return "CREATE TRIGGER inject_fault BEFORE " + event + " ON " + table + " WHEN " + when +
           " BEGIN SELECT RAISE(ABORT, 'injected fault'); END;";
}

}  // namespace bonsai::test

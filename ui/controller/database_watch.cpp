#include "controller/database_watch.h"

#include <exception>

#include "storage/database.h"

namespace bonsai::ui {

DatabaseWatch::DatabaseWatch(QObject* parent, int intervalMs) : QObject(parent) {
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &DatabaseWatch::poll);
}

void DatabaseWatch::watch(const Database* database) {
    m_database = database;
    if (!m_database) {
        m_timer.stop();
        return;
    }
    try {
        m_version = m_database->dataVersion();
    } catch (const std::exception&) {
        m_version = 0;
    }
    m_timer.start();
}

void DatabaseWatch::poll() {
    if (!m_database)
        return;
    std::int64_t version = 0;
    try {
        version = m_database->dataVersion();
    } catch (const std::exception&) {
        return;  // busy or gone: the next poll asks again, and any use reports it
    }
    if (version != m_version) {
        m_version = version;
        emit changed();
    }
    emit polled();
}

}  // namespace bonsai::ui

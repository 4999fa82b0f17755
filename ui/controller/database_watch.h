#pragma once

#include <cstdint>

#include <QObject>
#include <QTimer>

namespace bonsai {
class Database;
}

namespace bonsai::ui {

// Notices commits that other connections make to the open database: a
// bonsai-cli run in a terminal, another window, the studio's own worker
// thread. It polls SQLite's data_version, one cheap query per interval, so
// the window can follow studies it does not run itself.
class DatabaseWatch : public QObject {
    Q_OBJECT
  public:
    explicit DatabaseWatch(QObject* parent = nullptr, int intervalMs = 1000);

    // Starts watching `database` (which must outlive the watch, or be
    // replaced first); nullptr stops.
    void watch(const Database* database);
    // Polls now rather than at the next interval.
    void poll();

  signals:
    void changed();
    // Every poll, changed or not: a runner that dies commits nothing, so
    // whoever follows its study asks after it on each poll.
    void polled();

  private:
    QTimer m_timer;
    const Database* m_database = nullptr;
    std::int64_t m_version = 0;
};

}  // namespace bonsai::ui

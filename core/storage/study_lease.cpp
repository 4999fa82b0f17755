// One live runner per study: the lease rows and the heartbeat that keeps
// them fresh.
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <iterator>
#include <mutex>
#include <sstream>
#include <thread>

#include "storage/database.h"
#include "storage/sql.h"

namespace bonsai {

using namespace sql;

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

// Whether the lease holder in `row` (columns pid, host, boot_id,
// process_start, ..., heartbeat at 5) still runs. On this machine (same
// boot) the process table is the truth and a kill -9 is noticed at once;
// elsewhere only the heartbeat tells.
bool holderAlive(const Statement& row, const ProcessIdentity& me, double staleSeconds) {
    const std::string host = row.text(1);
    if (host == me.host && row.text(2) == me.bootId)
        return processStart(row.int64(0)) == row.int64(3);
    if (host == me.host)
        return false;  // held before a reboot
    return nowSeconds() - row.real(5) < staleSeconds;
}

constexpr const char* kHolderColumns =
    "l.pid, l.host, l.boot_id, l.process_start, l.program, l.heartbeat";

}  // namespace

bool Database::hasLeaseTable() const {
    Statement table(m_db, m_path,
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'study_leases'");
    return table.step();
}

bool Database::runnerAlive(std::int64_t studyId, double staleSeconds) const {
    std::lock_guard lock(m_mutex);
    // A file without leases (version 2, read without upgrading): nothing tells.
    return !hasLeaseTable() || liveRunnerLocked(studyId, staleSeconds).has_value();
}

std::optional<Database::Runner> Database::liveRunner(std::int64_t studyId,
                                                     double staleSeconds) const {
    std::lock_guard lock(m_mutex);
    if (!hasLeaseTable())
        return std::nullopt;
    return liveRunnerLocked(studyId, staleSeconds);
}

std::optional<Database::Runner> Database::liveRunnerLocked(std::int64_t studyId,
                                                           double staleSeconds) const {
    Statement holder(
        m_db, m_path,
        (std::string("SELECT ") + kHolderColumns + " FROM study_leases l WHERE l.study_id = ?")
            .c_str());
    holder.bind(1, studyId);
    if (!holder.step() || !holderAlive(holder, thisProcess(), staleSeconds))
        return std::nullopt;
    return Runner{holder.int64(0), holder.text(1), holder.text(4)};
}

std::string Database::acquireLease(std::int64_t studyId, double staleSeconds) {
    std::lock_guard lock(m_mutex);
    const ProcessIdentity me = thisProcess();
    WriteTransaction txn(m_db, m_path);
    {
        Statement holder(m_db, m_path,
                         (std::string("SELECT ") + kHolderColumns +
                          ", s.name FROM study_leases l JOIN studies s ON s.id = l.study_id"
                          " WHERE l.study_id = ?")
                             .c_str());
        holder.bind(1, studyId);
        if (holder.step() && holderAlive(holder, me, staleSeconds)) {
            const std::int64_t pid = holder.int64(0);
            const double age = nowSeconds() - holder.real(5);
            const std::string ago = std::to_string(static_cast<long long>(std::max(0.0, age)));
            fail("Study '" + holder.text(6) + "' in " + m_path + " is being run by process " +
                 std::to_string(pid) + " (" + holder.text(4) + " on " + holder.text(1) +
                 ", heartbeat " + ago + " s ago); wait for it to finish or stop it (kill -INT " +
                 std::to_string(pid) + ") before running the study again.");
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

#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "model/trial.h"

struct sqlite3;

namespace bonsai {

// A storage failure the user can act on: what happened to which file, and
// what to do ("...is not a Bonsai database (file is not SQLite); choose another file").
class StorageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A study's lifecycle as stored: created -> running -> (paused | stopped |
// finished | failed); resuming a paused, stopped or finished study runs it again.
enum class StudyState { Created, Running, Paused, Stopped, Finished, Failed };

// The stored (and shown) name: "created", "running", "paused", ...
const char* studyStateName(StudyState state);
std::optional<StudyState> studyStateFromName(const std::string& name);

struct StudyRecord {
    std::int64_t id = 0;
    std::string name;
    Direction direction = Direction::Minimize;
    Json spec;  // the normalized spec the study was created from
    StudyState state = StudyState::Created;
    double createdAt = 0.0;  // seconds since the Unix epoch
    // Stored as running, but no live process holds its lease: its runner was
    // killed or crashed. Resuming it continues the study.
    bool runnerGone = false;
};

// The state to show: "interrupted" for a running study whose runner is gone,
// else the stored name.
const char* shownStudyStateName(const StudyRecord& record);

struct StudySummary {
    StudyRecord study;
    int trialCount = 0;
    int completeCount = 0;
    std::optional<double> bestValue;  // in the study's own direction
    std::string strategy;             // spec.strategy.kind
};

// A whole study stored at once (imports): its spec and trials with their
// parameters, intermediate values and attributes.
struct StudyImport {
    std::string name;
    Direction direction = Direction::Minimize;
    Json spec;
    StudyState state = StudyState::Finished;
    std::vector<Trial> trials;
};

// The SQLite store (WAL mode). Many studies per file. Every mutating call is
// one committed transaction, so a kill -9 at any moment loses at most what the
// engine had not yet handed over, except intermediate reports: those are
// batched, one transaction per kReportBatch (a trial reporting 100,000 steps
// would otherwise pay 100,000 commits), and written before any other change,
// so a kill loses at most the last kReportBatch of a running trial's reports. Safe to call from
// several threads (calls are serialized); several processes may open the same file (busy-timeout
// retries).
//
// Opening never modifies a file it rejects: not SQLite, corrupt, read-only
// when writing was asked for, or a newer schema version than this build knows.
class Database {
  public:
    enum class Mode { ReadWrite, ReadOnly };
    static constexpr int kSchemaVersion = 3;
    // Readers need no newer schema than this (version 3 only added leases,
    // which only runners use), so they never ask for a write to upgrade.
    static constexpr int kReadableSchemaVersion = 2;

    explicit Database(const std::string& path, Mode mode = Mode::ReadWrite);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // $XDG_DATA_HOME/bonsai/studies.db, else ~/.local/share/bonsai/studies.db.
    static std::string defaultPath();
    // A regular file that starts with the SQLite header (any program's database).
    static bool isSqliteFile(const std::string& path);

    const std::string& path() const { return m_path; }
    // The command that lists this file's studies, for hints in messages:
    // `bonsai-cli list`, with --db unless this is the default file.
    std::string listCommand() const;

    // Throws StorageError if a study with that name exists.
    std::int64_t createStudy(const std::string& name, Direction direction, const Json& spec);
    std::optional<StudyRecord> findStudy(const std::string& name) const;
    std::optional<StudyRecord> findStudy(std::int64_t id) const;
    // Like findStudy, but a missing study is a StorageError that says how to list them.
    StudyRecord requireStudy(const std::string& name) const;
    std::vector<StudySummary> listStudies() const;
    void setStudyState(std::int64_t studyId, StudyState state);
    void deleteStudy(std::int64_t studyId);
    // Renames a study (its record and the name in its stored spec). Throws
    // StorageError when another study has that name.
    void renameStudy(std::int64_t studyId, const std::string& newName);
    // Stores every study with all its trials in one transaction: a taken name
    // (or any other failure) leaves the database as it was.
    void importStudies(const std::vector<StudyImport>& studies);

    // Reads commit the queued reports first (a read shows what was reported),
    // so they lock like writes; they change nothing else.
    std::vector<Trial> loadTrials(std::int64_t studyId) const;
    std::optional<Trial> loadTrial(std::int64_t studyId, int number) const;
    // Trials numbered `first` and up: what a follower of a study run by
    // another process reads again (its unfinished trials and the new ones).
    std::vector<Trial> loadTrialsFrom(std::int64_t studyId, int first) const;

    // Trial lifecycle; each is one transaction.
    void insertTrial(std::int64_t studyId, const Trial& trial);  // state running, params
    // Queued and committed with the others of the last kReportBatch (by a
    // background flush, or at once before any other call); throws at once if
    // the trial does not exist.
    void addIntermediate(std::int64_t studyId, int number, std::int64_t step, double value);
    static constexpr std::chrono::milliseconds kReportBatch{50};
    // Commits queued reports now.
    void flushReports();
    void setTrialAttribute(std::int64_t studyId, int number, const std::string& key,
                           const Json& value);
    // Writes state, value, values, completedAt, error and attrs of a finished trial.
    void finishTrial(std::int64_t studyId, const Trial& trial);
    // Marks trials left running by a crashed or killed process as failed with
    // `reason`; returns how many.
    int failRunningTrials(std::int64_t studyId, const std::string& reason);

    // One live runner per study. Makes this process the study's runner and
    // returns the lease's token, taking over a lease whose holder is gone (a
    // dead process on this machine, or no heartbeat for staleSeconds from
    // another one). Throws StorageError naming the live holder otherwise.
    std::string acquireLease(std::int64_t studyId, double staleSeconds = 30.0);
    // Whether a live process (by the same rule) holds the study's lease;
    // true where the file has no leases to tell (schema version 2, read-only).
    bool runnerAlive(std::int64_t studyId, double staleSeconds = 30.0) const;
    // Who that live process is, to tell a user where the study runs; none
    // without a live holder (and where the file has no leases).
    struct Runner {
        std::int64_t pid = 0;
        std::string host;
        std::string program;  // e.g. "bonsai-cli"
    };
    std::optional<Runner> liveRunner(std::int64_t studyId, double staleSeconds = 30.0) const;
    // Refreshes the heartbeat; false if the lease is no longer ours.
    bool renewLease(std::int64_t studyId, const std::string& token);
    void releaseLease(std::int64_t studyId, const std::string& token);

    // PRAGMA integrity_check == "ok".
    bool integrityOk() const;
    // SQLite's data_version: it changes when another connection (another
    // process, or another Database on the same file) commits, and not for
    // this one's own writes. One cheap query, for polling.
    std::int64_t dataVersion() const;

  private:
    void exec(const char* sql);
    // Sets record.runnerGone from the study's lease.
    void noteRunnerGone(StudyRecord& record) const;
    // The live lease holder of a file that has leases; the caller holds m_mutex.
    std::optional<Runner> liveRunnerLocked(std::int64_t studyId, double staleSeconds) const;
    // Whether the file has the lease table (a version-2 file read without
    // upgrading has none); the caller holds m_mutex.
    bool hasLeaseTable() const;
    void migrate();
    void flushLoop();
    // Commits the queued reports (throws StorageError when it cannot).
    void commitReports() const;
    // Before a read: commits the queued reports if it can; one that cannot
    // be written now stays queued for the next write to report.
    void flushQueuedReportsForReading() const;

    struct QueuedReport {
        std::int64_t trialId;
        std::int64_t step;
        double value;
    };

    std::string m_path;
    sqlite3* m_db = nullptr;
    // Serializes every call; reads take it too (they commit queued reports).
    mutable std::recursive_mutex m_mutex;
    // Reports not yet committed (a write-behind queue that reads empty
    // first), and the row ids of the trials they belong to.
    mutable std::vector<QueuedReport> m_reports;
    std::chrono::steady_clock::time_point m_oldestReport;
    std::map<std::pair<std::int64_t, int>, std::int64_t> m_reportTrialIds;
    // The background flush: wakes when reports are queued, commits them
    // kReportBatch after the oldest one.
    std::mutex m_flushMutex;
    std::condition_variable m_flushWake;
    bool m_flushQueued = false;
    bool m_flushStop = false;
    std::thread m_flusher;
};

// Holds a study's lease for its lifetime and keeps its heartbeat fresh from
// a thread of its own (every couple of seconds), so a long trial never makes
// a live runner look dead. Released on destruction.
class StudyLease {
  public:
    StudyLease(Database& database, std::int64_t studyId);
    ~StudyLease();
    StudyLease(const StudyLease&) = delete;
    StudyLease& operator=(const StudyLease&) = delete;

  private:
    struct Heartbeat;
    std::unique_ptr<Heartbeat> m_heartbeat;
};

}  // namespace bonsai

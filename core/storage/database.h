#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
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

// Study lifecycle as stored: created -> running -> (paused | stopped | finished).
struct StudyRecord {
    std::int64_t id = 0;
    std::string name;
    Direction direction = Direction::Minimize;
    Json spec;  // the normalized spec the study was created from
    std::string state = "created";
    double createdAt = 0.0;  // seconds since the Unix epoch
};

struct StudySummary {
    StudyRecord study;
    int trialCount = 0;
    int completeCount = 0;
    std::optional<double> bestValue;  // in the study's own direction
    std::string strategy;             // spec.strategy.kind
};

// The SQLite store (WAL mode). Many studies per file. Every mutating call is
// one committed transaction, so a kill -9 at any moment loses at most what the
// engine had not yet handed over. Safe to call from several threads (calls are
// serialized); several processes may open the same file (busy-timeout retries).
//
// Opening never modifies a file it rejects: not SQLite, corrupt, read-only
// when writing was asked for, or a newer schema version than this build knows.
class Database {
  public:
    enum class Mode { ReadWrite, ReadOnly };
    static constexpr int kSchemaVersion = 2;

    explicit Database(const std::string& path, Mode mode = Mode::ReadWrite);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // $XDG_DATA_HOME/bonsai/studies.db, else ~/.local/share/bonsai/studies.db.
    static std::string defaultPath();

    const std::string& path() const { return m_path; }

    // Throws StorageError if a study with that name exists.
    std::int64_t createStudy(const std::string& name, Direction direction, const Json& spec);
    std::optional<StudyRecord> findStudy(const std::string& name);
    std::optional<StudyRecord> findStudy(std::int64_t id);
    // Like findStudy, but a missing study is a StorageError that says how to list them.
    StudyRecord requireStudy(const std::string& name);
    std::vector<StudySummary> listStudies();
    void setStudyState(std::int64_t studyId, const std::string& state);
    void deleteStudy(std::int64_t studyId);
    // Renames a study (its record and the name in its stored spec). Throws
    // StorageError when another study has that name.
    void renameStudy(std::int64_t studyId, const std::string& newName);

    std::vector<Trial> loadTrials(std::int64_t studyId);
    std::optional<Trial> loadTrial(std::int64_t studyId, int number);

    // Trial lifecycle; each is one transaction.
    void insertTrial(std::int64_t studyId, const Trial& trial);  // state running, params
    void addIntermediate(std::int64_t studyId, int number, std::int64_t step, double value);
    void setTrialAttribute(std::int64_t studyId, int number, const std::string& key,
                           const Json& value);
    // Writes state, value, values, completedAt, error and attrs of a finished trial.
    void finishTrial(std::int64_t studyId, const Trial& trial);
    // Marks trials left running by a crashed or killed process as failed with
    // `reason`; returns how many.
    int failRunningTrials(std::int64_t studyId, const std::string& reason);

    // PRAGMA integrity_check == "ok".
    bool integrityOk();

  private:
    void exec(const char* sql);
    void migrate();

    std::string m_path;
    sqlite3* m_db = nullptr;
    std::recursive_mutex m_mutex;
};

}  // namespace bonsai

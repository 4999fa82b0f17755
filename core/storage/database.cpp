// The study/trial store: studies, trials and their rows, and the queued
// intermediate reports. Opening and the schema are in schema.cpp, the SQLite
// wrappers in sql.h, leases in study_lease.cpp.
#include "storage/database.h"

#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <thread>
#include <unordered_map>

#include "storage/sql.h"
#include "util/json_reader.h"
#include "util/safe_text.h"
#include "util/spec_error.h"

namespace bonsai {

using namespace sql;

namespace {

constexpr const char* kStudyStateNames[] = {"created", "running",  "paused",
                                            "stopped", "finished", "failed"};

}  // namespace

const char* studyStateName(StudyState state) {
    return kStudyStateNames[static_cast<std::size_t>(state)];
}

const char* shownStudyStateName(const StudyRecord& record) {
    return record.runnerGone ? "interrupted" : studyStateName(record.state);
}

std::optional<StudyState> studyStateFromName(const std::string& name) {
    for (std::size_t i = 0; i < std::size(kStudyStateNames); ++i)
        if (name == kStudyStateNames[i])
            return static_cast<StudyState>(i);
    return std::nullopt;
}

namespace {

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

StudyState studyStateFromStored(const std::string& name, const std::string& path,
                                const std::string& study) {
    auto state = studyStateFromName(name);
    if (!state)
        fail(path + " is damaged (study '" + abbreviate(study) + "' has the unknown state '" +
             abbreviate(name) + "'); restore it from a backup.");
    return *state;
}

TrialState stateFromStored(const std::string& name, const std::string& path) {
    auto state = trialStateFromName(name);
    if (!state)
        fail(path + " is damaged (unknown trial state '" + name + "'); restore it from a backup.");
    return *state;
}

}  // namespace

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
    commitReports();
}

void Database::commitReports() const {
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

void Database::flushQueuedReportsForReading() const {
    // A reader shows what is stored: a queued report that cannot be written
    // now stays queued, and the next write reports the error where the
    // engine can handle it (a read never fails for a write's sake).
    try {
        commitReports();
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
    study.state = studyStateFromStored(row.text(4), path, study.name);
    study.createdAt = row.real(5);
    return study;
}

}  // namespace

std::optional<StudyRecord> Database::findStudy(const std::string& name) const {
    std::lock_guard lock(m_mutex);
    Statement query(
        m_db, m_path,
        (std::string("SELECT ") + kStudyColumns + " FROM studies WHERE name = ?").c_str());
    query.bind(1, name);
    if (!query.step())
        return std::nullopt;
    StudyRecord record = readStudy(query, m_path);
    noteRunnerGone(record);
    return record;
}

std::optional<StudyRecord> Database::findStudy(std::int64_t id) const {
    std::lock_guard lock(m_mutex);
    Statement query(
        m_db, m_path,
        (std::string("SELECT ") + kStudyColumns + " FROM studies WHERE id = ?").c_str());
    query.bind(1, id);
    if (!query.step())
        return std::nullopt;
    StudyRecord record = readStudy(query, m_path);
    noteRunnerGone(record);
    return record;
}

void Database::noteRunnerGone(StudyRecord& record) const {
    record.runnerGone = record.state == StudyState::Running && !runnerAlive(record.id);
}

StudyRecord Database::requireStudy(const std::string& name) const {
    if (auto record = findStudy(name))
        return *record;
    throw StorageError("no study named '" + name + "' in " + m_path + "; `" + listCommand() +
                       "` shows the studies there");
}

std::string Database::listCommand() const {
    return m_path == defaultPath() ? std::string("bonsai-cli list")
                                   : "bonsai-cli list --db " + shellQuote(m_path);
}

namespace {
// The study's trials numbered first..last (both included), in number order.
std::vector<Trial> loadTrialsWhere(sqlite3* db, const std::string& path, std::int64_t studyId,
                                   int first, int last);
constexpr int kLastNumber = std::numeric_limits<int>::max();
}  // namespace

std::vector<StudySummary> Database::listStudies() const {
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
    for (StudySummary& summary : summaries)
        noteRunnerGone(summary.study);
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
        for (const Trial& trial : loadTrialsWhere(m_db, m_path, summary.study.id, 0, kLastNumber)) {
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

void Database::setStudyState(std::int64_t studyId, StudyState state) {
    std::lock_guard lock(m_mutex);
    flushReports();  // reports first: they came before this call
    WriteTransaction txn(m_db, m_path);
    Statement update(m_db, m_path, "UPDATE studies SET state = ? WHERE id = ?");
    update.bind(1, studyStateName(state)).bind(2, studyId).run();
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
                                   int first, int last) {
    ReadTransaction snapshot(db, path);
    const std::string where = " WHERE t.study_id = ?1 AND t.number BETWEEN ?2 AND ?3";
    auto bindKeys = [&](Statement& statement) {
        statement.bind(1, studyId).bind(2, first).bind(3, last);
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

std::vector<Trial> Database::loadTrials(std::int64_t studyId) const {
    std::lock_guard lock(m_mutex);
    flushQueuedReportsForReading();
    return loadTrialsWhere(m_db, m_path, studyId, 0, kLastNumber);
}

std::vector<Trial> Database::loadTrialsFrom(std::int64_t studyId, int first) const {
    std::lock_guard lock(m_mutex);
    flushQueuedReportsForReading();
    return loadTrialsWhere(m_db, m_path, studyId, std::max(first, 0), kLastNumber);
}

std::optional<Trial> Database::loadTrial(std::int64_t studyId, int number) const {
    std::lock_guard lock(m_mutex);
    flushQueuedReportsForReading();
    std::vector<Trial> trials = loadTrialsWhere(m_db, m_path, studyId, number, number);
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
            .bind(4, studyStateName(study.state))
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

std::int64_t Database::dataVersion() const {
    std::lock_guard lock(m_mutex);
    Statement query(m_db, m_path, "PRAGMA data_version");
    return query.step() ? query.int64(0) : 0;
}

bool Database::integrityOk() const {
    std::lock_guard lock(m_mutex);
    Statement check(m_db, m_path, "PRAGMA integrity_check(1)");
    try {
        return check.step() && check.text(0) == "ok";
    } catch (const StorageError&) {
        return false;  // "malformed" is an answer here, not an error
    }
}

}  // namespace bonsai

#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/trial.h"
#include "storage/database.h"

// Optuna interoperability: reading and writing the SQLite files of Optuna's
// RDB storage (optuna.storages.RDBStorage), and converting their studies to
// and from Bonsai studies.
//
// Schemas read: alembic revisions v2.4.0.a (the first with multi-objective
// tables) through v3.2.0.a, the head of Optuna 3.2 to 4.x. Files are written
// at v3.0.0.d (the head of Optuna 3.0 and 3.1, so Debian's optuna 3.1 opens
// them as they are) or v3.2.0.a (for Optuna 3.2 to 4.x).
namespace bonsai {

// One row of trial_params: Optuna stores every value as a float ("internal
// representation"; a categorical's is the index of its choice) next to the
// distribution's JSON.
struct OptunaParam {
    std::string name;
    double internal = 0.0;
    Json distribution;  // {"name": "FloatDistribution", "attributes": {...}}
};

struct OptunaTrial {
    std::int64_t id = 0;
    int number = 0;
    std::string state;  // RUNNING, COMPLETE, PRUNED, FAIL, WAITING
    std::optional<double> startedAt;
    std::optional<double> completedAt;
    std::vector<OptunaParam> params;  // in param_id order
    // One per objective of the study (NaN where the row is missing or NaN).
    std::vector<double> values;
    std::vector<std::pair<std::int64_t, double>> intermediate;  // steps ascending
    Json userAttrs = Json::object();
    Json systemAttrs = Json::object();
};

struct OptunaStudy {
    std::int64_t id = 0;
    std::string name;
    std::vector<Direction> directions;  // one per objective
    Json userAttrs = Json::object();
    Json systemAttrs = Json::object();
    std::vector<OptunaTrial> trials;  // by number
};

// True if `path` is an SQLite file with Optuna's RDB tables (alembic_version,
// version_info, studies, trials); never modifies the file.
bool isOptunaDatabase(const std::string& path);
// Why `path` is not such a file, in one sentence with the fix ("... is a
// Bonsai database, not an Optuna one: open it as a database rather than
// importing it"), or nullopt when it is one. Never modifies the file.
std::optional<std::string> optunaDatabaseProblem(const std::string& path);

// The alembic revision stored in the file, e.g. "v3.0.0.d".
std::string optunaSchemaRevision(const std::string& path);

// Reads one study (by name) or every study of the file, read-only. Throws
// StorageError for files that are not Optuna's, unsupported schema revisions
// (with the fix) and unknown study names (listing the known ones).
std::vector<OptunaStudy> readOptunaStudies(const std::string& path,
                                           const std::optional<std::string>& studyName = {});

// The revisions writeOptunaFile can write: v3.0.0.d (Optuna 3.0 and 3.1, the
// default) and v3.2.0.a (Optuna 3.2 to 4.x). Optuna refuses a file whose
// revision is not its own head until `optuna storage upgrade` ran.
inline constexpr const char* kOptunaWriteRevisions[] = {"v3.0.0.d", "v3.2.0.a"};

// Writes `studies` to a new SQLite file with Optuna's schema at `revision`
// (one of kOptunaWriteRevisions). The file is written next to `path` and
// renamed to it only when complete, so a failure leaves no half-written file
// behind; an existing `path` is never overwritten.
void writeOptunaFile(const std::string& path, const std::vector<OptunaStudy>& studies,
                     const std::string& revision = kOptunaWriteRevisions[0]);

// --- Conversion

// Optuna's name of a Bonsai trial state: COMPLETE, PRUNED, FAIL, RUNNING.
const char* optunaStateName(TrialState state);

// Optuna -> Bonsai. The spec holds name, direction or objectives, the space
// inferred from the trials' distributions (a parameter missing from some
// trials becomes conditional on the earlier parameter whose value decides it),
// and an "imported" objective so the study is clearly not runnable as is.
// Throws StorageError naming study, trial and parameter for anything Bonsai
// cannot represent: a distribution that changes between trials, a None
// choice, a WAITING trial, a parameter used in some trials that no other
// parameter's value explains.
StudyImport studyFromOptuna(const OptunaStudy& study, const std::string& sourcePath);

// Bonsai -> Optuna. Throws StorageError naming study, trial and parameter for
// parameters Optuna has no distribution for (nb201-cell).
OptunaStudy studyToOptuna(const StudyRecord& record, const std::vector<Trial>& trials);

// Converts the studies of an Optuna file (all, or the one named) and writes
// them to `database` in one transaction: either every study is imported or,
// on the first problem, nothing is written. Returns the imported names.
std::vector<std::string> importOptunaFile(Database& database, const std::string& path,
                                          const std::optional<std::string>& studyName = {});

// The studies of an Optuna file as an in-memory Bonsai database, for opening
// it read-only in the studio without touching the file.
std::unique_ptr<Database> openOptunaAsDatabase(const std::string& path);

}  // namespace bonsai

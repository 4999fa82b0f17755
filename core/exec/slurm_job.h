#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "exec/executor.h"
#include "util/safe_text.h"  // shellQuote, which the batch script uses

// The slurm executor's pure parts: its settings, what squeue/scontrol print
// and the batch job it submits. No process is run here, so every function is
// tested without a cluster.
namespace bonsai {

// "executor": {"kind": "slurm", "partition", "time", "cpus_per_task", "gres",
// "mem", "extra_args": [...], "max_concurrent"}.
struct SlurmSettings {
    std::string partition;  // empty: the cluster's default partition
    std::string time;       // --time, e.g. "01:00:00"
    std::optional<std::int64_t> cpusPerTask;
    std::string gres;  // e.g. "gpu:1"
    std::string mem;   // e.g. "16G"
    std::vector<std::string> extraArgs;
    int maxConcurrent = 32;  // trials in flight at once (the study's workers)
};

// Reads the settings of an executor object whose kind is "slurm" (the caller
// has read "kind"); throws SpecError naming the field path.
SlurmSettings parseSlurmSettings(JsonReader& reader);
Json slurmSettingsToJson(const SlurmSettings& settings);

// What squeue/scontrol say about one job.
struct SlurmJobStatus {
    std::string state;     // PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, ...
    std::string reason;    // scontrol's / squeue's Reason (None, NonZeroExitCode, TimeLimit, ...)
    std::string exitCode;  // "status:signal" from scontrol, e.g. "3:0"; may be empty
};

// True once the job can no longer run (COMPLETED, FAILED, CANCELLED, TIMEOUT, ...).
bool isFinalSlurmState(const std::string& state);
// The CommandExit of a job in a final state; `jobId` names it in the reason.
CommandExit slurmExit(const std::string& jobId, const SlurmJobStatus& status);
// Parses one `scontrol -o show job` line (JobState, Reason, ExitCode).
std::optional<SlurmJobStatus> parseScontrolJob(const std::string& line);

// The batch script that runs `launch`: exports its environment, enters its
// working folder, runs argv and records the exit status in the trial folder
// (exit_status), so the outcome survives the controller forgetting the job.
std::string slurmBatchScript(const CommandLaunch& launch);
// sbatch's arguments (without the program name) for `launch` and its script.
std::vector<std::string> sbatchArguments(const SlurmSettings& settings, const CommandLaunch& launch,
                                         const std::string& scriptPath);

}  // namespace bonsai

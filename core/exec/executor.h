#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "util/json_reader.h"

// Where a trial's command runs: a child process here (local) or a batch job
// (slurm). The command objective speaks the same line protocol to either.
namespace bonsai {

// Everything needed to start one trial's command.
struct CommandLaunch {
    std::vector<std::string> argv;           // placeholders already substituted
    std::string workdir;                     // the command's working directory
    std::map<std::string, std::string> env;  // added to (or overriding) the environment
    std::string trialDir;                    // per-trial folder (params file, logs)
    std::string jobName;                     // e.g. "bonsai-<study>-<trial>"
};

// How a finished command ended.
struct CommandExit {
    bool ok = false;     // exited with status 0
    std::string reason;  // why not ok: "exit status 2", "killed by signal 9", "timed out", ...
};

// One launched command. All calls are non-blocking and made from one thread.
class RunningCommand {
  public:
    virtual ~RunningCommand() = default;
    // Complete stdout lines produced since the last call (without '\n').
    virtual std::vector<std::string> takeStdoutLines() = 0;
    // nullopt while the command still runs; its exit once it has ended and
    // every stdout line has been taken.
    virtual std::optional<CommandExit> poll() = 0;
    // Returns when output may be waiting or after `timeout`, whichever is
    // first, so a command that writes fast is read at once.
    virtual void waitForOutput(std::chrono::milliseconds timeout) {
        std::this_thread::sleep_for(timeout);
    }
    // Asks the command to end (SIGTERM / scancel), then forces it after
    // `grace` (SIGKILL). Returns once it has ended.
    virtual void cancel(std::chrono::milliseconds grace) = 0;
    // Last bytes of stdout and stderr, size-capped, kept with the trial.
    virtual std::string stdoutTail() const = 0;
    virtual std::string stderrTail() const = 0;
    // Identifies the command for reattaching (e.g. {"slurm_job_id": "123"});
    // null for local processes, which cannot outlive their parent's study.
    virtual Json handle() const { return Json(); }
};

class Executor {
  public:
    virtual ~Executor() = default;
    // Throws std::runtime_error with a clear reason if the command cannot start
    // (missing program, sbatch rejected the job: quoting its message).
    virtual std::unique_ptr<RunningCommand> launch(const CommandLaunch& launch) = 0;
    // Follows a command started by an earlier process again, from what its
    // trial stored (the handle()'s keys among `trialAttrs`) and its trial
    // folder; nullptr if it cannot be followed (local processes never can).
    virtual std::unique_ptr<RunningCommand> reattach(const Json& trialAttrs,
                                                     const std::string& trialDir) {
        return nullptr;
    }
};

// Runs commands as child processes of this one, each in its own process group.
std::unique_ptr<Executor> makeLocalExecutor();

// Open files a local command takes: three pipes (six ends) while it starts,
// two while it runs; and what the rest of the process (database, GUI) needs.
constexpr std::uint64_t kOpenFilesPerLocalCommand = 6;
constexpr std::uint64_t kOpenFilesReserved = 64;
// Raises this process's soft open-file limit (ulimit -n) to its hard limit;
// returns the soft limit now in force. Cheap; programs call it at start-up.
std::uint64_t raiseOpenFileLimit();
// "" if `commands` local commands can run at once under the open-file limit
// (raised first); otherwise why not, with the numbers and the fix.
std::string openFileShortage(std::uint64_t commands);

}  // namespace bonsai

#include "exec/slurm_executor.h"

#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "exec/line_buffer.h"
#include "exec/process.h"

namespace bonsai {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// squeue is asked at most this often, whatever the number of jobs.
constexpr auto kStatusInterval = std::chrono::milliseconds(500);
// The output file is read at most this often per job.
constexpr auto kReadInterval = std::chrono::milliseconds(200);

// What a Slurm tool said when it failed, for error messages.
std::string slurmMessage(const ProgramResult& result) {
    std::string text = trimBlanks(result.err.empty() ? result.out : result.err);
    if (text.empty())
        text = WIFEXITED(result.status)
                   ? "exit status " + std::to_string(WEXITSTATUS(result.status))
                   : "killed by a signal";
    return text;
}

// ------------------------------------------------------------------- files --

// Bytes of `path` from `offset` to its current end ("" if it does not exist yet).
std::string readFrom(const std::string& path, std::uint64_t offset) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return {};
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    if (size <= static_cast<std::streamoff>(offset))
        return {};
    in.seekg(static_cast<std::streamoff>(offset));
    std::string data(static_cast<std::size_t>(size - static_cast<std::streamoff>(offset)), '\0');
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
    data.resize(static_cast<std::size_t>(in.gcount()));
    return data;
}

std::string lastBytes(const std::string& path) {
    std::error_code error;
    const auto size = fs::file_size(path, error);
    if (error)
        return {};
    return readFrom(path, size > kStreamTailBytes ? size - kStreamTailBytes : 0);
}

std::optional<int> readExitStatusFile(const std::string& trialDir) {
    std::ifstream in(fs::path(trialDir) / "exit_status");
    int status = 0;
    if (in >> status)
        return status;
    return std::nullopt;
}

}  // namespace

// ----------------------------------------------------------------- monitor --

// The state of a job nobody can ask about: squeue is not installed here.
const char* const kNoSqueue = "NO_SQUEUE";

// The state of every job this executor follows, from one squeue call per
// interval for all of them (a thousand trials must not mean a thousand
// squeue calls a second). Shared by the worker threads.
class SlurmJobMonitor {
  public:
    void watch(const std::string& id) {
        std::lock_guard lock(m_mutex);
        m_watched.insert(id);
        m_lastRefresh = {};  // a new job is looked up at once
    }
    void forget(const std::string& id) {
        std::lock_guard lock(m_mutex);
        m_watched.erase(id);
        m_states.erase(id);
    }

    // The job's state as of at most kStatusInterval ago: nullopt while squeue
    // has not answered yet, "UNKNOWN" once Slurm does not know the job (any
    // more). Transient squeue failures keep the last known state.
    std::optional<std::string> state(const std::string& id) {
        std::lock_guard lock(m_mutex);
        if (Clock::now() - m_lastRefresh >= kStatusInterval)
            refresh();
        auto it = m_states.find(id);
        if (it == m_states.end())
            return std::nullopt;
        return it->second;
    }

    // Forces the next state() call to ask squeue.
    void invalidate() {
        std::lock_guard lock(m_mutex);
        m_lastRefresh = {};
    }

  private:
    void refresh() {
        m_lastRefresh = Clock::now();
        if (m_watched.empty())
            return;
        std::string ids;
        for (const std::string& id : m_watched)
            ids += (ids.empty() ? "" : ",") + id;
        ProgramResult result =
            runProgram({"squeue", "--noheader", "--states=all", "--jobs=" + ids, "--format=%i|%T"});
        std::map<std::string, std::string> seen;
        if (result.spawnError == ENOENT) {
            for (const std::string& id : m_watched)
                m_states[id] = kNoSqueue;
            return;
        }
        if (result.ok()) {
            std::istringstream lines(result.out);
            for (std::string line; std::getline(lines, line);) {
                auto bar = line.find('|');
                if (bar != std::string::npos)
                    seen[trimBlanks(line.substr(0, bar))] = trimBlanks(line.substr(bar + 1));
            }
        } else if (result.err.find("Invalid job id") == std::string::npos) {
            return;  // the controller is busy or down: try again later
        }
        for (const std::string& id : m_watched) {
            auto it = seen.find(id);
            m_states[id] = it == seen.end() ? "UNKNOWN" : it->second;
        }
    }

    std::mutex m_mutex;
    std::set<std::string> m_watched;
    std::map<std::string, std::string> m_states;
    Clock::time_point m_lastRefresh{};
};

namespace {

// A submitted batch job, followed through its output files and the monitor.
class SlurmCommand final : public RunningCommand {
  public:
    SlurmCommand(std::shared_ptr<SlurmJobMonitor> monitor, std::string jobId, std::string trialDir)
        : m_monitor(std::move(monitor)),
          m_jobId(std::move(jobId)),
          m_trialDir(std::move(trialDir)),
          m_stdoutPath((fs::path(m_trialDir) / "stdout.log").string()),
          m_stderrPath((fs::path(m_trialDir) / "stderr.log").string()) {
        m_monitor->watch(m_jobId);
    }

    // An unfinished job is left alone: it outlives this process by design,
    // and a reopened study reattaches to it. Stops go through cancel().
    ~SlurmCommand() override { m_monitor->forget(m_jobId); }

    std::vector<std::string> takeStdoutLines() override {
        readOutput(false);
        if (m_ended)
            m_stdout.finish();  // a last line without '\n'
        return m_stdout.takeLines();
    }

    std::optional<CommandExit> poll() override {
        if (!m_ended) {
            std::optional<std::string> state = m_monitor->state(m_jobId);
            if (!state || !hasEnded(*state))
                return std::nullopt;
            m_exit = finalExit(*state);
            m_ended = true;
            readOutput(true);
        }
        if (m_stdout.hasLines() || m_stdout.hasPartial())
            return std::nullopt;  // takeStdoutLines() hands out the rest first
        return m_exit;
    }

    // scancel itself sends SIGTERM, waits the cluster's KillWait, then sends
    // SIGKILL: on Slurm that is the grace period (grace_s does not apply),
    // and the job's record says CANCELLED.
    void cancel(std::chrono::milliseconds) override {
        if (m_ended)
            return;
        runProgram({"scancel", m_jobId});
        // Until Slurm says the job has left the node.
        waitForEnd(Clock::now() + std::chrono::seconds(180));
        if (!m_ended) {
            m_exit = CommandExit{
                false, "slurm job " + m_jobId + " did not end within 3 minutes of scancel"};
            m_ended = true;
        }
        readOutput(true);
    }

    std::string stdoutTail() const override { return lastBytes(m_stdoutPath); }
    std::string stderrTail() const override { return lastBytes(m_stderrPath); }
    Json handle() const override { return Json{{"slurm_job_id", m_jobId}}; }

  private:
    void waitForEnd(Clock::time_point deadline) {
        while (!m_ended && Clock::now() < deadline) {
            m_monitor->invalidate();
            std::optional<std::string> state = m_monitor->state(m_jobId);
            if (state && hasEnded(*state)) {
                m_exit = finalExit(*state);
                m_ended = true;
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
        }
    }

    // scontrol has the exit code squeue lacks; a job Slurm has forgotten
    // tells its status through the file the batch script wrote.
    static bool hasEnded(const std::string& state) {
        return isFinalSlurmState(state) || state == "UNKNOWN" || state == kNoSqueue;
    }

    CommandExit finalExit(const std::string& state) {
        if (state == kNoSqueue)
            return {false, "cannot follow slurm job " + m_jobId +
                               ": squeue is not installed or not on PATH here"};
        if (state != "UNKNOWN") {
            ProgramResult result = runProgram({"scontrol", "--oneliner", "show", "job", m_jobId});
            if (result.ok())
                if (auto status = parseScontrolJob(result.out))
                    return slurmExit(m_jobId, *status);
            return slurmExit(m_jobId, {state, "", ""});
        }
        if (auto status = readExitStatusFile(m_trialDir)) {
            if (*status == 0)
                return {true, ""};
            return {false, "slurm job " + m_jobId + ": exit status " + std::to_string(*status)};
        }
        return {false, "slurm job " + m_jobId +
                           " is unknown to Slurm and left no exit status (purged after "
                           "MinJobAge, or the cluster was restarted)"};
    }

    void readOutput(bool force) {
        if (!force && Clock::now() - m_lastRead < kReadInterval)
            return;
        m_lastRead = Clock::now();
        std::string data = readFrom(m_stdoutPath, m_offset);
        m_offset += data.size();
        m_stdout.append(data);
    }

    std::shared_ptr<SlurmJobMonitor> m_monitor;
    std::string m_jobId;
    std::string m_trialDir;
    std::string m_stdoutPath;
    std::string m_stderrPath;
    std::uint64_t m_offset = 0;
    LineBuffer m_stdout;  // stdout bytes not yet handed out as lines
    Clock::time_point m_lastRead{};
    bool m_ended = false;
    std::optional<CommandExit> m_exit;
};

}  // namespace

// ---------------------------------------------------------------- executor --

SlurmExecutor::SlurmExecutor(SlurmSettings settings)
    : m_settings(std::move(settings)), m_monitor(std::make_shared<SlurmJobMonitor>()) {}

SlurmExecutor::~SlurmExecutor() = default;

std::unique_ptr<RunningCommand> SlurmExecutor::launch(const CommandLaunch& launch) {
    if (launch.argv.empty() || launch.argv.front().empty())
        throw std::runtime_error("the command line is empty");
    const fs::path dir(launch.trialDir);
    std::error_code error;
    fs::create_directories(dir, error);
    // A fresh start: nothing from an earlier attempt may pass for this job's.
    for (const char* name : {"stdout.log", "stderr.log", "exit_status"})
        fs::remove(dir / name, error);
    const std::string scriptPath = (dir / "job.sh").string();
    // The script holds the spec's "env" (API tokens, say): the owner's alone,
    // like the trial folder it is in.
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, error);
    {
        std::ofstream script(scriptPath, std::ios::trunc);
        script << slurmBatchScript(launch);
        if (!script)
            throw std::runtime_error("cannot write the batch script '" + scriptPath + "'");
    }
    fs::permissions(scriptPath,
                    fs::perms::owner_read | fs::perms::owner_write | fs::perms::owner_exec,
                    fs::perm_options::replace, error);
    std::vector<std::string> args = {"sbatch"};
    std::vector<std::string> options = sbatchArguments(m_settings, launch, scriptPath);
    args.insert(args.end(), options.begin(), options.end());
    ProgramResult result = runProgram(args);
    if (result.spawnError == ENOENT)
        throw std::runtime_error(
            "cannot submit to Slurm: sbatch is not installed or not on PATH (run Bonsai on a "
            "Slurm login node, or use \"executor\": {\"kind\": \"local\"})");
    if (result.spawnError != 0)
        throw std::runtime_error(std::string("cannot run sbatch: ") +
                                 std::strerror(result.spawnError));
    if (!result.ok())
        throw std::runtime_error("sbatch rejected the job: " + slurmMessage(result));
    // --parsable prints "jobid" or "jobid;cluster".
    std::string jobId = trimBlanks(result.out);
    jobId = jobId.substr(0, jobId.find(';'));
    if (jobId.empty() || !std::all_of(jobId.begin(), jobId.end(), ::isdigit))
        throw std::runtime_error("sbatch printed no job id (got '" + trimBlanks(result.out) + "')");
    return std::make_unique<SlurmCommand>(m_monitor, jobId, launch.trialDir);
}

std::unique_ptr<RunningCommand> SlurmExecutor::reattach(const Json& trialAttrs,
                                                        const std::string& trialDir) {
    auto it = trialAttrs.find("slurm_job_id");
    if (it == trialAttrs.end() || !it->is_string())
        return nullptr;
    const std::string jobId = it->get<std::string>();
    if (jobId.empty() || !std::all_of(jobId.begin(), jobId.end(), ::isdigit))
        return nullptr;
    // Only what can still tell its outcome is worth following. A controller
    // that does not answer (nullopt) may still run the job: following it
    // waits for an answer rather than risk running the trial twice.
    m_monitor->watch(jobId);
    m_monitor->invalidate();
    std::optional<std::string> state = m_monitor->state(jobId);
    if (state == "UNKNOWN" && !readExitStatusFile(trialDir)) {
        m_monitor->forget(jobId);
        return nullptr;
    }
    return std::make_unique<SlurmCommand>(m_monitor, jobId, trialDir);
}

}  // namespace bonsai

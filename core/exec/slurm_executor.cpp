#include "exec/slurm_executor.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace bonsai {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kTailBytes = 8192;
// squeue is asked at most this often, whatever the number of jobs.
constexpr auto kStatusInterval = std::chrono::milliseconds(500);
// The output file is read at most this often per job.
constexpr auto kReadInterval = std::chrono::milliseconds(200);

// ---------------------------------------------------------------- programs --

struct ProgramResult {
    int spawnError = 0;  // errno of a failed start (ENOENT: not installed)
    int status = 0;      // wait status
    std::string out;
    std::string err;

    bool ok() const { return spawnError == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0; }
};

// Runs a program to its end and captures both streams. Safe to call from
// several threads at once (posix_spawn, close-on-exec pipes).
ProgramResult runProgram(const std::vector<std::string>& args) {
    ProgramResult result;
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0)
        throw std::runtime_error(std::string("cannot create a pipe: ") + std::strerror(errno));
    if (pipe2(err, O_CLOEXEC) != 0) {
        ::close(out[0]), ::close(out[1]);
        throw std::runtime_error(std::string("cannot create a pipe: ") + std::strerror(errno));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    std::vector<std::string> copies = args;
    std::vector<char*> argv;
    for (std::string& arg : copies)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    result.spawnError = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    ::close(err[1]);
    if (result.spawnError == 0) {
        pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
        std::string* sinks[2] = {&result.out, &result.err};
        int open = 2;
        char buffer[8192];
        while (open > 0) {
            if (::poll(fds, 2, -1) < 0) {
                if (errno == EINTR)
                    continue;
                break;
            }
            for (int i = 0; i < 2; ++i) {
                if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                    continue;
                ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
                if (n > 0) {
                    sinks[i]->append(buffer, static_cast<std::size_t>(n));
                } else if (n == 0 || errno != EINTR) {
                    fds[i].fd = -1;
                    --open;
                }
            }
        }
        while (waitpid(pid, &result.status, 0) < 0 && errno == EINTR) {
        }
    }
    ::close(out[0]);
    ::close(err[0]);
    return result;
}

std::string trim(const std::string& text) {
    const auto begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos)
        return "";
    const auto end = text.find_last_not_of(" \t\r\n");
    return text.substr(begin, end - begin + 1);
}

// What a Slurm tool said when it failed, for error messages.
std::string slurmMessage(const ProgramResult& result) {
    std::string text = trim(result.err.empty() ? result.out : result.err);
    if (text.empty())
        text = WIFEXITED(result.status)
                   ? "exit status " + std::to_string(WEXITSTATUS(result.status))
                   : "killed by a signal";
    return text;
}

std::string describeSignal(int signal) {
    const char* name = sigabbrev_np(signal);
    return "killed by signal " + std::to_string(signal) +
           (name ? std::string(" (SIG") + name + ")" : std::string());
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
    return readFrom(path, size > kTailBytes ? size - kTailBytes : 0);
}

std::optional<int> readExitStatusFile(const std::string& trialDir) {
    std::ifstream in(fs::path(trialDir) / "exit_status");
    int status = 0;
    if (in >> status)
        return status;
    return std::nullopt;
}

// Slurm's --time formats: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S.
// Longer time limits and memory sizes are typos (and std::regex, which
// recurses once per character, would overflow the stack on a long one).
constexpr std::size_t kMaxSlurmValueLength = 32;

bool isSlurmTime(const std::string& text) {
    // std::regex recurses once per character; real limits are short.
    if (text.size() > kMaxSlurmValueLength)
        return false;
    static const std::regex pattern(
        R"(^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+|\d+-\d+:\d{1,2}|\d+-\d+:\d{1,2}:\d{1,2})$)");
    return std::regex_match(text, pattern) || text == "UNLIMITED" || text == "INFINITE";
}

bool isShellName(const std::string& name) {
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])))
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
}

}  // namespace

// ---------------------------------------------------------------- settings --

SlurmSettings parseSlurmSettings(JsonReader& reader) {
    SlurmSettings out;
    out.partition = reader.stringOr("partition", "");
    out.time = reader.stringOr("time", "");
    if (!out.time.empty() && !isSlurmTime(out.time))
        reader.fail("time", "'" + abbreviate(out.time) +
                                "' is not a Slurm time limit; write minutes (\"90\"), "
                                "\"HH:MM:SS\" or \"D-HH:MM:SS\"");
    out.cpusPerTask = reader.optionalInteger("cpus_per_task");
    if (out.cpusPerTask && (*out.cpusPerTask < 1 || *out.cpusPerTask > 100000))
        reader.fail("cpus_per_task",
                    "must be at least 1 (got " + std::to_string(*out.cpusPerTask) + ")");
    out.gres = reader.stringOr("gres", "");
    out.mem = reader.stringOr("mem", "");
    static const std::regex memPattern(R"(^\d+[KMGT]?$)");
    if (!out.mem.empty() &&
        (out.mem.size() > kMaxSlurmValueLength || !std::regex_match(out.mem, memPattern)))
        reader.fail("mem", "'" + abbreviate(out.mem) +
                               "' is not a Slurm memory size; write e.g. \"16G\" or \"4000M\"");
    if (const Json* extra = reader.optionalValue("extra_args")) {
        if (!extra->is_array())
            reader.fail("extra_args", "must be a list of sbatch options, e.g. [\"--qos=high\"]");
        // Bonsai sets these itself; a second value would break following the job.
        static const std::vector<std::string> owned = {
            "--output", "--error", "--parsable", "--job-name", "--chdir",
            "--wrap",   "-o",      "-e",         "-J",         "-D"};
        for (std::size_t i = 0; i < extra->size(); ++i) {
            const std::string key = "extra_args[" + std::to_string(i) + "]";
            const Json& arg = (*extra)[i];
            if (!arg.is_string() || arg.get<std::string>().empty())
                reader.fail(key, "must be a non-empty string (got " + describeJson(arg) + ")");
            const std::string text = arg.get<std::string>();
            const std::string option = text.substr(0, text.find('='));
            if (std::find(owned.begin(), owned.end(), option) != owned.end())
                reader.fail(key, "Bonsai sets " + abbreviate(option) +
                                     " itself (the trial's folder and job name); remove it");
            out.extraArgs.push_back(text);
        }
    }
    const std::int64_t concurrent = reader.integerOr("max_concurrent", 32);
    if (concurrent < 1 || concurrent > 1024)
        reader.fail("max_concurrent",
                    "must be between 1 and 1024 (got " + std::to_string(concurrent) + ")");
    out.maxConcurrent = static_cast<int>(concurrent);
    return out;
}

Json slurmSettingsToJson(const SlurmSettings& settings) {
    Json out = Json::object();
    if (!settings.partition.empty())
        out["partition"] = settings.partition;
    if (!settings.time.empty())
        out["time"] = settings.time;
    if (settings.cpusPerTask)
        out["cpus_per_task"] = *settings.cpusPerTask;
    if (!settings.gres.empty())
        out["gres"] = settings.gres;
    if (!settings.mem.empty())
        out["mem"] = settings.mem;
    if (!settings.extraArgs.empty())
        out["extra_args"] = settings.extraArgs;
    out["max_concurrent"] = settings.maxConcurrent;
    return out;
}

// ------------------------------------------------------------------ states --

bool isFinalSlurmState(const std::string& state) {
    static const std::set<std::string> final = {
        "COMPLETED", "FAILED",    "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL",
        "PREEMPTED", "BOOT_FAIL", "DEADLINE",  "REVOKED", "SPECIAL_EXIT"};
    // squeue may append "+" (CANCELLED+ in sacct-like output) or " by <uid>".
    std::string bare = state.substr(0, state.find_first_of("+ "));
    return final.count(bare) > 0;
}

CommandExit slurmExit(const std::string& jobId, const SlurmJobStatus& status) {
    const std::string state = status.state.substr(0, status.state.find_first_of("+ "));
    int code = 0, signal = 0;
    if (auto colon = status.exitCode.find(':'); colon != std::string::npos) {
        code = std::atoi(status.exitCode.substr(0, colon).c_str());
        signal = std::atoi(status.exitCode.substr(colon + 1).c_str());
    }
    const std::string job = "slurm job " + jobId + " ";
    if (state == "COMPLETED" && code == 0 && signal == 0)
        return {true, ""};
    std::string detail;
    if (state == "TIMEOUT")
        detail = "hit its time limit (executor.time)";
    else if (state == "OUT_OF_MEMORY")
        detail = "ran out of memory (executor.mem)";
    else if (state == "CANCELLED")
        detail = "was cancelled (scancel, or an administrator)";
    else if (state == "NODE_FAIL")
        detail = "lost its node";
    else if (state == "PREEMPTED")
        detail = "was preempted";
    else if (code != 0)
        detail = "exit status " + std::to_string(code);
    else if (signal != 0)
        detail = describeSignal(signal);
    else
        detail = "ended";
    std::string reason = job + state + ": " + detail;
    if (!status.reason.empty() && status.reason != "None" && status.reason != "NonZeroExitCode")
        reason += " (" + status.reason + ")";
    return {false, reason};
}

std::optional<SlurmJobStatus> parseScontrolJob(const std::string& line) {
    auto field = [&line](const std::string& key) -> std::optional<std::string> {
        std::size_t at = 0;
        while ((at = line.find(key + "=", at)) != std::string::npos) {
            if (at == 0 || line[at - 1] == ' ' || line[at - 1] == '\n') {
                std::size_t begin = at + key.size() + 1;
                std::size_t end = line.find_first_of(" \n", begin);
                return line.substr(begin,
                                   end == std::string::npos ? std::string::npos : end - begin);
            }
            at += key.size();
        }
        return std::nullopt;
    };
    auto state = field("JobState");
    if (!state)
        return std::nullopt;
    return SlurmJobStatus{*state, field("Reason").value_or(""), field("ExitCode").value_or("")};
}

// ------------------------------------------------------------------ script --

std::string shellQuote(const std::string& word) {
    std::string out = "'";
    for (char c : word) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

std::string slurmBatchScript(const CommandLaunch& launch) {
    std::ostringstream script;
    script << "#!/bin/bash\n"
           << "# A Bonsai trial (" << launch.jobName
           << "), submitted by Bonsai's slurm executor.\n";
    for (const auto& [key, value] : launch.env) {
        if (!isShellName(key))
            throw std::runtime_error("environment variable '" + key +
                                     "' cannot be passed to a Slurm job: use letters, digits "
                                     "and _ only");
        script << "export " << key << "=" << shellQuote(value) << "\n";
    }
    if (!launch.workdir.empty())
        script << "cd " << shellQuote(launch.workdir) << " || exit 1\n";
    // bash's own note on a command killed by a signal ("line 9: 123 Killed
    // ...") would pass for the command's last stderr line: bash's stderr goes
    // to /dev/null while the command keeps the real one (fd 3).
    script << "exec 3>&2 2>/dev/null\n";
    for (std::size_t i = 0; i < launch.argv.size(); ++i)
        script << (i ? " " : "") << shellQuote(launch.argv[i]);
    const std::string statusFile = (fs::path(launch.trialDir) / "exit_status").string();
    // The status is written only when the command ended by itself: Slurm
    // forgets finished jobs after MinJobAge, and a study reopened later still
    // learns the outcome. A command killed by a signal kills the script with
    // the same signal, so Slurm reports it as such.
    script << " </dev/null 2>&3 3>&-\n"
           << "status=$?\n"
           << "exec 2>&3 3>&-\n"
           << "echo \"$status\" > " << shellQuote(statusFile + ".part") << " && mv -f "
           << shellQuote(statusFile + ".part") << " " << shellQuote(statusFile) << "\n"
           << "if [ \"$status\" -gt 128 ] && [ \"$status\" -lt 160 ]; then\n"
           << "    trap - $((status - 128)); kill -s $((status - 128)) $$\n"
           << "fi\n"
           << "exit \"$status\"\n";
    return script.str();
}

std::vector<std::string> sbatchArguments(const SlurmSettings& settings, const CommandLaunch& launch,
                                         const std::string& scriptPath) {
    const fs::path dir(launch.trialDir);
    std::vector<std::string> args = {
        "--parsable",
        "--job-name=" + launch.jobName,
        "--output=" + (dir / "stdout.log").string(),
        "--error=" + (dir / "stderr.log").string(),
        "--chdir=" + (launch.workdir.empty() ? fs::current_path().string() : launch.workdir),
        // A requeued job would rewrite its output from the start under the
        // same trial; a node failure fails the trial instead.
        "--no-requeue",
    };
    if (!settings.partition.empty())
        args.push_back("--partition=" + settings.partition);
    if (!settings.time.empty())
        args.push_back("--time=" + settings.time);
    if (settings.cpusPerTask)
        args.push_back("--cpus-per-task=" + std::to_string(*settings.cpusPerTask));
    if (!settings.gres.empty())
        args.push_back("--gres=" + settings.gres);
    if (!settings.mem.empty())
        args.push_back("--mem=" + settings.mem);
    args.insert(args.end(), settings.extraArgs.begin(), settings.extraArgs.end());
    args.push_back(scriptPath);
    return args;
}

// ----------------------------------------------------------------- monitor --

// The state of every job this executor follows, from one squeue call per
// interval for all of them (a thousand trials must not mean a thousand
// squeue calls a second). Shared by the worker threads.
// The state of a job nobody can ask about: squeue is not installed here.
const char* const kNoSqueue = "NO_SQUEUE";

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
                    seen[trim(line.substr(0, bar))] = trim(line.substr(bar + 1));
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
        std::vector<std::string> lines;
        std::size_t start = 0;
        for (std::size_t end; (end = m_pending.find('\n', start)) != std::string::npos;
             start = end + 1)
            lines.push_back(m_pending.substr(start, end - start));
        m_pending.erase(0, start);
        if (m_ended && !m_pending.empty()) {
            lines.push_back(m_pending);  // a last line without '\n'
            m_pending.clear();
        }
        return lines;
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
        if (!m_pending.empty())
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
        m_pending += data;
    }

    std::shared_ptr<SlurmJobMonitor> m_monitor;
    std::string m_jobId;
    std::string m_trialDir;
    std::string m_stdoutPath;
    std::string m_stderrPath;
    std::uint64_t m_offset = 0;
    std::string m_pending;  // stdout bytes not yet handed out as lines
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
    std::string jobId = trim(result.out);
    jobId = jobId.substr(0, jobId.find(';'));
    if (jobId.empty() || !std::all_of(jobId.begin(), jobId.end(), ::isdigit))
        throw std::runtime_error("sbatch printed no job id (got '" + trim(result.out) + "')");
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

#include "exec/slurm_job.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

#include "exec/process.h"

namespace bonsai {

namespace {

namespace fs = std::filesystem;

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

}  // namespace bonsai

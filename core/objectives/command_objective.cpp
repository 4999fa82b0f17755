#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "exec/command_protocol.h"
#include "exec/executor.h"
#include "objectives/builtin_objectives.h"
#include "util/safe_files.h"
#include "util/safe_text.h"

namespace bonsai {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// One argv element split into literal text and {parameter} placeholders;
// "{{" and "}}" stand for literal braces.
struct ArgTemplate {
    struct Piece {
        std::string text;
        bool placeholder = false;
    };
    std::vector<Piece> pieces;
};

bool isPlaceholderName(const std::string& text) {
    if (text.empty())
        return false;
    for (char c : text)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.')
            return false;
    return true;
}

// "{word}" (letters, digits, _ - .) is a placeholder and must name a
// parameter; "{{word}}" is the literal text "{word}". Any other brace is
// literal, so JSON and Python dicts pass through unharmed.
ArgTemplate parseArgTemplate(const std::string& arg, const SearchSpace& space,
                             const JsonReader& settings, const std::string& key) {
    ArgTemplate out;
    std::string literal;
    for (std::size_t i = 0; i < arg.size(); ++i) {
        char c = arg[i];
        std::size_t close = c == '{' ? arg.find('}', i) : std::string::npos;
        if (close == std::string::npos) {
            literal += c;
            continue;
        }
        const bool escaped = i + 1 < arg.size() && arg[i + 1] == '{' && close + 1 < arg.size() &&
                             arg[close + 1] == '}';
        std::string name = arg.substr(i + 1 + escaped, close - i - 1 - escaped);
        if (!isPlaceholderName(name)) {
            literal += c;
            continue;
        }
        if (escaped) {
            literal += "{" + name + "}";
            i = close + 1;
            continue;
        }
        if (!space.find(name)) {
            std::vector<std::string> known;
            for (const ParamSpec& param : space.params())
                known.push_back(param.name);
            std::string hint = closestMatch(name, known);
            for (std::string& shown : known)
                shown = abbreviate(shown);
            settings.fail(
                key, "placeholder {" + abbreviate(name) + "} names no parameter" +
                         (hint.empty() ? "" : "; did you mean {" + abbreviate(hint) + "}?") +
                         " (parameters: " + joinNames(known) + "; write {{" + abbreviate(name) +
                         "}} for literal braces)");
        }
        if (!literal.empty())
            out.pieces.push_back({std::move(literal), false});
        literal.clear();
        out.pieces.push_back({name, true});
        i = close;
    }
    if (!literal.empty() || out.pieces.empty())
        out.pieces.push_back({literal, false});
    return out;
}

// Exact text for a command line: floats round-trip (0.1 -> "0.1"), strings
// are passed as they are.
std::string argumentText(const ParamValue& value) {
    if (const auto* text = std::get_if<std::string>(&value))
        return *text;
    return toJson(value).dump();
}

std::string renderArg(const ArgTemplate& arg, const ParamMap& params) {
    std::string out;
    for (const auto& piece : arg.pieces) {
        if (!piece.placeholder) {
            out += piece.text;
            continue;
        }
        // An inactive conditional parameter renders as nothing.
        if (auto it = params.find(piece.text); it != params.end())
            out += argumentText(it->second);
    }
    return out;
}

// A folder name that is safe whatever the study is called: names are data,
// so "..", "a/b" or a leading dot can never leave runs_dir or hide a folder.
std::string safeName(const std::string& name) {
    std::string out;
    for (char c : name.substr(0, 48))
        out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')
                   ? c
                   : '_';
    if (!out.empty() && out.front() == '.')
        out.front() = '_';
    return out.empty() ? "study" : out;
}

// FNV-1a: a stable short fingerprint for folder names (not for security).
std::string fingerprint(const std::string& text) {
    std::uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(hash));
    return std::string(out, 12);
}

// Per-user, never a shared /tmp where another user could plant folders or
// symlinks: $XDG_CACHE_HOME/bonsai/runs, else ~/.cache/bonsai/runs.
std::string defaultRunsDir() {
    const char* cache = std::getenv("XDG_CACHE_HOME");
    if (cache && *cache && fs::path(cache).is_absolute())
        return (fs::path(cache) / "bonsai" / "runs").string();
    const char* home = std::getenv("HOME");
    if (home && *home)
        return (fs::path(home) / ".cache" / "bonsai" / "runs").string();
    return (fs::temp_directory_path() / ("bonsai-runs-" + std::to_string(::geteuid()))).string();
}

// Linux caps one environment string at 128 KiB (MAX_ARG_STRLEN); larger
// parameter sets reach the command through BONSAI_PARAMS_FILE only.
constexpr std::size_t kMaxEnvParamsBytes = 64 * 1024;

struct CommandSettings {
    std::vector<ArgTemplate> argv;
    std::string workdir;
    std::map<std::string, std::string> env;
    std::optional<double> timeoutSeconds;
    double graceSeconds = 10.0;
    std::string runsDir;
};

// {"kind": "command", "argv": [...], "workdir", "env", "timeout_s", "grace_s",
// "runs_dir"}: runs an external program per trial and reads its results from
// stdout (CommandProtocol). Every trial gets a folder under runs_dir with its
// parameters (params.json, named by BONSAI_PARAMS_FILE).
class CommandObjective final : public Objective {
  public:
    CommandObjective(CommandSettings settings, std::shared_ptr<Executor> executor)
        : m_settings(std::move(settings)), m_executor(std::move(executor)) {}

    double evaluate(const ParamMap& params, TrialContext& context) override {
        CommandLaunch launch = prepare(params, context);
        std::unique_ptr<RunningCommand> command = m_executor->launch(launch);
        if (Json handle = command->handle(); handle.is_object())
            for (const auto& [key, value] : handle.items())
                context.setAttribute(key, value);
        return follow(*command, context);
    }

    bool setExecutor(std::shared_ptr<Executor> executor) override {
        m_executor = std::move(executor);
        return true;
    }

    bool canResume(const std::string& studyName, int number, const Json& attrs) override {
        return m_executor->reattach(attrs, storedTrialDir(studyName, number, attrs)) != nullptr;
    }

    // Reads the job's output from its start again: the protocol needs every
    // line, and re-reported steps replace themselves.
    double resume(const ParamMap&, const Json& attrs, TrialContext& context) override {
        std::unique_ptr<RunningCommand> command = m_executor->reattach(
            attrs, storedTrialDir(context.studyName(), context.trialNumber(), attrs));
        if (!command)
            throw std::runtime_error(
                "the trial's command can no longer be followed (its job ended unseen)");
        return follow(*command, context);
    }

  private:
    // <runs_dir>/<safe name>-<fingerprint of database and study id>: one
    // folder per study, so studies of one name in two databases, or names
    // that map to one safe name, never share trial folders.
    std::string studyDir(const std::string& study, const std::string& key) const {
        std::string name = safeName(study);
        if (!key.empty())
            name += "-" + fingerprint(key);
        return (fs::path(m_settings.runsDir) / name).string();
    }

    // Where a trial launched earlier keeps its files (Slurm output to read
    // again): as it stored them, else the folder an older Bonsai used.
    std::string storedTrialDir(const std::string& study, int number, const Json& attrs) const {
        if (auto it = attrs.find("trial_dir"); it != attrs.end() && it->is_string())
            return it->get<std::string>();
        return (fs::path(studyDir(study, "")) / ("trial-" + std::to_string(number))).string();
    }

    // Creates (or checks) the private study and trial folders. A study
    // folder claimed by another study (a marker naming another database or
    // id) is an error rather than shared.
    std::string makeTrialDir(const std::string& study, const std::string& key, int number) const {
        std::error_code error;
        fs::create_directories(m_settings.runsDir, error);
        if (error)
            throw std::runtime_error("cannot create runs_dir '" + m_settings.runsDir +
                                     "': " + error.message());
        const std::string dir = studyDir(study, key);
        ensurePrivateFolder(dir);
        if (!key.empty()) {
            const std::string marker = (fs::path(dir) / ".bonsai-study").string();
            std::ifstream in(marker);
            std::string owner;
            if (in && std::getline(in, owner) && owner != key)
                throw std::runtime_error("the folder '" + dir +
                                         "' holds the trials of another study (" + owner +
                                         "); choose another runs_dir");
            if (owner.empty())
                replaceFile(marker, key + "\n", 0600);
        }
        std::string trial = (fs::path(dir) / ("trial-" + std::to_string(number))).string();
        ensurePrivateFolder(trial);
        return trial;
    }

    CommandLaunch prepare(const ParamMap& params, TrialContext& context) const {
        CommandLaunch launch;
        for (const ArgTemplate& arg : m_settings.argv)
            launch.argv.push_back(renderArg(arg, params));
        launch.workdir = m_settings.workdir;
        const std::string study = context.studyName();
        const std::string trial = std::to_string(context.trialNumber());
        launch.trialDir = makeTrialDir(study, context.studyKey(), context.trialNumber());
        context.setAttribute("trial_dir", launch.trialDir);
        launch.jobName = "bonsai-" + safeName(study) + "-" + trial;
        const std::string paramsJson = toJson(params).dump();
        const std::string paramsFile = (fs::path(launch.trialDir) / "params.json").string();
        replaceFile(paramsFile, paramsJson + "\n", 0600);
        launch.env = m_settings.env;
        if (paramsJson.size() <= kMaxEnvParamsBytes)
            launch.env["BONSAI_PARAMS"] = paramsJson;
        else
            launch.env.erase("BONSAI_PARAMS");  // too large for the environment
        launch.env["BONSAI_PARAMS_FILE"] = paramsFile;
        launch.env["BONSAI_TRIAL"] = trial;
        launch.env["BONSAI_STUDY"] = study;
        launch.env["BONSAI_TRIAL_DIR"] = launch.trialDir;
        return launch;
    }

    // Streams the command's reports to the trial until it ends, is pruned,
    // is stopped or times out.
    double follow(RunningCommand& command, TrialContext& context) const {
        CommandProtocol protocol;
        const auto started = Clock::now();
        const auto grace =
            std::chrono::milliseconds(static_cast<std::int64_t>(m_settings.graceSeconds * 1000.0));
        std::optional<CommandExit> exit;
        try {
            while (true) {
                bool reported = readLines(command, protocol, context);
                if ((exit = command.poll())) {
                    readLines(command, protocol, context);
                    break;
                }
                if (context.stopRequested()) {
                    command.cancel(grace);
                    keepTails(command, context);
                    throw TrialInterrupted();
                }
                if (reported && context.shouldPrune()) {
                    command.cancel(grace);
                    keepTails(command, context);
                    throw TrialPruned();
                }
                if (m_settings.timeoutSeconds &&
                    std::chrono::duration<double>(Clock::now() - started).count() >
                        *m_settings.timeoutSeconds) {
                    command.cancel(grace);
                    keepTails(command, context);
                    throw std::runtime_error("timed out after " +
                                             describeJson(*m_settings.timeoutSeconds) +
                                             " s (timeout_s); the command was stopped");
                }
                command.waitForOutput(std::chrono::milliseconds(20));
            }
        } catch (const ProtocolError& error) {
            command.cancel(grace);
            keepTails(command, context);
            throw std::runtime_error(std::string("unparsable output: ") + error.what());
        }
        keepTails(command, context);
        for (const auto& [name, value] : protocol.namedValues())
            context.setAttribute(name, value);
        if (!exit->ok)
            throw std::runtime_error("the command failed (" + exit->reason + ")" +
                                     lastLine(validUtf8(command.stderrTail(), true)));
        std::optional<double> value = protocol.finalValue();
        if (!value)
            throw std::runtime_error(noResultReason(validUtf8(command.stdoutTail(), true)));
        return *value;
    }

    // True if the lines held an intermediate report.
    static bool readLines(RunningCommand& command, CommandProtocol& protocol,
                          TrialContext& context) {
        bool reported = false;
        for (const std::string& line : command.takeStdoutLines()) {
            CommandProtocol::LineResult result = protocol.feed(line);
            for (const auto& [key, value] : result.attrs.items())
                context.setAttribute(key, value);
            if (result.report) {
                context.report(result.report->step, result.report->value);
                reported = true;
            }
        }
        return reported;
    }

    // Tails are cut by bytes and carry whatever the command printed (a
    // progress bar, binary): kept as valid UTF-8 from a character boundary,
    // so storing them can never fail the trial.
    static void keepTails(const RunningCommand& command, TrialContext& context) {
        context.setAttribute("stdout_tail", validUtf8(command.stdoutTail(), true));
        context.setAttribute("stderr_tail", validUtf8(command.stderrTail(), true));
    }

    // Quotes what the program did print last (often "accuracy=0.85" or a
    // log line) and says what to print instead.
    static std::string noResultReason(const std::string& stdoutTail) {
        std::string last = lastLine(stdoutTail);
        if (last.empty())
            return "no result: the command printed nothing on stdout; print the result as its "
                   "last line (a bare number, or {\"value\": v})";
        last.erase(0, 2);  // lastLine's ": "
        constexpr std::size_t kQuoted = 80;
        if (last.size() > kQuoted)
            last = validUtf8(last.substr(0, kQuoted), true) + "…";
        return "no result: the command printed no {\"value\": v} line and its last line, '" + last +
               "', is not a number; print the result alone (print(acc)) or as " +
               "{\"value\": v} (print(json.dumps({\"value\": acc})))";
    }

    // ": <last line>" of a command's output (why it failed), or "".
    static std::string lastLine(const std::string& text) {
        std::size_t end = text.find_last_not_of(" \t\r\n");
        if (end == std::string::npos)
            return "";
        std::size_t begin = text.rfind('\n', end);
        begin = begin == std::string::npos ? 0 : begin + 1;
        return ": " + text.substr(begin, end - begin + 1);
    }

    CommandSettings m_settings;
    std::shared_ptr<Executor> m_executor;
};

CommandSettings parseCommandSettings(JsonReader& settings, const SearchSpace& space) {
    CommandSettings out;
    const Json& argv = settings.requireArray("argv");
    if (argv.empty())
        settings.fail("argv",
                      "must list the program and its arguments, e.g. "
                      "[\"python3\", \"train.py\", \"--lr\", \"{lr}\"]");
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string key = "argv[" + std::to_string(i) + "]";
        if (!argv[i].is_string())
            settings.fail(key, "must be a string (got " + describeJson(argv[i]) + ")");
        out.argv.push_back(parseArgTemplate(argv[i].get<std::string>(), space, settings, key));
    }
    if (argv[0].get<std::string>().empty())
        settings.fail("argv[0]", "must name the program to run");

    out.workdir = settings.stringOr("workdir", "");
    std::error_code error;  // a name too long for the system is just not a folder
    if (!out.workdir.empty() && !fs::is_directory(out.workdir, error))
        settings.fail("workdir", "folder '" + abbreviate(out.workdir, 200) +
                                     "' does not exist; create it or fix the path");
    if (auto env = settings.optionalObject("env")) {
        for (const auto& [key, value] : env->json().items()) {
            if (!value.is_string())
                env->fail(key, "must be a string (got " + describeJson(value) + "); quote it");
            if (key.empty() || key.find_first_of(std::string("=\0", 2)) != std::string::npos)
                env->fail(key, "is not a valid environment variable name");
            out.env[key] = value.get<std::string>();
        }
    }
    out.timeoutSeconds = settings.optionalNumber("timeout_s");
    if (out.timeoutSeconds && !(*out.timeoutSeconds > 0))
        settings.fail("timeout_s",
                      "must be > 0 seconds (got " + describeJson(*out.timeoutSeconds) + ")");
    out.graceSeconds = settings.numberOr("grace_s", 10.0);
    if (!(out.graceSeconds >= 0) || out.graceSeconds > 3600)
        settings.fail("grace_s", "must be between 0 and 3600 seconds (got " +
                                     describeJson(out.graceSeconds) +
                                     "): how long a stopped command may take before SIGKILL");
    out.runsDir = settings.stringOr("runs_dir", defaultRunsDir());
    if (out.runsDir.empty())
        settings.fail("runs_dir", "must name a folder for the trials' files");
    return out;
}

}  // namespace

std::unique_ptr<Objective> makeCommandObjective(JsonReader& settings, const SearchSpace& space) {
    return std::make_unique<CommandObjective>(parseCommandSettings(settings, space),
                                              makeLocalExecutor());
}

}  // namespace bonsai

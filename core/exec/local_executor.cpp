#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "exec/executor.h"

extern char** environ;

namespace bonsai {

namespace {

constexpr std::size_t kTailBytes = 8192;

// Keeps the last kTailBytes of a stream.
void appendTail(std::string& tail, const char* data, std::size_t size) {
    tail.append(data, size);
    if (tail.size() > kTailBytes)
        tail.erase(0, tail.size() - kTailBytes);
}

std::string describeWaitStatus(int status) {
    if (WIFEXITED(status))
        return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
        int signal = WTERMSIG(status);
        const char* name = sigabbrev_np(signal);
        return "killed by signal " + std::to_string(signal) +
               (name ? std::string(" (SIG") + name + ")" : std::string());
    }
    return "ended with wait status " + std::to_string(status);
}

// The parent's environment with `overrides` applied, as "KEY=VALUE" strings.
std::vector<std::string> mergedEnvironment(const std::map<std::string, std::string>& overrides) {
    std::vector<std::string> out;
    for (char** entry = environ; entry && *entry; ++entry) {
        std::string text(*entry);
        std::string key = text.substr(0, text.find('='));
        if (!overrides.count(key))
            out.push_back(std::move(text));
    }
    for (const auto& [key, value] : overrides)
        out.push_back(key + "=" + value);
    return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (std::string& s : strings)
        out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

class Pipe {
  public:
    Pipe() {
        if (pipe2(m_fds, O_CLOEXEC) != 0)
            throw std::runtime_error(std::string("cannot create a pipe: ") + std::strerror(errno));
    }
    ~Pipe() {
        closeRead();
        closeWrite();
    }
    int read() const { return m_fds[0]; }
    int write() const { return m_fds[1]; }
    int releaseRead() { return std::exchange(m_fds[0], -1); }
    void closeRead() {
        if (m_fds[0] >= 0)
            ::close(std::exchange(m_fds[0], -1));
    }
    void closeWrite() {
        if (m_fds[1] >= 0)
            ::close(std::exchange(m_fds[1], -1));
    }

  private:
    int m_fds[2] = {-1, -1};
};

// A child process leading its own process group, so a stop reaches every
// process the command starts (a Python training script's data workers, say).
class LocalCommand final : public RunningCommand {
  public:
    LocalCommand(pid_t pid, int stdoutFd, int stderrFd)
        : m_pid(pid), m_stdoutFd(stdoutFd), m_stderrFd(stderrFd) {
        fcntl(m_stdoutFd, F_SETFL, O_NONBLOCK);
        fcntl(m_stderrFd, F_SETFL, O_NONBLOCK);
    }

    ~LocalCommand() override {
        if (!m_exit)
            cancel(std::chrono::milliseconds(0));
        ::close(m_stdoutFd);
        ::close(m_stderrFd);
    }

    std::vector<std::string> takeStdoutLines() override {
        drain();
        std::vector<std::string> lines;
        std::size_t start = 0;
        for (std::size_t end; (end = m_pending.find('\n', start)) != std::string::npos;
             start = end + 1)
            lines.push_back(m_pending.substr(start, end - start));
        m_pending.erase(0, start);
        if (m_exit && !m_pending.empty() &&
            (m_streamsClosed || std::chrono::steady_clock::now() - m_exitSeen >= kStragglerWait)) {
            lines.push_back(m_pending);  // a last line without '\n'
            m_pending.clear();
        }
        return lines;
    }

    std::optional<CommandExit> poll() override {
        if (!m_exit) {
            int status = 0;
            if (waitpid(m_pid, &status, WNOHANG) != m_pid)
                return std::nullopt;
            recordExit(status);
        }
        drain();
        // Output still in flight (a pipe held open by a straggler the group
        // kill has not reached yet) is read on the next call; a process that
        // left the group (setsid) and keeps the pipe open is not waited for.
        const bool straggling = std::chrono::steady_clock::now() - m_exitSeen < kStragglerWait;
        if ((!m_streamsClosed && straggling) || !m_pending.empty())
            return std::nullopt;
        return m_exit;
    }

    void cancel(std::chrono::milliseconds grace) override {
        if (m_exit)
            return;
        ::kill(-m_pid, SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + grace;
        int status = 0;
        while (std::chrono::steady_clock::now() < deadline) {
            if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
                recordExit(status);
                return;
            }
            drain();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        ::kill(-m_pid, SIGKILL);
        while (waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
        recordExit(status);
    }

    std::string stdoutTail() const override { return m_stdoutTail; }
    std::string stderrTail() const override { return m_stderrTail; }

  private:
    void recordExit(int status) {
        // The group leader is gone: whatever it left behind goes with it, so
        // no orphan outlives its trial.
        ::kill(-m_pid, SIGKILL);
        m_exitSeen = std::chrono::steady_clock::now();
        m_exit =
            CommandExit{WIFEXITED(status) && WEXITSTATUS(status) == 0, describeWaitStatus(status)};
        if (m_exit->ok)
            m_exit->reason.clear();
    }

    // Reads whatever both pipes hold now; notices end of file on both.
    void drain() {
        char buffer[65536];
        bool stdoutOpen = readAvailable(m_stdoutFd, buffer, sizeof buffer, [&](std::size_t n) {
            m_pending.append(buffer, n);
            appendTail(m_stdoutTail, buffer, n);
        });
        bool stderrOpen = readAvailable(m_stderrFd, buffer, sizeof buffer, [&](std::size_t n) {
            appendTail(m_stderrTail, buffer, n);
        });
        m_streamsClosed = !stdoutOpen && !stderrOpen;
    }

    // False once the stream reached end of file.
    template <typename Sink>
    static bool readAvailable(int fd, char* buffer, std::size_t size, Sink sink) {
        while (true) {
            ssize_t n = ::read(fd, buffer, size);
            if (n > 0) {
                sink(static_cast<std::size_t>(n));
                continue;
            }
            if (n == 0)
                return false;
            return errno == EAGAIN || errno == EINTR;
        }
    }

    pid_t m_pid;
    int m_stdoutFd;
    int m_stderrFd;
    std::string m_pending;  // stdout bytes after the last complete line
    std::string m_stdoutTail;
    std::string m_stderrTail;
    std::optional<CommandExit> m_exit;
    bool m_streamsClosed = false;
    std::chrono::steady_clock::time_point m_exitSeen;
    static constexpr std::chrono::seconds kStragglerWait{2};
};

// The supervisor's answer to its parent dying: take the whole group along.
void killOwnGroup(int) {
    ::kill(0, SIGKILL);
}

// Everything below runs between fork and exec and so makes only
// async-signal-safe calls: the parent process has threads.
//
// The forked child becomes a small supervisor leading its own process group;
// it runs the command as its child in that group. A stop (SIGTERM to the
// group) reaches the command and everything it started; the supervisor
// ignores it and passes on the command's exit. If bonsai dies (kill -9), the
// kernel sends the supervisor SIGHUP (PR_SET_PDEATHSIG) and it kills the
// group, so no command runs on alone. (The death signal follows the forking
// thread: the engine's worker threads outlive their trials.)
[[noreturn]] void superviseCommand(const CommandLaunch& launch, char* const argv[],
                                   char* const envp[], int stdoutFd, int stderrFd, int errorFd,
                                   pid_t parent) {
    setpgid(0, 0);
    struct sigaction onHangup {};
    onHangup.sa_handler = killOwnGroup;
    sigaction(SIGHUP, &onHangup, nullptr);
    prctl(PR_SET_PDEATHSIG, SIGHUP);
    if (getppid() != parent)
        killOwnGroup(0);  // bonsai died before prctl took effect
    ::signal(SIGTERM, SIG_IGN);
    ::signal(SIGINT, SIG_IGN);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);

    const pid_t command = fork();
    if (command == 0) {
        auto fail = [errorFd](int stage) {
            int report[2] = {stage, errno};
            (void)!::write(errorFd, report, sizeof report);
            _exit(127);
        };
        for (int signal : {SIGTERM, SIGINT, SIGPIPE, SIGHUP})
            ::signal(signal, SIG_DFL);
        int devNull = ::open("/dev/null", O_RDONLY);
        if (devNull < 0 || dup2(devNull, 0) < 0 || dup2(stdoutFd, 1) < 0 || dup2(stderrFd, 2) < 0)
            fail(0);
        if (!launch.workdir.empty() && chdir(launch.workdir.c_str()) != 0)
            fail(1);
        execvpe(argv[0], argv, envp);
        fail(2);
    }
    // The supervisor holds no pipe: end of file on them means the group is done.
    ::close(stdoutFd);
    ::close(stderrFd);
    ::close(errorFd);
    int status = 0;
    while (command > 0 && waitpid(command, &status, 0) < 0 && errno == EINTR) {
    }
    if (command < 0 || !(WIFEXITED(status) || WIFSIGNALED(status)))
        _exit(127);
    if (WIFEXITED(status))
        _exit(WEXITSTATUS(status));
    // Die of the same signal, so the parent reports it.
    ::signal(WTERMSIG(status), SIG_DFL);
    ::kill(getpid(), WTERMSIG(status));
    _exit(128 + WTERMSIG(status));
}

class LocalExecutor final : public Executor {
  public:
    std::unique_ptr<RunningCommand> launch(const CommandLaunch& launch) override {
        if (launch.argv.empty() || launch.argv.front().empty())
            throw std::runtime_error("the command line is empty");
        Pipe out, err, execError;
        std::vector<std::string> argvStrings = launch.argv;
        std::vector<std::string> envStrings = mergedEnvironment(launch.env);
        std::vector<char*> argv = pointers(argvStrings);
        std::vector<char*> envp = pointers(envStrings);

        const pid_t parent = getpid();
        const pid_t pid = fork();
        if (pid < 0)
            throw std::runtime_error(std::string("cannot start a process: ") +
                                     std::strerror(errno));
        if (pid == 0)
            superviseCommand(launch, argv.data(), envp.data(), out.write(), err.write(),
                             execError.write(), parent);
        // Avoid a race with the child's own setpgid: kill(-pid) must work at once.
        setpgid(pid, pid);
        out.closeWrite();
        err.closeWrite();
        execError.closeWrite();

        int report[2] = {0, 0};
        ssize_t got;
        while ((got = ::read(execError.read(), report, sizeof report)) < 0 && errno == EINTR) {
        }
        if (got == sizeof report) {  // exec failed: the child wrote why, then exited
            int status = 0;
            waitpid(pid, &status, 0);
            const std::string why = std::strerror(report[1]);
            if (report[0] == 1)
                throw std::runtime_error("cannot enter the working folder '" + launch.workdir +
                                         "': " + why);
            throw std::runtime_error(
                "cannot start '" + launch.argv.front() + "': " + why +
                (report[1] == ENOENT ? " (is it installed and on PATH?)" : ""));
        }
        return std::make_unique<LocalCommand>(pid, out.releaseRead(), err.releaseRead());
    }
};

}  // namespace

std::unique_ptr<Executor> makeLocalExecutor() {
    return std::make_unique<LocalExecutor>();
}

}  // namespace bonsai

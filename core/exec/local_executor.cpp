#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
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

class LocalExecutor final : public Executor {
  public:
    std::unique_ptr<RunningCommand> launch(const CommandLaunch& launch) override {
        if (launch.argv.empty() || launch.argv.front().empty())
            throw std::runtime_error("the command line is empty");
        Pipe out, err;
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&actions, out.write(), 1);
        posix_spawn_file_actions_adddup2(&actions, err.write(), 2);
        if (!launch.workdir.empty())
            posix_spawn_file_actions_addchdir_np(&actions, launch.workdir.c_str());
        posix_spawnattr_t attributes;
        posix_spawnattr_init(&attributes);
        posix_spawnattr_setpgroup(&attributes, 0);  // its own process group
        sigset_t defaults;
        sigemptyset(&defaults);
        sigaddset(&defaults, SIGTERM);
        sigaddset(&defaults, SIGINT);
        sigaddset(&defaults, SIGPIPE);
        posix_spawnattr_setsigdefault(&attributes, &defaults);
        sigset_t none;
        sigemptyset(&none);
        posix_spawnattr_setsigmask(&attributes, &none);
        posix_spawnattr_setflags(
            &attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

        std::vector<std::string> argvStrings = launch.argv;
        std::vector<std::string> envStrings = mergedEnvironment(launch.env);
        std::vector<char*> argv = pointers(argvStrings);
        std::vector<char*> envp = pointers(envStrings);
        pid_t pid = 0;
        int error = posix_spawnp(&pid, argv[0], &actions, &attributes, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attributes);
        if (error != 0) {
            if (error == ENOENT && !launch.workdir.empty() && access(launch.workdir.c_str(), X_OK))
                throw std::runtime_error("cannot enter the working folder '" + launch.workdir +
                                         "': " + std::strerror(errno));
            throw std::runtime_error("cannot start '" + launch.argv.front() +
                                     "': " + std::strerror(error) +
                                     (error == ENOENT ? " (is it installed and on PATH?)" : ""));
        }
        out.closeWrite();
        err.closeWrite();
        return std::make_unique<LocalCommand>(pid, out.releaseRead(), err.releaseRead());
    }
};

}  // namespace

std::unique_ptr<Executor> makeLocalExecutor() {
    return std::make_unique<LocalExecutor>();
}

}  // namespace bonsai

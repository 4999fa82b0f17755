#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <thread>

#include "exec/executor.h"
#include "exec/line_buffer.h"
#include "exec/process.h"

namespace bonsai {

namespace {

// Bytes read per read() call; large, so logging at hundreds of MB/s costs few
// system calls.
constexpr std::size_t kReadBytes = 1 << 18;

// A pipe large enough that a fast-writing command rarely blocks between two
// of our reads; where the per-user pipe allowance is used up, a smaller one.
void enlargePipe(int fd) {
    for (int size : {1 << 20, 1 << 18})
        if (fcntl(fd, F_SETPIPE_SZ, size) >= 0)
            return;
}

// A child process leading its own process group, so a stop reaches every
// process the command starts (a Python training script's data workers, say).
// Its supervisor also ends those that left the group (setsid, daemons).
class LocalCommand final : public RunningCommand {
  public:
    LocalCommand(pid_t pid, int stdoutFd, int stderrFd)
        : m_pid(pid), m_stdoutFd(stdoutFd), m_stderrFd(stderrFd), m_buffer(kReadBytes) {
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
        if (m_exit &&
            (m_streamsClosed || std::chrono::steady_clock::now() - m_exitSeen >= kStragglerWait))
            m_stdout.finish();  // a last line without '\n'
        return m_stdout.takeLines();
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
        // escaped even the supervisor and keeps the pipe open is not waited for.
        const bool straggling = std::chrono::steady_clock::now() - m_exitSeen < kStragglerWait;
        if ((!m_streamsClosed && straggling) || m_stdout.hasLines() || m_stdout.hasPartial())
            return std::nullopt;
        return m_exit;
    }

    void waitForOutput(std::chrono::milliseconds timeout) override {
        if (m_stdout.hasLines())
            return;
        // A closed stream (negative fd) is left out, or poll() would return at once.
        pollfd fds[2] = {{m_stdoutOpen ? m_stdoutFd : -1, POLLIN, 0},
                         {m_stderrOpen ? m_stderrFd : -1, POLLIN, 0}};
        ::poll(fds, 2, static_cast<int>(timeout.count()));
    }

    void cancel(std::chrono::milliseconds grace) override {
        if (m_exit)
            return;
        ::kill(-m_pid, SIGTERM);
        if (waitUntil(std::chrono::steady_clock::now() + grace))
            return;
        // The supervisor kills every descendant, in the group or not, and
        // exits; if it cannot (stopped, say), the group goes at once.
        ::kill(m_pid, SIGUSR1);
        if (waitUntil(std::chrono::steady_clock::now() + kSupervisorWait))
            return;
        ::kill(-m_pid, SIGKILL);
        int status = 0;
        while (waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
        recordExit(status);
    }

    std::string stdoutTail() const override { return m_stdout.tail(); }
    std::string stderrTail() const override { return m_stderrTail.text(); }

  private:
    // True once the supervisor exited before `deadline`.
    bool waitUntil(std::chrono::steady_clock::time_point deadline) {
        int status = 0;
        while (true) {
            if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
                recordExit(status);
                return true;
            }
            if (std::chrono::steady_clock::now() >= deadline)
                return false;
            drain();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }

    void recordExit(int status) {
        // The supervisor has killed what the command left behind; the group
        // kill is for a supervisor that died itself.
        ::kill(-m_pid, SIGKILL);
        m_exitSeen = std::chrono::steady_clock::now();
        m_exit =
            CommandExit{WIFEXITED(status) && WEXITSTATUS(status) == 0, describeWaitStatus(status)};
        if (m_exit->ok)
            m_exit->reason.clear();
    }

    // Reads whatever both pipes hold now; notices end of file on both.
    void drain() {
        char* buffer = m_buffer.data();
        if (m_stdoutOpen)
            m_stdoutOpen = readAvailable(m_stdoutFd, buffer, m_buffer.size(),
                                         [&](std::size_t n) { m_stdout.append(buffer, n); });
        if (m_stderrOpen)
            m_stderrOpen = readAvailable(m_stderrFd, buffer, m_buffer.size(),
                                         [&](std::size_t n) { m_stderrTail.append(buffer, n); });
        m_streamsClosed = !m_stdoutOpen && !m_stderrOpen;
    }

    // False once the stream reached end of file.
    template <typename Sink>
    static bool readAvailable(int fd, char* buffer, std::size_t size, Sink sink) {
        while (true) {
            ssize_t n = ::read(fd, buffer, size);
            if (n > 0) {
                sink(static_cast<std::size_t>(n));
                if (static_cast<std::size_t>(n) < size)
                    return true;  // the pipe is empty now: spare a read() that says so
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
    std::vector<char> m_buffer;
    LineBuffer m_stdout;
    StreamTail m_stderrTail;
    std::optional<CommandExit> m_exit;
    bool m_stdoutOpen = true;
    bool m_stderrOpen = true;
    bool m_streamsClosed = false;
    std::chrono::steady_clock::time_point m_exitSeen;
    static constexpr std::chrono::seconds kStragglerWait{2};
    static constexpr std::chrono::seconds kSupervisorWait{2};
};

// --- The supervisor. Everything below runs between fork and exec and so
// makes only async-signal-safe calls (raw system calls, no allocation): the
// parent process has threads.

// Sends `signal` to every child of this process; returns how many it found.
// Children are read from /proc (each /proc/<pid>/stat names its parent).
int signalChildren(int signal) {
    const pid_t self = getpid();
    const int proc = ::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (proc < 0)
        return 0;
    int found = 0;
    alignas(8) char entries[4096];
    long got;
    while ((got = getdents64(proc, entries, sizeof entries)) > 0) {
        for (long offset = 0; offset < got;) {
            const auto* entry = reinterpret_cast<const struct dirent64*>(entries + offset);
            offset += entry->d_reclen;
            const char* name = entry->d_name;
            pid_t pid = 0;
            for (; *name >= '0' && *name <= '9'; ++name)
                pid = pid * 10 + (*name - '0');
            if (*name != '\0' || pid <= 0 || pid == self)
                continue;
            char path[64] = "/proc/";
            std::size_t length = 6;
            for (const char* c = entry->d_name; *c && length < 50; ++c)
                path[length++] = *c;
            const char suffix[] = "/stat";
            for (char c : suffix)
                path[length++] = c;
            const int stat = ::open(path, O_RDONLY | O_CLOEXEC);
            if (stat < 0)
                continue;
            char text[512];
            const ssize_t size = ::read(stat, text, sizeof text - 1);
            ::close(stat);
            if (size <= 0)
                continue;
            text[size] = '\0';
            // "pid (name) S ppid ...": the name may hold spaces and ')'.
            const char* close = nullptr;
            for (const char* c = text; *c; ++c)
                if (*c == ')')
                    close = c;
            if (!close || close[1] == '\0' || close[2] == '\0' || close[3] == '\0')
                continue;
            pid_t parent = 0;
            for (const char* c = close + 4; *c >= '0' && *c <= '9'; ++c)
                parent = parent * 10 + (*c - '0');
            if (parent == self) {
                ::kill(pid, signal);
                ++found;
            }
        }
    }
    ::close(proc);
    return found;
}

// Kills and reaps every descendant: as a child subreaper the supervisor
// inherits the orphans of those it kills, so it repeats until none is left.
// Stores the command's wait status if it reaps the command here.
void killDescendants(pid_t command, int* commandStatus) {
    while (true) {
        signalChildren(SIGKILL);
        int status = 0;
        const pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            return;  // ECHILD: nothing left
        }
        if (pid == command)
            *commandStatus = status;
    }
}

volatile sig_atomic_t g_finish = 0;

// Bonsai died (SIGHUP via PR_SET_PDEATHSIG) or its stop ran out of grace
// (SIGUSR1): kill the children now; the main loop then reaps the command
// and kills whatever is left.
void onFinishSignal(int) {
    g_finish = 1;
    const int saved = errno;
    signalChildren(SIGKILL);
    errno = saved;
}

// The forked child becomes a small supervisor leading its own process group;
// it runs the command as its child in that group. A stop (SIGTERM to the
// group) reaches the command and everything it started; the supervisor
// ignores it and passes on the command's exit. It is a child subreaper, so
// processes that leave the group (setsid, double-forking daemons) stay its
// descendants, and when the command ends it kills every descendant left. If
// bonsai dies (kill -9), the kernel sends the supervisor SIGHUP
// (PR_SET_PDEATHSIG) and it does the same, so no command runs on alone. (The
// death signal follows the forking thread: the engine's worker threads
// outlive their trials.)
[[noreturn]] void superviseCommand(const CommandLaunch& launch, char* const argv[],
                                   char* const envp[], int stdoutFd, int stderrFd, int errorFd,
                                   pid_t parent) {
    setpgid(0, 0);
    struct sigaction onFinish {};
    onFinish.sa_handler = onFinishSignal;  // no SA_RESTART: waitpid returns EINTR
    sigaction(SIGHUP, &onFinish, nullptr);
    sigaction(SIGUSR1, &onFinish, nullptr);
    prctl(PR_SET_PDEATHSIG, SIGHUP);
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    if (getppid() != parent)
        _exit(127);  // bonsai died before prctl took effect
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
        for (int signal : {SIGTERM, SIGINT, SIGPIPE, SIGHUP, SIGUSR1})
            ::signal(signal, SIG_DFL);
        prctl(PR_SET_CHILD_SUBREAPER, 0);
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
    if (command < 0)
        _exit(127);
    int status = -1;
    // Orphans that end before the command are reaped as they go.
    while (true) {
        int childStatus = 0;
        const pid_t pid = waitpid(-1, &childStatus, 0);
        if (pid == command) {
            status = childStatus;
            break;
        }
        if (pid < 0 && errno != EINTR)
            break;
        if (g_finish)
            signalChildren(SIGKILL);
    }
    killDescendants(command, &status);
    if (status == -1 || !(WIFEXITED(status) || WIFSIGNALED(status)))
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
        enlargePipe(out.write());
        std::vector<std::string> argvStrings = launch.argv;
        std::vector<std::string> envStrings = mergedEnvironment(launch.env);
        std::vector<char*> argv = argvPointers(argvStrings);
        std::vector<char*> envp = argvPointers(envStrings);

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

std::uint64_t raiseOpenFileLimit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 1024;
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
            limit = raised;
    }
    return limit.rlim_cur == RLIM_INFINITY ? std::numeric_limits<std::uint64_t>::max()
                                           : static_cast<std::uint64_t>(limit.rlim_cur);
}

std::string openFileShortage(std::uint64_t commands) {
    const std::uint64_t limit = raiseOpenFileLimit();
    const std::uint64_t needed = kOpenFilesReserved + commands * kOpenFilesPerLocalCommand;
    if (needed <= limit)
        return {};
    const std::uint64_t fits =
        limit > kOpenFilesReserved ? (limit - kOpenFilesReserved) / kOpenFilesPerLocalCommand : 0;
    return std::to_string(commands) + " commands at once need about " + std::to_string(needed) +
           " open files, but the limit is " + std::to_string(limit) +
           " (ulimit -n, hard limit included); use at most " + std::to_string(fits) +
           " workers or raise the limit";
}

}  // namespace bonsai

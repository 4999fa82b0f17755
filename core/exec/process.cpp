#include "exec/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>  // NOLINT(modernize-deprecated-headers): POSIX kill, sigaction
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace bonsai {

Pipe::Pipe() {
    if (pipe2(m_fds, O_CLOEXEC) != 0)
        throw std::runtime_error(std::string("cannot create a pipe: ") + std::strerror(errno));
}

Pipe::~Pipe() {
    closeRead();
    closeWrite();
}

void Pipe::closeRead() {
    if (m_fds[0] >= 0)
        ::close(std::exchange(m_fds[0], -1));
}

void Pipe::closeWrite() {
    if (m_fds[1] >= 0)
        ::close(std::exchange(m_fds[1], -1));
}

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

std::vector<char*> argvPointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (std::string& s : strings)
        out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

std::string describeSignal(int signal) {
    const char* name = sigabbrev_np(signal);
    return "killed by signal " + std::to_string(signal) +
           (name ? std::string(" (SIG") + name + ")" : std::string());
}

std::string describeWaitStatus(int status) {
    if (WIFEXITED(status))
        return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return describeSignal(WTERMSIG(status));
    return "ended with wait status " + std::to_string(status);
}

bool ProgramResult::ok() const {
    return spawnError == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

ProgramResult runProgram(const std::vector<std::string>& args) {
    ProgramResult result;
    Pipe out, err;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out.write(), 1);
    posix_spawn_file_actions_adddup2(&actions, err.write(), 2);
    std::vector<std::string> copies = args;
    std::vector<char*> argv = argvPointers(copies);
    pid_t pid = 0;
    result.spawnError = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    out.closeWrite();
    err.closeWrite();
    if (result.spawnError == 0) {
        pollfd fds[2] = {{out.read(), POLLIN, 0}, {err.read(), POLLIN, 0}};
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
    return result;
}

std::string trimBlanks(const std::string& text) {
    const auto begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos)
        return "";
    const auto end = text.find_last_not_of(" \t\r\n");
    return text.substr(begin, end - begin + 1);
}

}  // namespace bonsai

#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

// Small POSIX process helpers shared by the local and the slurm executor:
// pipes, environments, wait statuses and running a short program to its end.
namespace bonsai {

// A close-on-exec pipe whose ends close with it.
class Pipe {
  public:
    // Throws std::runtime_error naming errno when the system has no pipe left.
    Pipe();
    ~Pipe();
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;

    int read() const { return m_fds[0]; }
    int write() const { return m_fds[1]; }
    int releaseRead() { return std::exchange(m_fds[0], -1); }
    void closeRead();
    void closeWrite();

  private:
    int m_fds[2] = {-1, -1};
};

// The parent's environment with `overrides` applied, as "KEY=VALUE" strings.
std::vector<std::string> mergedEnvironment(const std::map<std::string, std::string>& overrides);
// Null-terminated pointers into `strings`, for exec*() (they must outlive it).
std::vector<char*> argvPointers(std::vector<std::string>& strings);

// "killed by signal 9 (SIGKILL)".
std::string describeSignal(int signal);
// "exit status 2", or describeSignal() of a process killed by a signal.
std::string describeWaitStatus(int status);

struct ProgramResult {
    int spawnError = 0;  // errno of a failed start (ENOENT: not installed)
    int status = 0;      // wait status
    std::string out;
    std::string err;

    // Started, and exited by itself with status 0.
    bool ok() const;
};

// Runs a program to its end and captures both streams. Safe to call from
// several threads at once (posix_spawn, close-on-exec pipes). Throws
// std::runtime_error only when no pipe can be made.
ProgramResult runProgram(const std::vector<std::string>& args);

// `text` without leading and trailing blanks (space, tab, CR, LF).
std::string trimBlanks(const std::string& text);

}  // namespace bonsai

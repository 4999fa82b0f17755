#include "util/safe_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace bonsai {

void ensurePrivateFolder(const std::string& dir) {
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        throw std::runtime_error("cannot create the folder '" + dir + "': " + std::strerror(errno));
    struct stat info {};
    if (::lstat(dir.c_str(), &info) != 0)
        throw std::runtime_error("cannot inspect the folder '" + dir +
                                 "': " + std::strerror(errno));
    if (!S_ISDIR(info.st_mode))
        throw std::runtime_error("'" + dir +
                                 "' is not a folder (a symlink or file is in the way); remove "
                                 "it or choose another runs_dir");
    if (info.st_uid != ::geteuid())
        throw std::runtime_error("the folder '" + dir + "' belongs to another user (uid " +
                                 std::to_string(info.st_uid) +
                                 "); Bonsai writes trial files only in your own folders, so "
                                 "remove it or choose another runs_dir");
    if ((info.st_mode & 0777) != 0700)
        ::chmod(dir.c_str(), 0700);
}

void replaceFile(const std::string& path, const std::string& text, mode_t mode) {
    // Unique per call: threads may replace files in one folder at once.
    static std::atomic<unsigned> counter{0};
    const std::string temporary =
        path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    ::unlink(temporary.c_str());
    const int fd =
        ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0)
        throw std::runtime_error("cannot write '" + temporary + "': " + std::strerror(errno));
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int error = errno;
            ::close(fd);
            ::unlink(temporary.c_str());
            throw std::runtime_error("cannot write '" + path + "': " + std::strerror(error));
        }
        written += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) {  // where NFS and full disks report late
        const int error = errno;
        ::unlink(temporary.c_str());
        throw std::runtime_error("cannot write '" + path + "': " + std::strerror(error));
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        throw std::runtime_error("cannot write '" + path + "': " + std::strerror(error));
    }
}

}  // namespace bonsai

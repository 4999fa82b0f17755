#pragma once

#include <sys/types.h>

#include <string>

// Files written where another local user might have been first (a shared
// runs folder) or where a half-written file would do harm (an export).
namespace bonsai {

// Creates `dir` with mode 0700, or accepts an existing one only if it is a
// real folder (not a symlink) owned by this user, so no other user can have
// prepared it; tightens its mode to 0700. Throws std::runtime_error saying
// what is wrong and what to do.
void ensurePrivateFolder(const std::string& dir);

// Writes `text` to `path` through a new file beside it (O_EXCL | O_NOFOLLOW,
// `mode` before the umask) and a rename: a symlink planted at `path` is
// replaced, never written through, and a failed write leaves no half file.
// Throws std::runtime_error.
void replaceFile(const std::string& path, const std::string& text, mode_t mode = 0666);

}  // namespace bonsai

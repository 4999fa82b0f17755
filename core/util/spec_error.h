#pragma once

#include <stdexcept>
#include <string>

namespace bonsai {

// A user-facing error in a study spec (or a form entry that maps to one).
// `path` is the JSON path of the offending field, e.g. "space[2].low";
// what() reads "space[2].low: must be > 0 when log is true (got 0)".
class SpecError : public std::runtime_error {
  public:
    SpecError(std::string path, std::string message)
        : std::runtime_error(path.empty() ? message : path + ": " + message),
          m_path(std::move(path)),
          m_message(std::move(message)) {}

    const std::string& path() const { return m_path; }
    const std::string& message() const { return m_message; }

  private:
    std::string m_path;
    std::string m_message;
};

}  // namespace bonsai

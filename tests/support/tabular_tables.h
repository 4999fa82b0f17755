#pragma once

// What the tabular objective's tests share: small CSV tables written to a
// temporary folder, the key space they cover, and the SpecError an objective
// spec gets against a space.

#include <QTemporaryDir>
#include <string>

#include "util/json.h"

namespace bonsai::test {

// One categorical "model" of a, b and c: the key of the small tables.
extern const char* const kModelSpace;

// The SpecError message of building `objective` (built-in kinds) on `space`,
// or "" when it builds.
std::string objectiveSpecError(const Json& objective, const char* space = kModelSpace);

// CSV files in a temporary folder that goes with the object.
class TableFiles {
  public:
    bool isValid() const { return m_dir.isValid(); }
    QString path() const { return m_dir.path(); }
    // The path of `name` in the folder (written or not).
    std::string filePath(const char* name) const { return m_dir.filePath(name).toStdString(); }
    // Writes `text` to `name` byte for byte and returns its path.
    std::string write(const char* name, const std::string& text) const;

  private:
    QTemporaryDir m_dir;
};

}  // namespace bonsai::test

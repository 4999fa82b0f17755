#pragma once

#include <optional>
#include <string>
#include <vector>

namespace bonsai::cli {

// `bonsai-cli import-optuna FILE [--study NAME] [--db DB]`: every study of an
// Optuna SQLite file (or the one named) becomes a Bonsai study; on any problem
// nothing is written.
int importOptunaCommand(const std::vector<std::string>& args);

// `bonsai-cli export NAME --format optuna --out FILE [--optuna-schema REV]`:
// the study as a new Optuna SQLite file that optuna.load_study opens.
int exportOptunaCommand(const std::string& databasePath, const std::string& study,
                        const std::optional<std::string>& out,
                        const std::optional<std::string>& revision);

}  // namespace bonsai::cli

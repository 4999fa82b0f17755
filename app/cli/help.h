#pragma once

#include <optional>
#include <string>
#include <vector>

namespace bonsai::cli {

// The one-screen overview of every command (`bonsai-cli --help`).
const char* overviewHelp();

// What `bonsai-cli COMMAND --help` prints: the command's usage, what it
// does, each option and an example. nullopt for an unknown command.
std::optional<std::string> commandHelp(const std::string& command);

// The first lines of commandHelp: the usage alone, for error messages.
std::optional<std::string> commandUsage(const std::string& command);

// The commands `commandHelp` knows, in the order the overview lists them.
std::vector<std::string> helpCommands();

// Whether `args` (what follows the command) asks for help: `--help` or `-h`
// before any `--`, which ends the options (`show -- --help` names a study).
bool asksForHelp(const std::vector<std::string>& args);

}  // namespace bonsai::cli

#pragma once

#include <string>
#include <vector>

namespace bonsai::cli {

// Each returns the process exit code: 0 success, 2 bad usage or bad spec
// (message on stderr), 1 runtime failure.
int runCommand(const std::vector<std::string>& args);
int resumeCommand(const std::vector<std::string>& args);
int listCommand(const std::vector<std::string>& args);
int showCommand(const std::vector<std::string>& args);
int exportCommand(const std::vector<std::string>& args);
int benchCommand(const std::vector<std::string>& args);
// The strategy and pruner kinds with their settings (--markdown: README tables).
int strategiesCommand(const std::vector<std::string>& args);
int prunersCommand(const std::vector<std::string>& args);

}  // namespace bonsai::cli

// bonsai-cli: the headless Bonsai engine. See README "Command line".
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "arguments.h"
#include "commands.h"
#include "exec/executor.h"
#include "help.h"
#include "optuna_commands.h"
#include "storage/database.h"
#include "util/json_reader.h"
#include "util/spec_error.h"

int main(int argc, char** argv) {
    using namespace bonsai;
    std::vector<std::string> args(argv + 1, argv + argc);
    const char* usage = cli::overviewHelp();
    if (args.empty() || args[0] == "--help" || args[0] == "-h" ||
        (args[0] == "help" && (args.size() == 1 || cli::asksForHelp({args[1]})))) {
        std::fputs(usage, args.empty() ? stderr : stdout);
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
        std::printf("bonsai-cli %s\n", BONSAI_VERSION);
        return 0;
    }
    // `bonsai-cli help bench` and `bonsai-cli bench --help` explain one command.
    if (args[0] == "help" || cli::asksForHelp({args.begin() + 1, args.end()})) {
        const std::string& command = args[0] == "help" ? args[1] : args[0];
        if (auto text = cli::commandHelp(command)) {
            std::fputs(text->c_str(), stdout);
            return 0;
        }
        std::string suggestion = closestMatch(command, cli::helpCommands());
        std::fprintf(stderr, "bonsai-cli: no help for unknown command '%s'%s\n%s", command.c_str(),
                     suggestion.empty() ? "" : ("; did you mean '" + suggestion + "'?").c_str(),
                     usage);
        return 2;
    }
    // `run ... | head`: a closed stdout must not kill a running study (and
    // leave it marked running); its output is lost, the study goes on.
    std::signal(SIGPIPE, SIG_IGN);
    // Parallel command trials each hold pipes; the soft default (1024) is low.
    raiseOpenFileLimit();
    std::string command = args[0];
    args.erase(args.begin());
    try {
        if (command == "run")
            return cli::runCommand(args);
        if (command == "resume")
            return cli::resumeCommand(args);
        if (command == "list")
            return cli::listCommand(args);
        if (command == "show")
            return cli::showCommand(args);
        if (command == "export")
            return cli::exportCommand(args);
        if (command == "import-optuna")
            return cli::importOptunaCommand(args);
        if (command == "bench")
            return cli::benchCommand(args);
        if (command == "strategies")
            return cli::strategiesCommand(args);
        if (command == "pruners")
            return cli::prunersCommand(args);
        std::string suggestion = closestMatch(command, cli::helpCommands());
        std::fprintf(stderr, "bonsai-cli: unknown command '%s'%s\n%s", command.c_str(),
                     suggestion.empty() ? "" : ("; did you mean '" + suggestion + "'?").c_str(),
                     usage);
        return 2;
    } catch (const cli::UsageError& error) {
        // The command's own usage and where to read more, not every command's.
        std::fprintf(stderr, "bonsai-cli %s: %s\n%sbonsai-cli %s --help explains each option.\n",
                     command.c_str(), error.what(), cli::commandUsage(command).value_or("").c_str(),
                     command.c_str());
        return 2;
    } catch (const SpecError& error) {
        std::fprintf(stderr, "bonsai-cli: bad spec: %s\n", error.what());
        return 2;
    } catch (const StorageError& error) {
        std::fprintf(stderr, "bonsai-cli: %s\n", error.what());
        return 1;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "bonsai-cli: %s\n", error.what());
        return 1;
    }
}

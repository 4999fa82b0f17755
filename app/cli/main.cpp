// bonsai-cli: the headless Bonsai engine. See README "Command line".
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "arguments.h"
#include "commands.h"
#include "exec/executor.h"
#include "optuna_commands.h"
#include "storage/database.h"
#include "util/json_reader.h"
#include "util/spec_error.h"

namespace {

const char* kUsage =
    "usage:\n"
    "  bonsai-cli run SPEC.json [--db FILE] [--trials N] [--seed S] [--workers N] [--json]\n"
    "  bonsai-cli resume NAME [--db FILE] [--trials N] [--json]\n"
    "  bonsai-cli list [--db FILE]\n"
    "  bonsai-cli show NAME [--db FILE]\n"
    "  bonsai-cli export NAME [--db FILE] --format csv|json|optuna [--out FILE]\n"
    "                    [--optuna-schema v3.0.0.d|v3.2.0.a]\n"
    "  bonsai-cli import-optuna FILE [--study NAME] [--db FILE]\n"
    "  bonsai-cli bench [--strategies LIST] [--problems LIST] [--seeds N] [--first-seed N]\n"
    "                   [--trials N] [--out FILE] [--jobs N] [--nb201 FOLDER]\n"
    "  bonsai-cli strategies [--markdown]\n"
    "  bonsai-cli pruners [--markdown]\n"
    "The default database is $XDG_DATA_HOME/bonsai/studies.db "
    "(~/.local/share/bonsai/studies.db).\n";

}  // namespace

int main(int argc, char** argv) {
    using namespace bonsai;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::fputs(kUsage, args.empty() ? stderr : stdout);
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
        std::printf("bonsai-cli %s\n", BONSAI_VERSION);
        return 0;
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
        std::string suggestion =
            closestMatch(command, {"run", "resume", "list", "show", "export", "import-optuna",
                                   "bench", "strategies", "pruners"});
        std::fprintf(stderr, "bonsai-cli: unknown command '%s'%s\n%s", command.c_str(),
                     suggestion.empty() ? "" : ("; did you mean '" + suggestion + "'?").c_str(),
                     kUsage);
        return 2;
    } catch (const cli::UsageError& error) {
        std::fprintf(stderr, "bonsai-cli %s: %s\n%s", command.c_str(), error.what(), kUsage);
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

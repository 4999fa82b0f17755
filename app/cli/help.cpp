#include "help.h"

#include <algorithm>
#include <array>
#include <sstream>

namespace bonsai::cli {

namespace {

struct CommandHelp {
    const char* name;
    const char* text;
};

// Each text starts with the command's usage line, as in the overview.
constexpr std::array kCommands{
    CommandHelp{"run",
                "usage: bonsai-cli run SPEC.json [--db FILE] [--name NAME] [--trials N] "
                "[--seed S]\n"
                "                      [--workers N] [--json]\n"
                "\n"
                "Creates the study SPEC.json describes and runs it to its budget. The spec\n"
                "format is in README \"Study spec\"; a study name already in the database is\n"
                "refused (resume it, or give --name). Ctrl-C stops between trials and prints\n"
                "how to resume.\n"
                "\n"
                "  --db FILE     the study database (default below; created if missing)\n"
                "  --name NAME   the study's name instead of the spec's\n"
                "  --trials N    the budget's trial count instead of the spec's\n"
                "  --seed S      the seed instead of the spec's\n"
                "  --workers N   trials evaluated at once instead of the spec's\n"
                "  --json        progress to stderr, one result object to stdout:\n"
                "                {\"study\", \"best_value\", \"best_params\", \"trials\"}\n"
                "\n"
                "example: bonsai-cli run resources/examples/branin-gp.json --trials 20\n"},
    CommandHelp{"resume",
                "usage: bonsai-cli resume NAME [--db FILE] [--trials N] [--json]\n"
                "\n"
                "Continues a stopped, failed, crashed or finished study. Trials a killed\n"
                "process left running are marked failed and do not use up the budget.\n"
                "\n"
                "  --db FILE     the study database (must exist)\n"
                "  --trials N    run N more trials (default: finish the original budget)\n"
                "  --json        as for run\n"},
    CommandHelp{"list",
                "usage: bonsai-cli list [--db FILE]\n"
                "\n"
                "One line per study: name, state, trials, best value, strategy and when it\n"
                "was created.\n"
                "\n"
                "  --db FILE     the study database (must exist)\n"},
    CommandHelp{"show",
                "usage: bonsai-cli show NAME [--db FILE]\n"
                "\n"
                "One study: its state, objective, strategy and budget, the best trial (or\n"
                "the Pareto set) and a table of trials. A name that starts with '--' goes after "
                "'--': show -- --name.\n"
                "\n"
                "  --db FILE     the study database (must exist)\n"},
    CommandHelp{"export",
                "usage: bonsai-cli export NAME [--db FILE] [--format csv|json|optuna] "
                "[--out FILE]\n"
                "                         [--optuna-schema v3.0.0.d|v3.2.0.a]\n"
                "\n"
                "Writes a study's trials. csv: one row per trial; json: the study and\n"
                "every trial with its attributes; optuna: an SQLite file that\n"
                "optuna.load_study(storage=\"sqlite:///FILE\") opens.\n"
                "\n"
                "  --db FILE              the study database (must exist)\n"
                "  --format F             csv, json or optuna (default: by the suffix of\n"
                "                         --out: .csv, .json, .db/.sqlite/.sqlite3)\n"
                "  --out FILE             where to write (csv and json: default stdout;\n"
                "                         optuna: required); never over a database\n"
                "  --optuna-schema R      v3.0.0.d (Optuna 3.0 and 3.1, the default) or\n"
                "                         v3.2.0.a (Optuna 3.2 to 4.x)\n"
                "\n"
                "example: bonsai-cli export my-study --out trials.csv\n"},
    CommandHelp{"import-optuna",
                "usage: bonsai-cli import-optuna FILE [--study NAME] [--db FILE]\n"
                "\n"
                "Copies the studies of an Optuna SQLite file (Optuna 2.x to 4.x) into a\n"
                "Bonsai database, all or nothing. The imported studies can be shown,\n"
                "analysed and exported, not resumed.\n"
                "\n"
                "  --study NAME  only this study of the file\n"
                "  --db FILE     the Bonsai database to copy into (default below)\n"},
    CommandHelp{"bench",
                "usage: bonsai-cli bench [--strategies LIST] [--problems LIST] [--seeds N]\n"
                "                        [--first-seed N] [--trials N] [--out FILE] [--jobs N]\n"
                "                        [--nb201 FOLDER]\n"
                "\n"
                "Runs every strategy on every problem for each seed, in memory, and prints\n"
                "the mean, median and quartiles of the simple regret (best so far minus the\n"
                "known optimum) at trials 10, 25, 50, 100 and the last, the hypervolume\n"
                "ratio (found / best possible) of multi-objective problems, and the median\n"
                "seconds per suggestion. Nothing is stored.\n"
                "\n"
                "  --strategies LIST  comma-separated kinds (see `bonsai-cli strategies`);\n"
                "                     settings as kind/setting=value/...,\n"
                "                     e.g. gp,gp/output_warping=none,evolution/population=30\n"
                "                     (default gp,tpe,random,sobol; for multi-objective\n"
                "                     problems gp,nsga2,random,sobol)\n"
                "  --problems LIST    comma-separated; default branin,hartmann6,ackley:5,\n"
                "                     levy:4,rosenbrock:4. Test functions: branin, hartmann3,\n"
                "                     hartmann6, ackley:D, rosenbrock:D, levy:D,\n"
                "                     styblinski-tang:D; two objectives: zdt1:D, zdt2:D,\n"
                "                     branin-currin; three: dtlz2:D.\n"
                "                     NAS-Bench-201 (needs --nb201): nb201:DATASET (12-epoch\n"
                "                     validation accuracy; cifar10, cifar100, imagenet16),\n"
                "                     nb201-hw:DATASET:COLUMN (that accuracy against a\n"
                "                     latency column of nb201_latency_hwnasbench.csv, e.g.\n"
                "                     lat_eyeriss_ms; reference point at both medians),\n"
                "                     nb201-params (accuracy against parameter count)\n"
                "  --seeds N          seeds per pair (default 10)\n"
                "  --first-seed N     the first seed (default 0): seeds N .. N+seeds-1\n"
                "  --trials N         trials per run (default 50)\n"
                "  --out FILE         one CSV row per problem, strategy, seed and trial\n"
                "  --jobs N           runs at once (default 1)\n"
                "  --nb201 FOLDER     the folder holding nb201_accuracy.csv (or set\n"
                "                     BONSAI_NB201_DIR); the table is never bundled\n"
                "\n"
                "example: bonsai-cli bench --nb201 ~/nb201 --trials 100 --strategies gp,tpe \\\n"
                "             --problems nb201:cifar10,nb201-hw:cifar10:lat_raspi4_ms\n"},
    CommandHelp{"strategies",
                "usage: bonsai-cli strategies [--markdown]\n"
                "\n"
                "Every strategy kind with its settings: type, default, range and meaning.\n"
                "\n"
                "  --markdown    as Markdown tables (README's)\n"},
    CommandHelp{"pruners",
                "usage: bonsai-cli pruners [--markdown]\n"
                "\n"
                "Every pruner kind with its settings: type, default, range and meaning.\n"
                "\n"
                "  --markdown    as Markdown tables (README's)\n"},
};

constexpr const char* kDatabaseNote =
    "\nThe default database is $XDG_DATA_HOME/bonsai/studies.db "
    "(~/.local/share/bonsai/studies.db).\n";

}  // namespace

const char* overviewHelp() {
    // Each command's usage lines, "usage: " replaced by an indent of two (so
    // continuation lines move five to the left): one source for both texts.
    static const std::string text = [] {
        std::string out = "usage:\n";
        for (const CommandHelp& entry : kCommands) {
            const std::string help = entry.text;
            std::istringstream lines(help.substr(0, help.find("\n\n")));
            for (std::string line; std::getline(lines, line);)
                out += line.rfind("usage: ", 0) == 0 ? "  " + line.substr(7) + "\n"
                                                     : line.substr(5) + "\n";
        }
        return out +
               "bonsai-cli COMMAND --help (or bonsai-cli help COMMAND) explains one command.\n"
               "The default database is $XDG_DATA_HOME/bonsai/studies.db "
               "(~/.local/share/bonsai/studies.db).\n";
    }();
    return text.c_str();
}

std::optional<std::string> commandHelp(const std::string& command) {
    for (const CommandHelp& entry : kCommands)
        if (command == entry.name) {
            std::string text = entry.text;
            if (text.find("--db") != std::string::npos)
                text += kDatabaseNote;
            return text;
        }
    return std::nullopt;
}

std::optional<std::string> commandUsage(const std::string& command) {
    std::optional<std::string> text = commandHelp(command);
    if (text)
        text->resize(text->find("\n\n") + 1);
    return text;
}

std::vector<std::string> helpCommands() {
    std::vector<std::string> names;
    for (const CommandHelp& entry : kCommands)
        names.emplace_back(entry.name);
    return names;
}

bool asksForHelp(const std::vector<std::string>& args) {
    auto end = std::find(args.begin(), args.end(), "--");
    return std::any_of(args.begin(), end,
                       [](const std::string& arg) { return arg == "--help" || arg == "-h"; });
}

}  // namespace bonsai::cli

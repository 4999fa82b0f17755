#include "commands.h"

#include <sys/stat.h>
#include <atomic>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <set>

#include "arguments.h"
#include "common/objective_kinds.h"
#include "optuna_commands.h"
#include "progress.h"
#include "study/export.h"
#include "study/study.h"
#include "util/safe_files.h"
#include "util/safe_text.h"

namespace bonsai::cli {

namespace {

std::atomic<bool> g_stopRequested{false};

// First Ctrl-C (or SIGTERM) asks the study to stop between trials (training
// stops between batches); a second one falls back to the default action.
extern "C" void onStopSignal(int signal) {
    g_stopRequested.store(true);
    std::signal(signal, SIG_DFL);
}

void installStopHandlers() {
    g_stopRequested.store(false);
    std::signal(SIGINT, onStopSignal);
    std::signal(SIGTERM, onStopSignal);
}

// An unset shell variable (`--db "$DB"`) would make SQLite use a temporary
// database that vanishes with the process: nothing stored, exit 0.
std::string databasePath(const Arguments& args) {
    auto path = args.value("db");
    if (path && path->empty())
        throw UsageError("--db needs a file name (got an empty path; is a shell variable unset?)");
    return path.value_or(Database::defaultPath());
}

// The command that continues study `name` in the database `args` name.
std::string resumeCommand(const std::string& name, const Arguments& args) {
    std::string command = "bonsai-cli resume " + shellQuote(name);
    if (auto db = args.value("db"); db && *db != Database::defaultPath())
        command += " --db " + shellQuote(*db);
    return command;
}

// Never writes over a database: not the one being exported, its -wal,
// -shm or -journal files, nor any other SQLite file.
void checkExportTarget(const std::string& out, const std::string& database) {
    namespace fs = std::filesystem;
    std::error_code error;
    const fs::path target = fs::weakly_canonical(out, error);
    const fs::path source = fs::weakly_canonical(database, error);
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        const fs::path file = source.string() + suffix;
        if (target == file || fs::equivalent(out, file, error))
            throw UsageError("--out '" + out + "' is the database " +
                             (*suffix ? std::string("'s ") + (suffix + 1) + " file" : "itself") +
                             "; choose another file for the export");
    }
    if (Database::isSqliteFile(out))
        throw UsageError("--out '" + out +
                         "' is an SQLite database; Bonsai never overwrites one with an export, "
                         "so choose another file");
}

Json resultJson(const Study& study) {
    Json out;
    out["study"] = study.spec().name;
    auto best = study.best();
    out["best_value"] = best ? Json(*best->value) : Json();
    out["best_params"] = best ? toJson(best->params) : Json();
    out["trials"] = study.trials().size();
    if (!study.spec().objectives.empty()) {
        Json front = Json::array();
        for (const Trial& trial : paretoTrials(study.trials(), study.spec()))
            front.push_back(trial.number);
        out["pareto_front"] = std::move(front);
        out["hypervolume"] = studyHypervolume(study.trials(), study.spec());
    }
    return out;
}

int runStudy(Study& study, bool json, const Arguments& args) {
    std::FILE* progressOut = json ? stderr : stdout;
    ProgressPrinter progress(progressOut, study);
    installStopHandlers();
    StopReason reason = StopReason::StopRequested;
    try {
        reason = study.run(g_stopRequested, &progress);
    } catch (...) {
        progress.close();  // the error goes on a line of its own
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
        throw;
    }
    progress.close();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    auto best = study.best();
    if (json) {
        std::cout << resultJson(study).dump() << std::endl;
    } else {
        std::printf("study '%s': %s after %zu trials\n", study.spec().name.c_str(),
                    stopReasonText(reason), study.trials().size());
        if (!study.spec().objectives.empty())
            std::printf("pareto set: %s\n",
                        formatParetoSummary(study.trials(), study.spec()).c_str());
        else if (best)
            std::printf("best trial %d: value %s  %s\n", best->number,
                        formatValue(best->value).c_str(),
                        formatParams(best->params, study.spec().space.names()).c_str());
        else
            std::printf("no trial completed yet\n");
    }
    if (reason == StopReason::StopRequested) {
        std::fprintf(stderr, "stopped; continue with: %s\n",
                     resumeCommand(study.spec().name, args).c_str());
        return 1;
    }
    return 0;
}

// The export `--format` names (empty: not given), else the one the suffix of
// `--out` asks for (trials.csv); nullopt for an unknown or missing name.
std::optional<ExportFormat> exportFormatNamed(const std::string& named,
                                              const std::optional<std::string>& out) {
    if (named == "csv")
        return ExportFormat::Csv;
    if (named == "json")
        return ExportFormat::Json;
    if (named == "optuna")
        return ExportFormat::Optuna;
    if (!named.empty() || !out)
        return std::nullopt;
    if (const auto bySuffix = exportFormatOf(*out))
        return bySuffix;
    throw UsageError("--format is needed: '" + *out + "' does not end in .csv, .json or .db");
}

}  // namespace

int runCommand(const std::vector<std::string>& rawArgs) {
    Arguments args(rawArgs, {"db", "name", "trials", "seed", "workers"}, {"json"});
    args.expectPositionals(1, "SPEC.json (the study spec file)");
    auto name = args.value("name");
    if (name && name->empty())
        throw UsageError("--name needs a study name (got an empty one)");
    auto trials = args.integer("trials", 1);
    auto seed = args.integer("seed", 0, std::numeric_limits<std::int64_t>::max());
    auto workers = args.integer("workers", 1);
    ObjectiveRegistry objectives = app::objectiveRegistry();
    Json specJson = loadStudySpecFile(args.positionals()[0], objectives).source;
    // Overrides only go into an object with an object budget; anything else
    // gets parseStudySpec's message naming the field.
    if (specJson.is_object()) {
        if (trials && specJson.value("budget", Json::object()).is_object())
            specJson["budget"]["trials"] = *trials;
        if (seed)
            specJson["seed"] = *seed;
        if (workers)
            specJson["workers"] = *workers;
        if (name)
            specJson["name"] = *name;
    }
    StudySpec spec = parseStudySpec(specJson, objectives);

    Database database(databasePath(args));
    // The same spec run again: say how to go on with the first run, or how
    // to start a second one beside it.
    if (database.findStudy(spec.name))
        throw StorageError("a study named '" + spec.name + "' already exists in " +
                           database.path() + ": continue it with " +
                           resumeCommand(spec.name, args) +
                           ", or run this spec as a new study with --name NEW-NAME");
    Study study = Study::create(database, std::move(spec), objectives);
    return runStudy(study, args.flag("json"), args);
}

int resumeCommand(const std::vector<std::string>& rawArgs) {
    Arguments args(rawArgs, {"db", "trials"}, {"json"});
    args.expectPositionals(1, "NAME (the study to resume)");
    ObjectiveRegistry objectives = app::objectiveRegistry();
    // Only `run` creates a database: a mistyped --db must not leave an empty one.
    const std::string path = databasePath(args);
    std::error_code error;
    if (!std::filesystem::exists(path, error))
        throw StorageError(path + " does not exist, so there is no study to resume; check --db");
    Database database(path);
    Study study = Study::open(database, args.positionals()[0], objectives);
    if (auto more = args.integer("trials", 1))
        study.extendTrialBudget(*more);
    return runStudy(study, args.flag("json"), args);
}

int listCommand(const std::vector<std::string>& rawArgs) {
    Arguments args(rawArgs, {"db"}, {});
    args.expectPositionals(0, "");
    Database database(databasePath(args), Database::Mode::ReadOnly);
    auto studies = database.listStudies();
    if (studies.empty()) {
        printEscaped(stdout, "no studies in %s\n", database.path().c_str());
        return 0;
    }
    printEscaped(stdout, "%-28s %-11s %7s %14s %-10s %s\n", "NAME", "STATE", "TRIALS", "BEST",
                 "STRATEGY", "CREATED");
    for (const StudySummary& summary : studies) {
        // An import records no strategy (Optuna's sampler is not stored).
        const std::string strategy = summary.strategy.empty() && isImportedStudy(summary.study.spec)
                                         ? "imported"
                                         : summary.strategy;
        // Several objectives have no best value: the size of the Pareto set,
        // as the studio's browser shows it.
        std::string best = formatValue(summary.bestValue);
        if (const StudySpec sections = parseObjectiveSections(summary.study.spec);
            !sections.objectives.empty())
            best = std::to_string(
                       paretoTrials(database.loadTrials(summary.study.id), sections).size()) +
                   " on front";
        printEscaped(stdout, "%-28s %-11s %7d %14s %-10s %s\n", summary.study.name.c_str(),
                     shownStudyStateName(summary.study), summary.trialCount, best.c_str(),
                     strategy.c_str(), isoTimestamp(summary.study.createdAt).substr(0, 19).c_str());
    }
    return 0;
}

int showCommand(const std::vector<std::string>& rawArgs) {
    Arguments args(rawArgs, {"db"}, {});
    args.expectPositionals(1, "NAME (the study to show)");
    Database database(databasePath(args), Database::Mode::ReadOnly);
    StudyRecord record = database.requireStudy(args.positionals()[0]);
    std::vector<Trial> trials = database.loadTrials(record.id);
    int counts[4] = {0, 0, 0, 0};
    for (const Trial& trial : trials)
        ++counts[static_cast<int>(trial.state)];

    const Json& spec = record.spec;
    const StudySpec sections = parseObjectiveSections(spec);
    const bool multi = !sections.objectives.empty();
    printEscaped(stdout, "study      %s\n", record.name.c_str());
    printEscaped(stdout, "state      %s\n", shownStudyStateName(record));
    if (record.runnerGone)
        printEscaped(stdout,
                     "           (its runner stopped without finishing it; %s continues it)\n",
                     resumeCommand(record.name, args).c_str());
    if (multi) {
        std::string list;
        for (const ObjectiveSpec& objective : sections.objectives)
            list += (list.empty() ? "" : ", ") + objective.name + " (" +
                    directionName(objective.direction) + ")";
        printEscaped(stdout, "objectives %s\n", list.c_str());
    } else {
        printEscaped(stdout, "direction  %s\n", directionName(record.direction));
    }
    if (!sections.constraints.empty()) {
        std::string list;
        for (const ConstraintSpec& constraint : sections.constraints) {
            std::string bounds = constraint.name;
            if (constraint.min && constraint.max)
                bounds = formatValue(constraint.min) + " <= " + bounds +
                         " <= " + formatValue(constraint.max);
            else if (constraint.min)
                bounds += " >= " + formatValue(constraint.min);
            else
                bounds += " <= " + formatValue(constraint.max);
            list += (list.empty() ? "" : ", ") + bounds;
        }
        printEscaped(stdout, "constraints %s\n", list.c_str());
    }
    printEscaped(stdout, "objective  %s\n",
                 dumpLenient(spec.value("objective", Json::object())).c_str());
    // An import has the trials of a search run elsewhere, not its settings.
    const std::string notRecorded =
        isImportedStudy(spec)
            ? "none recorded (imported from " +
                  (spec["objective"].contains("from") && spec["objective"]["from"].is_string()
                       ? spec["objective"]["from"].get<std::string>()
                       : std::string("another tool")) +
                  ")"
            : "";
    for (const char* section : {"strategy", "budget"}) {
        const Json value = spec.value(section, Json::object());
        printEscaped(stdout, "%-10s %s\n", section,
                     value.empty() && !notRecorded.empty() ? notRecorded.c_str()
                                                           : dumpLenient(value).c_str());
    }
    if (spec.contains("executor"))
        printEscaped(stdout, "executor   %s\n", dumpLenient(spec["executor"]).c_str());
    if (std::string warm = warmStartSummary(spec); !warm.empty())
        printEscaped(stdout, "warm start %s\n", warm.c_str());
    printEscaped(stdout, "created    %s\n", isoTimestamp(record.createdAt).c_str());
    printEscaped(stdout, "trials     %zu (complete %d, pruned %d, failed %d, running %d)\n",
                 trials.size(), counts[static_cast<int>(TrialState::Complete)],
                 counts[static_cast<int>(TrialState::Pruned)],
                 counts[static_cast<int>(TrialState::Failed)],
                 counts[static_cast<int>(TrialState::Running)]);
    const std::vector<std::string> order = parameterColumns(record, trials);
    std::set<int> front;
    if (multi) {
        // The Pareto set instead of a best trial; "*" marks it in the table.
        std::vector<Trial> pareto = paretoTrials(trials, sections);
        printEscaped(stdout, "pareto     %s\n", formatParetoSummary(trials, sections).c_str());
        for (const Trial& trial : pareto) {
            front.insert(trial.number);
            printEscaped(stdout, "           trial %d: %s  %s\n", trial.number,
                         formatObjectiveValues(trial, sections).c_str(),
                         formatParams(trial.params, order).c_str());
        }
    } else if (auto best = bestTrial(trials, sections)) {
        printEscaped(stdout, "best       trial %d: %s\n", best->number,
                     formatValue(best->value).c_str());
        for (const auto& [name, value] : inDisplayOrder(best->params, order))
            printEscaped(stdout, "           %s = %s\n", name.c_str(),
                         toDisplayString(*value).c_str());
        for (const auto& [key, value] : best->attrs.items())
            printEscaped(stdout, "           [%s] %s\n", key.c_str(), dumpLenient(value).c_str());
    }
    if (multi) {
        std::string names;
        for (const ObjectiveSpec& objective : sections.objectives)
            names += (names.empty() ? "" : ", ") + objective.name;
        printEscaped(stdout, "\n%6s %-9s %-30s %10s  %s\n", "TRIAL", "STATE",
                     ("VALUES (" + names + ")").c_str(), "SECONDS", "PARAMS");
    } else {
        printEscaped(stdout, "\n%6s %-9s %14s %10s  %s\n", "TRIAL", "STATE", "VALUE", "SECONDS",
                     "PARAMS");
    }
    for (const Trial& trial : trials) {
        std::string seconds =
            trial.durationSeconds() ? formatSeconds(*trial.durationSeconds()) : "-";
        std::string detail = formatParams(trial.params, order);
        if (trial.state == TrialState::Complete && !isFeasible(trial, sections))
            detail += "  (infeasible)";
        if (!trial.error.empty())
            detail += "  (" + trial.error + ")";
        if (multi) {
            std::string values;
            for (std::size_t i = 0; i < trial.values.size(); ++i)
                values += (i ? ", " : "") + formatValue(trial.values[i]);
            if (values.empty())
                values = "-";
            if (front.count(trial.number))
                values += " *";
            printEscaped(stdout, "%6d %-9s %-30s %10s  %s\n", trial.number,
                         trialStateName(trial.state), values.c_str(), seconds.c_str(),
                         detail.c_str());
        } else {
            printEscaped(stdout, "%6d %-9s %14s %10s  %s\n", trial.number,
                         trialStateName(trial.state), formatValue(trial.value).c_str(),
                         seconds.c_str(), detail.c_str());
        }
    }
    if (multi)
        printEscaped(stdout, "\n* on the Pareto front\n");
    return 0;
}

int exportCommand(const std::vector<std::string>& rawArgs) {
    Arguments args(rawArgs, {"db", "format", "out", "optuna-schema"}, {});
    args.expectPositionals(1, "NAME (the study to export)");
    const std::string named = args.value("format").value_or("");
    const std::optional<ExportFormat> format = exportFormatNamed(named, args.value("out"));
    if (format == ExportFormat::Optuna)
        return exportOptunaCommand(databasePath(args), args.positionals()[0], args.value("out"),
                                   args.value("optuna-schema"));
    if (args.value("optuna-schema"))
        throw UsageError("--optuna-schema goes with --format optuna");
    if (!format)
        throw UsageError("--format must be csv, json or optuna" +
                         (named.empty() ? std::string() : " (got '" + named + "')"));
    const std::string path = databasePath(args);
    auto out = args.value("out");
    if (out && out->empty())
        throw UsageError("--out needs a file name (got an empty path)");
    if (out)
        checkExportTarget(*out, path);
    Database database(path, Database::Mode::ReadOnly);
    StudyRecord record = database.requireStudy(args.positionals()[0]);
    std::vector<Trial> trials = database.loadTrials(record.id);
    std::string text = format == ExportFormat::Json ? exportStudyJsonText(record, trials)
                                                    : exportStudyCsv(record, trials);
    struct stat info {};
    if (out && ::stat(out->c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
        // A device or pipe (/dev/stdout, a FIFO): written as it is.
        std::ofstream file(*out, std::ios::binary);
        if (!(file << text) || !file.flush())
            throw std::runtime_error("cannot write '" + *out + "'");
    } else if (out) {
        try {
            replaceFile(*out, text);
        } catch (const std::runtime_error& error) {
            throw std::runtime_error(std::string(error.what()) +
                                     "; check the folder exists, is writable and has space");
        }
    } else {
        std::cout << text;
    }
    return 0;
}

}  // namespace bonsai::cli

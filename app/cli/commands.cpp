#include "commands.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>

#include "arguments.h"
#include "common/objective_kinds.h"
#include "optuna_commands.h"
#include "progress.h"
#include "study/export.h"
#include "study/study.h"

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

std::string databasePath(const Arguments& args) {
    return args.value("db").value_or(Database::defaultPath());
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

int runStudy(Study& study, bool json) {
    std::FILE* progressOut = json ? stderr : stdout;
    ProgressPrinter progress(progressOut, study);
    installStopHandlers();
    StopReason reason = study.run(g_stopRequested, &progress);
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
                        formatValue(best->value).c_str(), formatParams(best->params).c_str());
        else
            std::printf("no trial completed yet\n");
    }
    if (reason == StopReason::StopRequested) {
        std::fprintf(stderr, "stopped; continue with: bonsai-cli resume '%s'\n",
                     study.spec().name.c_str());
        return 1;
    }
    return 0;
}

}  // namespace

int runCommand(const std::vector<std::string>& rawArgs) {
    Arguments args(rawArgs, {"db", "trials", "seed", "workers"}, {"json"});
    args.expectPositionals(1, "SPEC.json (the study spec file)");
    auto trials = args.integer("trials", 1);
    auto seed = args.integer("seed", 0);
    auto workers = args.integer("workers", 1);
    ObjectiveRegistry objectives = app::objectiveRegistry();
    Json specJson = loadStudySpecFile(args.positionals()[0], objectives).source;
    if (trials)
        specJson["budget"]["trials"] = *trials;
    if (seed)
        specJson["seed"] = *seed;
    if (workers)
        specJson["workers"] = *workers;
    StudySpec spec = parseStudySpec(specJson, objectives);

    Database database(databasePath(args));
    Study study = Study::create(database, std::move(spec), objectives);
    return runStudy(study, args.flag("json"));
}

int resumeCommand(const std::vector<std::string>& rawArgs) {
    Arguments args(rawArgs, {"db", "trials"}, {"json"});
    args.expectPositionals(1, "NAME (the study to resume)");
    ObjectiveRegistry objectives = app::objectiveRegistry();
    Database database(databasePath(args));
    Study study = Study::open(database, args.positionals()[0], objectives);
    if (auto more = args.integer("trials", 1))
        study.extendTrialBudget(*more);
    return runStudy(study, args.flag("json"));
}

int listCommand(const std::vector<std::string>& rawArgs) {
    Arguments args(rawArgs, {"db"}, {});
    args.expectPositionals(0, "");
    Database database(databasePath(args), Database::Mode::ReadOnly);
    auto studies = database.listStudies();
    if (studies.empty()) {
        std::printf("no studies in %s\n", database.path().c_str());
        return 0;
    }
    std::printf("%-28s %-9s %7s %14s %-10s %s\n", "NAME", "STATE", "TRIALS", "BEST", "STRATEGY",
                "CREATED");
    for (const StudySummary& summary : studies) {
        std::printf("%-28s %-9s %7d %14s %-10s %s\n", summary.study.name.c_str(),
                    summary.study.state.c_str(), summary.trialCount,
                    formatValue(summary.bestValue).c_str(), summary.strategy.c_str(),
                    isoTimestamp(summary.study.createdAt).substr(0, 19).c_str());
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
    std::printf("study      %s\n", record.name.c_str());
    std::printf("state      %s\n", record.state.c_str());
    if (multi) {
        std::string list;
        for (const ObjectiveSpec& objective : sections.objectives)
            list += (list.empty() ? "" : ", ") + objective.name + " (" +
                    directionName(objective.direction) + ")";
        std::printf("objectives %s\n", list.c_str());
    } else {
        std::printf("direction  %s\n", directionName(record.direction));
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
        std::printf("constraints %s\n", list.c_str());
    }
    std::printf("objective  %s\n", spec.value("objective", Json::object()).dump().c_str());
    std::printf("strategy   %s\n", spec.value("strategy", Json::object()).dump().c_str());
    std::printf("budget     %s\n", spec.value("budget", Json::object()).dump().c_str());
    if (spec.contains("executor"))
        std::printf("executor   %s\n", spec["executor"].dump().c_str());
    std::printf("created    %s\n", isoTimestamp(record.createdAt).c_str());
    std::printf("trials     %zu (complete %d, pruned %d, failed %d, running %d)\n", trials.size(),
                counts[static_cast<int>(TrialState::Complete)],
                counts[static_cast<int>(TrialState::Pruned)],
                counts[static_cast<int>(TrialState::Failed)],
                counts[static_cast<int>(TrialState::Running)]);
    std::set<int> front;
    if (multi) {
        // The Pareto set instead of a best trial; "*" marks it in the table.
        std::vector<Trial> pareto = paretoTrials(trials, sections);
        std::printf("pareto     %s\n", formatParetoSummary(trials, sections).c_str());
        for (const Trial& trial : pareto) {
            front.insert(trial.number);
            std::printf("           trial %d: %s  %s\n", trial.number,
                        formatObjectiveValues(trial, sections).c_str(),
                        formatParams(trial.params).c_str());
        }
    } else if (auto best = bestTrial(trials, sections)) {
        std::printf("best       trial %d: %s\n", best->number, formatValue(best->value).c_str());
        for (const auto& [name, value] : best->params)
            std::printf("           %s = %s\n", name.c_str(), toDisplayString(value).c_str());
        for (const auto& [key, value] : best->attrs.items())
            std::printf("           [%s] %s\n", key.c_str(), value.dump().c_str());
    }
    if (multi) {
        std::string names;
        for (const ObjectiveSpec& objective : sections.objectives)
            names += (names.empty() ? "" : ", ") + objective.name;
        std::printf("\n%6s %-9s %-30s %10s  %s\n", "TRIAL", "STATE",
                    ("VALUES (" + names + ")").c_str(), "SECONDS", "PARAMS");
    } else {
        std::printf("\n%6s %-9s %14s %10s  %s\n", "TRIAL", "STATE", "VALUE", "SECONDS", "PARAMS");
    }
    for (const Trial& trial : trials) {
        std::string seconds = trial.durationSeconds() ? formatValue(*trial.durationSeconds()) : "-";
        std::string detail = formatParams(trial.params);
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
            std::printf("%6d %-9s %-30s %10s  %s\n", trial.number, trialStateName(trial.state),
                        values.c_str(), seconds.c_str(), detail.c_str());
        } else {
            std::printf("%6d %-9s %14s %10s  %s\n", trial.number, trialStateName(trial.state),
                        formatValue(trial.value).c_str(), seconds.c_str(), detail.c_str());
        }
    }
    if (multi)
        std::printf("\n* on the Pareto front\n");
    return 0;
}

int exportCommand(const std::vector<std::string>& rawArgs) {
    Arguments args(rawArgs, {"db", "format", "out", "optuna-schema"}, {});
    args.expectPositionals(1, "NAME (the study to export)");
    std::string format = args.value("format").value_or("");
    if (format == "optuna")
        return exportOptunaCommand(databasePath(args), args.positionals()[0], args.value("out"),
                                   args.value("optuna-schema"));
    if (args.value("optuna-schema"))
        throw UsageError("--optuna-schema goes with --format optuna");
    if (format != "csv" && format != "json")
        throw UsageError("--format must be csv, json or optuna" +
                         (format.empty() ? std::string() : " (got '" + format + "')"));
    Database database(databasePath(args), Database::Mode::ReadOnly);
    StudyRecord record = database.requireStudy(args.positionals()[0]);
    std::vector<Trial> trials = database.loadTrials(record.id);
    std::string text = format == "json" ? exportStudyJson(record, trials).dump(2) + "\n"
                                        : exportStudyCsv(record, trials);
    if (auto out = args.value("out")) {
        std::ofstream file(*out, std::ios::binary | std::ios::trunc);
        if (!file)
            throw std::runtime_error("cannot write '" + *out +
                                     "'; check the folder exists and is writable");
        file << text;
        if (!file.flush())
            throw std::runtime_error("writing '" + *out + "' failed (disk full?)");
    } else {
        std::cout << text;
    }
    return 0;
}

}  // namespace bonsai::cli

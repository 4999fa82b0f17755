#include "setup/setting_catalog.h"

#include <QObject>

#include "objectives/test_functions.h"

namespace bonsai::ui {

using Type = SettingField::Type;

QList<SettingField> objectiveSettings(const QString& kind) {
    if (kind == QLatin1String("function")) {
        QStringList functions;
        for (const std::string& name : testFunctionNames())
            functions << QString::fromStdString(name);
        return {
            {"function", QObject::tr("Function"), Type::Choice, functions, {}, true},
            {"delay_seconds",
             QObject::tr("Delay per trial (s)"),
             Type::Number,
             {},
             QObject::tr("0 (stands in for an expensive objective)")},
        };
    }
    if (kind == QLatin1String("fashion-mnist"))
        return {
            {"epochs", QObject::tr("Epochs"), Type::Integer, {}, QStringLiteral("3")},
            {"train_size",
             QObject::tr("Training images"),
             Type::Integer,
             {},
             QStringLiteral("6000")},
            {"valid_size",
             QObject::tr("Validation images"),
             Type::Integer,
             {},
             QStringLiteral("2000")},
            {"test_size", QObject::tr("Test images"), Type::Integer, {}, QStringLiteral("2000")},
            {"batch_size", QObject::tr("Batch size"), Type::Integer, {}, QStringLiteral("64")},
            {"lr", QObject::tr("Learning rate"), Type::Number, {}, QStringLiteral("0.1")},
            {"channels", QObject::tr("Channels (C)"), Type::Integer, {}, QStringLiteral("8")},
            {"cells_per_stage",
             QObject::tr("Cells per stage (N)"),
             Type::Integer,
             {},
             QStringLiteral("1")},
            {"threads",
             QObject::tr("Threads"),
             Type::Integer,
             {},
             QObject::tr("0 (cores, at most 2)")},
            {"data_dir",
             QObject::tr("Data folder"),
             Type::Text,
             {},
             QStringLiteral("/usr/share/datasets/fashion-mnist")},
        };
    if (kind == QLatin1String("command"))
        return {
            {"argv",
             QObject::tr("Command line"),
             Type::CommandLine,
             {},
             QStringLiteral("python3 train.py --lr {lr}"),
             true},
            {"workdir", QObject::tr("Working folder"), Type::Folder, {}, QObject::tr("current")},
            {"timeout_s",
             QObject::tr("Timeout per trial (s)"),
             Type::Number,
             {},
             QObject::tr("none")},
            {"grace_s",
             QObject::tr("Grace before SIGKILL (s)"),
             Type::Number,
             {},
             QStringLiteral("10")},
            {"runs_dir",
             QObject::tr("Trial files folder"),
             Type::Folder,
             {},
             QStringLiteral("$TMPDIR/bonsai-runs")},
        };
    if (kind == QLatin1String("tabular"))
        return {
            {"file", QObject::tr("Table (CSV)"), Type::File, {}, {}, true},
            {"metric", QObject::tr("Metric column"), Type::Column, {}, {}, true},
            {"key",
             QObject::tr("Key column"),
             Type::Column,
             {},
             QObject::tr("one column per parameter")},
            {"report", QObject::tr("Report columns"), Type::ColumnList, {}, QObject::tr("none")},
            {"cost", QObject::tr("Cost column (s)"), Type::Column, {}, QObject::tr("none")},
        };
    return {};
}

QList<SettingField> strategySettings(const QString& kind) {
    if (kind == QLatin1String("grid"))
        return {{"resolution",
                 QObject::tr("Values per float"),
                 Type::Integer,
                 {},
                 QStringLiteral("5")}};
    if (kind == QLatin1String("gp"))
        return {
            {"acquisition",
             QObject::tr("Acquisition"),
             Type::Choice,
             {"logei", "ei", "pi", "ucb"},
             QStringLiteral("logei")},
            {"kernel",
             QObject::tr("Kernel"),
             Type::Choice,
             {"matern52", "rbf"},
             QStringLiteral("matern52")},
            {"beta", QObject::tr("UCB beta"), Type::Number, {}, QStringLiteral("2.0")},
            {"initial_trials",
             QObject::tr("Initial trials"),
             Type::Integer,
             {},
             QObject::tr("max(5, dimensions + 1)")},
        };
    if (kind == QLatin1String("tpe"))
        return {
            {"startup_trials",
             QObject::tr("Startup trials"),
             Type::Integer,
             {},
             QStringLiteral("10")},
            {"gamma", QObject::tr("Gamma"), Type::Number, {}, QStringLiteral("0.1")},
            {"candidates", QObject::tr("Candidates"), Type::Integer, {}, QStringLiteral("24")},
            {"prior_weight", QObject::tr("Prior weight"), Type::Number, {}, QStringLiteral("1.0")},
            {"multivariate", QObject::tr("Multivariate"), Type::Bool, {}, QStringLiteral("true")},
            {"consider_endpoints",
             QObject::tr("Consider endpoints"),
             Type::Bool,
             {},
             QStringLiteral("false")},
        };
    if (kind == QLatin1String("evolution"))
        return {
            {"population", QObject::tr("Population"), Type::Integer, {}, QStringLiteral("15")},
            {"sample_size",
             QObject::tr("Sample size"),
             Type::Integer,
             {},
             QObject::tr("population")},
        };
    return {};
}

QList<SettingField> prunerSettings(const QString& kind) {
    if (kind == QLatin1String("median"))
        return {
            {"startup_trials",
             QObject::tr("Startup trials"),
             Type::Integer,
             {},
             QStringLiteral("5")},
            {"warmup_steps", QObject::tr("Warm-up steps"), Type::Integer, {}, QStringLiteral("0")},
            {"interval_steps",
             QObject::tr("Interval steps"),
             Type::Integer,
             {},
             QStringLiteral("1")},
            {"min_trials", QObject::tr("Min trials"), Type::Integer, {}, QStringLiteral("1")},
        };
    if (kind == QLatin1String("asha"))
        return {
            {"min_resource", QObject::tr("Min resource"), Type::Number, {}, QStringLiteral("1")},
            {"reduction_factor",
             QObject::tr("Reduction factor"),
             Type::Number,
             {},
             QStringLiteral("3")},
            {"min_early_stopping_rate",
             QObject::tr("Min early-stopping rate"),
             Type::Integer,
             {},
             QStringLiteral("0")},
        };
    return {};
}

QList<SettingField> executorSettings(const QString& kind) {
    if (kind == QLatin1String("slurm"))
        return {
            {"partition", QObject::tr("Partition"), Type::Text, {}, QObject::tr("cluster default")},
            {"time", QObject::tr("Time limit per job"), Type::Text, {}, QObject::tr("partition's")},
            {"cpus_per_task", QObject::tr("CPUs per task"), Type::Integer, {}, QStringLiteral("1")},
            {"gres",
             QObject::tr("Generic resources"),
             Type::Text,
             {},
             QObject::tr("none (e.g. gpu:1)")},
            {"mem", QObject::tr("Memory"), Type::Text, {}, QObject::tr("partition's (e.g. 16G)")},
            {"max_concurrent",
             QObject::tr("Jobs at once"),
             Type::Integer,
             {},
             QStringLiteral("32")},
        };
    return {};
}

}  // namespace bonsai::ui

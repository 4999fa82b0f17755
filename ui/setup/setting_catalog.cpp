#include "setup/setting_catalog.h"

#include <QObject>

#include "objectives/test_functions.h"
#include "pruners/pruner.h"
#include "strategies/strategy.h"

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

namespace {

// The form's fields for settings a kind declares (util/setting.h).
QList<SettingField> fieldsOf(std::span<const SettingSpec> settings) {
    QList<SettingField> out;
    for (const SettingSpec& setting : settings) {
        SettingField field;
        field.key = QString::fromStdString(setting.key);
        field.label = QString::fromStdString(setting.label.empty() ? setting.key : setting.label);
        switch (setting.type) {
            case SettingSpec::Type::Integer:
                field.type = Type::Integer;
                break;
            case SettingSpec::Type::Number:
                field.type = Type::Number;
                break;
            case SettingSpec::Type::Bool:
                field.type = Type::Bool;
                break;
            case SettingSpec::Type::Choice:
                field.type = Type::Choice;
                for (const std::string& choice : setting.choices)
                    field.choices << QString::fromStdString(choice);
                break;
        }
        field.hint = QString::fromStdString(setting.defaultDisplay());
        field.doc = QString::fromStdString(setting.doc);
        out << field;
    }
    return out;
}

}  // namespace

QList<SettingField> strategySettings(const QString& kind) {
    const StrategyKind* description = StrategyRegistry::builtins().find(kind.toStdString());
    return description ? fieldsOf(description->settings) : QList<SettingField>{};
}

QList<SettingField> prunerSettings(const QString& kind) {
    const PrunerKind* description = PrunerRegistry::builtins().find(kind.toStdString());
    return description ? fieldsOf(description->settings) : QList<SettingField>{};
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

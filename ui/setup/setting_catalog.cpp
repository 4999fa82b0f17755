#include "setup/setting_catalog.h"

#include <QObject>

#include "objectives/test_functions.h"
#include "pruners/pruner.h"
#include "strategies/strategy.h"

namespace bonsai::ui {

using Type = SettingField::Type;
using namespace Qt::StringLiterals;

namespace {

// A field of the form: its key, label, type and the hint shown while it is
// empty (the engine's default).
SettingField field(const QString& key, const QString& label, Type type, const QString& hint = {}) {
    SettingField out;
    out.key = key;
    out.label = label;
    out.type = type;
    out.hint = hint;
    return out;
}

SettingField choiceField(const QString& key, const QString& label, const QStringList& choices) {
    SettingField out = field(key, label, Type::Choice);
    out.choices = choices;
    return out;
}

// A field the spec cannot do without.
SettingField required(SettingField field) {
    field.required = true;
    return field;
}

SettingField numberColumn(SettingField field) {
    field.numbers = true;
    return field;
}

}  // namespace

QList<SettingField> objectiveSettings(const QString& kind) {
    if (kind == QLatin1String("function")) {
        QStringList functions;
        for (const std::string& name : testFunctionNames())
            functions << QString::fromStdString(name);
        // Picking one of these adds its objectives (SetupForm::followPickedFunction).
        for (const std::string& name : multiObjectiveTestFunctionNames())
            functions << QString::fromStdString(name);
        return {
            required(choiceField(u"function"_s, QObject::tr("Function"), functions)),
            field(u"delay_seconds"_s, QObject::tr("Delay per trial (s)"), Type::Number,
                  QObject::tr("0 (stands in for an expensive objective)")),
        };
    }
    if (kind == QLatin1String("fashion-mnist"))
        return {
            field(u"epochs"_s, QObject::tr("Epochs"), Type::Integer, u"3"_s),
            field(u"train_size"_s, QObject::tr("Training images"), Type::Integer, u"6000"_s),
            field(u"valid_size"_s, QObject::tr("Validation images"), Type::Integer, u"2000"_s),
            field(u"test_size"_s, QObject::tr("Test images"), Type::Integer, u"2000"_s),
            field(u"batch_size"_s, QObject::tr("Batch size"), Type::Integer, u"64"_s),
            field(u"lr"_s, QObject::tr("Learning rate"), Type::Number, u"0.1"_s),
            field(u"channels"_s, QObject::tr("Channels (C)"), Type::Integer, u"8"_s),
            field(u"cells_per_stage"_s, QObject::tr("Cells per stage (N)"), Type::Integer, u"1"_s),
            field(u"threads"_s, QObject::tr("Threads"), Type::Integer,
                  QObject::tr("0 (cores, at most 2)")),
            field(u"data_dir"_s, QObject::tr("Data folder"), Type::Text,
                  u"/usr/share/datasets/fashion-mnist"_s),
        };
    if (kind == QLatin1String("command"))
        return {
            required(field(u"argv"_s, QObject::tr("Command line"), Type::CommandLine,
                           u"python3 train.py --lr {lr}"_s)),
            field(u"workdir"_s, QObject::tr("Working folder"), Type::Folder,
                  QObject::tr("current")),
            field(u"timeout_s"_s, QObject::tr("Timeout per trial (s)"), Type::Number,
                  QObject::tr("none")),
            field(u"grace_s"_s, QObject::tr("Grace before SIGKILL (s)"), Type::Number, u"10"_s),
            field(u"runs_dir"_s, QObject::tr("Trial files folder"), Type::Folder,
                  u"$TMPDIR/bonsai-runs"_s),
        };
    if (kind == QLatin1String("tabular"))
        return {
            required(field(u"file"_s, QObject::tr("Table (CSV)"), Type::File)),
            numberColumn(required(field(u"metric"_s, QObject::tr("Metric column"), Type::Column))),
            field(u"key"_s, QObject::tr("Key column"), Type::Column,
                  QObject::tr("one column per parameter")),
            field(u"report"_s, QObject::tr("Report columns"), Type::ColumnList,
                  QObject::tr("none")),
            numberColumn(field(u"cost"_s, QObject::tr("Cost column (s)"), Type::Column,
                               QObject::tr("none"))),
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
            field(u"partition"_s, QObject::tr("Partition"), Type::Text,
                  QObject::tr("cluster default")),
            field(u"time"_s, QObject::tr("Time limit per job"), Type::Text,
                  QObject::tr("partition's")),
            field(u"cpus_per_task"_s, QObject::tr("CPUs per task"), Type::Integer, u"1"_s),
            field(u"gres"_s, QObject::tr("Generic resources"), Type::Text,
                  QObject::tr("none (e.g. gpu:1)")),
            field(u"mem"_s, QObject::tr("Memory"), Type::Text,
                  QObject::tr("partition's (e.g. 16G)")),
            field(u"max_concurrent"_s, QObject::tr("Jobs at once"), Type::Integer, u"32"_s),
        };
    return {};
}

}  // namespace bonsai::ui

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
            {"initial_trials",
             QObject::tr("Initial trials"),
             Type::Integer,
             {},
             QObject::tr("engine default")},
        };
    return {};
}

QList<SettingField> prunerSettings(const QString& kind) {
    (void)kind;
    return {};
}

}  // namespace bonsai::ui

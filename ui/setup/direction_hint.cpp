#include "setup/direction_hint.h"

#include <QCoreApplication>
#include <QStringList>
#include <optional>
#include <utility>
#include <vector>

#include "analysis/measure_names.h"

namespace bonsai::ui {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("DirectionHint", text);
}

QString directionOf(const Json& value) {
    return value.is_string() ? QString::fromStdString(value.get<std::string>())
                             : QStringLiteral("minimize");
}

}  // namespace

QString directionHint(const Json& spec) {
    if (!spec.is_object())
        return {};
    // (objective name, its direction)
    std::vector<std::pair<QString, QString>> named;
    const Json objectives = spec.value("objectives", Json());
    const bool several = objectives.is_array() && !objectives.empty();
    if (several) {
        for (const Json& objective : objectives)
            if (objective.is_object() && objective.value("name", Json()).is_string())
                named.emplace_back(QString::fromStdString(objective["name"].get<std::string>()),
                                   directionOf(objective.value("direction", Json())));
    } else if (const Json metric = spec.value("objective", Json::object()).value("metric", Json());
               metric.is_string()) {
        named.emplace_back(QString::fromStdString(metric.get<std::string>()),
                           directionOf(spec.value("direction", Json())));
    } else if (spec.value("objective", Json::object()).value("kind", Json()) == "fashion-mnist" &&
               directionOf(spec.value("direction", Json())) == QLatin1String("minimize")) {
        return tr(
            "fashion-mnist returns the validation accuracy, where higher is better, and "
            "the study minimizes it: set Direction to maximize.");
    }
    for (const auto& [name, direction] : named) {
        const bool minimized = direction == QLatin1String("minimize");
        const std::optional<Direction> read = directionReadFromName(name);
        if (!read || *read == (minimized ? Direction::Minimize : Direction::Maximize))
            continue;
        const QString opposite =
            minimized ? QStringLiteral("maximize") : QStringLiteral("minimize");
        return (minimized ? tr("'%1' reads like a score where higher is better, and the study "
                               "minimizes it")
                          : tr("'%1' reads like a cost where lower is better, and the study "
                               "maximizes it"))
                   .arg(name) +
               (several ? tr(": set its direction to %1 if so.")
                        : tr(": set Direction to %1 if so."))
                   .arg(opposite);
    }
    return {};
}

}  // namespace bonsai::ui

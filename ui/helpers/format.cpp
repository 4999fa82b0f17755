#include "helpers/format.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <QDateTime>
#include <QStringList>

#include "study/study.h"

namespace bonsai::ui {

QString formatNumber(double value) {
    if (std::isnan(value))
        return QStringLiteral("NaN");
    return QString::number(value, 'g', 6);
}

QString formatReadable(double value) {
    const double magnitude = std::abs(value);
    if (!std::isfinite(value) || magnitude < 1e6)
        return formatNumber(value);
    static constexpr std::array<std::pair<double, const char*>, 3> prefixes{
        {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}}};
    // The largest prefix not above the value (M at least: magnitude >= 1e6).
    const auto& [scale, prefix] =
        *std::find_if(prefixes.begin(), prefixes.end(),
                      [magnitude](const auto& p) { return magnitude >= p.first; });
    return QStringLiteral("%1 %2").arg(QString::number(value / scale, 'g', 4),
                                       QLatin1String(prefix));
}

QString formatOptional(const std::optional<double>& value) {
    return value ? formatNumber(*value) : QStringLiteral("—");
}

QString countOf(qsizetype count, const QString& one, const QString& many) {
    return QStringLiteral("%1 %2").arg(count).arg(count == 1 ? one : many);
}

QString formatDuration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0)
        return QStringLiteral("—");
    if (seconds < 10)
        return QString::number(seconds, 'f', 1) + QStringLiteral(" s");
    auto total = static_cast<qint64>(std::llround(seconds));
    qint64 hours = total / 3600, minutes = (total % 3600) / 60, secs = total % 60;
    if (hours > 0)
        return QStringLiteral("%1 h %2 min").arg(hours).arg(minutes, 2, 10, QLatin1Char('0'));
    if (minutes > 0)
        return QStringLiteral("%1 min %2 s").arg(minutes).arg(secs, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 s").arg(secs);
}

QString formatTimestamp(double secondsSinceEpoch) {
    auto ms = static_cast<qint64>(secondsSinceEpoch * 1000.0);
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString jsonText(const Json& value) {
    if (value.is_string())
        return toQString(value.get<std::string>());
    if (value.is_number_float())
        return formatNumber(value.get<double>());
    // A list (an EHVI reference point, ParEGO's weights) as its items read
    // one by one: "[-21.971, 18.0129]", not the 17 digits of a double.
    if (value.is_array()) {
        QStringList items;
        for (const Json& item : value)
            items << (item.is_string() ? toQString(item.dump()) : jsonText(item));
        return QStringLiteral("[%1]").arg(items.join(QStringLiteral(", ")));
    }
    return toQString(value.dump());
}

QString trialStateText(const Trial& trial) {
    if (isInterrupted(trial))
        return QStringLiteral("interrupted");
    return QString::fromUtf8(trialStateName(trial.state));
}

bool isStrategyAttribute(const std::string& key) {
    static const char* const kNames[] = {"acquisition",
                                         "acquisition_function",
                                         "incumbent_trial",
                                         "parego_weights",
                                         "ehvi_reference",
                                         "local_search",
                                         "escape",
                                         "probability_feasible",
                                         "design",
                                         "suggest_seconds",
                                         "strategy_fallback",
                                         "interrupted",
                                         "parent",
                                         "parents",
                                         "mutated",
                                         "cell_change",
                                         "generation",
                                         "grid_index"};
    if (key.rfind("gp_", 0) == 0 || key.rfind("tpe_", 0) == 0 || key.rfind("nsga", 0) == 0)
        return true;
    for (const char* name : kNames)
        if (key == name)
            return true;
    return false;
}

QString trialSummary(const Trial& trial, std::span<const std::string> order) {
    QStringList lines;
    lines << QStringLiteral("Trial %1 (%2)").arg(trial.number).arg(trialStateText(trial));
    if (trial.value)
        lines << QStringLiteral("value: %1").arg(formatNumber(*trial.value));
    for (const auto& [name, value] : inDisplayOrder(trial.params, order))
        lines << QStringLiteral("%1 = %2").arg(toQString(name), toQString(toDisplayString(*value)));
    if (auto seconds = trial.durationSeconds())
        lines << QStringLiteral("duration: %1").arg(formatDuration(*seconds));
    if (!trial.error.empty())
        lines << toQString(trial.error);
    return lines.join(QLatin1Char('\n'));
}

}  // namespace bonsai::ui

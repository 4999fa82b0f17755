#include "analysis/measure_names.h"

#include <QCoreApplication>
#include <QStringList>

#include "analysis/panel_notes.h"
#include "analysis/study_counts.h"

namespace bonsai::ui {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("CurveMeasure", text);
}

std::string objectiveKind(const StudyRecord& record) {
    return specString(record, "objective", "kind");
}

}  // namespace

CurveMeasure genericCurveMeasure() {
    return {tr("Step"), tr("Intermediate value"), QString()};
}

CurveMeasure curveMeasureOf(const StudyRecord& record) {
    // Nb201Trainer reports accuracy(valid) after each epoch, from 1.
    if (objectiveKind(record) == "fashion-mnist")
        return {tr("Epoch"), tr("Validation accuracy (%)"), tr("validation accuracy per epoch")};
    return genericCurveMeasure();
}

QString objectiveValueMeaning(const StudyRecord& record) {
    const std::vector<ObjectiveSpec> objectives = objectiveSectionsOf(record).objectives;
    if (objectives.size() > 1) {
        QStringList names;
        for (const ObjectiveSpec& objective : objectives)
            names << QString::fromStdString(objective.name);
        return tr("%1, the first of the objectives (%2); Pareto / feasible says where a trial "
                  "stands on them all")
            .arg(names.front(), names.join(QStringLiteral(", ")));
    }
    const QString measure = objectiveValueName(record);
    return measure.isEmpty() ? tr("The objective's value") : tr("The objective: %1").arg(measure);
}

QString objectiveValueName(const StudyRecord& record) {
    if (isMultiObjective(record))
        return {};
    const std::string kind = objectiveKind(record);
    if (kind == "fashion-mnist")
        return tr("Validation accuracy (%)");
    if (kind == "tabular")
        return QString::fromStdString(specString(record, "objective", "metric"));
    return {};
}

std::optional<Direction> directionReadFromName(const QString& name) {
    const QString lowered = name.toLower();
    auto readsAs = [&](std::initializer_list<const char*> parts) {
        for (const char* part : parts)
            if (lowered.contains(QLatin1String(part)))
                return true;
        return false;
    };
    const bool higher = readsAs({"acc", "auc", "f1", "reward", "precision", "recall"});
    const bool lower =
        readsAs({"loss", "err", "latency", "lat_", "_ms", "seconds", "flops", "params"});
    if (higher == lower)
        return std::nullopt;
    return higher ? Direction::Maximize : Direction::Minimize;
}

}  // namespace bonsai::ui

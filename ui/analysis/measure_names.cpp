#include "analysis/measure_names.h"

#include <QCoreApplication>

#include "analysis/study_counts.h"

namespace bonsai::ui {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("CurveMeasure", text);
}

// The spec's objective.<key> when it is a string, else "".
std::string objectiveSetting(const StudyRecord& record, const char* key) {
    if (!record.spec.is_object())
        return {};
    const Json objective = record.spec.value("objective", Json::object());
    if (!objective.is_object())
        return {};
    const Json value = objective.value(key, Json());
    return value.is_string() ? value.get<std::string>() : std::string();
}

std::string objectiveKind(const StudyRecord& record) {
    return objectiveSetting(record, "kind");
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

QString objectiveValueName(const StudyRecord& record) {
    if (isMultiObjective(record))
        return {};
    const std::string kind = objectiveKind(record);
    if (kind == "fashion-mnist")
        return tr("Validation accuracy (%)");
    if (kind == "tabular")
        return QString::fromStdString(objectiveSetting(record, "metric"));
    return {};
}

}  // namespace bonsai::ui

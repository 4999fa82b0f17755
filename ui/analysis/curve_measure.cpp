#include "analysis/curve_measure.h"

#include <QCoreApplication>

namespace bonsai::ui {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("CurveMeasure", text);
}

std::string objectiveKind(const StudyRecord& record) {
    if (!record.spec.is_object())
        return {};
    const Json objective = record.spec.value("objective", Json::object());
    if (!objective.is_object())
        return {};
    const Json kind = objective.value("kind", Json());
    return kind.is_string() ? kind.get<std::string>() : std::string();
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

}  // namespace bonsai::ui

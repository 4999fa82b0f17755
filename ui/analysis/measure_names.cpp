#include "analysis/measure_names.h"

#include <QCoreApplication>

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

}  // namespace bonsai::ui

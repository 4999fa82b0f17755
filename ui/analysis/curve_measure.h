#pragma once

#include <QString>

#include "storage/database.h"

namespace bonsai::ui {

// What a study's intermediate reports measure, as its learning-curve charts
// name it. Bonsai's own NAS training (fashion-mnist) reports the validation
// accuracy in % after each epoch; any other objective reports values of its
// own meaning at steps of its own choosing, so those keep Optuna's words.
struct CurveMeasure {
    QString step;    // the x axis: "Epoch", "Step"
    QString value;   // the y axis: "Validation accuracy (%)", "Intermediate value"
    QString phrase;  // for the chart's title: "validation accuracy per epoch"; "" if generic
};

CurveMeasure curveMeasureOf(const StudyRecord& record);
// With no study shown.
CurveMeasure genericCurveMeasure();

}  // namespace bonsai::ui

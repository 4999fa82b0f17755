#pragma once

#include <optional>

#include <QString>

#include "storage/database.h"

namespace bonsai::ui {

// What the charts of a study measure, named as its objective knows them.

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

// What a single-objective study's value is, for value axes: the tabular
// objective's metric column ("cifar10_valid_acc_12ep"), fashion-mnist's
// "Validation accuracy (%)"; "" where only "Objective value" can be said
// (a test function, a command) and for several objectives, which are named
// one by one in the spec.
QString objectiveValueName(const StudyRecord& record);

// What a trial's value is, in a sentence (the Trials table's Value header
// tooltip): the measure where the study knows it; with several objectives,
// the first one's name (a trial's value is the first objective's).
QString objectiveValueMeaning(const StudyRecord& record);

// Which way a measure's name says it is better, case aside: a score
// ("accuracy", "auc", "f1", "reward", "precision", "recall") higher, a cost
// ("loss", "error", "latency_ms", "lat_", "seconds", "flops", "params")
// lower; nullopt when it says neither or both.
std::optional<Direction> directionReadFromName(const QString& name);

}  // namespace bonsai::ui

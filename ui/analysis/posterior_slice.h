#pragma once

#include <optional>
#include <string>
#include <vector>

#include <QString>
#include <QStringList>

#include "storage/database.h"

namespace bonsai::ui {

// A 1-D cut through the surrogate model along one parameter, all others held
// at the incumbent: what PosteriorSlicePlot draws. Plain numbers, so any
// model can fill it. x is in the parameter's own units; the posterior is of
// the objective value in the user's sense.
struct PosteriorSlice {
    QString parameter;
    std::vector<double> x;
    // The posterior at x: its median and the band of the GP's ±2σ, in the
    // objective's units (see bonsai::PosteriorSlice; the band may be
    // lopsided, and infinite on one side, when the GP models warped values).
    std::vector<double> median;
    std::vector<double> lower;
    std::vector<double> upper;
    QString outputWarping;            // the GP's warping, e.g. "log(0.001)"; empty: none
    std::vector<double> acquisition;  // optional: empty or same length as x
    QString acquisitionName;          // e.g. "logei"
    // Below 1 when the gp's next suggestion exploits (exploit_last): the
    // acquisition saw the posterior variance times this.
    double acquisitionVarianceScale = 1.0;
    QString valueName;  // the value axis; empty: "Objective value"
    // The trials the model saw where the parameter is active: complete ones,
    // and pruned ones at their last report (observedPruned; the model takes
    // them as the worst complete value), drawn as crosses.
    std::vector<double> observedX;
    std::vector<double> observedY;
    std::vector<bool> observedPruned;
    // Parallel to observedX: the trial breaks one of the study's constraints.
    // The model still fits it (its value is real), but the study does not
    // rank it, so the plot draws it as a ring, as the other charts do.
    std::vector<bool> observedInfeasible;
    std::optional<double> incumbentX;
    bool logScale = false;  // the parameter is searched on a log scale
    bool integer = false;   // an int parameter
    // A categorical slice (a categorical parameter, or one edge of a cell):
    // x holds indices 0..n-1 into these names; empty for numeric slices.
    QStringList categories;
};

// The trials the studio's GP views fit on: all of them up to 600 complete
// ones (an exact GP is O(n^3)), else the 600 most recent complete ones plus
// the incumbent: trial `incumbent` if given, else the best complete trial.
std::vector<Trial> gpInputTrials(const std::vector<Trial>& trials, Direction direction,
                                 std::optional<int> incumbent = std::nullopt);

// The engine's GP posterior of a stored study along `parameter` (any
// strategy: non-gp studies get the default kernel and acquisition); for an
// nb201-cell parameter along its edge `edge` (0..5), one value per
// operation. The slice passes through the best feasible trial on the
// objective it models. With several objectives it is objective
// `objective`'s GP (gpModelInputs), named on its value axis, and has no
// acquisition curve: the study's EHVI or ParEGO scores all objectives at
// once, so a one-objective curve would not be what its suggestions
// maximize. nullopt with fewer than two complete trials, a parameter the
// model cannot slice or an objective the study does not have (`objective`
// is ignored with one objective). Pure and
// thread-safe: the studio calls it off the GUI thread.
std::optional<PosteriorSlice> gpPosteriorSliceOf(const StudyRecord& study,
                                                 const std::vector<Trial>& trials,
                                                 const std::string& parameter, int edge = -1,
                                                 std::size_t objective = 0);

}  // namespace bonsai::ui

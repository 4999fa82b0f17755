#pragma once

#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include <QPointF>
#include <QString>
#include <QStringList>

#include "insight/gp_insight.h"
#include "model/trial.h"
#include "space/search_space.h"
#include "storage/database.h"

// What the Analysis tab's views draw, as pure functions of the study record
// and its trials (no charts): tests count elements here, and the slow ones
// run off the GUI thread.
namespace bonsai::ui {

// The study's objectives: its spec's "objectives" (multi-objective, read by
// parseObjectiveSections), else one objective "value" in the study's
// direction; a spec that does not parse reads as single-objective.
std::vector<ObjectiveSpec> studyObjectives(const StudyRecord& record);
std::vector<ConstraintSpec> studyConstraints(const StudyRecord& record);

// Objective `index` of a trial: values[index] in multi-objective studies,
// value in single-objective ones; nullopt unless complete and finite.
std::optional<double> objectiveValue(const Trial& trial, std::size_t index,
                                     std::span<const ObjectiveSpec> objectives);

// What the studio's GP views (the Live slice, Importance, Contour) fit: the
// study's trials (at most gpInputTrials' cap) and direction, or in a
// multi-objective study objective `objective`'s values as each trial's
// `value` and its direction, never warm-started from hyperparameters the
// strategy stored for another model (ParEGO's scalarization); and `through`,
// the best feasible trial on that objective, which the views pass through.
// No trials for an objective the study does not have.
struct GpModelInputs {
    std::vector<Trial> trials;
    Direction direction = Direction::Minimize;
    std::optional<int> through;
};
GpModelInputs gpModelInputs(const StudyRecord& record, const std::vector<Trial>& trials,
                            std::size_t objective);

// The empirical distribution function of values given as (trial number,
// value) points (objectivePoints): after sorting, the k-th smallest (1-based)
// is reached by k / n of them. Points (value, fraction), one per finite value,
// ascending; `trials` (if given) gets the trial number behind each point.
std::vector<QPointF> empiricalDistribution(std::vector<QPointF> numberedValues,
                                           std::vector<int>* trials = nullptr);

// Parameter importance of a stored study: GP ARD relevance (see
// gpParameterRelevance; an nb201 cell split into its six edges by
// perEdgeRelevance), fitted on at most the GP views' trial cap. In
// multi-objective studies the GP models objective `objective` (in its own
// direction, never warm-started from hyperparameters a strategy stored for
// another model); nullopt for an objective the study does not have.
std::optional<ParameterRelevance> parameterImportanceOf(const StudyRecord& record,
                                                        const std::vector<Trial>& trials,
                                                        std::size_t objective = 0);
// The GP mean over two parameters or cell edges (see gpPosteriorGrid), same
// cap and objective choice; observed values and the incumbent are that
// objective's.
std::optional<PosteriorGrid> posteriorGridOf(const StudyRecord& record,
                                             const std::vector<Trial>& trials, const GridAxis& x,
                                             const GridAxis& y, int resolution = 48,
                                             std::size_t objective = 0);
// The same over the two axes the GP finds most relevant, as the Importance
// page ranks them (a cell split into its edges), from one fit.
std::optional<PosteriorGrid> mostRelevantGridOf(const StudyRecord& record,
                                                const std::vector<Trial>& trials,
                                                int resolution = 48, std::size_t objective = 0);

// Pareto view of two objectives: complete trials with both values, split into
// the Pareto set (feasible and non-dominated over *all* objectives), the
// dominated feasible ones and the infeasible ones. `front` is the Pareto set
// projected on the pair, best first on x (a step line through it is the
// front when there are two objectives). Ties on x keep trial order.
// `bounds` are the study's constraints on the two objectives shown (a
// constraint named as an objective caps the value that objective reads),
// drawn as the lines that make a trial infeasible.
struct ParetoView {
    std::vector<QPointF> front, dominated, infeasible;
    std::vector<int> frontTrials, dominatedTrials, infeasibleTrials;  // parallel to the points
    struct Bound {
        Qt::Orientation axis;  // Qt::Horizontal: a bound on x (a vertical line)
        double value;
        QString label;  // "lat_pixel3_ms ≤ 8"
    };
    std::vector<Bound> bounds;
    Direction xDirection = Direction::Minimize, yDirection = Direction::Minimize;
};
ParetoView paretoView(std::span<const Trial> trials, std::span<const ObjectiveSpec> objectives,
                      std::span<const ConstraintSpec> constraints, std::size_t xObjective,
                      std::size_t yObjective);

// Parallel coordinates: one axis per parameter (an nb201 cell: one
// categorical axis per edge, named by cellFormat::edgeAxisName) and per
// objective; each complete trial a polyline through its position on every
// axis, scaled to [0, 1] (log parameters on a log scale; categorical ones at
// evenly spaced choices). NaN where a parameter is inactive.
struct ParallelAxis {
    QString name;
    double low = 0, high = 1;  // data range shown (the space's for parameters)
    bool log = false;
    QStringList categories;  // categorical axes: names, bottom to top
    bool objective = false;
    // An objective's trials far off on its worse side (offScaleLimit: a NAS
    // cell that learns nothing, ~10 % among 81-85 %) sit in a band at that
    // end, below when maximizing, in the order of their values; low..high
    // is then the others' range, which the rest of the axis shows.
    int offScaleCount = 0;
    double offScaleLow = 0, offScaleHigh = 0;  // the far-off values' range
    bool offScaleBelow = true;
};
// The share of an objective axis its off-scale band takes.
inline constexpr double kParallelOffScaleBand = 0.1;
struct ParallelData {
    std::vector<ParallelAxis> axes;
    std::vector<int> trialNumbers;
    std::vector<double> positions;  // trialNumbers.size() x axes.size(), row-major, in [0, 1]
    double position(std::size_t trial, std::size_t axis) const {
        return positions[trial * axes.size() + axis];
    }
};
ParallelData parallelData(std::span<const Trial> trials, const SearchSpace& space,
                          std::span<const ObjectiveSpec> objectives);
// The axis value shown at position t in [0, 1] (inverse of the scaling;
// in an off-scale band, the extension of the others' scale).
double parallelValueAt(const ParallelAxis& axis, double t);
// Where an axis's off-scale band is centred, nothing when it has none.
std::optional<double> parallelOffScaleBandAt(const ParallelAxis& axis);
// Where a numeric axis is labelled, as (t, value): both ends, and between
// them round values clear of the ends (whole decades on a log axis, steps
// of 1, 2 or 5 times a power of ten otherwise: "0.001" and "0.01" rather
// than the geometric middle "0.003162", 2 and 4 rather than "3.5" on an
// integer's 1..6), at most three; the middle where none falls.
std::vector<std::pair<double, double>> parallelTicks(const ParallelAxis& axis);

// A brush: the trials whose position on `axis` lies in [low, high] (scaled
// coordinates). A trial passes the brushes when it passes every one; an
// inactive parameter (NaN) never passes a brush on its axis.
struct AxisBrush {
    std::size_t axis = 0;
    double low = 0, high = 1;
};
std::set<int> brushedTrials(const ParallelData& data, std::span<const AxisBrush> brushes);

}  // namespace bonsai::ui

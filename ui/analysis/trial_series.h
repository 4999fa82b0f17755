#pragma once

#include <cmath>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include <QPointF>
#include <QStringList>

#include "model/trial.h"
#include "space/search_space.h"

// What every chart draws, as pure functions of the trial list: a stored study
// re-renders exactly as it looked live, and tests can count points without
// any chart.
namespace bonsai::ui {

// Positive values spanning three decades or more: where a chart's value axis
// goes logarithmic (on a linear one all but the largest sit on zero).
inline bool spansDecades(double low, double high) {
    return std::isfinite(low) && std::isfinite(high) && low > 0 && high >= 1000 * low;
}

// The value beyond which some trials are off scale: where values on the
// worse side (below for maximize) lie so far from the others that an axis
// holding them would squash the rest into a sliver, as the ~10 % accuracy
// of a NAS cell with no input-to-output path squashes 80-85 % into the top
// of the chart. The gap that parts them from the others is at least twice
// the others' span (as ratios where the values span decades and the axis is
// a log one), at least five values stay, and of the final `values` at most
// a fifth go. `partial` values (a pruned trial's last report, an early
// epoch's score) may go in any number. Returns the worst value kept (the
// axis's end on that side), or nothing when no such group exists.
std::optional<double> offScaleLimit(std::span<const double> values, Direction direction,
                                    std::span<const double> partial = {});

// The values offScaleLimit puts off scale: how to tell one, how many there
// are and the range they span.
struct FarOffValues {
    std::optional<double> limit;  // the worst value kept
    bool maximize = false;        // off scale below the limit, else above
    int count = 0;
    double low = std::numeric_limits<double>::infinity();
    double high = -std::numeric_limits<double>::infinity();
    bool off(double v) const { return limit && (maximize ? v < *limit : v > *limit); }
};
FarOffValues farOffValues(std::span<const double> values, Direction direction);

// A round tick step, 1, 2 or 5 times a power of ten, for about `ticks`
// ticks over `span`.
double niceStep(double span, int ticks);

// The constraints a study ranks its trials by (ConstraintSpec names either
// an objective or a trial attribute); no constraints: every trial is feasible.
struct Feasibility {
    std::span<const ObjectiveSpec> objectives;
    std::span<const ConstraintSpec> constraints;
    bool operator()(const Trial& trial) const {
        return constraints.empty() || isFeasible(trial, objectives, constraints);
    }
};

// The numbers of the trials `feasible` rejects (none without constraints):
// the charts draw them as rings.
std::unordered_set<int> infeasibleTrialNumbers(std::span<const Trial> trials,
                                               const Feasibility& feasible);

// (trial number, value) of complete trials with a finite value; with
// `feasible`, only those it accepts (or, `infeasible` true, rejects).
std::vector<QPointF> objectivePoints(std::span<const Trial> trials);
std::vector<QPointF> objectivePoints(std::span<const Trial> trials, const Feasibility& feasible,
                                     bool infeasible = false);
// (trial number, last reported value) of pruned trials.
std::vector<QPointF> prunedPoints(std::span<const Trial> trials);
// Best complete feasible value so far, one point per complete feasible trial
// (x = its number), so a line through them steps down (minimize) or up
// (maximize) and ends at the study's best trial.
std::vector<QPointF> bestSoFar(std::span<const Trial> trials, Direction direction,
                               const Feasibility& feasible = {});
// How long a study had run at a moment: seconds from its first trial's
// start, leaving out its pauses. A pause is a stretch of more than
// kPauseSeconds in which no trial ran: a study paused (or stopped) and
// resumed later, whose idle days say nothing about its strategy's speed.
// The gaps a strategy takes to suggest, even a slow one, are far shorter.
class RunningTime {
  public:
    static constexpr double kPauseSeconds = 300.0;
    explicit RunningTime(std::span<const Trial> trials);
    // Running seconds at `when` (seconds since the Unix epoch).
    double at(double when) const;

  private:
    double m_start = 0.0;
    std::vector<std::pair<double, double>> m_pauses;  // (from, to), in order
};
// The same against time: (running seconds at the trial's end, see
// RunningTime, best so far), in the order trials ended (parallel workers
// finish out of order). Trials without an end time are left out.
std::vector<QPointF> bestSoFarByTime(std::span<const Trial> trials, Direction direction,
                                     const Feasibility& feasible = {});
// (trial number, attrs[key]) where the strategy stored a number: the GP's
// "acquisition", or TPE's "tpe_score".
std::vector<QPointF> acquisitionPoints(std::span<const Trial> trials,
                                       const std::string& key = "acquisition");
// (step, value) of a trial's intermediate reports.
std::vector<QPointF> learningCurve(const Trial& trial);

// Value against one parameter, for complete trials where it is active. For
// categorical parameters x is the choice's index plus a fixed jitter per
// trial within ±0.28 (a strip plot) and `categories` names the choices.
struct ParameterSlice {
    std::string parameter;
    std::vector<QPointF> points;
    std::vector<int> trialNumbers;  // parallel to points
    QStringList categories;         // empty for numeric parameters
    bool logScale = false;
};
// In multi-objective studies y is objective `objective` of `objectives`
// (empty `objectives`: the trial's value). For an nb201-cell parameter,
// `edge` (0..5) picks one edge: x is its operation's index plus a fixed
// jitter per trial within ±0.28 (a strip plot), categories the operations.
ParameterSlice parameterSlice(std::span<const Trial> trials, const ParamSpec& param,
                              std::span<const ObjectiveSpec> objectives = {},
                              std::size_t objective = 0, int edge = -1);
// The strip-plot offset of a trial in [-0.28, 0.28]: the same on every redraw.
double stripJitter(int trialNumber);

}  // namespace bonsai::ui

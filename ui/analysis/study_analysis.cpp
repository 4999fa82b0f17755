#include "analysis/study_analysis.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "analysis/cell_analysis.h"
#include "analysis/posterior_slice.h"
#include "analysis/study_counts.h"
#include "analysis/trial_series.h"
#include "helpers/cell_format.h"
#include "helpers/format.h"
#include "study/multi_objective.h"
#include "study/spec.h"

namespace bonsai::ui {

std::vector<ObjectiveSpec> studyObjectives(const StudyRecord& record) {
    std::vector<ObjectiveSpec> out = objectiveSectionsOf(record).objectives;
    if (out.empty())
        out.push_back(ObjectiveSpec{"value", record.direction, std::nullopt});
    return out;
}

std::vector<ConstraintSpec> studyConstraints(const StudyRecord& record) {
    return objectiveSectionsOf(record).constraints;
}

std::optional<double> objectiveValue(const Trial& trial, std::size_t index,
                                     std::span<const ObjectiveSpec> objectives) {
    if (trial.state != TrialState::Complete)
        return std::nullopt;
    std::optional<double> value;
    if (objectives.size() > 1 || !trial.values.empty()) {
        if (index < trial.values.size())
            value = trial.values[index];
    } else if (index == 0) {
        value = trial.value;
    }
    if (value && !std::isfinite(*value))
        return std::nullopt;
    return value;
}

std::vector<QPointF> empiricalDistribution(std::vector<QPointF> values, std::vector<int>* trials) {
    values.erase(std::remove_if(values.begin(), values.end(),
                                [](const QPointF& p) { return !std::isfinite(p.y()); }),
                 values.end());
    std::stable_sort(values.begin(), values.end(),
                     [](const QPointF& a, const QPointF& b) { return a.y() < b.y(); });
    std::vector<QPointF> out;
    out.reserve(values.size());
    if (trials)
        trials->clear();
    const double n = static_cast<double>(values.size());
    for (std::size_t k = 0; k < values.size(); ++k) {
        out.emplace_back(values[k].y(), static_cast<double>(k + 1) / n);
        if (trials)
            trials->push_back(static_cast<int>(values[k].x()));
    }
    return out;
}

GpModelInputs gpModelInputs(const StudyRecord& record, const std::vector<Trial>& trials,
                            std::size_t objective) {
    const auto objectives = studyObjectives(record);
    const std::optional<Trial> best =
        bestFeasibleTrial(trials, objectiveSectionsOf(record), objective);
    const std::optional<int> through = best ? std::optional<int>(best->number) : std::nullopt;
    if (objectives.size() < 2)
        return {gpInputTrials(trials, record.direction, through), record.direction, through};
    if (objective >= objectives.size())
        return {};
    GpModelInputs out;
    out.through = through;
    out.direction = objectives[objective].direction;
    out.trials.reserve(trials.size());
    for (const Trial& trial : trials) {
        // Several objectives: the strategy models complete trials only (a
        // pruned one has no value on each objective to be the worst of).
        if (trial.state == TrialState::Pruned)
            continue;
        Trial copy = trial;
        copy.value = objectiveValue(trial, objective, objectives);
        copy.attrs.erase("gp_theta");
        out.trials.push_back(std::move(copy));
    }
    out.trials = gpInputTrials(out.trials, out.direction, through);
    return out;
}

std::optional<ParameterRelevance> parameterImportanceOf(const StudyRecord& record,
                                                        const std::vector<Trial>& trials,
                                                        std::size_t objective) {
    try {
        const SearchSpace space = SearchSpace::fromJson(record.spec.value("space", Json::array()));
        const Json strategy = record.spec.value("strategy", Json{{"kind", "random"}});
        GpModelInputs inputs = gpModelInputs(record, trials, objective);
        auto relevance = gpParameterRelevance(space, strategy, inputs.direction, inputs.trials);
        // A cell is six decisions: one bar per edge, not one for the whole cell.
        if (relevance)
            relevance = perEdgeRelevance(space, *relevance);
        return relevance;
    } catch (const std::exception&) {
        return std::nullopt;  // a damaged spec or a numerical failure: nothing to draw
    }
}

std::optional<PosteriorGrid> posteriorGridOf(const StudyRecord& record,
                                             const std::vector<Trial>& trials, const GridAxis& x,
                                             const GridAxis& y, int resolution,
                                             std::size_t objective) {
    try {
        const SearchSpace space = SearchSpace::fromJson(record.spec.value("space", Json::array()));
        const Json strategy = record.spec.value("strategy", Json{{"kind", "random"}});
        GpModelInputs inputs = gpModelInputs(record, trials, objective);
        return gpPosteriorGrid(space, strategy, inputs.direction, inputs.trials, x, y, resolution,
                               inputs.through);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<PosteriorGrid> mostRelevantGridOf(const StudyRecord& record,
                                                const std::vector<Trial>& trials, int resolution,
                                                std::size_t objective) {
    try {
        const SearchSpace space = SearchSpace::fromJson(record.spec.value("space", Json::array()));
        const Json strategy = record.spec.value("strategy", Json{{"kind", "random"}});
        GpModelInputs inputs = gpModelInputs(record, trials, objective);
        auto pick = [&space](const ParameterRelevance& relevance)
            -> std::optional<std::pair<GridAxis, GridAxis>> {
            const ParameterRelevance split = perEdgeRelevance(space, relevance);
            if (split.params.size() < 2)
                return std::nullopt;
            std::vector<std::size_t> order(split.params.size());
            std::iota(order.begin(), order.end(), std::size_t{0});
            std::stable_sort(order.begin(), order.end(), [&split](std::size_t a, std::size_t b) {
                return split.relevance[a] > split.relevance[b];
            });
            return std::pair{gridAxisOf(space, toQString(split.params[order[0]])),
                             gridAxisOf(space, toQString(split.params[order[1]]))};
        };
        return gpPosteriorGrid(space, strategy, inputs.direction, inputs.trials, pick, resolution,
                               inputs.through);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

namespace {

// Where a value sits on an axis's low..high, in [0, 1] inside it.
double scaledOnRange(const ParallelAxis& axis, double value) {
    if (axis.log) {
        if (value <= 0 || axis.low <= 0)
            return std::nan("");
        const double span = std::log(axis.high) - std::log(axis.low);
        return span > 0 ? (std::log(value) - std::log(axis.low)) / span : 0.5;
    }
    const double span = axis.high - axis.low;
    return span > 0 ? (value - axis.low) / span : 0.5;
}

// A position on low..high as a position on the axis, which an off-scale
// band shortens at one end; and back.
double rangeToAxis(const ParallelAxis& axis, double t) {
    if (axis.offScaleCount == 0)
        return t;
    const double band = kParallelOffScaleBand;
    return axis.offScaleBelow ? band + (1 - band) * t : (1 - band) * t;
}
double axisToRange(const ParallelAxis& axis, double t) {
    if (axis.offScaleCount == 0)
        return t;
    const double band = kParallelOffScaleBand;
    return axis.offScaleBelow ? (t - band) / (1 - band) : t / (1 - band);
}

// Where a value sits on its parallel axis, in [0, 1]: an off-scale one in
// the middle half of the band, ordered by value.
double scaled(const ParallelAxis& axis, double value) {
    const bool off =
        axis.offScaleCount > 0 && (axis.offScaleBelow ? value < axis.low : value > axis.high);
    if (!off)
        return rangeToAxis(axis, scaledOnRange(axis, value));
    const double span = axis.offScaleHigh - axis.offScaleLow;
    const double f = span > 0 ? (value - axis.offScaleLow) / span : 0.5;
    const double inBand = kParallelOffScaleBand * (0.25 + 0.5 * f);
    return axis.offScaleBelow ? inBand : 1 - kParallelOffScaleBand + inBand;
}

}  // namespace

std::optional<double> parallelOffScaleBandAt(const ParallelAxis& axis) {
    if (axis.offScaleCount == 0)
        return std::nullopt;
    return axis.offScaleBelow ? 0.5 * kParallelOffScaleBand : 1 - 0.5 * kParallelOffScaleBand;
}

double parallelValueAt(const ParallelAxis& axis, double tOnAxis) {
    const double t = axisToRange(axis, tOnAxis);
    if (axis.log && axis.low > 0 && axis.high > 0)
        return std::exp(std::log(axis.low) + t * (std::log(axis.high) - std::log(axis.low)));
    return axis.low + t * (axis.high - axis.low);
}

std::vector<std::pair<double, double>> parallelTicks(const ParallelAxis& axis) {
    // Placed on low..high, then moved beside an off-scale band.
    auto tick = [&axis](double t) {
        const double onAxis = rangeToAxis(axis, t);
        return std::pair{onAxis, parallelValueAt(axis, onAxis)};
    };
    std::vector<std::pair<double, double>> ticks{tick(0.0)};
    // Clear of the ends, whose labels would otherwise overlap them.
    constexpr double kClear = 0.1;
    constexpr int kMostInside = 3;
    std::vector<double> inside;
    const bool log = axis.log && axis.low > 0 && axis.high > axis.low;
    if (log) {
        for (double e = std::ceil(std::log10(axis.low)); e <= std::floor(std::log10(axis.high));
             ++e)
            inside.push_back(std::pow(10.0, e));
    } else if (axis.high > axis.low) {
        const double step = niceStep(axis.high - axis.low, kMostInside);
        for (double k = std::ceil(axis.low / step); k * step <= axis.high; ++k)
            inside.push_back(k * step);
    }
    std::erase_if(inside, [&](double v) {
        const double t = scaledOnRange(axis, v);
        return !(t >= kClear && t <= 1 - kClear);
    });
    // Too many decades: every second, third, ... of them.
    const std::size_t stride = (inside.size() + kMostInside - 1) / kMostInside;
    for (std::size_t i = 0; i < inside.size(); i += std::max<std::size_t>(stride, 1))
        ticks.emplace_back(scaled(axis, inside[i]), inside[i]);
    if (ticks.size() == 1)
        ticks.push_back(tick(0.5));
    ticks.push_back(tick(1.0));
    return ticks;
}

ParallelData parallelData(std::span<const Trial> trials, const SearchSpace& space,
                          std::span<const ObjectiveSpec> objectives) {
    ParallelData data;
    // Parameter axes: (parameter, edge); a cell has one categorical axis per
    // edge (edge -1 for every other parameter).
    std::vector<std::pair<const ParamSpec*, int>> params;
    const int cells = cellFormat::cellParamCount(space);
    for (const ParamSpec& param : space.params()) {
        if (param.type == ParamType::Nb201Cell) {
            for (int edge = 0; edge < Nb201Cell::kEdges; ++edge) {
                params.emplace_back(&param, edge);
                ParallelAxis axis;
                axis.name = cellFormat::edgeAxisName(param.name, edge, cells == 1);
                for (int op = 0; op < Nb201Cell::kOperations; ++op)
                    axis.categories << cellFormat::operationLabel(op);
                axis.high = Nb201Cell::kOperations - 1;
                data.axes.push_back(axis);
            }
            continue;
        }
        params.emplace_back(&param, -1);
        ParallelAxis axis;
        axis.name = toQString(param.name);
        if (param.type == ParamType::Categorical) {
            for (const ParamValue& choice : param.choices)
                axis.categories << toQString(toDisplayString(choice));
            axis.low = 0;
            axis.high = std::max<double>(1, static_cast<double>(param.choices.size()) - 1);
        } else {
            axis.low = param.low;
            axis.high = param.high;
            axis.log = param.log;
        }
        data.axes.push_back(axis);
    }
    // Objective axes span the values seen.
    std::vector<const Trial*> complete;
    for (const Trial& trial : trials) {
        bool all = trial.state == TrialState::Complete;
        for (std::size_t k = 0; all && k < objectives.size(); ++k)
            all = objectiveValue(trial, k, objectives).has_value();
        if (all)
            complete.push_back(&trial);
    }
    for (std::size_t k = 0; k < objectives.size(); ++k) {
        ParallelAxis axis;
        axis.name = toQString(objectives[k].name);
        axis.objective = true;
        std::vector<double> values;
        for (const Trial* trial : complete)
            values.push_back(*objectiveValue(*trial, k, objectives));
        const FarOffValues far = farOffValues(values, objectives[k].direction);
        axis.offScaleBelow = far.maximize;
        axis.offScaleCount = far.count;
        axis.offScaleLow = far.low;
        axis.offScaleHigh = far.high;
        axis.low = std::numeric_limits<double>::infinity();
        axis.high = -axis.low;
        for (double v : values)
            if (!far.off(v)) {
                axis.low = std::min(axis.low, v);
                axis.high = std::max(axis.high, v);
            }
        if (complete.empty())
            axis.low = 0, axis.high = 1;
        // Rosenbrock's losses, 21 to 2e6: on a linear axis every good trial
        // meets the bottom end in one point, and one colour.
        axis.log = spansDecades(axis.low, axis.high);
        data.axes.push_back(axis);
    }
    const std::size_t width = data.axes.size();
    data.trialNumbers.reserve(complete.size());
    data.positions.reserve(complete.size() * width);
    for (const Trial* trial : complete) {
        data.trialNumbers.push_back(trial->number);
        // A cell's six edge axes sit side by side: its string is read once.
        const ParamSpec* parsed = nullptr;
        std::optional<Nb201Cell> cell;
        for (std::size_t a = 0; a < params.size(); ++a) {
            const ParamSpec& param = *params[a].first;
            auto it = trial->params.find(param.name);
            double t = std::nan("");
            if (it != trial->params.end()) {
                if (params[a].second >= 0) {
                    if (parsed != &param) {
                        parsed = &param;
                        cell = cellFormat::cellOf(*trial, param.name);
                    }
                    if (cell)
                        t = cell->ops[static_cast<std::size_t>(params[a].second)] /
                            static_cast<double>(Nb201Cell::kOperations - 1);
                } else if (param.type == ParamType::Categorical) {
                    for (std::size_t c = 0; c < param.choices.size(); ++c)
                        if (sameValue(param.choices[c], it->second))
                            t = param.choices.size() > 1
                                    ? static_cast<double>(c) /
                                          static_cast<double>(param.choices.size() - 1)
                                    : 0.5;
                } else if (auto number = numericValue(it->second)) {
                    t = scaled(data.axes[a], *number);
                }
            }
            data.positions.push_back(t);
        }
        for (std::size_t k = 0; k < objectives.size(); ++k)
            data.positions.push_back(
                scaled(data.axes[params.size() + k], *objectiveValue(*trial, k, objectives)));
    }
    return data;
}

std::set<int> brushedTrials(const ParallelData& data, std::span<const AxisBrush> brushes) {
    std::set<int> out;
    for (std::size_t i = 0; i < data.trialNumbers.size(); ++i) {
        bool pass = true;
        for (const AxisBrush& brush : brushes) {
            if (brush.axis >= data.axes.size())
                continue;
            const double t = data.position(i, brush.axis);
            // Small tolerance: a brush dragged exactly to an axis end keeps it.
            if (!(t >= brush.low - 1e-9 && t <= brush.high + 1e-9)) {
                pass = false;
                break;
            }
        }
        if (pass)
            out.insert(data.trialNumbers[i]);
    }
    return out;
}

}  // namespace bonsai::ui

#include "analysis/trial_series.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>

#include "analysis/study_analysis.h"
#include "helpers/cell_format.h"
#include "helpers/format.h"

namespace bonsai::ui {

namespace {

bool hasFiniteValue(const Trial& trial) {
    return trial.value && std::isfinite(*trial.value);
}

}  // namespace

double niceStep(double span, int ticks) {
    const double raw = span / ticks;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double ratio = raw / magnitude;
    const double nice = ratio < 1.5 ? 1 : ratio < 3 ? 2 : ratio < 7 ? 5 : 10;
    return nice * magnitude;
}

std::optional<double> offScaleLimit(std::span<const double> values, Direction direction,
                                    std::span<const double> partial) {
    struct Value {
        double value;
        bool partial;
    };
    std::vector<Value> all;
    for (double v : values)
        if (std::isfinite(v))
            all.push_back({v, false});
    const std::size_t finals = all.size();
    for (double v : partial)
        if (std::isfinite(v))
            all.push_back({v, true});
    if (all.empty())
        return std::nullopt;
    // Worst first: then the off-scale group is a prefix.
    std::stable_sort(all.begin(), all.end(), [direction](const Value& a, const Value& b) {
        return direction == Direction::Maximize ? a.value < b.value : a.value > b.value;
    });
    const std::size_t n = all.size();
    // Distances as the axis shows them: on a log axis, as ratios.
    const double lowest = std::min(all.front().value, all.back().value);
    const double highest = std::max(all.front().value, all.back().value);
    const bool log = spansDecades(lowest, highest);
    auto at = [&](std::size_t i) { return log ? std::log10(all[i].value) : all[i].value; };
    std::vector<std::size_t> finalsBefore(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i)
        finalsBefore[i + 1] = finalsBefore[i] + (all[i].partial ? 0 : 1);
    // The largest group that qualifies: two clusters below a healthy band
    // (0 and 40 under 80-85) both go.
    constexpr std::size_t kKeptAtLeast = 5;
    if (n <= kKeptAtLeast)
        return std::nullopt;
    for (std::size_t far = n - kKeptAtLeast; far >= 1; --far) {
        if (finalsBefore[far] > finals / 5)
            continue;
        const double gap = std::fabs(at(far) - at(far - 1));
        const double span = std::fabs(at(n - 1) - at(far));
        if (gap > 0 && gap >= 2 * span)
            return all[far].value;
    }
    return std::nullopt;
}

FarOffValues farOffValues(std::span<const double> values, Direction direction) {
    FarOffValues far;
    far.maximize = direction == Direction::Maximize;
    far.limit = offScaleLimit(values, direction);
    for (double v : values)
        if (far.off(v)) {
            ++far.count;
            far.low = std::min(far.low, v);
            far.high = std::max(far.high, v);
        }
    return far;
}

std::unordered_set<int> infeasibleTrialNumbers(std::span<const Trial> trials,
                                               const Feasibility& feasible) {
    std::unordered_set<int> numbers;
    if (!feasible.constraints.empty())
        for (const Trial& trial : trials)
            if (!feasible(trial))
                numbers.insert(trial.number);
    return numbers;
}

std::vector<QPointF> objectivePoints(std::span<const Trial> trials) {
    return objectivePoints(trials, Feasibility{});
}

std::vector<QPointF> objectivePoints(std::span<const Trial> trials, const Feasibility& feasible,
                                     bool infeasible) {
    std::vector<QPointF> points;
    points.reserve(infeasible ? 0 : trials.size());
    for (const Trial& trial : trials)
        if (trial.state == TrialState::Complete && hasFiniteValue(trial) &&
            feasible(trial) != infeasible)
            points.emplace_back(trial.number, *trial.value);
    return points;
}

std::vector<QPointF> prunedPoints(std::span<const Trial> trials) {
    std::vector<QPointF> points;
    for (const Trial& trial : trials)
        if (trial.state == TrialState::Pruned && hasFiniteValue(trial))
            points.emplace_back(trial.number, *trial.value);
    return points;
}

std::vector<QPointF> bestSoFar(std::span<const Trial> trials, Direction direction,
                               const Feasibility& feasible) {
    std::vector<QPointF> points;
    std::optional<double> best;
    for (const Trial& trial : trials) {
        if (trial.state != TrialState::Complete || !hasFiniteValue(trial) || !feasible(trial))
            continue;
        if (!best || isBetter(*trial.value, *best, direction))
            best = *trial.value;
        points.emplace_back(trial.number, *best);
    }
    return points;
}

RunningTime::RunningTime(std::span<const Trial> trials) {
    std::vector<std::pair<double, double>> runs;  // when each trial ran
    for (const Trial& trial : trials)
        runs.emplace_back(trial.startedAt,
                          std::max(trial.startedAt, trial.completedAt.value_or(trial.startedAt)));
    if (runs.empty())
        return;
    std::sort(runs.begin(), runs.end());
    m_start = runs.front().first;
    double reached = m_start;  // the latest end so far: something ran until then
    for (const auto& [from, to] : runs) {
        if (from - reached > kPauseSeconds)
            m_pauses.emplace_back(reached, from);
        reached = std::max(reached, to);
    }
}

double RunningTime::at(double when) const {
    double paused = 0.0;
    for (const auto& [from, to] : m_pauses)
        if (when > from)
            paused += std::min(when, to) - from;
    return when - m_start - paused;
}

std::vector<QPointF> bestSoFarByTime(std::span<const Trial> trials, Direction direction,
                                     const Feasibility& feasible) {
    std::vector<const Trial*> ended;
    for (const Trial& trial : trials)
        if (trial.state == TrialState::Complete && hasFiniteValue(trial) && feasible(trial) &&
            trial.completedAt)
            ended.push_back(&trial);
    std::stable_sort(ended.begin(), ended.end(), [](const Trial* a, const Trial* b) {
        return *a->completedAt < *b->completedAt;
    });
    const RunningTime running(trials);
    std::vector<QPointF> points;
    std::optional<double> best;
    for (const Trial* trial : ended) {
        if (!best || isBetter(*trial->value, *best, direction))
            best = *trial->value;
        points.emplace_back(running.at(*trial->completedAt), *best);
    }
    return points;
}

std::vector<QPointF> acquisitionPoints(std::span<const Trial> trials, const std::string& key) {
    std::vector<QPointF> points;
    for (const Trial& trial : trials) {
        auto it = trial.attrs.find(key);
        if (it == trial.attrs.end() || !it->is_number())
            continue;
        double value = it->get<double>();
        if (std::isfinite(value))
            points.emplace_back(trial.number, value);
    }
    return points;
}

std::vector<QPointF> learningCurve(const Trial& trial) {
    std::vector<QPointF> points;
    points.reserve(trial.intermediate.size());
    for (const auto& [step, value] : trial.intermediate)
        if (std::isfinite(value))
            points.emplace_back(static_cast<double>(step), value);
    return points;
}

double stripJitter(int trialNumber) {
    // A multiplicative hash spreads consecutive numbers over the strip.
    const std::uint32_t hash = static_cast<std::uint32_t>(trialNumber) * 2654435761u;
    return (static_cast<double>(hash >> 8) / static_cast<double>(1u << 24) - 0.5) * 0.56;
}

ParameterSlice parameterSlice(std::span<const Trial> trials, const ParamSpec& param,
                              std::span<const ObjectiveSpec> objectives, std::size_t objective,
                              int edge) {
    ParameterSlice slice;
    slice.parameter = param.name;
    slice.logScale = param.log;
    const bool cellEdge =
        param.type == ParamType::Nb201Cell && edge >= 0 && edge < Nb201Cell::kEdges;
    if (param.type == ParamType::Categorical)
        for (const ParamValue& choice : param.choices)
            slice.categories << toQString(toDisplayString(choice));
    if (cellEdge)
        for (int op = 0; op < Nb201Cell::kOperations; ++op)
            slice.categories << cellFormat::operationLabel(op);
    for (const Trial& trial : trials) {
        if (trial.state != TrialState::Complete)
            continue;
        const std::optional<double> y = objectives.empty()
                                            ? (hasFiniteValue(trial) ? trial.value : std::nullopt)
                                            : objectiveValue(trial, objective, objectives);
        if (!y)
            continue;
        auto it = trial.params.find(param.name);
        if (it == trial.params.end())
            continue;
        std::optional<double> x;
        if (cellEdge) {
            if (auto cell = cellFormat::cellOf(trial, param.name))
                x = cell->ops[static_cast<std::size_t>(edge)] + stripJitter(trial.number);
        } else if (param.type == ParamType::Categorical) {
            // A strip too: trials of one choice on a single vertical line
            // hid how many there were.
            for (std::size_t i = 0; i < param.choices.size(); ++i)
                if (sameValue(param.choices[i], it->second))
                    x = static_cast<double>(i) + stripJitter(trial.number);
        } else {
            x = numericValue(it->second);
        }
        if (!x)
            continue;
        slice.points.emplace_back(*x, *y);
        slice.trialNumbers.push_back(trial.number);
    }
    return slice;
}

}  // namespace bonsai::ui

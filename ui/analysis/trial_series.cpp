#include "analysis/trial_series.h"

#include <cmath>

#include "analysis/study_analysis.h"
#include "helpers/format.h"

namespace bonsai::ui {

namespace {

bool hasFiniteValue(const Trial& trial) {
    return trial.value && std::isfinite(*trial.value);
}

}  // namespace

std::vector<QPointF> objectivePoints(std::span<const Trial> trials) {
    std::vector<QPointF> points;
    points.reserve(trials.size());
    for (const Trial& trial : trials)
        if (trial.state == TrialState::Complete && hasFiniteValue(trial))
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

std::vector<QPointF> bestSoFar(std::span<const Trial> trials, Direction direction) {
    std::vector<QPointF> points;
    std::optional<double> best;
    for (const Trial& trial : trials) {
        if (trial.state != TrialState::Complete || !hasFiniteValue(trial))
            continue;
        if (!best || isBetter(*trial.value, *best, direction))
            best = *trial.value;
        points.emplace_back(trial.number, *best);
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

ParameterSlice parameterSlice(std::span<const Trial> trials, const ParamSpec& param,
                              std::span<const ObjectiveSpec> objectives, std::size_t objective) {
    ParameterSlice slice;
    slice.parameter = param.name;
    slice.logScale = param.log;
    if (param.type == ParamType::Categorical)
        for (const ParamValue& choice : param.choices)
            slice.categories << toQString(toDisplayString(choice));
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
        if (param.type == ParamType::Categorical) {
            for (std::size_t i = 0; i < param.choices.size(); ++i)
                if (sameValue(param.choices[i], it->second))
                    x = static_cast<double>(i);
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

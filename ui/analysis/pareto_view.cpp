#include <algorithm>
#include <numeric>

#include "analysis/study_analysis.h"
#include "helpers/format.h"
#include "multi/pareto.h"

namespace bonsai::ui {

ParetoView paretoView(std::span<const Trial> trials, std::span<const ObjectiveSpec> objectives,
                      std::span<const ConstraintSpec> constraints, std::size_t xObjective,
                      std::size_t yObjective) {
    ParetoView view;
    if (xObjective >= objectives.size() || yObjective >= objectives.size())
        return view;
    view.xDirection = objectives[xObjective].direction;
    view.yDirection = objectives[yObjective].direction;
    // Complete trials with every objective value, as loss vectors.
    std::vector<const Trial*> feasible;
    std::vector<LossVector> losses;
    auto point = [&](const Trial& trial) {
        return QPointF(*objectiveValue(trial, xObjective, objectives),
                       *objectiveValue(trial, yObjective, objectives));
    };
    for (const Trial& trial : trials) {
        LossVector loss;
        for (std::size_t k = 0; k < objectives.size(); ++k) {
            auto value = objectiveValue(trial, k, objectives);
            if (!value)
                break;
            loss.push_back(toLoss(*value, objectives[k].direction));
        }
        if (loss.size() != objectives.size())
            continue;
        if (!isFeasible(trial, objectives, constraints)) {
            view.infeasible.push_back(point(trial));
            view.infeasibleTrials.push_back(trial.number);
            continue;
        }
        feasible.push_back(&trial);
        losses.push_back(std::move(loss));
    }
    const std::vector<std::size_t> front = paretoFront(losses);
    std::vector<char> onFront(feasible.size(), 0);
    for (std::size_t i : front)
        onFront[i] = 1;
    std::vector<std::size_t> order(front);
    // Best first on x, so the attainment line steps from one front point to
    // the next.
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return losses[a][xObjective] < losses[b][xObjective];
    });
    for (std::size_t i : order) {
        view.front.push_back(point(*feasible[i]));
        view.frontTrials.push_back(feasible[i]->number);
    }
    for (std::size_t i = 0; i < feasible.size(); ++i)
        if (!onFront[i]) {
            view.dominated.push_back(point(*feasible[i]));
            view.dominatedTrials.push_back(feasible[i]->number);
        }
    for (const ConstraintSpec& constraint : constraints)
        for (const auto& [objective, axis] :
             {std::pair{xObjective, Qt::Horizontal}, std::pair{yObjective, Qt::Vertical}}) {
            if (constraint.name != objectives[objective].name)
                continue;
            const QString name = QString::fromStdString(constraint.name);
            if (constraint.min)
                view.bounds.push_back(
                    {axis, *constraint.min,
                     QStringLiteral("%1 ≥ %2").arg(name, formatNumber(*constraint.min))});
            if (constraint.max)
                view.bounds.push_back(
                    {axis, *constraint.max,
                     QStringLiteral("%1 ≤ %2").arg(name, formatNumber(*constraint.max))});
        }
    return view;
}

}  // namespace bonsai::ui

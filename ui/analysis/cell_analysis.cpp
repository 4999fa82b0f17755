#include "analysis/cell_analysis.h"

#include <algorithm>
#include <cmath>

#include "analysis/study_analysis.h"
#include "helpers/cell_format.h"
#include "helpers/format.h"

namespace bonsai::ui {

double OperationFrequency::allShare(int edge, int op) const {
    return all > 0 ? static_cast<double>(
                         allCounts[static_cast<std::size_t>(edge)][static_cast<std::size_t>(op)]) /
                         all
                   : 0.0;
}

double OperationFrequency::bestShare(int edge, int op) const {
    return best > 0
               ? static_cast<double>(
                     bestCounts[static_cast<std::size_t>(edge)][static_cast<std::size_t>(op)]) /
                     best
               : 0.0;
}

std::optional<Nb201Cell> CellCache::of(const Trial& trial, const std::string& param) {
    auto it = m_cells.find(trial.number);
    if (it == m_cells.end())
        it = m_cells.emplace(trial.number, cellFormat::cellOf(trial, param)).first;
    return it->second;
}

OperationFrequency operationFrequency(std::span<const Trial> trials, const std::string& param,
                                      std::span<const ObjectiveSpec> objectives,
                                      std::size_t objective, double fraction,
                                      std::span<const ConstraintSpec> constraints,
                                      CellCache* cache) {
    OperationFrequency out;
    out.param = param;
    out.fraction = std::clamp(fraction, 0.0, 1.0);
    // A single-objective study's direction comes with its one objective.
    const bool maximize =
        objective < objectives.size() && objectives[objective].direction == Direction::Maximize;
    struct Scored {
        double violation;  // 0 when feasible
        double value;
        int number;
        Nb201Cell cell;
    };
    std::vector<Scored> scored;
    for (const Trial& trial : trials) {
        auto value = objectiveValue(trial, objective, objectives);
        if (!value)
            continue;
        auto cell = cache ? cache->of(trial, param) : cellFormat::cellOf(trial, param);
        if (!cell)
            continue;
        scored.push_back({constraintViolation(trial, objectives, constraints),
                          maximize ? -*value : *value, trial.number, *cell});
    }
    out.all = static_cast<int>(scored.size());
    // Best first, as the study ranks its trials: feasible ones by value, then
    // infeasible ones by how far they violate the constraints (a cell that
    // breaks a latency cap is not what good cells share). Ties keep trial
    // order, so the count is reproducible.
    std::stable_sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
        if (a.violation != b.violation)
            return a.violation < b.violation;
        return a.value < b.value;
    });
    if (!scored.empty())
        out.best =
            std::clamp(static_cast<int>(std::ceil(out.fraction * out.all - 1e-9)), 1, out.all);
    for (int i = 0; i < out.all; ++i) {
        const Scored& entry = scored[static_cast<std::size_t>(i)];
        for (int edge = 0; edge < Nb201Cell::kEdges; ++edge) {
            const auto e = static_cast<std::size_t>(edge);
            const auto op = static_cast<std::size_t>(entry.cell.ops[e]);
            ++out.allCounts[e][op];
            if (i < out.best)
                ++out.bestCounts[e][op];
        }
        if (i < out.best)
            out.bestTrials.push_back(entry.number);
    }
    return out;
}

ParameterRelevance perEdgeRelevance(const SearchSpace& space, const ParameterRelevance& relevance) {
    const auto& params = space.params();
    if (relevance.coordinateRelevance.size() != static_cast<std::size_t>(space.dimensionCount()) ||
        relevance.params.size() != params.size())
        return relevance;
    int cells = 0;
    for (const ParamSpec& param : params)
        cells += param.type == ParamType::Nb201Cell;
    if (cells == 0)
        return relevance;
    ParameterRelevance out;
    out.observations = relevance.observations;
    out.coordinateRelevance = relevance.coordinateRelevance;
    out.coordinateLengthscale = relevance.coordinateLengthscale;
    for (std::size_t p = 0; p < params.size(); ++p) {
        if (params[p].type != ParamType::Nb201Cell) {
            out.params.push_back(relevance.params[p]);
            out.relevance.push_back(relevance.relevance[p]);
            out.lengthscale.push_back(relevance.lengthscale[p]);
            continue;
        }
        const int first = space.dimensionRange(p).first;
        for (int edge = 0; edge < Nb201Cell::kEdges; ++edge) {
            const auto d = static_cast<std::size_t>(first + edge);
            out.params.push_back(
                toStdString(cellFormat::edgeAxisName(params[p].name, edge, cells == 1)));
            out.relevance.push_back(relevance.coordinateRelevance[d]);
            out.lengthscale.push_back(d < relevance.coordinateLengthscale.size()
                                          ? relevance.coordinateLengthscale[d]
                                          : relevance.lengthscale[p]);
        }
    }
    return out;
}

std::optional<std::pair<std::string, int>> edgeOfAxisName(const SearchSpace& space,
                                                          const QString& name) {
    int cells = 0;
    for (const ParamSpec& param : space.params())
        cells += param.type == ParamType::Nb201Cell;
    for (const ParamSpec& param : space.params()) {
        if (param.type != ParamType::Nb201Cell)
            continue;
        for (int edge = 0; edge < Nb201Cell::kEdges; ++edge)
            if (cellFormat::edgeAxisName(param.name, edge, cells == 1) == name)
                return std::pair{param.name, edge};
    }
    return std::nullopt;
}

}  // namespace bonsai::ui

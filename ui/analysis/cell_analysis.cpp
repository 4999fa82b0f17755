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

namespace {

struct RankedCell {
    double violation;   // 0 when feasible
    double loss;        // the objective, minimized
    std::size_t index;  // into the trials
    Nb201Cell cell;
};

// The complete trials with the cell and a value of `objective`, best first
// as the study ranks its trials: feasible ones by value, then infeasible
// ones by how far they violate the constraints (a cell that breaks a
// latency cap is not what good cells share). Ties keep trial order, so the
// counts are reproducible.
std::vector<RankedCell> rankedCells(std::span<const Trial> trials, const std::string& param,
                                    std::span<const ObjectiveSpec> objectives,
                                    std::size_t objective,
                                    std::span<const ConstraintSpec> constraints, CellCache* cache) {
    // A single-objective study's direction comes with its one objective.
    const bool maximize =
        objective < objectives.size() && objectives[objective].direction == Direction::Maximize;
    std::vector<RankedCell> ranked;
    for (std::size_t i = 0; i < trials.size(); ++i) {
        const Trial& trial = trials[i];
        auto value = objectiveValue(trial, objective, objectives);
        if (!value)
            continue;
        auto cell = cache ? cache->of(trial, param) : cellFormat::cellOf(trial, param);
        if (!cell)
            continue;
        ranked.push_back({constraintViolation(trial, objectives, constraints),
                          maximize ? -*value : *value, i, *cell});
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const RankedCell& a, const RankedCell& b) {
        if (a.violation != b.violation)
            return a.violation < b.violation;
        return a.loss < b.loss;
    });
    return ranked;
}

// Counts every ranked cell, and those `isBest` says among the best.
template <typename IsBest>
void countCells(OperationFrequency& out, std::span<const Trial> trials,
                const std::vector<RankedCell>& ranked, IsBest isBest) {
    out.all = static_cast<int>(ranked.size());
    for (std::size_t rank = 0; rank < ranked.size(); ++rank) {
        const RankedCell& entry = ranked[rank];
        const bool best = isBest(rank, entry);
        for (std::size_t edge = 0; edge < entry.cell.ops.size(); ++edge) {
            const auto op = static_cast<std::size_t>(entry.cell.ops[edge]);
            ++out.allCounts[edge][op];
            if (best)
                ++out.bestCounts[edge][op];
        }
        if (best)
            out.bestTrials.push_back(trials[entry.index].number);
    }
    out.best = static_cast<int>(out.bestTrials.size());
}

}  // namespace

OperationFrequency operationFrequency(std::span<const Trial> trials, const std::string& param,
                                      std::span<const ObjectiveSpec> objectives,
                                      std::size_t objective, double fraction,
                                      std::span<const ConstraintSpec> constraints,
                                      CellCache* cache) {
    OperationFrequency out;
    out.param = param;
    out.fraction = std::clamp(fraction, 0.0, 1.0);
    const auto ranked = rankedCells(trials, param, objectives, objective, constraints, cache);
    const auto all = static_cast<double>(ranked.size());
    const std::size_t best =
        ranked.empty()
            ? 0
            : static_cast<std::size_t>(std::clamp(std::ceil(out.fraction * all - 1e-9), 1.0, all));
    countCells(out, trials, ranked,
               [best](std::size_t rank, const RankedCell&) { return rank < best; });
    return out;
}

OperationFrequency paretoOperationFrequency(std::span<const Trial> trials, const std::string& param,
                                            std::span<const ObjectiveSpec> objectives,
                                            std::span<const std::size_t> pareto, CellCache* cache) {
    OperationFrequency out;
    out.param = param;
    out.paretoSet = true;
    const auto ranked = rankedCells(trials, param, objectives, 0, {}, cache);
    countCells(out, trials, ranked, [pareto](std::size_t, const RankedCell& entry) {
        return std::find(pareto.begin(), pareto.end(), entry.index) != pareto.end();
    });
    out.fraction = out.all > 0 ? static_cast<double>(out.best) / out.all : 0.0;
    return out;
}

ParameterRelevance perEdgeRelevance(const SearchSpace& space, const ParameterRelevance& relevance) {
    const auto& params = space.params();
    if (relevance.coordinateRelevance.size() != static_cast<std::size_t>(space.dimensionCount()) ||
        relevance.params.size() != params.size())
        return relevance;
    const int cells = cellFormat::cellParamCount(space);
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
    const int cells = cellFormat::cellParamCount(space);
    for (const ParamSpec& param : space.params()) {
        if (param.type != ParamType::Nb201Cell)
            continue;
        for (int edge = 0; edge < Nb201Cell::kEdges; ++edge)
            if (cellFormat::edgeAxisName(param.name, edge, cells == 1) == name)
                return std::pair{param.name, edge};
    }
    return std::nullopt;
}

GridAxis gridAxisOf(const SearchSpace& space, const QString& name) {
    if (auto edge = edgeOfAxisName(space, name))
        return GridAxis(edge->first, edge->second);
    return GridAxis(toStdString(name));
}

}  // namespace bonsai::ui

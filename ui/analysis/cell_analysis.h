#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include <QString>

#include "insight/gp_insight.h"
#include "model/trial.h"
#include "space/nb201_cell.h"
#include "space/search_space.h"

// Analysis of nb201-cell parameters edge by edge: pure functions the cell
// views draw from, so tests can count without widgets.
namespace bonsai::ui {

// How often each operation sits on each edge, among all complete trials and
// among the best `fraction` of them (by objective `objective`, in its own
// direction; at least one trial when any is complete).
struct OperationFrequency {
    using Counts = std::array<std::array<int, Nb201Cell::kOperations>, Nb201Cell::kEdges>;
    std::string param;
    double fraction = 0.1;
    bool paretoSet = false;  // the best are a multi-objective study's Pareto set
    int all = 0;             // complete trials with the cell and a finite objective
    int best = 0;            // of them, the best ones counted in bestCounts
    Counts allCounts{};
    Counts bestCounts{};
    std::vector<int> bestTrials;  // their numbers, best first
    // Shares in [0, 1]; 0 when there are no trials.
    double allShare(int edge, int op) const;
    double bestShare(int edge, int op) const;
};
// Parsed cells by trial number, so live redraws parse each cell string once
// (a trial's parameters never change). Clear it when another study is shown.
class CellCache {
  public:
    std::optional<Nb201Cell> of(const Trial& trial, const std::string& param);
    void clear() { m_cells.clear(); }

  private:
    std::unordered_map<int, std::optional<Nb201Cell>> m_cells;
};

// The best `fraction` of the trials ranks feasible trials first (by the
// objective), then infeasible ones by their violation of `constraints`.
OperationFrequency operationFrequency(std::span<const Trial> trials, const std::string& param,
                                      std::span<const ObjectiveSpec> objectives,
                                      std::size_t objective, double fraction,
                                      std::span<const ConstraintSpec> constraints = {},
                                      CellCache* cache = nullptr);

// The same with a multi-objective study's Pareto set as the best: `pareto`
// holds indices into `trials` (as StudyCounts::paretoIndices), ranked by the
// first objective; the cells hardware-aware NAS keeps share these operations.
OperationFrequency paretoOperationFrequency(std::span<const Trial> trials, const std::string& param,
                                            std::span<const ObjectiveSpec> objectives,
                                            std::span<const std::size_t> pareto,
                                            CellCache* cache = nullptr);

// Relevance with every nb201-cell parameter split into its six edges (named
// by cellFormat::edgeAxisName), each edge's share read from the GP's
// lengthscale of that coordinate; other parameters unchanged.
ParameterRelevance perEdgeRelevance(const SearchSpace& space, const ParameterRelevance& relevance);

// The parameter and edge behind an axis or bar named by edgeAxisName, or
// nullopt for any other name.
std::optional<std::pair<std::string, int>> edgeOfAxisName(const SearchSpace& space,
                                                          const QString& name);
// An axis or bar name as a grid axis: a cell edge's (see edgeOfAxisName),
// else the parameter of that name.
GridAxis gridAxisOf(const SearchSpace& space, const QString& name);

}  // namespace bonsai::ui

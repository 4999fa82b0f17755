#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "space/param_value.h"

namespace bonsai {

enum class ParamType { Float, Int, Categorical, Nb201Cell };

const char* paramTypeName(ParamType type);

// `"when": {"param": "optimizer", "equals": "sgd"}` or `{"param": ..., "in": [...]}`;
// `equals` is stored as a one-element list.
struct Condition {
    std::string param;
    std::vector<ParamValue> values;
};

struct ParamSpec {
    std::string name;
    ParamType type = ParamType::Float;
    double low = 0.0;   // float and int
    double high = 1.0;  // float and int (inclusive)
    bool log = false;
    std::optional<double> step;       // float and int; int defaults to 1
    std::vector<ParamValue> choices;  // categorical
    std::optional<Condition> when;

    // Number of distinct values for int, stepped float, categorical and cell
    // edges; nullopt for a continuous float.
    std::optional<std::int64_t> levelCount() const;
};

// How one coordinate of the unit-cube encoding behaves.
//  - Continuous: any u in [0, 1].
//  - Ordinal: `levels` ordered values (ints, stepped floats); u snaps to the
//    centre of its bin, (k + 0.5) / levels (log ints: bins equal on log(x),
//    see below, so their centres are not evenly spaced).
//  - Categorical: `levels` unordered values at bin centres; models must treat
//    distinct bins as unrelated (e.g. a Hamming kernel), never as near or far.
enum class DimensionKind { Continuous, Ordinal, Categorical };

struct Dimension {
    DimensionKind kind = DimensionKind::Continuous;
    std::int64_t levels = 0;  // 0 for Continuous
    std::size_t param = 0;    // index into SearchSpace::params()
    int slot = 0;             // which coordinate of that parameter (cells have 6)
};

// The search space of a study: parsed and validated from the spec's "space"
// array, and the bijection between parameter values and the unit cube that
// every strategy and model works in.
//
// Encoding rules (documented in README):
//  - float: u = (x - low) / (high - low), or on log(x) when log is true;
//    with a step, x = low + k * step and u is the centre of bin k.
//  - int: like a stepped float with step (default 1); with log, bins are
//    spaced on log(x) over [low - 0.5, high + 0.5] so every int gets a bin.
//  - categorical: choice i of n at u = (i + 0.5) / n.
//  - nb201-cell: 6 categorical coordinates, one per edge, 5 operations each.
//  - A parameter inactive under its condition is imputed at a fixed point
//    (continuous 0.5, ordinal/categorical the first bin's centre) so every
//    trial is a point of the same cube; decode() leaves it out.
class SearchSpace {
  public:
    SearchSpace() = default;

    // Throws SpecError naming the exact path (e.g. "space[2].low") and the fix.
    static SearchSpace fromJson(const Json& space, const std::string& path = "space");
    Json toJson() const;

    const std::vector<ParamSpec>& params() const { return m_params; }
    // The parameters' names in the space's order (the order they are shown in).
    std::vector<std::string> names() const;
    const ParamSpec* find(const std::string& name) const;
    std::optional<std::size_t> indexOf(const std::string& name) const;

    const std::vector<Dimension>& dimensions() const { return m_dimensions; }
    int dimensionCount() const { return static_cast<int>(m_dimensions.size()); }
    // Coordinates [first, first + count) belong to parameter `param`.
    std::pair<int, int> dimensionRange(std::size_t param) const;

    // Whether parameter `index` is active given the values chosen before it.
    bool isActive(std::size_t index, const ParamMap& params) const;

    Eigen::VectorXd encode(const ParamMap& params) const;
    // Any point of R^d is clamped to the cube first. Conditions are resolved in
    // parameter order, so the result holds exactly the active parameters.
    ParamMap decode(const Eigen::Ref<const Eigen::VectorXd>& unit) const;
    // encode(decode(u)): snaps ordinal/categorical coordinates to bin centres
    // and imputes inactive ones. Spaces of unconditional categoricals and
    // cells get the same result without building the parameters: the
    // acquisition maximizer snaps every one of a cell space's 15,625 points.
    Eigen::VectorXd canonical(const Eigen::Ref<const Eigen::VectorXd>& unit) const;

    // Checks that `params` holds exactly the active parameters with legal values
    // (used when a trial is enqueued by hand or read back from storage).
    // Throws SpecError(path + "." + name, ...).
    void validate(const ParamMap& params, const std::string& path) const;

    // Product of every dimension's levels; nullopt if any dimension is
    // continuous. Conditions are ignored, so with conditional parameters this
    // is an upper bound on the number of distinct trials.
    std::optional<double> cardinality() const;

  private:
    // Builds m_dimensions and m_ranges from m_params (fromJson's last step).
    void layOutDimensions();

    std::vector<ParamSpec> m_params;
    std::vector<Dimension> m_dimensions;
    std::vector<std::pair<int, int>> m_ranges;  // per param: first dim, count
    // Every parameter is an unconditional categorical or cell: canonical()
    // only moves each coordinate to its bin's centre.
    bool m_canonicalBinsOnly = false;
};

}  // namespace bonsai

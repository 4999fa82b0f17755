#include "gp/surrogate.h"

#include <algorithm>
#include <cmath>

#include "gp/kernel.h"
#include "space/nb201_cell.h"

namespace bonsai {

InputKinds inputKindsOf(const SearchSpace& space) {
    InputKinds kinds;
    for (const Dimension& dim : space.dimensions()) {
        if (dim.kind == DimensionKind::Categorical)
            kinds.push_back(InputKind::categorical(static_cast<int>(dim.levels)));
        else if (dim.kind == DimensionKind::Ordinal && dim.levels <= kMaxOrdinalLevels)
            kinds.push_back(InputKind::ordinal(static_cast<int>(dim.levels)));
        else
            kinds.push_back(InputKind::continuous());
    }
    return kinds;
}

JointInputs cellPathInputs(const SearchSpace& space) {
    JointInputs joints;
    for (std::size_t p = 0; p < space.params().size(); ++p) {
        if (space.params()[p].type != ParamType::Nb201Cell)
            continue;
        const int first = space.dimensionRange(p).first;
        for (const std::vector<int>& path : Nb201Cell::inputOutputPaths()) {
            if (path.size() < 2)
                continue;
            std::vector<int> joint;
            for (int edge : path)
                joint.push_back(first + edge);
            joints.push_back(std::move(joint));
        }
    }
    return joints;
}

Kernel::InputMap functionalCellMap(const SearchSpace& space) {
    // The first coordinate of each cell parameter; its six edges follow.
    std::vector<int> firsts;
    for (std::size_t p = 0; p < space.params().size(); ++p)
        if (space.params()[p].type == ParamType::Nb201Cell)
            firsts.push_back(space.dimensionRange(p).first);
    if (firsts.empty())
        return {};
    return [firsts](const Eigen::MatrixXd& X) {
        const InputKind edge = InputKind::categorical(Nb201Cell::kOperations);
        Eigen::MatrixXd out = X;
        for (Eigen::Index r = 0; r < X.rows(); ++r)
            for (int first : firsts) {
                Nb201Cell cell;
                for (int e = 0; e < Nb201Cell::kEdges; ++e)
                    cell.ops[static_cast<std::size_t>(e)] = edge.levelOf(X(r, first + e));
                const Nb201Cell form = cell.functionalForm();
                for (int e = 0; e < Nb201Cell::kEdges; ++e)
                    out(r, first + e) = edge.centreOf(form.ops[static_cast<std::size_t>(e)]);
            }
        return out;
    };
}

bool hasCells(const SearchSpace& space) {
    return std::any_of(space.params().begin(), space.params().end(),
                       [](const ParamSpec& param) { return param.type == ParamType::Nb201Cell; });
}

std::unique_ptr<Kernel> makeSurrogateKernel(const SurrogateKernel& kernel, const SearchSpace& space,
                                            bool sameCells) {
    std::unique_ptr<Kernel> out =
        makeKernel(kernel.name, inputKindsOf(space),
                   kernel.cellPaths ? cellPathInputs(space) : JointInputs{}, kernel.additive);
    if (sameCells)
        out->setInputMap(functionalCellMap(space));
    return out;
}

Eigen::MatrixXd rowsOf(const SearchSpace& space, const std::vector<const Trial*>& trials) {
    Eigen::MatrixXd rows(static_cast<Eigen::Index>(trials.size()), space.dimensionCount());
    for (std::size_t i = 0; i < trials.size(); ++i)
        rows.row(static_cast<Eigen::Index>(i)) = space.encode(trials[i]->params).transpose();
    return rows;
}

SurrogateData gather(const SearchSpace& space, std::span<const Trial> trials,
                     const LossOf& lossOf) {
    SurrogateData data;
    std::vector<const Trial*> pending, all;
    std::vector<double> losses;
    for (const Trial& trial : trials) {
        if (trial.params.empty() && space.dimensionCount() > 0)
            continue;
        // Warm-start priors (numbered below 0) were evaluated by another
        // study: this one may still evaluate their points.
        if (trial.number >= 0)
            all.push_back(&trial);
        if (trial.state == TrialState::Complete) {
            if (auto loss = lossOf(trial); loss && std::isfinite(*loss)) {
                data.observed.push_back(&trial);
                losses.push_back(*loss);
            }
        } else if (trial.state == TrialState::Running) {
            pending.push_back(&trial);
        }
    }
    data.X = rowsOf(space, data.observed);
    data.y =
        Eigen::Map<const Eigen::VectorXd>(losses.data(), static_cast<Eigen::Index>(losses.size()));
    data.pending = rowsOf(space, pending);
    data.taken = rowsOf(space, all);
    return data;
}

std::size_t addPrunedAsWorst(SurrogateData& data, const SearchSpace& space,
                             std::span<const Trial> trials) {
    if (data.y.size() == 0)
        return 0;
    std::vector<const Trial*> pruned;
    for (const Trial& trial : trials)
        if (trial.state == TrialState::Pruned &&
            (!trial.params.empty() || space.dimensionCount() == 0))
            pruned.push_back(&trial);
    if (pruned.empty())
        return 0;
    const Eigen::Index before = data.y.size();
    const auto added = static_cast<Eigen::Index>(pruned.size());
    const double worst = data.y.maxCoeff();
    data.X.conservativeResize(before + added, Eigen::NoChange);
    data.X.bottomRows(added) = rowsOf(space, pruned);
    data.y.conservativeResize(before + added);
    data.y.tail(added).setConstant(worst);
    data.observed.insert(data.observed.end(), pruned.begin(), pruned.end());
    return pruned.size();
}

SurrogateData gather(const SearchSpace& space, std::span<const Trial> trials, Direction direction) {
    return gather(space, trials, [direction](const Trial& trial) -> std::optional<double> {
        if (!trial.value)
            return std::nullopt;
        return toLoss(*trial.value, direction);
    });
}

std::optional<GpFitState> storedTheta(std::span<const Trial> trials, Eigen::Index size,
                                      const std::string& key) {
    for (auto it = trials.rbegin(); it != trials.rend(); ++it) {
        auto found = it->attrs.find(key);
        if (found == it->attrs.end() || !found->is_array() ||
            static_cast<Eigen::Index>(found->size()) != size)
            continue;
        GpFitState state;
        state.theta.resize(size);
        for (Eigen::Index i = 0; i < size; ++i) {
            const Json& v = (*found)[static_cast<std::size_t>(i)];
            if (!v.is_number())
                return std::nullopt;
            state.theta[i] = v.get<double>();
        }
        if (auto at = it->attrs.find("gp_fitted_at"); at != it->attrs.end() && at->is_number())
            state.fittedAt = at->get<Eigen::Index>();
        if (auto lml = it->attrs.find("gp_fit_likelihood");
            lml != it->attrs.end() && lml->is_number())
            state.fitLikelihood = lml->get<double>();
        return state;
    }
    return std::nullopt;
}

GaussianProcess chooseIsomorphicCells(GaussianProcess gp, const SearchSpace& space) {
    if (!hasCells(space) || gp.kernel().mapsInputs() || gp.size() < 2)
        return gp;
    std::unique_ptr<Kernel> kernel = gp.kernel().clone();
    kernel->setInputMap(functionalCellMap(space));
    GaussianProcess same(std::move(kernel));
    same.setHyperparameters(gp.hyperparameters());
    same.setData(gp.inputs().topRows(gp.outputs().size()), gp.outputs());
    if (same.logMarginalLikelihood() > gp.logMarginalLikelihood())
        return same;
    return gp;
}

GaussianProcess fitSurrogate(const SurrogateKernel& kernel, const SearchSpace& space,
                             const SurrogateData& data, std::span<const Trial> trials, Rng* rng,
                             GpScaledFit* fit, const std::string& thetaKey) {
    GaussianProcess gp(makeSurrogateKernel(kernel, space, kernel.cells == IsomorphicCells::Same));
    const std::optional<GpFitState> stored =
        storedTheta(trials, gp.hyperparameterCount(), thetaKey);
    GpScaledFit scaled = fitScaled(gp, data.X, data.y, stored ? &*stored : nullptr, rng);
    if (fit)
        *fit = std::move(scaled);
    if (kernel.cells == IsomorphicCells::Auto)
        return chooseIsomorphicCells(std::move(gp), space);
    return gp;
}

}  // namespace bonsai

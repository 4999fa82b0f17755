#include "strategies/builtin_strategies.h"

namespace bonsai {

namespace {

// Independent uniform draws in the unit cube: uniform over each float's range
// (or its logarithm), over the values of ints and steps, and over choices.
class RandomStrategy final : public Strategy {
  public:
    explicit RandomStrategy(const SearchSpace& space) : m_space(space) {}

    std::optional<Suggestion> suggest(const SuggestContext& context) override {
        Eigen::VectorXd unit(m_space.dimensionCount());
        for (int d = 0; d < unit.size(); ++d)
            unit[d] = uniform01(context.rng);
        return Suggestion{m_space.decode(unit), Json::object()};
    }

  private:
    const SearchSpace& m_space;
};

}  // namespace

StrategyKind randomStrategyKind() {
    StrategyKind kind;
    kind.kind = "random";
    kind.summary = "independent uniform draws (uniform on the log scale for `log` parameters)";
    kind.factory = [](SettingsReader&, const SearchSpace& space) -> std::unique_ptr<Strategy> {
        return std::make_unique<RandomStrategy>(space);
    };
    kind.capabilities.multiObjective = true;
    return kind;
}

}  // namespace bonsai

#include "strategies/builtin_strategies.h"
#include "util/sobol.h"

namespace bonsai {

namespace {

// Trial n takes the n-th point of an Owen-scrambled Sobol sequence seeded by
// the study, so the design fills the cube evenly and a resumed study continues
// the same sequence.
class SobolStrategy final : public Strategy {
  public:
    explicit SobolStrategy(const SearchSpace& space) : m_space(space) {}

    std::optional<Suggestion> suggest(const SuggestContext& context) override {
        SobolSequence sequence(m_space.dimensionCount(), context.seed);
        Eigen::VectorXd unit = sequence.point(context.trials.size());
        return Suggestion{m_space.decode(unit), Json::object()};
    }

  private:
    const SearchSpace& m_space;
};

}  // namespace

StrategyKind sobolStrategyKind() {
    StrategyKind kind;
    kind.kind = "sobol";
    kind.summary = "trial n takes point n of an Owen-scrambled Sobol sequence seeded by the study";
    kind.factory = [](SettingsReader&, const SearchSpace& space) -> std::unique_ptr<Strategy> {
        return std::make_unique<SobolStrategy>(space);
    };
    // Point n is trial n's, running trials included: parallel workers never
    // share a point.
    kind.capabilities.multiObjective = true;
    kind.capabilities.pendingTrials = true;
    return kind;
}

}  // namespace bonsai

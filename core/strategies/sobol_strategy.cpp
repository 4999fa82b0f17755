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

std::unique_ptr<Strategy> makeSobolStrategy(JsonReader& settings, const SearchSpace& space) {
    return std::make_unique<SobolStrategy>(space);
}

}  // namespace bonsai

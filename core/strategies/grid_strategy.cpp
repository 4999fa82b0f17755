#include <cmath>
#include <numeric>

#include "strategies/builtin_strategies.h"

namespace bonsai {

namespace {

constexpr double kMaxGridPoints = 1e8;

// Every combination of per-dimension grid values, visited in a seeded
// pseudo-random order (an affine permutation of the mixed-radix index), so a
// budget smaller than the grid still spreads over the whole space. Points in
// which an inactive parameter sits anywhere but its first grid value are
// duplicates of another point and are skipped. Ends when the grid is exhausted.
class GridStrategy final : public Strategy {
  public:
    // Each dimension's grid values are computed when needed, never listed:
    // an int with 10^8 levels costs no memory and no start-up time.
    GridStrategy(const SearchSpace& space, std::int64_t resolution) : m_space(space) {
        double size = 1.0;
        for (const Dimension& dim : space.dimensions()) {
            Axis axis;
            if (dim.kind == DimensionKind::Continuous) {
                axis = {Axis::Kind::Spaced, static_cast<std::uint64_t>(resolution), 0};
            } else if (dim.kind == DimensionKind::Categorical || dim.levels <= resolution) {
                axis = {Axis::Kind::EveryLevel, static_cast<std::uint64_t>(dim.levels), dim.levels};
            } else {
                // More ordinal levels than the resolution: evenly spaced levels.
                axis = {Axis::Kind::SpacedLevels, static_cast<std::uint64_t>(resolution),
                        dim.levels};
            }
            size *= static_cast<double>(axis.count);
            m_axes.push_back(axis);
        }
        m_size = static_cast<std::uint64_t>(size);
    }

    static double gridSize(const SearchSpace& space, std::int64_t resolution) {
        double size = 1.0;
        for (const Dimension& dim : space.dimensions()) {
            if (dim.kind == DimensionKind::Continuous)
                size *= static_cast<double>(resolution);
            else if (dim.kind == DimensionKind::Categorical)
                size *= static_cast<double>(dim.levels);
            else
                size *= static_cast<double>(std::min(dim.levels, resolution));
        }
        return size;
    }

    std::optional<Suggestion> suggest(const SuggestContext& context) override {
        std::uint64_t wanted = context.trials.size();
        if (wanted < m_emitted || m_seed != context.seed)
            restart(context.seed);
        while (m_cursor < m_size) {
            std::uint64_t index = (m_multiplier * m_cursor + m_offset) % m_size;
            ++m_cursor;
            std::vector<std::uint64_t> digits = digitsOf(index);
            Eigen::VectorXd unit(static_cast<Eigen::Index>(digits.size()));
            for (std::size_t d = 0; d < digits.size(); ++d)
                unit[static_cast<Eigen::Index>(d)] = m_axes[d].value(digits[d]);
            ParamMap params = m_space.decode(unit);
            if (!isCanonical(params, digits))
                continue;
            if (m_emitted++ == wanted)
                return Suggestion{std::move(params), {{"grid_index", index}}};
        }
        return std::nullopt;
    }

  private:
    void restart(std::uint64_t seed) {
        m_seed = seed;
        m_cursor = 0;
        m_emitted = 0;
        // A multiplier coprime with the size makes k -> (a k + b) mod n a bijection.
        Rng rng(mixSeed(seed, 0x67726964));  // "grid"
        m_offset = m_size ? rng() % m_size : 0;
        m_multiplier = 1;
        if (m_size > 2) {
            for (int attempt = 0; attempt < 64; ++attempt) {
                std::uint64_t candidate = 1 + rng() % (m_size - 1);
                if (std::gcd(candidate, m_size) == 1) {
                    m_multiplier = candidate;
                    break;
                }
            }
        }
    }

    std::vector<std::uint64_t> digitsOf(std::uint64_t index) const {
        std::vector<std::uint64_t> digits(m_axes.size());
        for (std::size_t d = m_axes.size(); d-- > 0;) {
            digits[d] = index % m_axes[d].count;
            index /= m_axes[d].count;
        }
        return digits;
    }

    bool isCanonical(const ParamMap& params, const std::vector<std::uint64_t>& digits) const {
        const auto& dims = m_space.dimensions();
        for (std::size_t d = 0; d < dims.size(); ++d) {
            const ParamSpec& param = m_space.params()[dims[d].param];
            if (!params.count(param.name) && digits[d] != 0)
                return false;
        }
        return true;
    }

    // One dimension's grid: `count` values in the unit interval.
    struct Axis {
        enum class Kind { Spaced, EveryLevel, SpacedLevels } kind;
        std::uint64_t count;
        std::int64_t levels;  // of an ordinal or categorical dimension

        double value(std::uint64_t k) const {
            const double i = static_cast<double>(k);
            switch (kind) {
                case Kind::Spaced:
                    return i / static_cast<double>(count - 1);
                case Kind::EveryLevel:
                    return (i + 0.5) / static_cast<double>(levels);
                case Kind::SpacedLevels:
                    return (std::round(i * static_cast<double>(levels - 1) /
                                       static_cast<double>(count - 1)) +
                            0.5) /
                           static_cast<double>(levels);
            }
            return 0.0;
        }
    };

    const SearchSpace& m_space;
    std::vector<Axis> m_axes;
    std::uint64_t m_size = 0;
    std::uint64_t m_seed = 0;
    std::uint64_t m_multiplier = 1;
    std::uint64_t m_offset = 0;
    std::uint64_t m_cursor = 0;
    std::uint64_t m_emitted = ~std::uint64_t{0};
};

}  // namespace

static std::unique_ptr<Strategy> makeGridStrategy(SettingsReader& settings,
                                                  const SearchSpace& space) {
    std::int64_t resolution = settings.integer("resolution");
    double size = GridStrategy::gridSize(space, resolution);
    if (size > kMaxGridPoints) {
        char text[160];
        std::snprintf(text, sizeof text,
                      "the grid would have %.3g points (limit 1e8); lower the resolution or use "
                      "\"sobol\" or \"random\"",
                      size);
        settings.fail("resolution", text);
    }
    return std::make_unique<GridStrategy>(space, resolution);
}

StrategyKind gridStrategyKind() {
    StrategyKind kind;
    kind.kind = "grid";
    kind.summary =
        "every combination of grid values, in a seeded shuffled order; ends when the "
        "grid is exhausted";
    kind.factory = makeGridStrategy;
    kind.settings = {SettingSpec::integer("resolution", 5)
                         .atLeast(2)
                         .labelled("Values per float")
                         .documented("evenly spaced values per float (and per int or stepped "
                                     "float with more values)")};
    kind.capabilities.multiObjective = true;
    kind.capabilities.pendingTrials = true;
    kind.capabilities.finiteSpaces = true;
    return kind;
}

}  // namespace bonsai

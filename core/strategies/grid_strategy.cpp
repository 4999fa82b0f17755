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
    GridStrategy(const SearchSpace& space, std::int64_t resolution) : m_space(space) {
        for (const Dimension& dim : space.dimensions()) {
            std::vector<double> values;
            if (dim.kind == DimensionKind::Continuous) {
                for (std::int64_t i = 0; i < resolution; ++i)
                    values.push_back(static_cast<double>(i) / static_cast<double>(resolution - 1));
            } else if (dim.kind == DimensionKind::Categorical || dim.levels <= resolution) {
                for (std::int64_t k = 0; k < dim.levels; ++k)
                    values.push_back((static_cast<double>(k) + 0.5) /
                                     static_cast<double>(dim.levels));
            } else {
                // More ordinal levels than the resolution: evenly spaced levels.
                for (std::int64_t i = 0; i < resolution; ++i) {
                    double level =
                        std::round(static_cast<double>(i) * static_cast<double>(dim.levels - 1) /
                                   static_cast<double>(resolution - 1));
                    values.push_back((level + 0.5) / static_cast<double>(dim.levels));
                }
            }
            m_values.push_back(std::move(values));
        }
        double size = 1.0;
        for (const auto& values : m_values)
            size *= static_cast<double>(values.size());
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
            std::vector<std::size_t> digits = digitsOf(index);
            Eigen::VectorXd unit(static_cast<Eigen::Index>(digits.size()));
            for (std::size_t d = 0; d < digits.size(); ++d)
                unit[static_cast<Eigen::Index>(d)] = m_values[d][digits[d]];
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

    std::vector<std::size_t> digitsOf(std::uint64_t index) const {
        std::vector<std::size_t> digits(m_values.size());
        for (std::size_t d = m_values.size(); d-- > 0;) {
            digits[d] = static_cast<std::size_t>(index % m_values[d].size());
            index /= m_values[d].size();
        }
        return digits;
    }

    bool isCanonical(const ParamMap& params, const std::vector<std::size_t>& digits) const {
        const auto& dims = m_space.dimensions();
        for (std::size_t d = 0; d < dims.size(); ++d) {
            const ParamSpec& param = m_space.params()[dims[d].param];
            if (!params.count(param.name) && digits[d] != 0)
                return false;
        }
        return true;
    }

    const SearchSpace& m_space;
    std::vector<std::vector<double>> m_values;
    std::uint64_t m_size = 0;
    std::uint64_t m_seed = 0;
    std::uint64_t m_multiplier = 1;
    std::uint64_t m_offset = 0;
    std::uint64_t m_cursor = 0;
    std::uint64_t m_emitted = ~std::uint64_t{0};
};

}  // namespace

std::unique_ptr<Strategy> makeGridStrategy(JsonReader& settings, const SearchSpace& space) {
    std::int64_t resolution = settings.integerOr("resolution", 5);
    if (resolution < 2)
        settings.fail("resolution", "must be at least 2 (got " + std::to_string(resolution) + ")");
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

}  // namespace bonsai

#include "util/sobol.h"

#include <boost/random/sobol.hpp>

#include "util/random.h"

namespace bonsai {

namespace {

using SobolEngine = boost::random::sobol_engine<std::uint32_t, 32>;

std::uint32_t reverseBits(std::uint32_t x) {
    x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
    x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
    x = ((x >> 4) & 0x0F0F0F0Fu) | ((x & 0x0F0F0F0Fu) << 4);
    x = ((x >> 8) & 0x00FF00FFu) | ((x & 0x00FF00FFu) << 8);
    return (x >> 16) | (x << 16);
}

// Laine-Karras style hash: each output bit depends only on the input bits
// below it, which is what makes it a nested (Owen) scramble after reversal.
std::uint32_t laineKarrasPermutation(std::uint32_t x, std::uint32_t seed) {
    x += seed;
    x ^= x * 0x6c50b47cu;
    x ^= x * 0xb82f1e52u;
    x ^= x * 0xc7afe638u;
    x ^= x * 0x8d22f6e6u;
    return x;
}

std::uint32_t owenScramble(std::uint32_t x, std::uint32_t seed) {
    return reverseBits(laineKarrasPermutation(reverseBits(x), seed));
}

}  // namespace

SobolSequence::SobolSequence(int dimensions, std::uint64_t seed) : m_dimensions(dimensions) {
    for (int d = 0; d < dimensions; ++d)
        m_scrambleSeeds.push_back(static_cast<std::uint32_t>(mixSeed(seed, d)));
}

Eigen::MatrixXd SobolSequence::points(std::uint64_t index, int count) const {
    Eigen::MatrixXd out(count, m_dimensions);
    if (m_dimensions == 0)
        return out;
    // Boost's engine starts at the sequence's second point (it skips the
    // origin); point 0 is the origin, and the first 2^k points together form
    // a (t, k, d)-net only with it, so it is added back here.
    SobolEngine engine(static_cast<std::size_t>(m_dimensions));
    if (index > 0)
        engine.seed(index - 1);
    for (int row = 0; row < count; ++row) {
        const bool origin = index + static_cast<std::uint64_t>(row) == 0;
        for (int d = 0; d < m_dimensions; ++d) {
            std::uint32_t raw = origin ? 0u : engine();
            std::uint32_t bits = owenScramble(raw, m_scrambleSeeds[d]);
            // Centre of the 2^-32 cell, so no coordinate is exactly 0 or 1.
            out(row, d) = (static_cast<double>(bits) + 0.5) / 4294967296.0;
        }
    }
    return out;
}

Eigen::VectorXd SobolSequence::point(std::uint64_t index) const {
    return points(index, 1).row(0).transpose();
}

}  // namespace bonsai

#pragma once

#include <cstdint>
#include <random>

namespace bonsai {

// Every random choice in a study flows from one seeded engine owned by the
// caller and passed by reference; there are no global or thread_local RNGs.
using Rng = std::mt19937_64;

// SplitMix64: decorrelates (seed, stream) pairs so that trial n of a study
// draws from its own stream. Resuming a study therefore reproduces the
// suggestions an uninterrupted run would have made.
inline std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t stream) {
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (stream + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

inline double uniform01(Rng& rng) {
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

}  // namespace bonsai

#pragma once

#include <cstdint>
#include <vector>

#include <Eigen/Core>

namespace bonsai {

// Owen-scrambled Sobol points in [0, 1)^d. The direction numbers come from
// Boost.Random (Joe & Kuo); each coordinate is scrambled by the hash-based
// nested uniform scramble of Burley, "Practical Hash-based Owen Scrambling"
// (JCGT 2020), seeded per dimension, so the points keep their stratification
// while different seeds give independent randomized sequences.
class SobolSequence {
  public:
    SobolSequence(int dimensions, std::uint64_t seed);
    int dimensions() const { return m_dimensions; }
    // The index-th point (0-based); random access.
    Eigen::VectorXd point(std::uint64_t index) const;
    // Points index .. index + count - 1 as the rows of a matrix.
    Eigen::MatrixXd points(std::uint64_t index, int count) const;

  private:
    int m_dimensions;
    std::vector<std::uint32_t> m_scrambleSeeds;
};

}  // namespace bonsai

#pragma once

// Inputs shared by the GP, kernel and acquisition tests.
#include <random>

#include <Eigen/Core>

#include "gp/input_kind.h"

namespace bonsai::testdata {

// d inputs; with `mixed`, every third is categorical (3 levels) and every
// fifth ordinal (6 levels), the rest continuous.
inline InputKinds makeInputs(int d, bool mixed) {
    InputKinds inputs;
    for (int i = 0; i < d; ++i) {
        if (mixed && i % 3 == 1)
            inputs.push_back(InputKind::categorical(3));
        else if (mixed && i % 5 == 4)
            inputs.push_back(InputKind::ordinal(6));
        else
            inputs.push_back(InputKind::continuous());
    }
    return inputs;
}

// n uniform points of the unit cube as rows.
inline Eigen::MatrixXd randomPoints(int n, int d, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    Eigen::MatrixXd X(n, d);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < d; ++j)
            X(i, j) = u(rng);
    return X;
}

}  // namespace bonsai::testdata

#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace bonsai {

// How one coordinate of a unit-cube point behaves, as seen by the GP and the
// acquisition maximizer. Deliberately independent of space/: the strategy maps
// its search space onto a vector of these.
//  - Continuous: any u in [0, 1]; stationary kernel, gradient-based refinement.
//  - Ordinal: `levels` ordered bins; stationary kernel on u, local search +-1 bin.
//  - Categorical: `levels` unordered bins, level = clamp(floor(u * L), 0, L - 1);
//    overlap (Hamming) kernel, local search over every other level.
struct InputKind {
    enum class Type { Continuous, Ordinal, Categorical };
    Type type = Type::Continuous;
    int levels = 0;  // 0 for Continuous

    static InputKind continuous() { return {Type::Continuous, 0}; }
    static InputKind ordinal(int levels) { return {Type::Ordinal, levels}; }
    static InputKind categorical(int levels) { return {Type::Categorical, levels}; }

    bool isContinuous() const { return type == Type::Continuous; }
    bool isCategorical() const { return type == Type::Categorical; }
    bool isDiscrete() const { return type != Type::Continuous; }

    // Bin of u for ordinal and categorical inputs.
    int levelOf(double u) const {
        if (levels <= 1 || !(u == u))
            return 0;
        const double k = std::floor(u * levels);
        return static_cast<int>(std::clamp(k, 0.0, static_cast<double>(levels - 1)));
    }
    // Canonical coordinate of a bin: its centre.
    double centreOf(int level) const { return (level + 0.5) / levels; }
    // Clamp to [0, 1] and move discrete inputs to their bin centre.
    double snap(double u) const {
        if (!(u == u))
            u = 0.5;
        u = std::clamp(u, 0.0, 1.0);
        return isDiscrete() && levels > 0 ? centreOf(levelOf(u)) : u;
    }
};

using InputKinds = std::vector<InputKind>;

inline bool everyInputCategorical(const InputKinds& inputs) {
    return std::all_of(inputs.begin(), inputs.end(),
                       [](const InputKind& kind) { return kind.isCategorical(); });
}

}  // namespace bonsai

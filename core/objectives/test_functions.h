#pragma once

#include <string>
#include <utility>
#include <vector>

namespace bonsai {

// A classic optimization test function with a known global minimum
// (definitions and optima as in Surjanovic & Bingham's Virtual Library of
// Simulation Experiments). All are minimized.
struct TestFunction {
    std::string name;
    int dimension;  // fixed dimension, or 0 for "any dimension >= 1"
    std::string description;
    double (*evaluate)(const std::vector<double>& x);
    double (*optimum)(int dimension);  // global minimum value
    // The usual search domain of coordinate i (for benchmarks and examples).
    std::pair<double, double> (*domain)(int coordinate);
    // One global minimizer.
    std::vector<double> (*minimizer)(int dimension);
};

const std::vector<TestFunction>& testFunctions();
// nullptr if unknown.
const TestFunction* findTestFunction(const std::string& name);
std::vector<std::string> testFunctionNames();  // single-objective ones

// A multi-objective test problem, every objective minimized: ZDT1 and ZDT2
// (Zitzler, Deb & Thiele 2000) with n >= 2 variables in [0, 1] (30 in the
// paper), DTLZ2 with three objectives (Deb, Thiele, Laumanns & Zitzler
// 2005) with n >= 3 variables in [0, 1] (12 in the paper), and Branin-Currin
// (Belakaria et al. 2019; BoTorch's multi-objective tutorial problem) in
// exactly two. The function objective sets one trial attribute per
// objective ("f1", "f2", ...) and returns the first.
struct MultiObjectiveTestFunction {
    std::string name;
    std::vector<std::string> objectiveNames;
    int minDimension;
    int maxDimension;    // 0: no upper bound
    int paperDimension;  // the benchmarks' default
    std::string description;
    std::vector<double> (*evaluate)(const std::vector<double>& x);
    std::pair<double, double> domain;  // of every coordinate
    // How far a value vector lies beyond the Pareto front: 0 on it, > 0
    // behind it, never negative for a point of the domain. nullptr where the
    // front has no closed form (Branin-Currin).
    double (*frontGap)(const std::vector<double>& f);
    // The benchmarks' reference point and the hypervolume the whole front
    // dominates within it (closed form where there is one).
    std::vector<double> reference;
    double frontHypervolume;

    // Whether the problem is defined in `dimension` variables.
    bool takesDimension(int dimension) const {
        return dimension >= minDimension && (maxDimension == 0 || dimension <= maxDimension);
    }
};

const std::vector<MultiObjectiveTestFunction>& multiObjectiveTestFunctions();
const MultiObjectiveTestFunction* findMultiObjectiveTestFunction(const std::string& name);
std::vector<std::string> multiObjectiveTestFunctionNames();

}  // namespace bonsai

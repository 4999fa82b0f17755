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
std::vector<std::string> testFunctionNames();

}  // namespace bonsai

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
// paper; the space decides). The function objective sets one trial
// attribute per objective ("f1", "f2") and returns the first.
struct MultiObjectiveTestFunction {
    std::string name;
    std::vector<std::string> objectiveNames;
    int minDimension;
    std::string description;
    std::vector<double> (*evaluate)(const std::vector<double>& x);
    std::pair<double, double> domain;  // of every coordinate
    // The Pareto front: the last objective as a function of the first, for a
    // first objective in [0, 1] (reached with x2 = ... = xn = 0, g = 1).
    double (*frontLast)(double first);
    double frontArea;  // the integral of frontLast over [0, 1]
};

const std::vector<MultiObjectiveTestFunction>& multiObjectiveTestFunctions();
const MultiObjectiveTestFunction* findMultiObjectiveTestFunction(const std::string& name);
std::vector<std::string> multiObjectiveTestFunctionNames();

}  // namespace bonsai

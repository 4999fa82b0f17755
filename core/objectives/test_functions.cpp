#include "objectives/test_functions.h"

#include <cmath>
#include <numbers>

namespace bonsai {

namespace {

using std::numbers::pi;

double branin(const std::vector<double>& x) {
    const double a = 1.0, b = 5.1 / (4.0 * pi * pi), c = 5.0 / pi, r = 6.0, s = 10.0,
                 t = 1.0 / (8.0 * pi);
    double term = x[1] - b * x[0] * x[0] + c * x[0] - r;
    return a * term * term + s * (1.0 - t) * std::cos(x[0]) + s;
}

// Hartmann-3 and -6 share a form: -sum_i alpha_i exp(-sum_j A_ij (x_j - P_ij)^2).
constexpr double kAlpha[4] = {1.0, 1.2, 3.0, 3.2};
constexpr double kA3[4][3] = {{3.0, 10, 30}, {0.1, 10, 35}, {3.0, 10, 30}, {0.1, 10, 35}};
constexpr double kP3[4][3] = {{0.3689, 0.1170, 0.2673},
                              {0.4699, 0.4387, 0.7470},
                              {0.1091, 0.8732, 0.5547},
                              {0.0381, 0.5743, 0.8828}};
constexpr double kA6[4][6] = {{10, 3, 17, 3.5, 1.7, 8},
                              {0.05, 10, 17, 0.1, 8, 14},
                              {3, 3.5, 1.7, 10, 17, 8},
                              {17, 8, 0.05, 10, 0.1, 14}};
constexpr double kP6[4][6] = {{0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
                              {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
                              {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
                              {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};

template <int D>
double hartmann(const std::vector<double>& x, const double (&a)[4][D], const double (&p)[4][D]) {
    double sum = 0.0;
    for (int i = 0; i < 4; ++i) {
        double inner = 0.0;
        for (int j = 0; j < D; ++j)
            inner += a[i][j] * (x[j] - p[i][j]) * (x[j] - p[i][j]);
        sum += kAlpha[i] * std::exp(-inner);
    }
    return -sum;
}

double hartmann3(const std::vector<double>& x) {
    return hartmann<3>(x, kA3, kP3);
}
double hartmann6(const std::vector<double>& x) {
    return hartmann<6>(x, kA6, kP6);
}

double ackley(const std::vector<double>& x) {
    const double a = 20.0, b = 0.2, c = 2.0 * pi;
    double d = static_cast<double>(x.size()), squares = 0.0, cosines = 0.0;
    for (double xi : x) {
        squares += xi * xi;
        cosines += std::cos(c * xi);
    }
    return -a * std::exp(-b * std::sqrt(squares / d)) - std::exp(cosines / d) + a + std::exp(1.0);
}

double rosenbrock(const std::vector<double>& x) {
    double sum = 0.0;
    for (std::size_t i = 0; i + 1 < x.size(); ++i)
        sum += 100.0 * std::pow(x[i + 1] - x[i] * x[i], 2) + std::pow(x[i] - 1.0, 2);
    return sum;
}

double levy(const std::vector<double>& x) {
    auto w = [&](std::size_t i) { return 1.0 + (x[i] - 1.0) / 4.0; };
    std::size_t d = x.size();
    double sum = std::pow(std::sin(pi * w(0)), 2);
    for (std::size_t i = 0; i + 1 < d; ++i)
        sum += std::pow(w(i) - 1.0, 2) * (1.0 + 10.0 * std::pow(std::sin(pi * w(i) + 1.0), 2));
    double wd = w(d - 1);
    sum += std::pow(wd - 1.0, 2) * (1.0 + std::pow(std::sin(2.0 * pi * wd), 2));
    return sum;
}

double styblinskiTang(const std::vector<double>& x) {
    double sum = 0.0;
    for (double xi : x)
        sum += xi * xi * xi * xi - 16.0 * xi * xi + 5.0 * xi;
    return sum / 2.0;
}

// ZDT: f1 = x1, g = 1 + 9/(n-1) sum_{i>=2} x_i, f2 = g h(f1, g).
double zdtG(const std::vector<double>& x) {
    double sum = 0.0;
    for (std::size_t i = 1; i < x.size(); ++i)
        sum += x[i];
    return 1.0 + 9.0 * sum / static_cast<double>(x.size() - 1);
}

std::vector<double> zdt1(const std::vector<double>& x) {
    double g = zdtG(x);
    return {x[0], g * (1.0 - std::sqrt(x[0] / g))};  // convex front
}

std::vector<double> zdt2(const std::vector<double>& x) {
    double g = zdtG(x), ratio = x[0] / g;
    return {x[0], g * (1.0 - ratio * ratio)};  // non-convex front
}

// Three objectives on the positive octant of the unit sphere, scaled by
// 1 + g; g = sum over x3..xn of (x_i - 0.5)^2, so the front is g = 0.
std::vector<double> dtlz2(const std::vector<double>& x) {
    double g = 0.0;
    for (std::size_t i = 2; i < x.size(); ++i)
        g += (x[i] - 0.5) * (x[i] - 0.5);
    const double a = x[0] * std::numbers::pi / 2, b = x[1] * std::numbers::pi / 2;
    return {(1 + g) * std::cos(a) * std::cos(b), (1 + g) * std::cos(a) * std::sin(b),
            (1 + g) * std::sin(a)};
}

// Branin-Currin on [0, 1]^2: Branin on x scaled to its usual domain, and
// Currin's exponential function, whose factor 1 - exp(-1 / (2 x2)) tends to
// 1 as x2 -> 0.
std::vector<double> braninCurrin(const std::vector<double>& x) {
    const double x1 = x[0], x2 = x[1];
    const double factor = x2 > 0 ? 1.0 - std::exp(-1.0 / (2.0 * x2)) : 1.0;
    const double currin = factor * (2300 * x1 * x1 * x1 + 1900 * x1 * x1 + 2092 * x1 + 60) /
                          (100 * x1 * x1 * x1 + 500 * x1 * x1 + 4 * x1 + 20);
    return {branin({15 * x1 - 5, 15 * x2}), currin};
}

}  // namespace

const std::vector<MultiObjectiveTestFunction>& multiObjectiveTestFunctions() {
    // Each ZDT front's hypervolume is the reference box's area, 1.1 x 11,
    // less the area under the front over f1 in [0, 1]: 1/3 for ZDT1, 2/3 for
    // ZDT2. DTLZ2's is the cube 1.1^3 less the octant of the unit ball,
    // pi / 6: a point of the cube is dominated exactly when its norm is at
    // least 1 (then its projection on the sphere dominates it).
    // Branin-Currin's front has no closed form. Its hypervolume against
    // BoTorch's reference (18, 6) is 59.4066: the nondominated points of a
    // 2001^2 grid, refined four times around each front point (15 million
    // front points in the end), give 59.4064 and, adding the triangles
    // between neighbouring front points, 59.4066. (BoTorch quotes 59.3601,
    // the volume of an NSGA-II population.)
    static const std::vector<MultiObjectiveTestFunction> functions = {
        {.name = "zdt1",
         .objectiveNames = {"f1", "f2"},
         .minDimension = 2,
         .maxDimension = 0,
         .paperDimension = 30,
         .description = "ZDT1: two objectives, convex front f2 = 1 - sqrt(f1); x in [0, 1]^n, "
                        "n >= 2 (30 in the paper)",
         .evaluate = zdt1,
         .domain = {0.0, 1.0},
         .frontGap = [](const std::vector<double>& f) { return f[1] - (1.0 - std::sqrt(f[0])); },
         .reference = {1.1, 11.0},  // f1 is in [0, 1] and f2 at most 1 + 9 = 10
         .frontHypervolume = 1.1 * 11.0 - 1.0 / 3.0},
        {.name = "zdt2",
         .objectiveNames = {"f1", "f2"},
         .minDimension = 2,
         .maxDimension = 0,
         .paperDimension = 30,
         .description = "ZDT2: two objectives, non-convex front f2 = 1 - f1^2; x in [0, 1]^n, "
                        "n >= 2 (30 in the paper)",
         .evaluate = zdt2,
         .domain = {0.0, 1.0},
         .frontGap = [](const std::vector<double>& f) { return f[1] - (1.0 - f[0] * f[0]); },
         .reference = {1.1, 11.0},
         .frontHypervolume = 1.1 * 11.0 - 2.0 / 3.0},
        {.name = "dtlz2",
         .objectiveNames = {"f1", "f2", "f3"},
         .minDimension = 3,
         .maxDimension = 0,
         .paperDimension = 12,
         .description = "DTLZ2: three objectives, front on the unit sphere's positive octant; x "
                        "in [0, 1]^n, n >= 3 (12 in the paper)",
         .evaluate = dtlz2,
         .domain = {0.0, 1.0},
         .frontGap =
             [](const std::vector<double>& f) {
                 return std::sqrt(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]) - 1.0;
             },
         .reference = {1.1, 1.1, 1.1},
         .frontHypervolume = 1.1 * 1.1 * 1.1 - std::numbers::pi / 6.0},
        {.name = "branin-currin",
         .objectiveNames = {"f1", "f2"},
         .minDimension = 2,
         .maxDimension = 2,
         .paperDimension = 2,
         .description = "Branin-Currin: two objectives, Branin and Currin's exponential "
                        "function; x in [0, 1]^2",
         .evaluate = braninCurrin,
         .domain = {0.0, 1.0},
         .frontGap = nullptr,
         .reference = {18.0, 6.0},
         .frontHypervolume = 59.4066},
    };
    return functions;
}

const MultiObjectiveTestFunction* findMultiObjectiveTestFunction(const std::string& name) {
    for (const MultiObjectiveTestFunction& function : multiObjectiveTestFunctions())
        if (function.name == name)
            return &function;
    return nullptr;
}

std::vector<std::string> multiObjectiveTestFunctionNames() {
    std::vector<std::string> names;
    for (const MultiObjectiveTestFunction& function : multiObjectiveTestFunctions())
        names.push_back(function.name);
    return names;
}

const std::vector<TestFunction>& testFunctions() {
    static const std::vector<TestFunction> functions = {
        {"branin", 2,
         "Branin-Hoo; three global minima, e.g. (pi, 2.275); x1 in [-5, 10], x2 in [0, 15]", branin,
         [](int) { return 0.39788735772973816; },
         [](int i) {
             return i == 0 ? std::pair{-5.0, 10.0} : std::pair{0.0, 15.0};
         },
         [](int) {
             return std::vector<double>{pi, 2.275};
         }},
        {"hartmann3", 3, "Hartmann 3-D on [0, 1]^3", hartmann3,
         [](int) { return -3.8627797873327; },
         [](int) {
             return std::pair{0.0, 1.0};
         },
         [](int) {
             return std::vector<double>{0.114614, 0.555649, 0.852547};
         }},
        {"hartmann6", 6, "Hartmann 6-D on [0, 1]^6", hartmann6,
         [](int) { return -3.3223680114155; },
         [](int) {
             return std::pair{0.0, 1.0};
         },
         [](int) {
             return std::vector<double>{0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573};
         }},
        {"ackley", 0,
         "Ackley in any dimension; minimum 0 at the origin; domain [-32.768, 32.768]^d", ackley,
         [](int) { return 0.0; },
         [](int) {
             return std::pair{-32.768, 32.768};
         },
         [](int d) { return std::vector<double>(static_cast<std::size_t>(d), 0.0); }},
        {"rosenbrock", 0,
         "Rosenbrock valley in any dimension; minimum 0 at (1, ..., 1); domain [-5, 10]^d",
         rosenbrock, [](int) { return 0.0; },
         [](int) {
             return std::pair{-5.0, 10.0};
         },
         [](int d) { return std::vector<double>(static_cast<std::size_t>(d), 1.0); }},
        {"levy", 0, "Levy in any dimension; minimum 0 at (1, ..., 1); domain [-10, 10]^d", levy,
         [](int) { return 0.0; },
         [](int) {
             return std::pair{-10.0, 10.0};
         },
         [](int d) { return std::vector<double>(static_cast<std::size_t>(d), 1.0); }},
        {"styblinski-tang", 0,
         "Styblinski-Tang in any dimension; minimum -39.16617 d at x_i = -2.903534; domain [-5, "
         "5]^d",
         styblinskiTang, [](int d) { return -39.166165703771412 * d; },
         [](int) {
             return std::pair{-5.0, 5.0};
         },
         [](int d) {
             return std::vector<double>(static_cast<std::size_t>(d), -2.903534027771178);
         }},
    };
    return functions;
}

const TestFunction* findTestFunction(const std::string& name) {
    for (const TestFunction& function : testFunctions())
        if (function.name == name)
            return &function;
    return nullptr;
}

std::vector<std::string> testFunctionNames() {
    std::vector<std::string> names;
    for (const TestFunction& function : testFunctions())
        names.push_back(function.name);
    return names;
}

}  // namespace bonsai

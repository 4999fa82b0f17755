#include <QtTest>

#include <cmath>
#include <limits>
#include <random>

#include "space/nb201_cell.h"
#include "space/search_space.h"
#include "util/spec_error.h"

using namespace bonsai;

namespace {

SearchSpace spaceOf(const char* json) {
    return SearchSpace::fromJson(Json::parse(json));
}

Eigen::VectorXd point(std::initializer_list<double> values) {
    Eigen::VectorXd u(static_cast<Eigen::Index>(values.size()));
    Eigen::Index i = 0;
    for (double v : values)
        u[i++] = v;
    return u;
}

double unitOf(const SearchSpace& space, const char* name, ParamValue value) {
    return space.encode({{name, std::move(value)}})[0];
}

// optimizer -> momentum, schedule (sgd only) -> warmup (cosine only);
// optimizer -> layers, cell (adam only).
const char* kConditional = R"([
    {"name": "optimizer", "type": "categorical", "choices": ["sgd", "adam"]},
    {"name": "momentum", "type": "float", "low": 0, "high": 0.9, "when": {"param": "optimizer", "equals": "sgd"}},
    {"name": "schedule", "type": "categorical", "choices": ["cosine", "step"], "when": {"param": "optimizer", "equals": "sgd"}},
    {"name": "warmup", "type": "int", "low": 0, "high": 9, "when": {"param": "schedule", "equals": "cosine"}},
    {"name": "layers", "type": "int", "low": 1, "high": 100, "log": true, "when": {"param": "optimizer", "equals": "adam"}},
    {"name": "cell", "type": "nb201-cell", "when": {"param": "optimizer", "equals": "adam"}}
])";

// Snapped (ordinal and categorical) coordinates must match exactly; continuous
// ones go through x = low + u * (high - low) and back, which may move an ulp.
bool sameCanonicalPoint(const SearchSpace& space, const Eigen::VectorXd& a,
                        const Eigen::VectorXd& b) {
    for (int d = 0; d < space.dimensionCount(); ++d) {
        bool continuous =
            space.dimensions()[static_cast<std::size_t>(d)].kind == DimensionKind::Continuous;
        if (continuous ? std::fabs(a[d] - b[d]) > 1e-12 : a[d] != b[d])
            return false;
    }
    return true;
}

}  // namespace

class TestEncoding : public QObject {
    Q_OBJECT

  private slots:
    void dimensionsFollowParameterTypes() {
        SearchSpace space = spaceOf(R"([
            {"name": "x", "type": "float", "low": 0, "high": 1},
            {"name": "n", "type": "int", "low": 1, "high": 10},
            {"name": "d", "type": "float", "low": 0, "high": 1, "step": 0.25},
            {"name": "c", "type": "categorical", "choices": ["a", "b", "c"]},
            {"name": "cell", "type": "nb201-cell"}
        ])");
        QCOMPARE(space.dimensionCount(), 10);
        const auto& dims = space.dimensions();
        QCOMPARE(dims[0].kind, DimensionKind::Continuous);
        QCOMPARE(dims[0].levels, std::int64_t{0});
        QCOMPARE(dims[1].kind, DimensionKind::Ordinal);
        QCOMPARE(dims[1].levels, std::int64_t{10});
        QCOMPARE(dims[2].kind, DimensionKind::Ordinal);
        QCOMPARE(dims[2].levels, std::int64_t{5});
        QCOMPARE(dims[3].kind, DimensionKind::Categorical);
        QCOMPARE(dims[3].levels, std::int64_t{3});
        for (int edge = 0; edge < 6; ++edge) {
            QCOMPARE(dims[4 + edge].kind, DimensionKind::Categorical);
            QCOMPARE(dims[4 + edge].levels, std::int64_t{5});
            QCOMPARE(dims[4 + edge].param, std::size_t{4});
            QCOMPARE(dims[4 + edge].slot, edge);
        }
        QCOMPARE(space.dimensionRange(3), std::make_pair(3, 1));
        QCOMPARE(space.dimensionRange(4), std::make_pair(4, 6));
    }

    void linearFloatIsTheFractionOfTheRange() {
        SearchSpace space = spaceOf(R"([{"name": "x", "type": "float", "low": -5, "high": 15}])");
        QCOMPARE(unitOf(space, "x", 0.0), 0.25);
        QCOMPARE(unitOf(space, "x", std::int64_t{-5}), 0.0);
        QCOMPARE(unitOf(space, "x", 15.0), 1.0);
        QCOMPARE(std::get<double>(space.decode(point({0.75}))["x"]), 10.0);
    }

    // u = (log x - log low) / (log high - log low): 1e-2 sits 2/3 of the way from
    // 1e-4 to 1e-1 in decades.
    void logFloatIsTheFractionOfTheLogRange() {
        SearchSpace space =
            spaceOf(R"([{"name": "lr", "type": "float", "low": 1e-4, "high": 1e-1, "log": true}])");
        QCOMPARE(unitOf(space, "lr", 1e-4), 0.0);
        QCOMPARE(unitOf(space, "lr", 1e-1), 1.0);
        QVERIFY(std::fabs(unitOf(space, "lr", 1e-2) - 2.0 / 3.0) < 1e-12);
        QVERIFY(std::fabs(unitOf(space, "lr", 1e-3) - 1.0 / 3.0) < 1e-12);
        double x = 3.7e-3;
        double expected = (std::log(x) - std::log(1e-4)) / (std::log(1e-1) - std::log(1e-4));
        QVERIFY(std::fabs(unitOf(space, "lr", x) - expected) < 1e-12);
        double decoded = std::get<double>(space.decode(point({1.0 / 3.0}))["lr"]);
        QVERIFY(std::fabs(decoded - 1e-3) < 1e-15);
    }

    void decodedFloatsStayInsideTheirBoundsExactly() {
        SearchSpace space = spaceOf(R"([
            {"name": "lr", "type": "float", "low": 1e-5, "high": 0.3, "log": true},
            {"name": "x", "type": "float", "low": 0.1, "high": 0.7}
        ])");
        for (double u : {0.0, 1e-300, 0.5, 1.0 - 1e-16, 1.0}) {
            ParamMap params = space.decode(point({u, u}));
            double lr = std::get<double>(params["lr"]), x = std::get<double>(params["x"]);
            QVERIFY(lr >= 1e-5 && lr <= 0.3);
            QVERIFY(x >= 0.1 && x <= 0.7);
        }
        QCOMPARE(std::get<double>(space.decode(point({1.0, 1.0}))["lr"]), 0.3);
    }

    void intsRoundTripAtBinCentres() {
        SearchSpace space = spaceOf(R"([{"name": "n", "type": "int", "low": -5, "high": 17}])");
        for (std::int64_t x = -5; x <= 17; ++x) {
            double u = unitOf(space, "n", x);
            QCOMPARE(u, (static_cast<double>(x + 5) + 0.5) / 23.0);
            QCOMPARE(std::get<std::int64_t>(space.decode(point({u}))["n"]), x);
        }
    }

    void steppedIntsRoundTrip() {
        SearchSpace space =
            spaceOf(R"([{"name": "n", "type": "int", "low": 16, "high": 256, "step": 16}])");
        QCOMPARE(space.dimensions()[0].levels, std::int64_t{16});
        for (std::int64_t x = 16; x <= 256; x += 16)
            QCOMPARE(std::get<std::int64_t>(space.decode(space.encode({{"n", x}}))["n"]), x);
        QCOMPARE(std::get<std::int64_t>(space.decode(point({0.0}))["n"]), std::int64_t{16});
        QCOMPARE(std::get<std::int64_t>(space.decode(point({1.0}))["n"]), std::int64_t{256});
    }

    // Every int of [1, 1000] owns the log-spaced bin [log(x - 0.5), log(x + 0.5)),
    // and its encoding is that bin's centre.
    void logIntsRoundTripForEveryValue() {
        SearchSpace space =
            spaceOf(R"([{"name": "n", "type": "int", "low": 1, "high": 1000, "log": true}])");
        const double a = std::log(0.5), b = std::log(1000.5);
        double previous = -1.0;
        for (std::int64_t x = 1; x <= 1000; ++x) {
            double u = unitOf(space, "n", x);
            double centre = (0.5 * (std::log(x - 0.5) + std::log(x + 0.5)) - a) / (b - a);
            QVERIFY(std::fabs(u - centre) < 1e-12);
            QVERIFY(u > previous);
            previous = u;
            QCOMPARE(std::get<std::int64_t>(space.decode(point({u}))["n"]), x);
        }
        QCOMPARE(std::get<std::int64_t>(space.decode(point({0.0}))["n"]), std::int64_t{1});
        QCOMPARE(std::get<std::int64_t>(space.decode(point({1.0}))["n"]), std::int64_t{1000});
    }

    void logIntsRoundTripOnAWideRange() {
        SearchSpace space =
            spaceOf(R"([{"name": "n", "type": "int", "low": 7, "high": 200000, "log": true}])");
        for (std::int64_t x = 7; x <= 200000; ++x)
            if (std::get<std::int64_t>(space.decode(space.encode({{"n", x}}))["n"]) != x)
                QFAIL(qPrintable(QString("log int %1 did not round trip").arg(x)));
    }

    void steppedFloatsDecodeToLowPlusKSteps() {
        SearchSpace space =
            spaceOf(R"([{"name": "d", "type": "float", "low": -1, "high": 2, "step": 0.3}])");
        QCOMPARE(space.dimensions()[0].levels, std::int64_t{11});
        for (int k = 0; k <= 10; ++k) {
            double x = std::min(-1.0 + k * 0.3, 2.0);
            double u = unitOf(space, "d", x);
            QCOMPARE(u, (k + 0.5) / 11.0);
            double decoded = std::get<double>(space.decode(point({u}))["d"]);
            QCOMPARE(decoded, x);
            QVERIFY(decoded >= -1.0 && decoded <= 2.0);
        }
        QCOMPARE(std::get<double>(space.decode(point({1.0}))["d"]), 2.0);
    }

    void categoricalChoicesKeepTheirJsonType() {
        SearchSpace space = spaceOf(
            R"([{"name": "c", "type": "categorical", "choices": ["relu", 3, 2.5, true, false]}])");
        const std::vector<ParamValue> choices{std::string("relu"), std::int64_t{3}, 2.5, true,
                                              false};
        for (std::size_t i = 0; i < choices.size(); ++i) {
            double u = unitOf(space, "c", choices[i]);
            QCOMPARE(u, (static_cast<double>(i) + 0.5) / 5.0);
            ParamValue decoded = space.decode(point({u}))["c"];
            QCOMPARE(decoded.index(), choices[i].index());
            QVERIFY(decoded == choices[i]);
        }
        // A numerically equal value finds the choice: 3.0 is the choice 3.
        QCOMPARE(unitOf(space, "c", 3.0), 0.3);
        QVERIFY_THROWS_EXCEPTION(SpecError, unitOf(space, "c", std::string("tanh")));
        QVERIFY_THROWS_EXCEPTION(SpecError, unitOf(space, "c", std::int64_t{1}));  // not true
    }

    void everyCellRoundTripsThroughSixEdgeCoordinates() {
        SearchSpace space = spaceOf(R"([{"name": "cell", "type": "nb201-cell"}])");
        for (int index = 0; index < Nb201Cell::kCount; ++index) {
            const Nb201Cell cell = Nb201Cell::fromIndex(index);
            Eigen::VectorXd u = space.encode({{"cell", cell.toString()}});
            for (int edge = 0; edge < 6; ++edge)
                QCOMPARE(u[edge], (cell.ops[static_cast<std::size_t>(edge)] + 0.5) / 5.0);
            QCOMPARE(std::get<std::string>(space.decode(u)["cell"]), cell.toString());
        }
    }

    void canonicalSnapsToBinCentresAndIsIdempotent() {
        SearchSpace space = SearchSpace::fromJson(Json::parse(kConditional));
        SearchSpace flat = spaceOf(R"([
            {"name": "x", "type": "float", "low": 0, "high": 1},
            {"name": "n", "type": "int", "low": 1, "high": 64, "log": true},
            {"name": "d", "type": "float", "low": 0, "high": 1, "step": 0.1},
            {"name": "c", "type": "categorical", "choices": ["a", "b", "c"]}
        ])");
        std::mt19937_64 rng(42);
        std::uniform_real_distribution<double> uniform(0.0, 1.0);
        for (const SearchSpace* s : {&space, &flat}) {
            for (int trial = 0; trial < 2000; ++trial) {
                Eigen::VectorXd u(s->dimensionCount());
                for (int d = 0; d < u.size(); ++d)
                    u[d] = uniform(rng);
                Eigen::VectorXd c = s->canonical(u);
                QVERIFY(sameCanonicalPoint(*s, s->canonical(c), c));
                QVERIFY(sameCanonicalPoint(*s, s->encode(s->decode(c)), s->encode(s->decode(u))));
                QCOMPARE(s->decode(c).size(), s->decode(u).size());
            }
        }
        // Continuous coordinates pass through; ordinal ones snap to their centre.
        Eigen::VectorXd c = flat.canonical(point({0.123, 0.5, 0.04, 0.9}));
        QCOMPARE(c[0], 0.123);
        QCOMPARE(c[2], 0.5 / 11.0);
        QCOMPARE(c[3], 2.5 / 3.0);
    }

    // canonical() has a shortcut for spaces of unconditional categoricals and
    // cells (the maximizer snaps all 15,625 cells per suggestion); it must
    // give exactly encode(decode(u)), also off the cube, on bin edges and at
    // NaN, and conditional spaces must still impute their inactive inputs.
    void canonicalOfCategoricalsAndCellsIsEncodeOfDecode() {
        SearchSpace cells = spaceOf(R"([
            {"name": "act", "type": "categorical", "choices": ["relu", "gelu", "silu"]},
            {"name": "only", "type": "categorical", "choices": [7]},
            {"name": "cell", "type": "nb201-cell"}
        ])");
        SearchSpace conditional = spaceOf(R"([
            {"name": "opt", "type": "categorical", "choices": ["sgd", "adam"]},
            {"name": "nesterov", "type": "categorical", "choices": [false, true],
             "when": {"param": "opt", "equals": "sgd"}}
        ])");
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double special[] = {0.0, 1.0, 0.2, 0.4, 1.0 / 3.0, 2.0 / 3.0, -0.3, 1.7, nan};
        std::mt19937_64 rng(11);
        std::uniform_real_distribution<double> uniform(-0.2, 1.2);
        std::uniform_int_distribution<int> pick(0, 11);
        for (const SearchSpace* s : {&cells, &conditional}) {
            for (int trial = 0; trial < 3000; ++trial) {
                Eigen::VectorXd u(s->dimensionCount());
                for (int d = 0; d < u.size(); ++d) {
                    const int k = pick(rng);
                    u[d] = k < 9 ? special[k] : uniform(rng);
                }
                const Eigen::VectorXd expected = s->encode(s->decode(u));
                const Eigen::VectorXd got = s->canonical(u);
                QCOMPARE(got.size(), expected.size());
                for (int d = 0; d < u.size(); ++d)
                    QCOMPARE(got[d], expected[d]);
            }
        }
        // adam switches nesterov off: imputed at its first bin, not snapped.
        QCOMPARE(conditional.canonical(point({0.9, 0.9}))[1], 0.25);
    }

    void conditionsDecideWhichParametersAreActive() {
        SearchSpace space = SearchSpace::fromJson(Json::parse(kConditional));
        ParamMap sgd{{"optimizer", std::string("sgd")},
                     {"momentum", 0.45},
                     {"schedule", std::string("cosine")},
                     {"warmup", std::int64_t{3}}};
        for (std::size_t i = 0; i < 4; ++i)
            QVERIFY(space.isActive(i, sgd));
        QVERIFY(!space.isActive(4, sgd));
        QVERIFY(!space.isActive(5, sgd));
        QVERIFY(space.decode(space.encode(sgd)) == sgd);

        // Chained: warmup hangs on schedule, which hangs on optimizer.
        ParamMap stepSchedule = sgd;
        stepSchedule["schedule"] = std::string("step");
        QVERIFY(!space.isActive(3, stepSchedule));
        ParamMap adam{{"optimizer", std::string("adam")},
                      {"schedule", std::string("cosine")},  // stale: its parent is inactive
                      {"layers", std::int64_t{12}},
                      {"cell", std::string("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|")}};
        QVERIFY(!space.isActive(2, adam));
        QVERIFY(!space.isActive(3, adam));
        ParamMap decoded = space.decode(space.encode(adam));
        adam.erase("schedule");
        QVERIFY(decoded == adam);
    }

    void inactiveParametersAreImputedAtFixedPoints() {
        SearchSpace space = SearchSpace::fromJson(Json::parse(kConditional));
        Eigen::VectorXd u = space.encode({{"optimizer", std::string("sgd")},
                                          {"momentum", 0.9},
                                          {"schedule", std::string("step")}});
        QCOMPARE(u.size(), 1 + 1 + 1 + 1 + 1 + 6);
        QCOMPARE(u[0], 0.25);
        QCOMPARE(u[1], 1.0);
        QCOMPARE(u[2], 0.75);
        QCOMPARE(u[3], 0.5 / 10.0);  // warmup: first bin of 10
        // layers (log int over [1, 100]): the centre of the first, log-spaced bin
        double a = std::log(0.5), b = std::log(100.5);
        QVERIFY(std::fabs(u[4] - (0.5 * (std::log(0.5) + std::log(1.5)) - a) / (b - a)) < 1e-12);
        for (int edge = 0; edge < 6; ++edge)
            QCOMPARE(u[5 + edge], 0.1);  // `none`, first op

        Eigen::VectorXd adam = space.encode({{"optimizer", std::string("adam")},
                                             {"layers", std::int64_t{5}},
                                             {"cell", Nb201Cell{}.toString()}});
        QCOMPARE(adam[1], 0.5);  // momentum is continuous: imputed at the middle
        QCOMPARE(adam[2], 0.25);
    }

    void decodeToleratesAnyRealInput() {
        SearchSpace space = spaceOf(R"([
            {"name": "x", "type": "float", "low": 0, "high": 10},
            {"name": "n", "type": "int", "low": 1, "high": 5},
            {"name": "c", "type": "categorical", "choices": ["a", "b", "c"]},
            {"name": "m", "type": "int", "low": 2, "high": 50, "log": true}
        ])");
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        ParamMap low = space.decode(point({-3.0, -1e300, -inf, -0.5}));
        QCOMPARE(std::get<double>(low["x"]), 0.0);
        QCOMPARE(std::get<std::int64_t>(low["n"]), std::int64_t{1});
        QCOMPARE(std::get<std::string>(low["c"]), std::string("a"));
        QCOMPARE(std::get<std::int64_t>(low["m"]), std::int64_t{2});
        ParamMap high = space.decode(point({7.0, inf, 1e300, 2.0}));
        QCOMPARE(std::get<double>(high["x"]), 10.0);
        QCOMPARE(std::get<std::int64_t>(high["n"]), std::int64_t{5});
        QCOMPARE(std::get<std::string>(high["c"]), std::string("c"));
        QCOMPARE(std::get<std::int64_t>(high["m"]), std::int64_t{50});
        // NaN reads as the middle of the cube.
        ParamMap middle = space.decode(point({nan, nan, nan, nan}));
        QCOMPARE(std::get<double>(middle["x"]), 5.0);
        QCOMPARE(std::get<std::int64_t>(middle["n"]), std::int64_t{3});
        QCOMPARE(std::get<std::string>(middle["c"]), std::string("b"));
        QCOMPARE(space.canonical(point({nan, nan, nan, nan})), space.encode(middle));

        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, space.decode(point({0.5})));
    }

    void encodeNeedsEveryActiveParameter() {
        SearchSpace space = SearchSpace::fromJson(Json::parse(kConditional));
        QVERIFY_THROWS_EXCEPTION(SpecError, space.encode({{"optimizer", std::string("sgd")}}));
        QVERIFY_THROWS_EXCEPTION(SpecError, space.encode({}));
    }

    void cardinalityIsTheProductOfLevels() {
        QCOMPARE(spaceOf(R"([
            {"name": "n", "type": "int", "low": 1, "high": 10},
            {"name": "c", "type": "categorical", "choices": ["a", "b", "c"]},
            {"name": "d", "type": "float", "low": 0, "high": 1, "step": 0.25},
            {"name": "cell", "type": "nb201-cell"}
        ])")
                     .cardinality(),
                 std::optional<double>(10.0 * 3 * 5 * 15625));
        QCOMPARE(spaceOf(R"([{"name": "m", "type": "int", "low": 1, "high": 64, "log": true}])")
                     .cardinality(),
                 std::optional<double>(64.0));
        QVERIFY(!spaceOf(R"([
            {"name": "n", "type": "int", "low": 1, "high": 10},
            {"name": "x", "type": "float", "low": 0, "high": 1}
        ])")
                     .cardinality());
    }
};

QTEST_APPLESS_MAIN(TestEncoding)
#include "tst_encoding.moc"

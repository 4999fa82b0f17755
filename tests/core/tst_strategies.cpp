// Random, Sobol and grid cover the space the way their names promise (legal
// points and reproducibility: tst_strategy_conformance, for every kind).
#include <QtTest>

#include <set>

#include "strategies/strategy.h"
#include "support/spec_errors.h"
#include "support/strategy_harness.h"
#include "util/sobol.h"

using namespace bonsai;

namespace {

SearchSpace mixedSpace() {
    return SearchSpace::fromJson(Json::parse(R"([
        {"name": "lr", "type": "float", "low": 1e-4, "high": 1e-1, "log": true},
        {"name": "layers", "type": "int", "low": 1, "high": 4},
        {"name": "act", "type": "categorical", "choices": ["relu", "gelu", "tanh"]},
        {"name": "dropout", "type": "float", "low": 0, "high": 0.5, "step": 0.1,
         "when": {"param": "act", "in": ["relu", "gelu"]}}
    ])"));
}

// The points `strategy` proposes as an engine would ask (value 0 each).
std::vector<ParamMap> propose(Strategy& strategy, const SearchSpace& space, int count,
                              std::uint64_t seed) {
    std::vector<ParamMap> out;
    for (const Trial& trial :
         test::runStrategy(strategy, space, count, seed, [](const ParamMap&) { return 0.0; }))
        out.push_back(trial.params);
    return out;
}

std::unique_ptr<Strategy> make(const char* json, const SearchSpace& space) {
    return test::makeStrategy(space, json);
}

}  // namespace

class StrategiesTest : public QObject {
    Q_OBJECT

  private slots:
    void randomIsUniformOverChoices() {
        SearchSpace space = mixedSpace();
        auto points = propose(*make(R"({"kind": "random"})", space), space, 3000, 1);
        std::map<std::string, int> counts;
        for (const auto& p : points)
            ++counts[std::get<std::string>(p.at("act"))];
        for (const auto& [choice, count] : counts)
            QVERIFY2(std::abs(count - 1000) < 120, choice.c_str());
    }

    void sobolPointsAreStratified() {
        // A (t, m, s)-net property: each of the first 2^k points of a Sobol
        // sequence falls in a different one of 2^k equal intervals per axis;
        // Owen scrambling keeps that.
        SobolSequence sequence(5, 99);
        Eigen::MatrixXd points = sequence.points(0, 64);
        for (int d = 0; d < 5; ++d) {
            std::set<int> bins;
            for (int i = 0; i < 64; ++i) {
                QVERIFY(points(i, d) > 0.0 && points(i, d) < 1.0);
                bins.insert(static_cast<int>(points(i, d) * 64));
            }
            QCOMPARE(static_cast<int>(bins.size()), 64);
        }
    }

    void sobolScramblesDifferWithTheSeedAndPointsAreRandomAccess() {
        SobolSequence a(3, 1), b(3, 2);
        QVERIFY((a.point(5) - b.point(5)).norm() > 1e-3);
        QCOMPARE(a.points(0, 10).row(7).transpose(), a.point(7));
    }

    void gridVisitsEveryPointOnceThenEnds() {
        SearchSpace space = SearchSpace::fromJson(Json::parse(R"([
            {"name": "x", "type": "float", "low": 0, "high": 1},
            {"name": "n", "type": "int", "low": 1, "high": 3},
            {"name": "c", "type": "categorical", "choices": [true, false]}
        ])"));
        auto points = propose(*make(R"({"kind": "grid", "resolution": 4})", space), space, 1000, 3);
        QCOMPARE(static_cast<int>(points.size()), 4 * 3 * 2);
        std::set<std::string> distinct;
        for (const auto& p : points)
            distinct.insert(toJson(p).dump());
        QCOMPARE(static_cast<int>(distinct.size()), 24);
        std::set<double> xs;
        for (const auto& p : points)
            xs.insert(std::get<double>(p.at("x")));
        QCOMPARE(xs, (std::set<double>{0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0}));
    }

    void gridCountsConditionalPointsOnce() {
        // dropout (2 values) exists only for relu: 1 x 2 (relu) + 1 (tanh) = 3 points.
        SearchSpace space = SearchSpace::fromJson(Json::parse(R"([
            {"name": "act", "type": "categorical", "choices": ["relu", "tanh"]},
            {"name": "dropout", "type": "float", "low": 0, "high": 0.5, "when": {"param": "act", "equals": "relu"}}
        ])"));
        auto points = propose(*make(R"({"kind": "grid", "resolution": 2})", space), space, 100, 0);
        QCOMPARE(static_cast<int>(points.size()), 3);
    }

    void gridResumesWhereItStopped() {
        SearchSpace space = mixedSpace();
        auto whole = propose(*make(R"({"kind": "grid"})", space), space, 30, 4);
        // A new strategy instance (a resumed study) continues the same order.
        std::vector<Trial> trials;
        for (int n = 0; n < 20; ++n) {
            Trial t;
            t.number = n;
            t.state = TrialState::Complete;
            t.value = 0.0;
            t.params = whole[n];
            trials.push_back(t);
        }
        auto resumed = make(R"({"kind": "grid"})", space);
        Rng rng(mixSeed(4, 20));
        SuggestContext context{space, trials, Direction::Minimize, rng, 4};
        QVERIFY(resumed->suggest(context)->params == whole[20]);
    }

    void gridEnumeratesEveryNasBench201Cell() {
        SearchSpace space =
            SearchSpace::fromJson(Json::parse(R"([{"name": "cell", "type": "nb201-cell"}])"));
        auto points = propose(*make(R"({"kind": "grid"})", space), space, 20000, 1);
        QCOMPARE(static_cast<int>(points.size()), 15625);
        std::set<std::string> cells;
        for (const auto& p : points)
            cells.insert(std::get<std::string>(p.at("cell")));
        QCOMPARE(static_cast<int>(cells.size()), 15625);
    }

    void tooLargeGridsAreRejected() {
        Json space = Json::array();
        for (int i = 0; i < 12; ++i)
            space.push_back(
                {{"name", "x" + std::to_string(i)}, {"type", "float"}, {"low", 0}, {"high", 1}});
        BONSAI_EXPECT_SPEC_ERROR(
            make(R"({"kind": "grid", "resolution": 10})", SearchSpace::fromJson(space)),
            "strategy.resolution: the grid would have 1e+12 points");
    }
};

QTEST_APPLESS_MAIN(StrategiesTest)
#include "tst_strategies.moc"

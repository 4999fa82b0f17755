// NSGA-II: legal children on mixed and conditional spaces, reproducible from
// the seed, parents chosen by constrained domination, rank and crowding from
// the elitist survivors, and settings checked with exact paths.
#include <QtTest>

#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "multi/pareto.h"
#include "strategies/strategy.h"
#include "support/spec_errors.h"
#include "support/strategy_harness.h"

using namespace bonsai;

namespace {

const char* const kMixed = test::kMixedSpace;

SearchSpace space(const char* json) {
    return test::spaceFrom(json);
}

SearchSpace cube(int dimensions) {
    Json json = Json::array();
    for (int i = 0; i < dimensions; ++i)
        json.push_back(
            {{"name", "x" + std::to_string(i)}, {"type", "float"}, {"low", 0}, {"high", 1}});
    return SearchSpace::fromJson(json);
}

std::unique_ptr<Strategy> make(const SearchSpace& s, const std::string& json) {
    return test::makeStrategy(s, json);
}

const std::vector<ObjectiveSpec> kTwoObjectives = {{"f1", Direction::Minimize},
                                                   {"f2", Direction::Minimize}};

using Evaluate = test::Values;

// Sequential two-objective trials (constraints optional).
std::vector<Trial> run(Strategy& strategy, const SearchSpace& s, int count, std::uint64_t seed,
                       const Evaluate& evaluate, std::span<const ConstraintSpec> constraints = {}) {
    return test::runStrategy(strategy, s, count, seed, evaluate, {kTwoObjectives, constraints});
}

// ZDT1 (Zitzler, Deb & Thiele 2000) on the cube named x0..x{d-1}.
std::vector<double> zdt1(const ParamMap& p) {
    const int d = static_cast<int>(p.size());
    double x0 = std::get<double>(p.at("x0")), sum = 0.0;
    for (int i = 1; i < d; ++i)
        sum += std::get<double>(p.at("x" + std::to_string(i)));
    double g = 1.0 + 9.0 * sum / (d - 1);
    return {x0, g * (1.0 - std::sqrt(x0 / g))};
}

using test::anyLoss;

Trial made(int number, std::vector<double> values, double x, double attr = 0.0) {
    Trial t;
    t.number = number;
    t.state = TrialState::Complete;
    t.params = {{"x", x}};
    t.values = std::move(values);
    t.value = t.values.front();
    t.attrs["mem"] = attr;
    return t;
}

// How often each trial number is picked as a parent over `draws` suggestions
// of the trial after `trials`.
std::map<int, int> parentCounts(Strategy& strategy, const SearchSpace& s,
                                const std::vector<Trial>& trials, int draws,
                                std::span<const ConstraintSpec> constraints = {}) {
    std::map<int, int> counts;
    for (int i = 0; i < draws; ++i) {
        Rng rng(mixSeed(99, static_cast<std::uint64_t>(i)));
        SuggestContext context{s, trials, Direction::Minimize, rng, 7, kTwoObjectives, constraints};
        auto suggestion = strategy.suggest(context);
        if (!suggestion->attrs.contains("parents"))
            continue;
        for (const Json& parent : suggestion->attrs["parents"])
            ++counts[parent.get<int>()];
    }
    return counts;
}

double frontHypervolume(const std::vector<Trial>& trials, std::size_t from, std::size_t to) {
    std::vector<LossVector> points;
    for (std::size_t i = from; i < to; ++i)
        points.push_back(trials[i].values);
    return hypervolume(points, {1.1, 11.0});
}

}  // namespace

class Nsga2Test : public QObject {
    Q_OBJECT

  private slots:
    void childrenAreLegalOnMixedConditionalSpaces() {
        SearchSpace s = space(kMixed);
        auto strategy = make(s, R"({"kind": "nsga2", "population_size": 12})");
        auto trials = run(*strategy, s, 96, 3, [](const ParamMap& p) {
            return std::vector<double>{anyLoss(p), 17.0 - anyLoss(p) + p.size()};
        });
        std::set<std::string> cells;
        int children = 0;
        for (const Trial& t : trials) {
            s.validate(t.params, "trial");
            QCOMPARE(t.attrs["generation"].get<int>(), t.number / 12);
            if (t.number < 12) {
                QCOMPARE(t.attrs["design"].get<std::string>(), std::string("sobol"));
                continue;
            }
            if (t.attrs.contains("parents")) {
                ++children;
                for (const Json& parent : t.attrs["parents"]) {
                    // Parents come from earlier generations only.
                    QVERIFY(parent.get<int>() / 12 < t.number / 12);
                }
            }
            if (t.params.count("cell"))
                cells.insert(std::get<std::string>(t.params.at("cell")));
        }
        QVERIFY(children > 70);
        QVERIFY(cells.size() > 5);
    }

    void sameSeedSameStudyOtherSeedOtherStudy() {
        SearchSpace s = space(kMixed);
        auto params = [&](std::uint64_t seed) {
            auto strategy = make(s, R"({"kind": "nsga2", "population_size": 8})");
            std::vector<std::string> out;
            for (const Trial& t : run(*strategy, s, 40, seed, [](const ParamMap& p) {
                     return std::vector<double>{anyLoss(p), std::fmod(anyLoss(p) * 7.0, 5.0)};
                 }))
                out.push_back(toJson(t.params).dump());
            return out;
        };
        QCOMPARE(params(5), params(5));
        QVERIFY(params(5) != params(6));
    }

    void tournamentsPreferFeasibleThenLowerRank() {
        // One generation of four: trial 1 is the only non-dominated feasible
        // point, 0 dominates 3, and 2 dominates everything but breaks the
        // memory constraint. The strict order 1 > 0 > 3 > 2 makes binary
        // tournaments with replacement pick them with probability 7/16, 5/16,
        // 3/16 and 1/16.
        SearchSpace s = space(R"([{"name": "x", "type": "float", "low": 0, "high": 1}])");
        std::vector<ConstraintSpec> constraints = {{"mem", std::nullopt, 1.0}};
        std::vector<Trial> trials = {made(0, {2, 2}, 0.1), made(1, {1, 1}, 0.2),
                                     made(2, {0, 0}, 0.3, 5.0), made(3, {3, 3}, 0.4)};
        auto strategy = make(s, R"({"kind": "nsga2", "population_size": 4})");
        auto counts = parentCounts(*strategy, s, trials, 800, constraints);
        const double total = counts[0] + counts[1] + counts[2] + counts[3];
        QCOMPARE(total, 1600.0);
        QVERIFY(std::fabs(counts[1] / total - 7.0 / 16) < 0.04);
        QVERIFY(std::fabs(counts[0] / total - 5.0 / 16) < 0.04);
        QVERIFY(std::fabs(counts[3] / total - 3.0 / 16) < 0.04);
        QVERIFY(std::fabs(counts[2] / total - 1.0 / 16) < 0.03);

        // Without the constraint, trial 2 dominates all and wins most.
        auto unconstrained = parentCounts(*strategy, s, trials, 800);
        QVERIFY(std::fabs(unconstrained[2] / total - 7.0 / 16) < 0.04);
    }

    void equalRanksAreBrokenByCrowding() {
        // One front of three: the ends have infinite crowding distance, the
        // middle point a finite one, so the middle wins only against itself
        // (probability 1/9 per tournament).
        SearchSpace s = space(R"([{"name": "x", "type": "float", "low": 0, "high": 1}])");
        std::vector<Trial> trials = {made(0, {0, 4}, 0.1), made(1, {1, 3}, 0.2),
                                     made(2, {4, 0}, 0.3)};
        auto strategy = make(s, R"({"kind": "nsga2", "population_size": 3})");
        auto counts = parentCounts(*strategy, s, trials, 900);
        QVERIFY(std::fabs(counts[1] / 1800.0 - 1.0 / 9) < 0.03);
    }

    void survivorsAreTheBestOfParentsAndOffspring() {
        // Generation 1 (trials 4-7) dominates generation 0 except for trial 6,
        // infeasible; survivors of 0 and 1 are therefore 4, 5, 7 and the best
        // of generation 0 (trial 0), and only they can parent generation 2.
        SearchSpace s = space(R"([{"name": "x", "type": "float", "low": 0, "high": 1}])");
        std::vector<ConstraintSpec> constraints = {{"mem", std::nullopt, 1.0}};
        std::vector<Trial> trials = {
            made(0, {5, 5}, 0.01),      made(1, {6, 6}, 0.02),     made(2, {7, 7}, 0.03),
            made(3, {8, 8}, 0.04),      made(4, {1, 2}, 0.05),     made(5, {2, 1}, 0.06),
            made(6, {0, 0}, 0.07, 2.0), made(7, {1.5, 1.5}, 0.08),
        };
        auto strategy = make(s, R"({"kind": "nsga2", "population_size": 4})");
        auto counts = parentCounts(*strategy, s, trials, 300, constraints);
        std::set<int> parents;
        for (const auto& [number, count] : counts)
            parents.insert(number);
        QCOMPARE(parents, (std::set<int>{0, 4, 5, 7}));
    }

    void singleObjectiveStudiesRankByLoss() {
        SearchSpace s = cube(4);
        auto strategy = make(s, R"({"kind": "nsga2", "population_size": 10})");
        std::vector<Trial> trials;
        for (int n = 0; n < 150; ++n) {
            Rng rng(mixSeed(11, static_cast<std::uint64_t>(n)));
            SuggestContext context{s, trials, Direction::Maximize, rng, 11};
            auto suggestion = strategy->suggest(context);
            Trial t;
            t.number = n;
            t.state = TrialState::Complete;
            t.params = suggestion->params;
            double sphere = 0.0;
            for (const auto& [name, value] : t.params)
                sphere += std::pow(std::get<double>(value) - 0.3, 2);
            t.value = -sphere;  // maximized
            trials.push_back(t);
        }
        auto bestOf = [&](int from, int to) {
            double best = -1e9;
            for (int i = from; i < to; ++i)
                best = std::max(best, *trials[static_cast<std::size_t>(i)].value);
            return best;
        };
        QVERIFY(bestOf(140, 150) > bestOf(0, 10));
        QVERIFY(bestOf(0, 150) > -0.01);
    }

    void frontImprovesOnZdt1() {
        SearchSpace s = cube(6);
        auto strategy = make(s, R"({"kind": "nsga2", "population_size": 20})");
        auto trials = run(*strategy, s, 200, 1, zdt1);
        const double first = frontHypervolume(trials, 0, 20);
        const double last = frontHypervolume(trials, 0, 200);
        QVERIFY2(last > first + 1.0, qPrintable(QString("%1 -> %2").arg(first).arg(last)));
    }

    void childrenAvoidRunningAndFinishedPoints() {
        // No crossover, no mutation: every child copies a parent, so the
        // strategy must fall back to a point no trial (running or not) holds.
        SearchSpace s = cube(2);
        auto strategy = make(
            s,
            R"({"kind": "nsga2", "population_size": 2, "crossover_prob": 0, "mutation_prob": 0})");
        std::vector<Trial> trials = {made(0, {1, 2}, 0.0), made(1, {2, 1}, 0.0)};
        trials[0].params = {{"x0", 0.1}, {"x1", 0.2}};
        trials[1].params = {{"x0", 0.3}, {"x1", 0.4}};
        Trial running;
        running.number = 2;
        running.params = {{"x0", 0.5}, {"x1", 0.6}};
        trials.push_back(running);
        Rng rng(1);
        SuggestContext context{s, trials, Direction::Minimize, rng, 1, kTwoObjectives};
        auto suggestion = strategy->suggest(context);
        QCOMPARE(suggestion->attrs["design"].get<std::string>(), std::string("random"));
        for (const Trial& t : trials)
            QVERIFY(toJson(t.params) != toJson(suggestion->params));
    }

    void thePopulationIsSizedFromTheTrialBudget() {
        // Without population_size: budget.trials / 10 within [10, 50], 50
        // without a trial budget; the generation starts where that says.
        SearchSpace s = cube(2);
        auto strategy = make(s, R"({"kind": "nsga2"})");
        auto generationOf = [&](std::optional<std::int64_t> budget, int trialCount) {
            std::vector<Trial> trials;
            for (int n = 0; n < trialCount; ++n)
                trials.push_back(made(n, {0.01 * n, 1.0 - 0.01 * n}, 0.01 * n));
            for (Trial& t : trials)
                t.params = {{"x0", 0.01 * t.number}, {"x1", 0.5}};
            Rng rng(1);
            SuggestContext context{s, trials, Direction::Minimize, rng, 1, kTwoObjectives};
            context.budgetTrials = budget;
            return strategy->suggest(context)->attrs["generation"].get<int>();
        };
        QCOMPARE(generationOf(100, 9), 0);
        QCOMPARE(generationOf(100, 10), 1);  // 100 / 10 = 10 per generation
        QCOMPARE(generationOf(100, 25), 2);
        QCOMPARE(generationOf(40, 10), 1);    // at least 10
        QCOMPARE(generationOf(2000, 49), 0);  // at most 50
        QCOMPARE(generationOf(2000, 50), 1);
        QCOMPARE(generationOf(std::nullopt, 49), 0);
        QCOMPARE(generationOf(std::nullopt, 50), 1);
        // A given population_size wins over the budget.
        auto fixed = make(s, R"({"kind": "nsga2", "population_size": 4})");
        std::vector<Trial> trials;
        for (int n = 0; n < 8; ++n) {
            trials.push_back(made(n, {0.1 * n, 1.0 - 0.1 * n}, 0.1 * n));
            trials.back().params = {{"x0", 0.1 * n}, {"x1", 0.5}};
        }
        Rng rng(1);
        SuggestContext context{s, trials, Direction::Minimize, rng, 1, kTwoObjectives};
        context.budgetTrials = 100;
        QCOMPARE(fixed->suggest(context)->attrs["generation"].get<int>(), 2);
    }

    void settingsAreValidatedWithPaths_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("message");
        QTest::newRow("population") << R"({"kind": "nsga2", "population_size": 1})"
                                    << "strategy.population_size: must be between 2";
        QTest::newRow("population type") << R"({"kind": "nsga2", "population_size": 2.5})"
                                         << "strategy.population_size";
        QTest::newRow("crossover") << R"({"kind": "nsga2", "crossover_prob": 1.5})"
                                   << "strategy.crossover_prob: must be a probability";
        QTest::newRow("mutation") << R"({"kind": "nsga2", "mutation_prob": -0.1})"
                                  << "strategy.mutation_prob: must be a probability";
        QTest::newRow("eta") << R"({"kind": "nsga2", "eta": -1})"
                             << "strategy.eta: must be a number between 0 and 1000";
        QTest::newRow("mutation eta") << R"({"kind": "nsga2", "mutation_eta": 5000})"
                                      << "strategy.mutation_eta";
        QTest::newRow("typo") << R"({"kind": "nsga2", "populaton_size": 10})"
                              << "did you mean 'population_size'";
    }

    void settingsAreValidatedWithPaths() {
        QFETCH(QString, spec);
        QFETCH(QString, message);
        SearchSpace s = cube(2);
        BONSAI_EXPECT_SPEC_ERROR(make(s, spec.toStdString()), message.toStdString());
    }
};

QTEST_APPLESS_MAIN(Nsga2Test)
#include "tst_nsga2.moc"

// Regularized evolution: random until the population is full, then children
// that differ from a tournament winner in exactly one parameter (or, for an
// nb201 cell, by two edges' operations swapped; a changed edge takes an
// operation the best trials hold there); the oldest member leaves the
// population whatever its fitness.
#include <QtTest>

#include <array>
#include <set>

#include "space/nb201_cell.h"
#include "strategies/strategy.h"
#include "support/spec_errors.h"
#include "support/strategy_harness.h"

using namespace bonsai;

namespace {

using test::anyLoss;

SearchSpace space(const char* json) {
    return test::spaceFrom(json);
}

const char* const kMixed = test::kMixedSpace;

std::unique_ptr<Strategy> make(const SearchSpace& s, const char* json) {
    return test::makeStrategy(s, json);
}

Trial complete(int number, ParamMap params, double value) {
    return test::completeTrial(number, std::move(params), value);
}

std::vector<Trial> run(Strategy& strategy, const SearchSpace& s, int count, std::uint64_t seed,
                       const test::Loss& loss) {
    return test::runStrategy(strategy, s, count, seed, loss);
}

// Names of the parameters whose values differ (present in one only counts).
std::set<std::string> differences(const ParamMap& a, const ParamMap& b) {
    std::set<std::string> out;
    for (const auto& [name, value] : a)
        if (!b.count(name) || !sameValue(b.at(name), value))
            out.insert(name);
    for (const auto& [name, value] : b)
        if (!a.count(name))
            out.insert(name);
    return out;
}

Nb201Cell cellOf(const Trial& trial) {
    return Nb201Cell::parse(std::get<std::string>(trial.params.at("cell")));
}

// A cell from its six operation indices in edge order, "333333" for conv3x3
// on every edge (none 0, skip 1, conv1x1 2, conv3x3 3, avg pool 4).
std::string cell(const std::string& ops) {
    Nb201Cell c;
    for (std::size_t e = 0; e < Nb201Cell::kEdges; ++e)
        c.ops[e] = ops[e] - '0';
    return c.toString();
}

// The population of the guide tests, appended to `history` as its last
// twenty trials: the parent (conv3x3 on every edge, the best), nine next best
// holding `nextBest` ("222222,...,111111"), and ten worst holding only none
// and pool.
void addGuidePopulation(std::vector<Trial>& history, const QString& nextBest) {
    auto add = [&](const std::string& ops, double value) {
        history.push_back(complete(static_cast<int>(history.size()), {{"cell", cell(ops)}}, value));
    };
    add("333333", 0.0);
    for (const QString& ops : nextBest.split(','))
        add(ops.toStdString(), 1.0);
    for (const char* ops : {"000000", "444444", "040404", "404040", "004400", "440044", "000444",
                            "444000", "400004", "044440"})
        add(ops, 10.0);
}

// What `strategy` suggests after `history`, its draws seeded by `seed`.
Suggestion suggestAfter(Strategy& strategy, const SearchSpace& s, const std::vector<Trial>& history,
                        std::uint64_t seed) {
    Rng rng(seed);
    SuggestContext context{s, history, Direction::Minimize, rng, seed};
    return *strategy.suggest(context);
}

// A child's cell (trial `number` of an nb201 study), its parent's, and its
// `cell_change` attribute.
struct Descent {
    int number;
    Nb201Cell parent, child;
    std::string cellChange;
};

std::vector<Descent> descents(const std::vector<Trial>& trials) {
    std::vector<Descent> out;
    for (const Trial& t : trials)
        if (t.attrs.contains("parent"))
            out.push_back({t.number, cellOf(trials[t.attrs["parent"].get<std::size_t>()]),
                           cellOf(t), t.attrs.value("cell_change", std::string())});
    return out;
}

// The edges whose operations differ between two cells.
std::vector<std::size_t> changedEdges(const Nb201Cell& a, const Nb201Cell& b) {
    std::vector<std::size_t> out;
    for (std::size_t e = 0; e < Nb201Cell::kEdges; ++e)
        if (a.ops[e] != b.ops[e])
            out.push_back(e);
    return out;
}

// "2←0, 3←0": edges named by their target and source nodes, in edge order.
std::string edgeNames(const std::vector<std::size_t>& edges) {
    std::string out;
    for (std::size_t e : edges)
        out += (out.empty() ? "" : ", ") + Nb201Cell::edgeName(static_cast<int>(e));
    return out;
}

}  // namespace

class EvolutionTest : public QObject {
    Q_OBJECT

  private slots:
    void firstPopulationIsRandomThenChildrenOfOneMutation() {
        SearchSpace s = space(kMixed);
        auto strategy = make(s, R"({"kind": "evolution", "population": 10, "sample_size": 3})");
        auto trials = run(*strategy, s, 200, 4, anyLoss);
        std::set<std::string> mutated;
        for (const Trial& t : trials) {
            s.validate(t.params, "trial");
            if (t.number < 10) {
                QVERIFY(!t.attrs.contains("parent"));
                continue;
            }
            QVERIFY2(t.attrs.contains("parent"), t.attrs.dump().c_str());
            const Trial& parent = trials[t.attrs["parent"].get<std::size_t>()];
            QVERIFY(parent.number < t.number);
            std::string name = t.attrs["mutated"];
            mutated.insert(name);
            QVERIFY(name != "flag");  // one choice: nothing to mutate to
            auto changed = differences(parent.params, t.params);
            QVERIFY(changed.count(name));
            // Exactly one parameter, plus the ones its change switched on or off.
            for (const std::string& other : changed) {
                if (other == name)
                    continue;
                const ParamSpec* spec = s.find(other);
                QVERIFY2(spec->when && spec->when->param == name, other.c_str());
                QVERIFY(parent.params.count(other) != t.params.count(other));
            }
        }
        // Every mutable kind of parameter gets mutated at some point.
        for (const char* name : {"lr", "layers", "width", "act", "dropout", "cell"})
            QVERIFY2(mutated.count(name), name);
    }

    void reproducibleFromTheSeed() {
        SearchSpace s = space(kMixed);
        auto a = run(*make(s, R"({"kind": "evolution", "population": 5})"), s, 40, 7, anyLoss);
        auto b = run(*make(s, R"({"kind": "evolution", "population": 5})"), s, 40, 7, anyLoss);
        for (int i = 0; i < 40; ++i)
            QVERIFY(a[i].params == b[i].params);
    }

    void nb201MutationChangesOneEdgeWhileANeighbourIsFresh() {
        // Without swaps: one edge; two only when every one-edge neighbour of
        // the parent was evaluated before the child (as the same cell:
        // `distinct`).
        SearchSpace s = space(R"([{"name": "cell", "type": "nb201-cell"}])");
        auto trials = run(*make(s, R"({"kind": "evolution", "population": 8, "sample_size": 4,
                                       "swap_rate": 0, "isomorphic_cells": "distinct"})"),
                          s, 120, 2, anyLoss);
        int twoEdges = 0;
        for (const auto& [number, before, child, cellChange] : descents(trials)) {
            const std::size_t edges = changedEdges(before, child).size();
            if (edges == 1)
                continue;
            QCOMPARE(edges, std::size_t{2});
            ++twoEdges;
            std::set<std::string> earlier;
            for (int n = 0; n < number; ++n)
                earlier.insert(
                    std::get<std::string>(trials[static_cast<std::size_t>(n)].params.at("cell")));
            QVERIFY(!earlier.count(child.toString()));
            for (int e = 0; e < Nb201Cell::kEdges; ++e)
                for (int op = 0; op < Nb201Cell::kOperations; ++op) {
                    Nb201Cell neighbour = before;
                    neighbour.ops[e] = op;
                    QVERIFY(earlier.count(neighbour.toString()));
                }
        }
        QVERIFY(twoEdges < 20);
    }

    void nb201SwapsExchangeTwoEdgesOperationsInTheirShareOfChildren_data() {
        QTest::addColumn<double>("swapRate");
        QTest::newRow("never") << 0.0;
        QTest::newRow("default (a quarter)") << -1.0;
        QTest::newRow("two thirds") << 0.67;
    }

    void nb201SwapsExchangeTwoEdgesOperationsInTheirShareOfChildren() {
        // A swap child holds its parent's operations on two edges exchanged;
        // the other children change one edge. `cell_change` says which:
        // "swap 2←0, 3←0" or "edge 3←1". The share of swaps is the
        // setting's (0.25 by default), within the spread of 300 draws.
        QFETCH(double, swapRate);
        SearchSpace s = space(R"([{"name": "cell", "type": "nb201-cell"}])");
        std::string json = R"({"kind": "evolution", "population": 8, "sample_size": 4)";
        if (swapRate >= 0)
            json += R"(, "swap_rate": )" + std::to_string(swapRate);
        auto trials = run(*make(s, (json + "}").c_str()), s, 308, 5, anyLoss);
        int swaps = 0, oneEdge = 0;
        for (const auto& [number, before, child, cellChange] : descents(trials)) {
            const std::vector<std::size_t> changed = changedEdges(before, child);
            const std::string edges = edgeNames(changed);
            if (changed.size() == 1) {
                ++oneEdge;
                QCOMPARE(cellChange, "edge " + edges);
            } else if (changed.size() == 2 && child.ops[changed[0]] == before.ops[changed[1]] &&
                       child.ops[changed[1]] == before.ops[changed[0]]) {
                ++swaps;
                QCOMPARE(cellChange, "swap " + edges);
            }
        }
        const double expected = swapRate >= 0 ? swapRate : 0.25;
        // Children that fell back to two mutations (every near neighbour
        // taken) are neither; they are few.
        QVERIFY2(swaps + oneEdge >= 280, qPrintable(QString::number(swaps + oneEdge)));
        const double share = double(swaps) / (swaps + oneEdge);
        QVERIFY2(std::abs(share - expected) <= 0.1,
                 qPrintable(QString("swap share %1, expected %2").arg(share).arg(expected)));
    }

    void nb201EdgeChangesDrawTheBestTrialsOperations_data() {
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QString>("bestCells");     // the nine best after the parent
        QTest::addColumn<QList<double>>("shares");  // of none, skip, 1x1, pool among new ops
        // Six hold conv1x1 on every edge and three skip: a changed edge takes
        // conv1x1 twice as often as skip, and never none or pool.
        QTest::newRow("default (the best ten)")
            << ""
            << "222222,222222,222222,222222,222222,222222,111111,111111,111111"
            << QList<double>{0, 1.0 / 3, 2.0 / 3, 0};
        // All ten hold conv3x3, the parent's: any other, uniformly.
        QTest::newRow("the best hold the parent's operation")
            << ""
            << "333333,333333,333333,333333,333333,333333,333333,333333,333333"
            << QList<double>{0.25, 0.25, 0.25, 0.25};
        QTest::newRow("guide_top 0 (uniform)")
            << R"(, "guide_top": 0)"
            << "222222,222222,222222,222222,222222,222222,111111,111111,111111"
            << QList<double>{0.25, 0.25, 0.25, 0.25};
    }

    void nb201EdgeChangesDrawTheBestTrialsOperations() {
        // The parent (the best trial, conv3x3 on every edge) changes one
        // edge; the new operation is one the ten best trials hold on that
        // edge, in proportion to how many hold it. The ten worst hold only
        // none and pool. 400 children, each from the same history.
        QFETCH(QString, setting);
        QFETCH(QString, bestCells);
        QFETCH(QList<double>, shares);
        SearchSpace s = space(R"([{"name": "cell", "type": "nb201-cell"}])");
        std::vector<Trial> history;
        addGuidePopulation(history, bestCells);
        auto strategy =
            make(s, qPrintable(R"({"kind": "evolution", "swap_rate": 0)" + setting + "}"));
        std::array<int, Nb201Cell::kOperations> taken{};
        const int children = 400;
        for (int seed = 0; seed < children; ++seed) {
            const Suggestion suggestion =
                suggestAfter(*strategy, s, history, static_cast<std::uint64_t>(seed));
            QCOMPARE(suggestion.attrs.value("parent", -1), 0);
            const Nb201Cell child =
                Nb201Cell::parse(std::get<std::string>(suggestion.params.at("cell")));
            const std::vector<std::size_t> changed = changedEdges(cellOf(history[0]), child);
            QCOMPARE(changed.size(), std::size_t{1});
            ++taken[static_cast<std::size_t>(child.ops[changed[0]])];
        }
        QCOMPARE(taken[3], 0);  // the parent's own
        const int others[] = {0, 1, 2, 4};
        for (int i = 0; i < 4; ++i) {
            const double share = double(taken[static_cast<std::size_t>(others[i])]) / children;
            QVERIFY2(std::abs(share - shares[i]) <= 0.07,
                     qPrintable(
                         QString("%1: share %2, expected %3")
                             .arg(Nb201Cell::operationNames()[static_cast<std::size_t>(others[i])])
                             .arg(share)
                             .arg(shares[i])));
        }
    }

    void nb201EdgeChangesTakeAnyOtherOperationOnceTheBestTrialsOnesAreSpent() {
        // As above, but every child the best trials' operations allow (an
        // edge of the parent set to conv1x1 or skip) was evaluated already:
        // children are still one edge from the parent and new, with none or
        // pool on the changed edge.
        SearchSpace s = space(R"([{"name": "cell", "type": "nb201-cell"}])");
        std::vector<Trial> history;
        for (std::size_t e = 0; e < Nb201Cell::kEdges; ++e)
            for (char op : {'1', '2'}) {
                std::string ops = "333333";
                ops[e] = op;
                // Spent, and outside the best ten.
                history.push_back(
                    complete(static_cast<int>(history.size()), {{"cell", cell(ops)}}, 5.0));
            }
        addGuidePopulation(history,
                           "222222,222222,222222,222222,222222,222222,111111,111111,111111");
        std::set<std::string> evaluated;
        for (const Trial& t : history)
            evaluated.insert(std::get<std::string>(t.params.at("cell")));
        auto strategy = make(s, R"({"kind": "evolution", "swap_rate": 0})");
        std::set<int> taken;
        for (std::uint64_t seed = 0; seed < 100; ++seed) {
            const std::string text =
                std::get<std::string>(suggestAfter(*strategy, s, history, seed).params.at("cell"));
            QVERIFY2(!evaluated.count(text), text.c_str());
            const Nb201Cell child = Nb201Cell::parse(text);
            const std::vector<std::size_t> changed = changedEdges(cellOf(history[12]), child);
            QCOMPARE(changed.size(), std::size_t{1});
            taken.insert(child.ops[changed[0]]);
        }
        QCOMPARE(taken, (std::set<int>{0, 4}));
    }

    void isomorphicCellsCountAsEvaluatedByDefault_data() {
        QTest::addColumn<QString>("setting");
        QTest::addColumn<bool>("repeatsAFunction");
        QTest::newRow("default (same)") << "" << false;
        QTest::newRow("distinct") << R"(, "isomorphic_cells": "distinct")" << true;
    }

    void isomorphicCellsCountAsEvaluatedByDefault() {
        // With `same`, no child computes the function of an earlier trial
        // (NAS-Bench-201's isomorphism: Nb201Cell::functionalForm); with
        // `distinct` only identical cells are avoided, and some children
        // repeat a function already evaluated.
        QFETCH(QString, setting);
        QFETCH(bool, repeatsAFunction);
        SearchSpace s = space(R"([{"name": "cell", "type": "nb201-cell"}])");
        const QString json =
            R"({"kind": "evolution", "population": 8, "sample_size": 4)" + setting + "}";
        auto trials = run(*make(s, qPrintable(json)), s, 120, 2, anyLoss);
        std::set<std::string> functions;
        int repeats = 0;
        for (const Trial& t : trials) {
            const std::string form = Nb201Cell::parse(std::get<std::string>(t.params.at("cell")))
                                         .functionalForm()
                                         .toString();
            if (!functions.insert(form).second && t.number >= 8)
                ++repeats;
        }
        QCOMPARE(repeats > 0, repeatsAFunction);
    }

    void theDefaultPopulationIsTwenty() {
        // 20 beat 15 on NAS-Bench-201 over 300 seeds (README): the first 20
        // trials are random, the 21st is a child.
        SearchSpace s = space(R"([{"name": "cell", "type": "nb201-cell"}])");
        auto trials = run(*make(s, R"({"kind": "evolution"})"), s, 22, 3, anyLoss);
        for (const Trial& t : trials)
            QCOMPARE(t.attrs.contains("parent"), t.number >= 20);
    }

    void theDefaultTournamentIsTheWholePopulation() {
        SearchSpace s = space(R"([{"name": "x", "type": "int", "low": 0, "high": 1000}])");
        auto strategy = make(s, R"({"kind": "evolution", "population": 5})");
        std::vector<Trial> trials;
        const double values[] = {3, 5, 7, 1, 9, 4, 6};
        for (int n = 0; n < 7; ++n)
            trials.push_back(complete(n, {{"x", std::int64_t{n * 100}}}, values[n]));
        for (std::uint64_t seed = 0; seed < 20; ++seed) {
            Rng rng(seed);
            SuggestContext context{s, trials, Direction::Minimize, rng, seed};
            QCOMPARE(strategy->suggest(context)->attrs["parent"].get<int>(), 3);
        }
    }

    void tournamentPicksTheBestOfItsSampleAndTheOldestDies() {
        SearchSpace s = space(R"([{"name": "x", "type": "int", "low": 0, "high": 1000}])");
        auto strategy = make(s, R"({"kind": "evolution", "population": 4, "sample_size": 4})");
        // Trial 0 is by far the best but the oldest of five: it has left the
        // population, so the parent is the best of trials 1..4 (number 3).
        std::vector<Trial> trials;
        const double values[] = {-100, 5, 7, 1, 9};
        for (int n = 0; n < 5; ++n)
            trials.push_back(complete(n, {{"x", std::int64_t{n * 100}}}, values[n]));
        // Failed and running trials are not members.
        Trial failed;
        failed.number = 5;
        failed.state = TrialState::Failed;
        failed.params = {{"x", std::int64_t{999}}};
        trials.push_back(failed);
        Trial running;
        running.number = 6;
        running.params = {{"x", std::int64_t{998}}};
        trials.push_back(running);
        for (std::uint64_t seed = 0; seed < 20; ++seed) {
            Rng rng(seed);
            SuggestContext context{s, trials, Direction::Minimize, rng, seed};
            auto suggestion = strategy->suggest(context);
            QCOMPARE(suggestion->attrs["parent"].get<int>(), 3);
            QVERIFY(std::get<std::int64_t>(suggestion->params.at("x")) != 300);
        }
        // Maximizing: the best is trial 4 (value 9).
        Rng rng(1);
        SuggestContext context{s, trials, Direction::Maximize, rng, 1};
        QCOMPARE(strategy->suggest(context)->attrs["parent"].get<int>(), 4);
    }

    void smallTournamentsPickTheBestOfTheirSample() {
        // sample_size 1: the parent is a uniform member; over many draws every
        // member is chosen, and never a trial outside the population.
        SearchSpace s = space(R"([{"name": "x", "type": "float", "low": 0, "high": 1}])");
        auto strategy = make(s, R"({"kind": "evolution", "population": 3, "sample_size": 1})");
        std::vector<Trial> trials;
        for (int n = 0; n < 6; ++n)
            trials.push_back(complete(n, {{"x", 0.1 * n}}, n));
        std::set<int> parents;
        for (std::uint64_t seed = 0; seed < 60; ++seed) {
            Rng rng(seed);
            SuggestContext context{s, trials, Direction::Minimize, rng, seed};
            auto suggestion = strategy->suggest(context);
            parents.insert(suggestion->attrs["parent"].get<int>());
            double x = std::get<double>(suggestion->params.at("x"));
            QVERIFY(x >= 0 && x <= 1);
        }
        QCOMPARE(parents, (std::set<int>{3, 4, 5}));
    }

    void avoidsEvaluatedPointsWhenItCan() {
        // Two binary parameters: the parent's 2 neighbours; one is taken.
        SearchSpace s = space(R"([{"name": "a", "type": "categorical", "choices": [0, 1]},
                                  {"name": "b", "type": "categorical", "choices": [0, 1]}])");
        auto strategy = make(s, R"({"kind": "evolution", "population": 2, "sample_size": 2})");
        std::vector<Trial> trials{
            complete(0, {{"a", std::int64_t{0}}, {"b", std::int64_t{0}}}, 0.0),
            complete(1, {{"a", std::int64_t{1}}, {"b", std::int64_t{0}}}, 1.0)};
        for (std::uint64_t seed = 0; seed < 10; ++seed) {
            Rng rng(seed);
            SuggestContext context{s, trials, Direction::Minimize, rng, seed};
            auto suggestion = strategy->suggest(context);
            QCOMPARE(std::get<std::int64_t>(suggestion->params.at("a")), std::int64_t{0});
            QCOMPARE(std::get<std::int64_t>(suggestion->params.at("b")), std::int64_t{1});
        }
    }

    void settingsAreValidated_data() {
        QTest::addColumn<QString>("settings");
        QTest::addColumn<QString>("message");
        QTest::newRow("sample > population")
            << R"({"kind": "evolution", "population": 4, "sample_size": 5})"
            << "strategy.sample_size: must be between 1 and population = 4";
        QTest::newRow("population") << R"({"kind": "evolution", "population": 1})"
                                    << "strategy.population:";
        QTest::newRow("typo") << R"({"kind": "evolution", "populaton": 4})"
                              << "did you mean 'population'";
        QTest::newRow("isomorphic_cells")
            << R"({"kind": "evolution", "isomorphic_cells": "auto"})"
            << "strategy.isomorphic_cells: must be \"same\" or \"distinct\" (got \"auto\")";
        QTest::newRow("swap_rate") << R"({"kind": "evolution", "swap_rate": 1.5})"
                                   << "strategy.swap_rate: must be between 0 and 1 (got 1.5)";
        QTest::newRow("guide_top") << R"({"kind": "evolution", "guide_top": -1})"
                                   << "strategy.guide_top: must be between 0 and";
    }

    void settingsAreValidated() {
        QFETCH(QString, settings);
        QFETCH(QString, message);
        SearchSpace s = space(kMixed);
        BONSAI_EXPECT_SPEC_ERROR(make(s, qPrintable(settings)), message.toStdString());
    }
};

QTEST_APPLESS_MAIN(EvolutionTest)
#include "tst_evolution.moc"

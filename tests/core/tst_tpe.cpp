// TPE: legal points on every kind of space, reproducible from the seed, better
// than random on simple problems, and the Optuna conventions for pruned and
// running trials.
#include <QtTest>

#include <algorithm>
#include <functional>

#include "strategies/strategy.h"
#include "support/spec_errors.h"
#include "support/strategy_harness.h"
#include "util/random.h"

using namespace bonsai;

namespace {

using test::Loss;

SearchSpace space(const char* json) {
    return test::spaceFrom(json);
}

const char* const kMixed = test::kMixedSpace;

std::unique_ptr<Strategy> make(const SearchSpace& s, const char* json) {
    return test::makeStrategy(s, json);
}

std::vector<Trial> run(Strategy& strategy, const SearchSpace& s, const Loss& loss, int count,
                       std::uint64_t seed) {
    return test::runStrategy(strategy, s, count, seed, loss);
}

double bestOf(const std::vector<Trial>& trials) {
    return test::bestValue(trials);
}

using test::median;

double num(const ParamMap& p, const char* name) {
    return *numericValue(p.at(name));
}

double branin(const ParamMap& p) {
    double x1 = num(p, "x1"), x2 = num(p, "x2");
    const double pi = 3.14159265358979323846;
    double b = 5.1 / (4 * pi * pi), c = 5 / pi, t = 1 / (8 * pi);
    return std::pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * std::cos(x1) + 10;
}

}  // namespace

class TpeTest : public QObject {
    Q_OBJECT

  private slots:
    void proposesLegalPointsOnMixedConditionalAndCellSpaces_data() {
        QTest::addColumn<QString>("settings");
        QTest::newRow("multivariate") << R"({"kind": "tpe", "startup_trials": 5})";
        QTest::newRow("univariate")
            << R"({"kind": "tpe", "startup_trials": 5, "multivariate": false})";
        QTest::newRow("endpoints") << R"({"kind": "tpe", "startup_trials": 3, "multivariate": false,
                                          "consider_endpoints": true, "gamma": 0.3, "candidates": 5})";
    }

    void proposesLegalPointsOnMixedConditionalAndCellSpaces() {
        QFETCH(QString, settings);
        SearchSpace s = space(kMixed);
        auto strategy = make(s, qPrintable(settings));
        // A loss that depends on everything, conditional parts included.
        Loss loss = [](const ParamMap& p) {
            double v = std::log10(num(p, "lr")) + num(p, "layers") + 0.01 * num(p, "width");
            if (p.count("dropout"))
                v += num(p, "dropout");
            if (p.count("cell"))
                v += std::get<std::string>(p.at("cell")).size() * 0.01;
            return v;
        };
        auto trials = run(*strategy, s, loss, 60, 3);
        int scored = 0;
        for (const Trial& t : trials) {
            s.validate(t.params, "trial");
            if (t.attrs.contains("tpe_score")) {
                QVERIFY(t.attrs["tpe_score"].is_number());
                ++scored;
            }
        }
        QVERIFY(scored >= 50);
    }

    void onlyCellSpace() {
        SearchSpace s = space(R"([{"name": "cell", "type": "nb201-cell"}])");
        auto strategy = make(s, R"({"kind": "tpe"})");
        // Loss: number of edges that are not nor_conv_3x3.
        Loss loss = [](const ParamMap& p) {
            const std::string& cell = std::get<std::string>(p.at("cell"));
            double bad = 6;
            for (std::size_t at = cell.find("nor_conv_3x3"); at != std::string::npos;
                 at = cell.find("nor_conv_3x3", at + 1))
                --bad;
            return bad;
        };
        std::vector<double> tpe, random;
        for (std::uint64_t seed = 0; seed < 8; ++seed) {
            tpe.push_back(bestOf(run(*make(s, R"({"kind": "tpe"})"), s, loss, 60, seed)));
            random.push_back(bestOf(run(*make(s, R"({"kind": "random"})"), s, loss, 60, seed)));
        }
        qDebug() << "cell: median best tpe" << median(tpe) << "random" << median(random);
        QVERIFY(median(tpe) < median(random));
        for (const Trial& t : run(*strategy, s, loss, 20, 1))
            s.validate(t.params, "trial");
    }

    void sameSeedSameTrials() {
        SearchSpace s = space(kMixed);
        Loss loss = [](const ParamMap& p) { return num(p, "layers") + std::log(num(p, "lr")); };
        auto a = run(*make(s, R"({"kind": "tpe"})"), s, loss, 30, 9);
        auto b = run(*make(s, R"({"kind": "tpe"})"), s, loss, 30, 9);
        auto c = run(*make(s, R"({"kind": "tpe"})"), s, loss, 30, 10);
        for (int i = 0; i < 30; ++i)
            QVERIFY(a[i].params == b[i].params);
        bool differs = false;
        for (int i = 0; i < 30; ++i)
            differs |= a[i].params != c[i].params;
        QVERIFY(differs);
    }

    void beatsRandomOnQuadraticAndBranin_data() {
        QTest::addColumn<QString>("problem");
        QTest::newRow("quadratic") << "quadratic";
        QTest::newRow("branin") << "branin";
    }

    void beatsRandomOnQuadraticAndBranin() {
        QFETCH(QString, problem);
        SearchSpace s = space(R"([{"name": "x1", "type": "float", "low": -5, "high": 10},
                                  {"name": "x2", "type": "float", "low": 0, "high": 15}])");
        Loss loss = problem == "branin" ? Loss(branin) : Loss([](const ParamMap& p) {
            return std::pow(num(p, "x1") - 1.0, 2) + std::pow(num(p, "x2") - 3.0, 2);
        });
        std::vector<double> tpe, tpeUni, random;
        for (std::uint64_t seed = 100; seed < 112; ++seed) {
            tpe.push_back(bestOf(run(*make(s, R"({"kind": "tpe"})"), s, loss, 40, seed)));
            tpeUni.push_back(bestOf(
                run(*make(s, R"({"kind": "tpe", "multivariate": false})"), s, loss, 40, seed)));
            random.push_back(bestOf(run(*make(s, R"({"kind": "random"})"), s, loss, 40, seed)));
        }
        qDebug() << problem << "median best of 40: tpe" << median(tpe) << "univariate"
                 << median(tpeUni) << "random" << median(random);
        QVERIFY(median(tpe) < median(random));
        QVERIFY(median(tpeUni) < median(random));
    }

    // Past 1,000 observations the bad group's older trials are merged into
    // age buckets (a suggestion then costs the same at 30,000 trials as at
    // 1,000). The merged model still steers: with 5,000 spread-out trials the
    // suggestions land at the optimum, the same ones for the same seed.
    void aLongHistoryIsMergedAndStillSteers() {
        SearchSpace s = space(R"([{"name": "x", "type": "float", "low": 0, "high": 1},
                                  {"name": "y", "type": "float", "low": 0, "high": 1}])");
        std::vector<Trial> trials;
        Rng history(7);
        for (int n = 0; n < 5000; ++n) {
            Trial trial;
            trial.number = n;
            trial.params["x"] = uniform01(history);
            trial.params["y"] = uniform01(history);
            trial.state = TrialState::Complete;
            trial.value = std::pow(num(trial.params, "x") - 0.3, 2) +
                          std::pow(num(trial.params, "y") - 0.7, 2);
            trials.push_back(trial);
        }
        int near = 0;
        for (std::uint64_t seed = 0; seed < 10; ++seed) {
            auto strategy = make(s, R"({"kind": "tpe"})");
            Rng rng(seed), again(seed);
            SuggestContext context{s, trials, Direction::Minimize, rng, seed};
            SuggestContext repeat{s, trials, Direction::Minimize, again, seed};
            const ParamMap suggested = strategy->suggest(context)->params;
            QVERIFY(strategy->suggest(repeat)->params == suggested);
            near += std::hypot(num(suggested, "x") - 0.3, num(suggested, "y") - 0.7) < 0.1;
        }
        QVERIFY2(near >= 9, qPrintable(QString::number(near)));
    }

    // tpe encodes each trial once and keeps it by number. A history whose
    // numbers come back with other parameters (another study's list handed
    // to the same strategy) must be read afresh: the suggestion equals a
    // fresh strategy's on that history.
    void aReusedTrialNumberWithOtherParametersIsReadAfresh() {
        SearchSpace s = space(R"([{"name": "x", "type": "float", "low": 0, "high": 1}])");
        // The same numbers and values; mirrored, the good trials sit near
        // 0.9 instead of 0.1.
        auto history = [](bool mirrored) {
            std::vector<Trial> trials;
            for (int n = 0; n < 40; ++n) {
                const double x = (n + 0.5) / 40.0;
                Trial trial;
                trial.number = n;
                trial.params["x"] = mirrored ? 1.0 - x : x;
                trial.state = TrialState::Complete;
                trial.value = std::abs(x - 0.1);
                trials.push_back(trial);
            }
            return trials;
        };
        const std::vector<Trial> first = history(false), second = history(true);
        auto reused = make(s, R"({"kind": "tpe"})");
        Rng warmUp(3);
        reused->suggest(SuggestContext{s, first, Direction::Minimize, warmUp, 3});
        for (std::uint64_t seed = 0; seed < 5; ++seed) {
            auto fresh = make(s, R"({"kind": "tpe"})");
            Rng a(seed), b(seed);
            const ParamMap expected =
                fresh->suggest(SuggestContext{s, second, Direction::Minimize, a, seed})->params;
            QCOMPARE(
                reused->suggest(SuggestContext{s, second, Direction::Minimize, b, seed})->params,
                expected);
        }
    }

    // tpe keeps what it read of the history between suggestions. Asked along
    // a growing history (complete, pruned, failed and running trials), it
    // suggests exactly what a fresh strategy suggests on the same list.
    void aStrategyThatWatchedTheHistoryGrowSuggestsAsAFreshOne() {
        SearchSpace s = space(kMixed);
        Rng history(5);
        std::vector<Trial> trials;
        auto watching = make(s, R"({"kind": "tpe", "startup_trials": 5})");
        Trial slow;
        for (int n = 0; n < 80; ++n) {
            Rng a(mixSeed(11, n)), b(mixSeed(11, n));
            const std::optional<Suggestion> seen =
                watching->suggest(SuggestContext{s, trials, Direction::Minimize, a, 11});
            auto fresh = make(s, R"({"kind": "tpe", "startup_trials": 5})");
            const std::optional<Suggestion> anew =
                fresh->suggest(SuggestContext{s, trials, Direction::Minimize, b, 11});
            QVERIFY(seen && anew);
            QCOMPARE(seen->params, anew->params);
            Trial trial;
            trial.number = n;
            trial.params = seen->params;
            const double u = uniform01(history);
            if (u < 0.1) {
                trial.state = TrialState::Failed;
            } else if (u < 0.25) {
                trial.state = TrialState::Pruned;
                trial.intermediate = {{1 + n % 3, uniform01(history)}};
            } else {
                trial.state = TrialState::Complete;
                trial.value = uniform01(history);
            }
            // Every tenth trial runs on while the next three are asked (a
            // slow worker), then ends as drawn.
            if (n % 10 == 3) {
                slow = trial;
                trial.state = TrialState::Running;
                trial.value.reset();
                trial.intermediate.clear();
            }
            if (n % 10 == 6)
                trials[static_cast<std::size_t>(slow.number)] = slow;
            trials.push_back(trial);
        }
    }

    void constantLiarPushesConcurrentSuggestionsApart() {
        // Ask twice with the same random stream; the second time the first
        // suggestion is pending (a parallel worker runs it). Without the liar
        // the two would be identical.
        SearchSpace s = space(R"([{"name": "x", "type": "float", "low": 0, "high": 1},
                                  {"name": "k", "type": "int", "low": 0, "high": 20}])");
        Loss loss = [](const ParamMap& p) {
            return std::pow(num(p, "x") - 0.3, 2) + 0.01 * num(p, "k");
        };
        int differ = 0;
        const int seeds = 10;
        for (std::uint64_t seed = 0; seed < seeds; ++seed) {
            auto strategy = make(s, R"({"kind": "tpe"})");
            std::vector<Trial> trials = run(*strategy, s, loss, 20, seed);
            Rng rng1(mixSeed(seed, 1000));
            SuggestContext first{s, trials, Direction::Minimize, rng1, seed};
            ParamMap a = strategy->suggest(first)->params;

            Rng rng2(mixSeed(seed, 1000));
            SuggestContext same{s, trials, Direction::Minimize, rng2, seed};
            QVERIFY(strategy->suggest(same)->params == a);  // deterministic

            Trial pending;
            pending.number = 20;
            pending.params = a;
            trials.push_back(pending);  // running
            Rng rng3(mixSeed(seed, 1000));
            SuggestContext second{s, trials, Direction::Minimize, rng3, seed};
            if (strategy->suggest(second)->params != a)
                ++differ;
        }
        qDebug() << "concurrent suggestions differ in" << differ << "of" << seeds;
        QVERIFY(differ >= seeds / 2);
    }

    void prunedTrialsRankAfterCompleteOnesByStep() {
        // One parameter, three values. With gamma small, the good group is the
        // single best trial. Complete trials all sit at "a"; a pruned trial at
        // "b" with a far better last intermediate value still ranks after them,
        // so TPE keeps proposing "a".
        SearchSpace s =
            space(R"([{"name": "c", "type": "categorical", "choices": ["a", "b", "c"]}])");
        auto strategy = make(s, R"({"kind": "tpe", "startup_trials": 2, "gamma": 0.01,
                                    "candidates": 64, "prior_weight": 0.1})");
        std::vector<Trial> trials;
        for (int n = 0; n < 6; ++n) {
            Trial t;
            t.number = n;
            t.params = {{"c", n == 0 ? std::string("a") : std::string("c")}};
            t.state = TrialState::Complete;
            t.value = n == 0 ? 1.0 : 5.0;
            trials.push_back(t);
        }
        Trial pruned;
        pruned.number = 6;
        pruned.params = {{"c", std::string("b")}};
        pruned.state = TrialState::Pruned;
        pruned.intermediate = {{1, -100.0}};
        pruned.value = -100.0;
        trials.push_back(pruned);
        Trial failed;
        failed.number = 7;
        failed.params = {{"c", std::string("b")}};
        failed.state = TrialState::Failed;
        trials.push_back(failed);

        std::map<std::string, int> counts;
        for (std::uint64_t seed = 0; seed < 20; ++seed) {
            Rng rng(seed);
            SuggestContext context{s, trials, Direction::Minimize, rng, seed};
            ++counts[std::get<std::string>(strategy->suggest(context)->params.at("c"))];
        }
        QCOMPARE(counts["a"], 20);

        // Maximizing flips the sense of values: now the complete "c" trials are best.
        counts.clear();
        for (std::uint64_t seed = 0; seed < 20; ++seed) {
            Rng rng(seed);
            SuggestContext context{s, trials, Direction::Maximize, rng, seed};
            ++counts[std::get<std::string>(strategy->suggest(context)->params.at("c"))];
        }
        QCOMPARE(counts["c"], 20);
    }

    void settingsAreValidatedWithPaths_data() {
        QTest::addColumn<QString>("settings");
        QTest::addColumn<QString>("message");
        QTest::newRow("gamma") << R"({"kind": "tpe", "gamma": 1.5})"
                               << "strategy.gamma: must be between 0 and 1";
        QTest::newRow("candidates") << R"({"kind": "tpe", "candidates": 0})"
                                    << "strategy.candidates:";
        QTest::newRow("prior") << R"({"kind": "tpe", "prior_weight": 0})"
                               << "strategy.prior_weight:";
        QTest::newRow("startup") << R"({"kind": "tpe", "startup_trials": -1})"
                                 << "strategy.startup_trials:";
        QTest::newRow("typo") << R"({"kind": "tpe", "gama": 0.2})"
                              << "did you mean 'gamma'";
        QTest::newRow("bool") << R"({"kind": "tpe", "multivariate": 1})"
                              << "strategy.multivariate:";
    }

    void settingsAreValidatedWithPaths() {
        QFETCH(QString, settings);
        QFETCH(QString, message);
        SearchSpace s = space(kMixed);
        BONSAI_EXPECT_SPEC_ERROR(make(s, qPrintable(settings)), message.toStdString());
    }
};

QTEST_APPLESS_MAIN(TpeTest)
#include "tst_tpe.moc"

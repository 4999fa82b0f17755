// GP suggestion cost on a NAS-Bench-201 cell space: a whole 100-trial `gp`
// run (default settings: Sobol design, then fit + LogEI scored exactly on
// every untried cell of the 15,625) driven through the real strategy, timing
// each suggestion in CPU seconds (see cpu_clock.h; the work of every core)
// and in wall seconds (what the user waits: the strategy spreads some of its
// work over the cores). Prints, per seed, the median and the largest
// suggestion time over trials 90-99 (the "at 100 trials"), then the
// same figures over all seeds.
//
// The objective is the real table's 12-epoch CIFAR-10 validation accuracy
// when the NAS-Bench-201 folder is given and holds nb201_accuracy.csv;
// otherwise a fixed synthetic cell score (per-edge operation effects plus
// pairwise interactions), which costs the GP the same work.
//
// Then the same for two objectives (EHVI, the default for two): accuracy
// maximized and a latency minimized, the latency column `latency` of
// nb201_latency_hwnasbench.csv (default lat_eyeriss_ms, as the bench problem
// nb201-hw:cifar10:lat_eyeriss_ms) when the folder holds it, else a second
// synthetic score; reference point: both objectives' medians over the cells.
//
//   bench-gp-cell [seeds=3] [nb201 folder] [objectives=both|1|2] [latency column]
#include "cpu_clock.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "objectives/csv_table.h"
#include "space/nb201_cell.h"
#include "strategies/strategy.h"

using namespace bonsai;

namespace {

constexpr int kTrials = 100;
constexpr int kTimedFrom = 90;

using CellScore = std::function<double(const std::string&)>;

// arch_str -> `column` of the table `file` in the NAS-Bench-201 folder, or
// nullopt when either is missing.
std::optional<CellScore> columnScore(const std::string& folder, const std::string& file,
                                     const std::string& column) {
    const std::string path = (std::filesystem::path(folder) / file).string();
    if (folder.empty() || !std::filesystem::exists(path))
        return std::nullopt;
    const std::shared_ptr<const CsvTable> table = CsvTable::load(path);
    const auto key = table->column("arch_str");
    const auto metric = table->column(column);
    if (!key || !metric)
        return std::nullopt;
    auto scores = std::make_shared<std::unordered_map<std::string, double>>();
    for (std::size_t r = 0; r < table->rowCount(); ++r)
        (*scores)[table->cell(r, *key)] = parseCsvNumber(table->cell(r, *metric)).value_or(0.0);
    return [scores](const std::string& cell) { return scores->at(cell); };
}

// A fixed score with per-edge effects and pairwise interactions.
CellScore syntheticScore(std::uint64_t seed = 2021) {
    Rng rng(seed);
    std::vector<double> effect(Nb201Cell::kEdges * Nb201Cell::kOperations);
    for (double& e : effect)
        e = uniform01(rng);
    std::vector<double> pair(effect.size() * effect.size());
    for (double& p : pair)
        p = 0.3 * (uniform01(rng) - 0.5);
    return [effect, pair](const std::string& text) {
        const Nb201Cell cell = Nb201Cell::parse(text);
        std::vector<std::size_t> index;
        for (int edge = 0; edge < Nb201Cell::kEdges; ++edge)
            index.push_back(static_cast<std::size_t>(edge * Nb201Cell::kOperations +
                                                     cell.ops[static_cast<std::size_t>(edge)]));
        double score = 0.0;
        for (std::size_t a = 0; a < index.size(); ++a) {
            score += effect[index[a]];
            for (std::size_t b = a + 1; b < index.size(); ++b)
                score += pair[index[a] * effect.size() + index[b]];
        }
        return score;
    };
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double largest(const std::vector<double>& v) {
    return *std::max_element(v.begin(), v.end());
}

// Every cell string of the space.
std::vector<std::string> allCells() {
    std::vector<std::string> cells;
    for (int index = 0; index < Nb201Cell::kCount; ++index)
        cells.push_back(Nb201Cell::fromIndex(index).toString());
    return cells;
}

// The two objectives of the two-objective runs: `accuracy` maximized and
// `latency` minimized, the reference point at their medians over the cells.
struct TwoObjectives {
    CellScore accuracy, latency;
    std::vector<ObjectiveSpec> specs;
};

TwoObjectives twoObjectives(CellScore accuracy, CellScore latency) {
    std::vector<double> a, l;
    for (const std::string& cell : allCells()) {
        a.push_back(accuracy(cell));
        l.push_back(latency(cell));
    }
    std::vector<ObjectiveSpec> specs{{"accuracy", Direction::Maximize, median(a)},
                                     {"latency", Direction::Minimize, median(l)}};
    return {std::move(accuracy), std::move(latency), std::move(specs)};
}

struct Timings {
    std::vector<double> cpu;
    std::vector<double> wall;
};

// Suggestion times of trials kTimedFrom..kTrials-1 of one run: single
// objective `score`, or the two objectives of `two` when given.
Timings run(const CellScore& score, const TwoObjectives* two, std::uint64_t seed) {
    const SearchSpace space =
        SearchSpace::fromJson(Json::array({{{"name", "cell"}, {"type", "nb201-cell"}}}), "space");
    std::unique_ptr<Strategy> strategy =
        StrategyRegistry::builtins().create({{"kind", "gp"}}, space, "strategy");
    std::vector<Trial> trials;
    Timings late;
    for (int number = 0; number < kTrials; ++number) {
        Rng rng(mixSeed(seed, static_cast<std::uint64_t>(number)));
        SuggestContext context{space, trials, Direction::Maximize, rng, seed};
        context.budgetTrials = kTrials;
        if (two)
            context.objectives = two->specs;
        const double start = bench::cpuSeconds();
        const auto wallStart = std::chrono::steady_clock::now();
        std::optional<Suggestion> suggestion = strategy->suggest(context);
        const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - wallStart;
        const double seconds = bench::cpuSeconds() - start;
        if (!suggestion)
            break;
        if (number >= kTimedFrom) {
            late.cpu.push_back(seconds);
            late.wall.push_back(wall.count());
        }
        Trial trial;
        trial.number = number;
        trial.params = suggestion->params;
        trial.attrs = suggestion->attrs;
        trial.state = TrialState::Complete;
        const std::string& cell = std::get<std::string>(trial.params.at("cell"));
        if (two) {
            trial.values = {two->accuracy(cell), two->latency(cell)};
            trial.value = trial.values[0];
        } else {
            trial.value = score(cell);
        }
        trials.push_back(std::move(trial));
    }
    return late;
}

// Runs `seeds` seeds and prints their figures under `title`.
void report(const std::string& title, int seeds, const CellScore& score, const TwoObjectives* two) {
    std::printf("%s\n", title.c_str());
    Timings all;
    for (int seed = 0; seed < seeds; ++seed) {
        const Timings late = run(score, two, static_cast<std::uint64_t>(seed));
        if (late.cpu.empty())
            continue;
        std::printf(
            "  seed %d: suggestion seconds at trials %d-%d: CPU median %.3f, max %.3f; "
            "wall median %.3f, max %.3f\n",
            seed, kTimedFrom, kTrials - 1, median(late.cpu), largest(late.cpu), median(late.wall),
            largest(late.wall));
        std::fflush(stdout);
        all.cpu.insert(all.cpu.end(), late.cpu.begin(), late.cpu.end());
        all.wall.insert(all.wall.end(), late.wall.begin(), late.wall.end());
    }
    if (!all.cpu.empty())
        std::printf(
            "  all seeds, %zu suggestions: CPU median %.3f s, max %.3f s; wall median "
            "%.3f s, max %.3f s (target 0.2 s)\n",
            all.cpu.size(), median(all.cpu), largest(all.cpu), median(all.wall), largest(all.wall));
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    const int seeds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
    const std::string folder = argc > 2 ? argv[2] : "";
    const std::string objectives = argc > 3 ? argv[3] : "both";
    const std::string latencyColumn = argc > 4 ? argv[4] : "lat_eyeriss_ms";
    if (objectives != "both" && objectives != "1" && objectives != "2") {
        std::fprintf(stderr, "objectives must be both, 1 or 2 (got '%s')\n", objectives.c_str());
        return 2;
    }
    const std::optional<CellScore> table =
        columnScore(folder, "nb201_accuracy.csv", "cifar10_valid_acc_12ep");
    const CellScore score = table ? *table : syntheticScore();
    const std::string accuracyName =
        table ? "NAS-Bench-201 cifar10_valid_acc_12ep" : "synthetic cell score";
    if (objectives != "2")
        report("gp on one nb201-cell (15,625 cells), " + std::to_string(kTrials) +
                   " trials, objective: " + accuracyName,
               seeds, score, nullptr);
    if (objectives != "1") {
        const std::optional<CellScore> latency =
            columnScore(folder, "nb201_latency_hwnasbench.csv", latencyColumn);
        const TwoObjectives two = twoObjectives(score, latency ? *latency : syntheticScore(7));
        report("gp (ehvi) on one nb201-cell, " + std::to_string(kTrials) +
                   " trials, two objectives: " + accuracyName + " (max) and " +
                   (latency ? latencyColumn : std::string("a second synthetic score")) + " (min)",
               seeds, score, &two);
    }
    return 0;
}

// Wall time and accuracy of whole "fashion-mnist" trials with the objective's
// default settings (or those given as JSON), i.e. what one trial of a study
// costs. Backs the README's claim about how long a bundled study takes.
//
//   build/dev/bench/bench-nas-trial [--trials K] [--settings '{"threads": 1}'] [--random-cells 1]
//
// With --random-cells 1 each trial draws a cell uniformly (seeded), as a
// random-search study over an nb201-cell parameter does.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "nas/fashion_mnist_objective.h"
#include "util/random.h"

namespace {

class PrintingContext : public bonsai::TrialContext {
  public:
    explicit PrintingContext(int number) : m_number(number) {}
    int trialNumber() const override { return m_number; }
    void report(std::int64_t step, double value) override {
        std::printf("  trial %d epoch %lld: valid_acc=%.2f\n", m_number,
                    static_cast<long long>(step), value);
        std::fflush(stdout);
    }
    bool shouldPrune() override { return false; }
    bool stopRequested() const override { return false; }
    void setAttribute(const std::string& key, const bonsai::Json& value) override {
        attributes[key] = value;
    }
    bonsai::Json attributes = bonsai::Json::object();

  private:
    int m_number;
};

}  // namespace

int main(int argc, char** argv) {
    int trials = 1;
    std::string settingsText = "{}";
    bool randomCells = false;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i];
        if (flag == "--trials") {
            trials = std::max(1, std::atoi(argv[i + 1]));
        } else if (flag == "--random-cells") {
            randomCells = std::atoi(argv[i + 1]) != 0;
        } else if (flag == "--settings") {
            settingsText = argv[i + 1];
        } else {
            std::fprintf(
                stderr,
                "usage: bench-nas-trial [--trials K] [--settings JSON] [--random-cells 0|1]\n");
            return 2;
        }
    }
    try {
        bonsai::Json json = bonsai::Json::parse(settingsText);
        bonsai::JsonReader reader(json, "objective");
        auto settings = bonsai::FashionMnistSettings::fromJson(reader);
        bonsai::FashionMnistObjective objective(settings, "cell");
        bonsai::Rng rng(1);
        const char* names[] = {"none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3",
                               "avg_pool_3x3"};
        double total = 0.0;
        for (int t = 0; t < trials; ++t) {
            bonsai::ParamMap params;
            if (randomCells) {
                std::string cell;
                for (int node = 1, edge = 0; node <= 3; ++node) {
                    cell += node > 1 ? "+|" : "|";
                    for (int source = 0; source < node; ++source, ++edge)
                        cell += std::string(names[rng() % 5]) + "~" + std::to_string(source) + "|";
                }
                params["cell"] = cell;
                std::printf("trial %d: cell %s\n", t, cell.c_str());
            }
            PrintingContext context(t);
            auto start = std::chrono::steady_clock::now();
            double value = objective.evaluate(params, context);
            double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            total += seconds;
            std::printf("trial %d: %.1f s valid_acc=%.2f %s\n", t, seconds, value,
                        context.attributes.dump().c_str());
        }
        std::printf("mean %.1f s per trial (first trial includes loading the data)\n",
                    total / trials);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "bench-nas-trial: %s\n", error.what());
        return 1;
    }
    return 0;
}

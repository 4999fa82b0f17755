#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "objectives/objective.h"

namespace bonsai {

// Adds the objective kind "fashion-mnist" (the NAS-Bench-201 network trained
// on Fashion-MNIST with LibTorch). Applications call this at start-up.
void registerNasObjectives(ObjectiveRegistry& registry);

// Settings of `{"kind": "fashion-mnist", ...}`. The defaults reach 81-86%
// validation accuracy in 8-30 s per trial (mean 16 s over 20 random cells, one
// thread on a busy 2-core machine; bench-nas-trial), so a 20-trial study
// takes about 5 minutes.
struct FashionMnistSettings {
    std::string dataDir = "/usr/share/datasets/fashion-mnist";
    std::int64_t trainSize = 6000;
    std::int64_t validSize = 2000;
    std::int64_t testSize = 2000;
    // Hyperparameters; a trial parameter of the same name overrides each.
    std::int64_t epochs = 3;
    // Small batches and a brisk rate: a short budget needs many steps.
    std::int64_t batchSize = 64;
    double lr = 0.1;
    double momentum = 0.9;
    double weightDecay = 5e-4;
    bool nesterov = true;
    std::int64_t channels = 8;
    std::int64_t cellsPerStage = 1;
    // Used when the space has no cell parameter.
    std::string cell =
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|"
        "skip_connect~2|";
    std::int64_t threads = 0;  // 0: the machine's cores, at most 2
    std::uint64_t seed = 0;    // combined with the trial number

    // Reads and checks every key (the reader's "kind" is allowed), rejecting
    // unknown ones. Throws SpecError naming the field.
    static FashionMnistSettings fromJson(JsonReader& settings);
};

// Trains one network per trial and returns the last validation accuracy
// (percent, to maximize). Torch's thread count and RNG are process-wide, so
// trials must run one at a time: threadSafe() is false.
class FashionMnistObjective : public Objective {
  public:
    // `cellParam` names the trial parameter holding the cell string; empty
    // when the space has none (the settings' cell is used).
    FashionMnistObjective(FashionMnistSettings settings, std::string cellParam);

    double evaluate(const ParamMap& params, TrialContext& context) override;
    bool threadSafe() const override { return false; }

    const FashionMnistSettings& settings() const { return m_settings; }
    const std::string& cellParam() const { return m_cellParam; }

  private:
    FashionMnistSettings m_settings;
    std::string m_cellParam;
};

// The registry's factory: the cell parameter is the space's first nb201-cell
// parameter, else a parameter named "cell".
std::unique_ptr<Objective> makeFashionMnistObjective(JsonReader& settings,
                                                     const SearchSpace& space);

}  // namespace bonsai

#pragma once

// Torch-free interface to the NAS-Bench-201 network and its trainer; the Torch
// code lives in nb201_trainer.cpp only, so nothing that includes this header
// pays for (or depends on) Torch headers.

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "nas/fashion_mnist_data.h"
#include "objectives/objective.h"

namespace bonsai {

// Operation indices, in NAS-Bench-201's order (see Nb201Cell::operationNames()).
enum Nb201Op : int { kOpNone = 0, kOpSkip = 1, kOpConv1x1 = 2, kOpConv3x3 = 3, kOpAvgPool = 4 };

// Parses "|op~0|+|op~0|op~1|+|op~0|op~1|op~2|" into operation indices in the
// benchmark's edge order. Throws std::invalid_argument saying what is wrong.
// The seam for Nb201Cell::parse(text).ops: both return the same array.
std::array<int, 6> cellOpsFromString(std::string_view text);

// The macro network of NAS-Bench-201 for one cell, on 1x28x28 inputs.
struct Nb201Config {
    std::array<int, 6> ops{};
    int channels = 8;       // C: widths are C, 2C, 4C
    int cellsPerStage = 1;  // N
    int classes = 10;
};

// Multiply-accumulates of the convolutions and the classifier for one image,
// counted as NAS-Bench-201's get_model_infos does (conv and linear layers,
// bias terms included; pooling, BN and additions excluded). Every conv edge
// counts, also one whose input is a constant (it still runs).
std::int64_t nb201Macs(const Nb201Config& config);

struct NetworkProbe {
    std::vector<std::int64_t> outputShape;
    std::int64_t parameterCount = 0;
    bool finite = false;  // every output value is finite
};

// Builds the network (seeded), runs one training-mode forward pass on a
// normal random batch of `batchSize` images and reports what came out.
NetworkProbe probeNb201Network(const Nb201Config& config, int batchSize, std::uint64_t seed);

struct TrainConfig {
    Nb201Config network;
    int epochs = 3;
    int batchSize = 64;
    double lr = 0.1;
    double momentum = 0.9;
    double weightDecay = 5e-4;
    bool nesterov = true;
    int threads = 0;         // 0: the machine's cores, at most 2
    std::uint64_t seed = 0;  // weights and batch order
    bool measureLatency = true;
};

struct TrainResult {
    double validAccuracy = 0.0;  // percent, after the last epoch
    double testAccuracy = -1.0;  // percent; negative when testSize == 0
    std::int64_t parameterCount = 0;
    std::int64_t macs = 0;
    double latencyMs = 0.0;     // median CPU latency of one image, eval mode
    double trainSeconds = 0.0;  // optimisation steps only, no evaluation
    std::int64_t imagesTrained = 0;
    int threads = 0;
};

// Trains with SGD (momentum, optional Nesterov, weight decay) and a cosine
// learning rate over all steps on cross-entropy. After each epoch reports the
// validation accuracy as step `epoch` (1-based) and throws TrialPruned if the
// context says so; throws TrialInterrupted when a stop is requested between
// batches, and std::runtime_error("training diverged: ...") on a NaN/inf loss.
//
// Sets Torch's process-wide intra-op thread count and seeds its global
// generator: not safe to run concurrently with other Torch work.
TrainResult trainNb201(const TrainConfig& config, const FashionMnistSplit& split,
                       TrialContext& context);

}  // namespace bonsai

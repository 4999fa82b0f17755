// The only translation unit that includes Torch: the NAS-Bench-201 network,
// its trainer and the probe used by tests. Narrow includes instead of
// <torch/torch.h> save about a quarter of this file's compile time.
#include "nas/nb201_trainer.h"

#include <torch/nn/functional/loss.h>
#include <torch/nn/functional/pooling.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/optim/sgd.h>
#include <torch/utils.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <numbers>
#include <stdexcept>
#include <string>
#include <thread>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "util/random.h"

namespace bonsai {

namespace {

// Edge e connects node kEdgeSource[e] to node kEdgeTarget[e] (benchmark order).
constexpr std::array<int, 6> kEdgeSource = {0, 0, 1, 0, 1, 2};
constexpr std::array<int, 6> kEdgeTarget = {1, 2, 2, 3, 3, 3};

bool isConv(int op) {
    return op == kOpConv1x1 || op == kOpConv3x3;
}

// NAS-Bench-201's ReLUConvBN: ReLU is applied by the caller, which shares one
// ReLU per source node among all conv edges leaving it (same result, less work).
struct ConvBnImpl : torch::nn::Module {
    ConvBnImpl(int in, int out, int kernel, int stride)
        : conv(torch::nn::Conv2dOptions(in, out, kernel)
                   .stride(stride)
                   .padding(kernel / 2)
                   .bias(false)),
          bn(out) {
        register_module("conv", conv);
        register_module("bn", bn);
    }
    torch::Tensor forward(const torch::Tensor& reluInput) { return bn(conv(reluInput)); }

    torch::nn::Conv2d conv;
    torch::nn::BatchNorm2d bn;
};
TORCH_MODULE(ConvBn);

// Node i = sum over j < i of op_{i<-j}(node j); output = node 3. A node that
// no edge reaches is zero and is kept as an undefined tensor: `none` edges,
// and skip/pool edges from a zero node, are never computed. A conv edge from
// a zero node still runs, as in the benchmark: its BN turns zeros into the
// learnable shift beta.
struct CellImpl : torch::nn::Module {
    CellImpl(const std::array<int, 6>& ops, int channels) : ops(ops) {
        for (int e = 0; e < 6; ++e) {
            if (!isConv(ops[e]))
                continue;
            convs[e] = ConvBn(channels, channels, ops[e] == kOpConv3x3 ? 3 : 1, 1);
            register_module("edge" + std::to_string(e), convs[e]);
        }
    }

    torch::Tensor forward(const torch::Tensor& x) {
        std::array<torch::Tensor, 4> nodes;
        std::array<torch::Tensor, 4> relus;
        nodes[0] = x;
        for (int e = 0; e < 6; ++e) {
            int op = ops[e];
            if (op == kOpNone)
                continue;
            int source = kEdgeSource[e];
            torch::Tensor y;
            if (isConv(op)) {
                if (!relus[source].defined())
                    relus[source] =
                        nodes[source].defined() ? torch::relu(nodes[source]) : torch::zeros_like(x);
                y = convs[e]->forward(relus[source]);
            } else if (!nodes[source].defined()) {
                continue;
            } else if (op == kOpSkip) {
                y = nodes[source];
            } else {
                y = torch::nn::functional::avg_pool2d(nodes[source],
                                                      torch::nn::functional::AvgPool2dFuncOptions(3)
                                                          .stride(1)
                                                          .padding(1)
                                                          .count_include_pad(false));
            }
            torch::Tensor& target = nodes[kEdgeTarget[e]];
            target = target.defined() ? target + y : y;
        }
        return nodes[3].defined() ? nodes[3] : torch::zeros_like(x);
    }

    std::array<int, 6> ops;
    std::array<ConvBn, 6> convs{nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};
};
TORCH_MODULE(Cell);

// NAS-Bench-201's ResNetBasicblock with stride 2 between stages.
struct ReductionImpl : torch::nn::Module {
    ReductionImpl(int in, int out)
        : convA(in, out, 3, 2),
          convB(out, out, 3, 1),
          shortcut(torch::nn::Conv2dOptions(in, out, 1).bias(false)) {
        register_module("conv_a", convA);
        register_module("conv_b", convB);
        register_module("downsample", shortcut);
    }
    torch::Tensor forward(const torch::Tensor& x) {
        torch::Tensor residual = convB(torch::relu(convA(torch::relu(x))));
        return shortcut(torch::nn::functional::avg_pool2d(
                   x, torch::nn::functional::AvgPool2dFuncOptions(2).stride(2))) +
               residual;
    }

    ConvBn convA;
    ConvBn convB;
    torch::nn::Conv2d shortcut;
};
TORCH_MODULE(Reduction);

struct NetworkImpl : torch::nn::Module {
    explicit NetworkImpl(const Nb201Config& config)
        : stemConv(torch::nn::Conv2dOptions(1, config.channels, 3).padding(1).bias(false)),
          stemBn(config.channels),
          lastBn(4 * config.channels),
          classifier(4 * config.channels, config.classes) {
        register_module("stem_conv", stemConv);
        register_module("stem_bn", stemBn);
        int width = config.channels;
        for (int stage = 0; stage < 3; ++stage) {
            if (stage > 0) {
                reductions.push_back(register_module("reduction" + std::to_string(stage),
                                                     Reduction(width, 2 * width)));
                width *= 2;
            }
            for (int i = 0; i < config.cellsPerStage; ++i)
                cells[stage].push_back(
                    register_module("cell" + std::to_string(stage) + "_" + std::to_string(i),
                                    Cell(config.ops, width)));
        }
        register_module("last_bn", lastBn);
        register_module("classifier", classifier);
    }

    torch::Tensor forward(const torch::Tensor& images) {
        torch::Tensor x = stemBn(stemConv(images));
        for (int stage = 0; stage < 3; ++stage) {
            if (stage > 0)
                x = reductions[stage - 1]->forward(x);
            for (auto& cell : cells[stage])
                x = cell->forward(x);
        }
        x = torch::relu(lastBn(x));
        return classifier(x.mean({2, 3}));
    }

    std::int64_t parameterCount() {
        std::int64_t count = 0;
        for (const auto& p : parameters())
            count += p.numel();
        return count;
    }

    torch::nn::Conv2d stemConv;
    torch::nn::BatchNorm2d stemBn;
    std::array<std::vector<Cell>, 3> cells;
    std::vector<Reduction> reductions;
    torch::nn::BatchNorm2d lastBn;
    torch::nn::Linear classifier;
};
TORCH_MODULE(Network);

// Torch allocates every activation and gradient afresh (its CPU allocator does
// not cache), and these are 0.1-10 MB: with glibc's defaults they are mmapped
// or trimmed from the heap and faulted back in at every step, which cost 15%
// of the training time (3x the page faults of the same loop in PyTorch). Keep
// freed memory in the heap while training; trainNb201 trims it afterwards.
void tuneAllocatorForTraining() {
#ifdef __GLIBC__
    static std::once_flag once;
    std::call_once(once, [] {
        mallopt(M_MMAP_THRESHOLD, 64 << 20);
        mallopt(M_TRIM_THRESHOLD, 512 << 20);
    });
#endif
}

void releaseFreedMemory() {
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

int resolveThreads(int requested) {
    if (requested > 0)
        return requested;
    unsigned cores = std::thread::hardware_concurrency();
    return static_cast<int>(std::clamp(cores, 1u, 2u));
}

// The byte images selected by `index` as normalised float [n, 1, 28, 28].
torch::Tensor imagesTensor(const std::vector<std::uint8_t>& bytes, const torch::Tensor& index) {
    std::int64_t count = static_cast<std::int64_t>(bytes.size()) / FashionMnist::kPixels;
    // from_blob wants a mutable pointer; the view is only read (index_select copies).
    auto all =
        torch::from_blob(const_cast<std::uint8_t*>(bytes.data()),
                         {count, 1, FashionMnist::kSide, FashionMnist::kSide}, torch::kUInt8);
    return all.index_select(0, index)
        .to(torch::kFloat32)
        .div_(255.0)
        .sub_(FashionMnist::kMean)
        .div_(FashionMnist::kStd);
}

torch::Tensor labelsTensor(const std::vector<std::uint8_t>& bytes, const torch::Tensor& index) {
    auto all = torch::from_blob(const_cast<std::uint8_t*>(bytes.data()),
                                {static_cast<std::int64_t>(bytes.size())}, torch::kUInt8);
    return all.index_select(0, index).to(torch::kInt64);
}

torch::Tensor indexTensor(const std::vector<std::int64_t>& index) {
    return torch::tensor(torch::ArrayRef<std::int64_t>(index), torch::kInt64);
}

double accuracy(Network& net, const torch::Tensor& images, const torch::Tensor& labels,
                TrialContext& context) {
    c10::InferenceMode inference;
    net->eval();
    constexpr std::int64_t kChunk = 1000;
    std::int64_t correct = 0;
    std::int64_t count = images.size(0);
    for (std::int64_t first = 0; first < count; first += kChunk) {
        if (context.stopRequested())
            throw TrialInterrupted();
        std::int64_t n = std::min(kChunk, count - first);
        auto predicted = net->forward(images.narrow(0, first, n)).argmax(1);
        correct += predicted.eq(labels.narrow(0, first, n)).sum().item<std::int64_t>();
    }
    net->train();
    return count ? 100.0 * static_cast<double>(correct) / static_cast<double>(count) : 0.0;
}

double medianLatencyMs(Network& net, const torch::Tensor& image) {
    c10::InferenceMode inference;
    net->eval();
    for (int i = 0; i < 5; ++i)
        net->forward(image);
    std::vector<double> times;
    for (int i = 0; i < 21; ++i) {
        auto start = std::chrono::steady_clock::now();
        net->forward(image);
        times.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
    }
    std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
    net->train();
    return times[times.size() / 2];
}

// Torch reports errors as c10::Error with a multi-line backtrace; a trial's
// failure reason should be one sentence.
[[noreturn]] void rethrowTorchError(const c10::Error& error) {
    throw std::runtime_error(std::string("torch: ") + error.what_without_backtrace());
}

}  // namespace

NetworkProbe probeNb201Network(const Nb201Config& config, int batchSize, std::uint64_t seed) {
    try {
        torch::manual_seed(seed);
        Network net(config);
        auto output =
            net->forward(torch::randn({batchSize, 1, FashionMnist::kSide, FashionMnist::kSide}));
        NetworkProbe probe;
        probe.outputShape = output.sizes().vec();
        probe.parameterCount = net->parameterCount();
        probe.finite = output.isfinite().all().item<bool>();
        return probe;
    } catch (const c10::Error& error) {
        rethrowTorchError(error);
    }
}

TrainResult trainNb201(const TrainConfig& config, const FashionMnistSplit& split,
                       TrialContext& context) {
    if (config.epochs < 1 || config.batchSize < 1)
        throw std::invalid_argument("epochs and batch_size must be at least 1");
    try {
        // Declared first, so it runs after every tensor of this scope is freed.
        struct TrimOnExit {
            ~TrimOnExit() { releaseFreedMemory(); }
        } trimOnExit;
        TrainResult result;
        result.threads = resolveThreads(config.threads);
        // OpenMP's thread count belongs to the calling thread, so set it here,
        // on the thread that trains, every time.
        torch::set_num_threads(result.threads);
        torch::manual_seed(config.seed);
        tuneAllocatorForTraining();
        Rng rng(mixSeed(config.seed, 1));

        const FashionMnist& data = *split.data;
        auto trainIndex = indexTensor(split.trainIndex);
        auto validIndex = indexTensor(split.validIndex);
        auto testIndex = torch::arange(split.testSize, torch::kInt64);
        auto trainImages = imagesTensor(data.trainImages, trainIndex);
        auto trainLabels = labelsTensor(data.trainLabels, trainIndex);
        auto validImages = imagesTensor(data.trainImages, validIndex);
        auto validLabels = labelsTensor(data.trainLabels, validIndex);

        Network net(config.network);
        net->train();
        result.parameterCount = net->parameterCount();
        result.macs = nb201Macs(config.network);

        // Libtorch's SGD rejects Nesterov without momentum; it is a no-op then.
        bool nesterov = config.nesterov && config.momentum > 0.0;
        std::vector<torch::Tensor> parameters = net->parameters();
        torch::optim::SGD optimizer(parameters, torch::optim::SGDOptions(config.lr)
                                                    .momentum(config.momentum)
                                                    .weight_decay(config.weightDecay)
                                                    .nesterov(nesterov));

        std::int64_t count = trainImages.size(0);
        std::int64_t batches = (count + config.batchSize - 1) / config.batchSize;
        std::int64_t totalSteps = batches * config.epochs;
        std::int64_t step = 0;
        std::vector<std::int64_t> order(static_cast<std::size_t>(count));
        double trainSeconds = 0.0;

        for (int epoch = 1; epoch <= config.epochs; ++epoch) {
            auto start = std::chrono::steady_clock::now();
            // One gather per epoch; batches are then contiguous views.
            for (std::size_t i = 0; i < order.size(); ++i)
                order[i] = static_cast<std::int64_t>(i);
            for (std::size_t i = order.size(); i > 1; --i)
                std::swap(order[i - 1], order[static_cast<std::size_t>(rng() % i)]);
            auto permutation = indexTensor(order);
            auto epochImages = trainImages.index_select(0, permutation);
            auto epochLabels = trainLabels.index_select(0, permutation);

            for (std::int64_t batch = 0; batch < batches; ++batch, ++step) {
                if (context.stopRequested())
                    throw TrialInterrupted();
                double lr = 0.5 * config.lr *
                            (1.0 + std::cos(std::numbers::pi * static_cast<double>(step) /
                                            static_cast<double>(totalSteps)));
                for (auto& group : optimizer.param_groups())
                    static_cast<torch::optim::SGDOptions&>(group.options()).lr(lr);

                std::int64_t first = batch * config.batchSize;
                std::int64_t n = std::min<std::int64_t>(config.batchSize, count - first);
                auto logits = net->forward(epochImages.narrow(0, first, n));
                auto loss =
                    torch::nn::functional::cross_entropy(logits, epochLabels.narrow(0, first, n));
                double value = loss.item<double>();
                if (!std::isfinite(value))
                    throw std::runtime_error(std::string("training diverged: loss is ") +
                                             (std::isnan(value) ? "NaN" : "inf") + " at epoch " +
                                             std::to_string(epoch) + " batch " +
                                             std::to_string(batch + 1));
                // Drop the gradients instead of zeroing them (PyTorch's
                // set_to_none): backward then hands over its buffers, no memset.
                for (auto& parameter : parameters)
                    parameter.mutable_grad().reset();
                loss.backward();
                optimizer.step();
            }
            trainSeconds +=
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            result.imagesTrained += count;

            result.validAccuracy = accuracy(net, validImages, validLabels, context);
            context.report(epoch, result.validAccuracy);
            if (context.shouldPrune())
                throw TrialPruned();
        }
        result.trainSeconds = trainSeconds;

        if (split.testSize > 0) {
            auto testImages = imagesTensor(data.testImages, testIndex);
            auto testLabels = labelsTensor(data.testLabels, testIndex);
            result.testAccuracy = accuracy(net, testImages, testLabels, context);
        }
        if (config.measureLatency)
            result.latencyMs = medianLatencyMs(net, validImages.narrow(0, 0, 1));
        return result;
    } catch (const c10::Error& error) {
        rethrowTorchError(error);
    }
}

}  // namespace bonsai

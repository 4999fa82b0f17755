// Training throughput of the NAS-Bench-201 network in LibTorch, in images per
// second of optimisation steps (data loading and evaluation excluded). Its
// PyTorch twin is bench/nas/nb201_pytorch.py; run both with the same flags:
//
//   build/dev/bench/bench-nas-throughput --images 6000 --channels 16 --cells 5 --threads 2
//   /usr/bin/python3 bench/nas/nb201_pytorch.py --images 6000 --channels 16 --cells 5 --threads 2
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <exception>
#include <string>

#include "nas/fashion_mnist_data.h"
#include "nas/nb201_trainer.h"

namespace {

class SilentContext : public bonsai::TrialContext {
  public:
    int trialNumber() const override { return 0; }
    void report(std::int64_t, double) override {}
    bool shouldPrune() override { return false; }
    bool stopRequested() const override { return false; }
    void setAttribute(const std::string&, const bonsai::Json&) override {}
};

void usage() {
    std::fprintf(stderr,
                 "usage: bench-nas-throughput [--data-dir D] [--images N] [--batch-size B]\n"
                 "       [--channels C] [--cells N] [--threads T] [--epochs E] [--cell STRING]\n"
                 "       [--valid-size V] [--lr LR]\n");
}

}  // namespace

int main(int argc, char** argv) {
    std::string dataDir = bonsai::kDefaultFashionMnistDir;
    std::string cell =
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|"
        "skip_connect~2|";
    long images = 6000;
    long validSize = 100;
    bonsai::TrainConfig config;
    config.network.channels = 16;
    config.network.cellsPerStage = 5;
    config.epochs = 1;
    config.threads = 2;
    config.measureLatency = false;
    for (int i = 1; i < argc; ++i) {
        std::string flag = argv[i];
        if (i + 1 >= argc) {
            usage();
            return 2;
        }
        const char* value = argv[++i];
        if (flag == "--data-dir")
            dataDir = value;
        else if (flag == "--images")
            images = std::atol(value);
        else if (flag == "--batch-size")
            config.batchSize = std::atoi(value);
        else if (flag == "--channels")
            config.network.channels = std::atoi(value);
        else if (flag == "--cells")
            config.network.cellsPerStage = std::atoi(value);
        else if (flag == "--threads")
            config.threads = std::atoi(value);
        else if (flag == "--epochs")
            config.epochs = std::atoi(value);
        else if (flag == "--valid-size")
            validSize = std::atol(value);
        else if (flag == "--lr")
            config.lr = std::atof(value);
        else if (flag == "--cell")
            cell = value;
        else {
            usage();
            return 2;
        }
    }

    try {
        config.network.ops = bonsai::cellOpsFromString(cell);
        // Evaluation is not timed; the default validation set is tiny so it is quick.
        auto split =
            bonsai::splitFashionMnist(bonsai::loadFashionMnist(dataDir), images, validSize, 0, 0);
        SilentContext context;
        // CPU time as well as wall time: on a shared machine the wall clock
        // measures the neighbours; with one thread CPU time measures the work.
        // It also covers the (small) untimed evaluation, so it errs against us.
        std::clock_t cpuStart = std::clock();
        bonsai::TrainResult result = bonsai::trainNb201(config, split, context);
        double cpuSeconds = double(std::clock() - cpuStart) / CLOCKS_PER_SEC;
        std::printf(
            "libtorch: C=%d N=%d batch=%d threads=%d images=%lld seconds=%.2f images/s=%.1f "
            "cpu_images/s=%.1f valid_acc=%.1f\n",
            config.network.channels, config.network.cellsPerStage, config.batchSize, result.threads,
            static_cast<long long>(result.imagesTrained), result.trainSeconds,
            static_cast<double>(result.imagesTrained) / result.trainSeconds,
            static_cast<double>(result.imagesTrained) / cpuSeconds, result.validAccuracy);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "bench-nas-throughput: %s\n", error.what());
        return 1;
    }
    return 0;
}

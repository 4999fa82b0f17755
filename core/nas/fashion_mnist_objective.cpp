#include "nas/fashion_mnist_objective.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "nas/fashion_mnist_data.h"
#include "nas/nb201_trainer.h"
#include "objectives/fashion_mnist_space.h"
#include "util/json_reader.h"
#include "util/random.h"
#include "util/spec_error.h"

namespace bonsai {

namespace {

std::int64_t positiveInteger(JsonReader& reader, const char* key, std::int64_t fallback,
                             std::int64_t minimum = 1) {
    std::int64_t value = reader.integerOr(key, fallback);
    if (value < minimum)
        reader.fail(key, "must be at least " + std::to_string(minimum) + " (got " +
                             std::to_string(value) + ")");
    return value;
}

// Hyperparameters arrive as int or float trial values (a categorical choice
// keeps its JSON type), so accept either where the meaning is numeric.
double numberParam(const ParamMap& params, const char* name, double fallback) {
    auto it = params.find(name);
    if (it == params.end())
        return fallback;
    if (const auto* d = std::get_if<double>(&it->second))
        return *d;
    if (const auto* i = std::get_if<std::int64_t>(&it->second))
        return static_cast<double>(*i);
    throw std::invalid_argument(std::string("parameter '") + name + "' must be a number");
}

std::int64_t integerParam(const ParamMap& params, const char* name, std::int64_t fallback) {
    auto it = params.find(name);
    if (it == params.end())
        return fallback;
    if (const auto* i = std::get_if<std::int64_t>(&it->second))
        return *i;
    if (const auto* d = std::get_if<double>(&it->second)) {
        if (std::isfinite(*d) && *d == std::round(*d) && std::fabs(*d) < 1e15)
            return static_cast<std::int64_t>(*d);
    }
    throw std::invalid_argument(std::string("parameter '") + name + "' must be a whole number");
}

bool boolParam(const ParamMap& params, const char* name, bool fallback) {
    auto it = params.find(name);
    if (it == params.end())
        return fallback;
    if (const auto* b = std::get_if<bool>(&it->second))
        return *b;
    throw std::invalid_argument(std::string("parameter '") + name + "' must be true or false");
}

void requireRange(bool ok, const char* name, const std::string& rule, double value) {
    if (!ok)
        throw std::invalid_argument(std::string(name) + " " + rule + " (got " +
                                    std::to_string(value) + ")");
}

}  // namespace

FashionMnistSettings FashionMnistSettings::fromJson(JsonReader& reader) {
    FashionMnistSettings s;
    reader.know({"kind"});
    s.dataDir = reader.stringOr("data_dir", s.dataDir);
    if (s.dataDir.empty())
        reader.fail("data_dir", "must not be empty");
    s.trainSize = positiveInteger(reader, "train_size", s.trainSize);
    s.validSize = positiveInteger(reader, "valid_size", s.validSize);
    s.testSize = positiveInteger(reader, "test_size", s.testSize, 0);
    // Fashion-MNIST's sizes; a custom data_dir with fewer images is caught when loaded.
    if (s.trainSize + s.validSize > 60000)
        reader.fail("valid_size", "train_size + valid_size must be at most 60000 (got " +
                                      std::to_string(s.trainSize + s.validSize) + ")");
    if (s.testSize > 10000)
        reader.fail("test_size", "must be at most 10000");
    s.epochs = positiveInteger(reader, "epochs", s.epochs);
    s.batchSize = positiveInteger(reader, "batch_size", s.batchSize);
    s.lr = reader.numberOr("lr", s.lr);
    if (s.lr <= 0)
        reader.fail("lr", "must be > 0");
    s.momentum = reader.numberOr("momentum", s.momentum);
    if (s.momentum < 0 || s.momentum >= 1)
        reader.fail("momentum", "must be in [0, 1)");
    s.weightDecay = reader.numberOr("weight_decay", s.weightDecay);
    if (s.weightDecay < 0)
        reader.fail("weight_decay", "must be >= 0");
    s.nesterov = reader.boolOr("nesterov", s.nesterov);
    s.channels = positiveInteger(reader, "channels", s.channels);
    s.cellsPerStage = positiveInteger(reader, "cells_per_stage", s.cellsPerStage);
    s.cell = reader.stringOr("cell", s.cell);
    try {
        cellOpsFromString(s.cell);
    } catch (const std::invalid_argument& error) {
        reader.fail("cell", error.what());
    }
    s.threads = positiveInteger(reader, "threads", s.threads, 0);
    s.seed = static_cast<std::uint64_t>(positiveInteger(reader, "seed", 0, 0));
    reader.finish();
    return s;
}

FashionMnistObjective::FashionMnistObjective(FashionMnistSettings settings, std::string cellParam)
    : m_settings(std::move(settings)), m_cellParam(std::move(cellParam)) {}

double FashionMnistObjective::evaluate(const ParamMap& params, TrialContext& context) {
    const FashionMnistSettings& s = m_settings;
    TrainConfig config;
    config.epochs = static_cast<int>(integerParam(params, "epochs", s.epochs));
    config.batchSize = static_cast<int>(integerParam(params, "batch_size", s.batchSize));
    config.lr = numberParam(params, "lr", s.lr);
    config.momentum = numberParam(params, "momentum", s.momentum);
    config.weightDecay = numberParam(params, "weight_decay", s.weightDecay);
    config.nesterov = boolParam(params, "nesterov", s.nesterov);
    config.network.channels = static_cast<int>(integerParam(params, "channels", s.channels));
    config.network.cellsPerStage =
        static_cast<int>(integerParam(params, "cells_per_stage", s.cellsPerStage));
    requireRange(config.epochs >= 1, "epochs", "must be at least 1", config.epochs);
    requireRange(config.batchSize >= 1, "batch_size", "must be at least 1", config.batchSize);
    requireRange(config.lr > 0 && std::isfinite(config.lr), "lr", "must be > 0", config.lr);
    requireRange(config.momentum >= 0 && config.momentum < 1, "momentum", "must be in [0, 1)",
                 config.momentum);
    requireRange(config.weightDecay >= 0, "weight_decay", "must be >= 0", config.weightDecay);
    requireRange(config.network.channels >= 1 && config.network.channels <= 1024, "channels",
                 "must be in 1..1024", config.network.channels);
    requireRange(config.network.cellsPerStage >= 1 && config.network.cellsPerStage <= 64,
                 "cells_per_stage", "must be in 1..64", config.network.cellsPerStage);

    std::string cell = s.cell;
    if (!m_cellParam.empty()) {
        auto it = params.find(m_cellParam);
        if (it != params.end()) {
            const auto* text = std::get_if<std::string>(&it->second);
            if (!text)
                throw std::invalid_argument("parameter '" + m_cellParam +
                                            "' must be an nb201 cell string");
            cell = *text;
        }
    }
    config.network.ops = cellOpsFromString(cell);
    config.threads = static_cast<int>(s.threads);
    // Each trial gets its own stream, reproducible from (seed, trial number).
    config.seed = mixSeed(s.seed, static_cast<std::uint64_t>(context.trialNumber()));

    // The split depends on the study's seed only: all trials see the same images.
    FashionMnistSplit split = splitFashionMnist(loadFashionMnist(s.dataDir), s.trainSize,
                                                s.validSize, s.testSize, s.seed);
    TrainResult result = trainNb201(config, split, context);

    if (result.testAccuracy >= 0)
        context.setAttribute("test_acc", result.testAccuracy);
    context.setAttribute("params", result.parameterCount);
    context.setAttribute("flops", result.macs);
    context.setAttribute("latency_ms", result.latencyMs);
    context.setAttribute("train_seconds", result.trainSeconds);
    return result.validAccuracy;
}

std::unique_ptr<Objective> makeFashionMnistObjective(JsonReader& settings,
                                                     const SearchSpace& space) {
    const std::string cellParam = fashionMnistCellParam(space);
    return std::make_unique<FashionMnistObjective>(FashionMnistSettings::fromJson(settings),
                                                   cellParam);
}

}  // namespace bonsai

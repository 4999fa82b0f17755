#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace bonsai {

// One array of an IDX file (the MNIST family's format): big-endian header
// "0 0 type rank", `rank` 32-bit dimensions, then the values. Only unsigned
// bytes (type 0x08) are accepted; that is what every Fashion-MNIST file holds.
struct IdxArray {
    std::vector<std::uint32_t> dims;
    std::vector<std::uint8_t> values;  // row-major, product(dims) bytes
};

// Reads a gzip-compressed (or plain) IDX file of the given rank. Throws
// std::runtime_error naming the file and what is wrong: missing, bad magic,
// wrong rank, truncated, trailing bytes.
IdxArray readIdxGz(const std::string& path, int expectedRank);

// The decoded Fashion-MNIST set: 28x28 grey images as bytes, labels 0..9.
struct FashionMnist {
    static constexpr int kSide = 28;
    static constexpr int kPixels = kSide * kSide;
    static constexpr int kClasses = 10;
    // Per-pixel statistics of the training set, used to normalise inputs.
    static constexpr double kMean = 0.2860;
    static constexpr double kStd = 0.3530;

    std::vector<std::uint8_t> trainImages;  // trainCount() * kPixels
    std::vector<std::uint8_t> trainLabels;
    std::vector<std::uint8_t> testImages;
    std::vector<std::uint8_t> testLabels;

    std::int64_t trainCount() const { return static_cast<std::int64_t>(trainLabels.size()); }
    std::int64_t testCount() const { return static_cast<std::int64_t>(testLabels.size()); }
};

inline const char* kDefaultFashionMnistDir = "/usr/share/datasets/fashion-mnist";

// Loads {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz from `dir`. The result
// is cached per directory for the life of the process (studies evaluate many
// trials; decoding costs about a second); concurrent callers wait for one
// load. Failures are not cached, so installing the data fixes a running app.
// A missing file's error names it and the Debian package that provides it.
std::shared_ptr<const FashionMnist> loadFashionMnist(const std::string& dir);

// Which images a trial trains, validates and tests on. Train and validation
// are disjoint draws from the official training set, fixed by `seed` (not by
// the trial) so every trial of a study is scored on the same images; the
// test images are the first `testSize` of the official test set.
struct FashionMnistSplit {
    std::shared_ptr<const FashionMnist> data;
    std::vector<std::int64_t> trainIndex;
    std::vector<std::int64_t> validIndex;
    std::int64_t testSize = 0;
};

// Throws std::invalid_argument if the sizes exceed what the data holds.
FashionMnistSplit splitFashionMnist(std::shared_ptr<const FashionMnist> data,
                                    std::int64_t trainSize, std::int64_t validSize,
                                    std::int64_t testSize, std::uint64_t seed);

}  // namespace bonsai

#include "nas/fashion_mnist_data.h"

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>

#include "util/random.h"

namespace bonsai {

namespace {

const char* kInstallHint =
    "install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist) "
    "or set objective.data_dir";

struct GzFile {
    gzFile handle = nullptr;
    ~GzFile() {
        if (handle)
            gzclose(handle);
    }
};

// Reads up to `size` bytes; returns how many arrived (short only at end of file).
std::size_t readFully(gzFile file, void* buffer, std::size_t size, const std::string& path) {
    auto* out = static_cast<unsigned char*>(buffer);
    std::size_t done = 0;
    while (done < size) {
        // gzread takes an unsigned count; read in chunks well below its limit.
        unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(size - done, 1u << 30));
        int got = gzread(file, out + done, chunk);
        if (got < 0) {
            int code = 0;
            const char* message = gzerror(file, &code);
            throw std::runtime_error(path + ": cannot decompress (" +
                                     std::string(message ? message : "zlib error") +
                                     "); the file is damaged, reinstall it");
        }
        if (got == 0)
            break;
        done += static_cast<std::size_t>(got);
    }
    return done;
}

std::uint32_t bigEndian(const unsigned char* bytes) {
    return (std::uint32_t(bytes[0]) << 24) | (std::uint32_t(bytes[1]) << 16) |
           (std::uint32_t(bytes[2]) << 8) | std::uint32_t(bytes[3]);
}

std::string missingMessage(const std::string& path) {
    return "Fashion-MNIST file " + path + " not found; " + kInstallHint;
}

}  // namespace

IdxArray readIdxGz(const std::string& path, int expectedRank) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        throw std::runtime_error(missingMessage(path));

    GzFile file;
    file.handle = gzopen(path.c_str(), "rb");
    if (!file.handle)
        throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));

    unsigned char magic[4];
    if (readFully(file.handle, magic, 4, path) != 4)
        throw std::runtime_error(path + ": truncated IDX file (no header)");
    if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08 || magic[3] != expectedRank) {
        char hex[16];
        std::snprintf(hex, sizeof hex, "%02x%02x%02x%02x", magic[0], magic[1], magic[2], magic[3]);
        char expected[16];
        std::snprintf(expected, sizeof expected, "000008%02x", expectedRank);
        throw std::runtime_error(path + ": bad IDX magic number 0x" + hex + " (expected 0x" +
                                 expected + ": unsigned bytes, rank " +
                                 std::to_string(expectedRank) + ")");
    }

    IdxArray array;
    std::uint64_t count = 1;
    for (int d = 0; d < expectedRank; ++d) {
        unsigned char bytes[4];
        if (readFully(file.handle, bytes, 4, path) != 4)
            throw std::runtime_error(path + ": truncated IDX file (header ends early)");
        std::uint32_t dim = bigEndian(bytes);
        array.dims.push_back(dim);
        count *= dim;
        // Fashion-MNIST needs 47 MB; refuse absurd headers before allocating.
        if (count > (std::uint64_t(1) << 32))
            throw std::runtime_error(path + ": IDX header declares an implausibly large array");
    }

    array.values.resize(static_cast<std::size_t>(count));
    std::size_t got = readFully(file.handle, array.values.data(), array.values.size(), path);
    if (got != array.values.size())
        throw std::runtime_error(path + ": truncated IDX file (expected " + std::to_string(count) +
                                 " values, found " + std::to_string(got) + ")");
    unsigned char extra;
    if (readFully(file.handle, &extra, 1, path) != 0)
        throw std::runtime_error(path + ": unexpected data after the " + std::to_string(count) +
                                 " values the IDX header declares");
    return array;
}

namespace {

void loadPair(const std::string& dir, const std::string& prefix, std::vector<std::uint8_t>& images,
              std::vector<std::uint8_t>& labels) {
    std::string imagePath =
        (std::filesystem::path(dir) / (prefix + "-images-idx3-ubyte.gz")).string();
    std::string labelPath =
        (std::filesystem::path(dir) / (prefix + "-labels-idx1-ubyte.gz")).string();
    IdxArray imageArray = readIdxGz(imagePath, 3);
    IdxArray labelArray = readIdxGz(labelPath, 1);
    if (imageArray.dims[1] != FashionMnist::kSide || imageArray.dims[2] != FashionMnist::kSide)
        throw std::runtime_error(imagePath + ": images are " + std::to_string(imageArray.dims[1]) +
                                 "x" + std::to_string(imageArray.dims[2]) + ", expected 28x28");
    if (imageArray.dims[0] != labelArray.dims[0])
        throw std::runtime_error(imagePath + " holds " + std::to_string(imageArray.dims[0]) +
                                 " images but " + labelPath + " holds " +
                                 std::to_string(labelArray.dims[0]) + " labels");
    for (std::uint8_t label : labelArray.values)
        if (label >= FashionMnist::kClasses)
            throw std::runtime_error(labelPath + ": label " + std::to_string(label) +
                                     " is outside 0..9");
    images = std::move(imageArray.values);
    labels = std::move(labelArray.values);
}

}  // namespace

std::shared_ptr<const FashionMnist> loadFashionMnist(const std::string& dir) {
    // One mutex for the whole cache: loads are rare and the second caller for
    // the same directory must wait for the first anyway.
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const FashionMnist>> cache;

    std::string key = std::filesystem::absolute(dir).lexically_normal().string();
    std::lock_guard lock(mutex);
    if (auto it = cache.find(key); it != cache.end())
        return it->second;

    auto data = std::make_shared<FashionMnist>();
    loadPair(dir, "train", data->trainImages, data->trainLabels);
    loadPair(dir, "t10k", data->testImages, data->testLabels);
    cache.emplace(key, data);
    return data;
}

FashionMnistSplit splitFashionMnist(std::shared_ptr<const FashionMnist> data,
                                    std::int64_t trainSize, std::int64_t validSize,
                                    std::int64_t testSize, std::uint64_t seed) {
    if (trainSize < 1 || validSize < 1 || testSize < 0)
        throw std::invalid_argument(
            "train_size and valid_size must be at least 1, test_size at least 0");
    if (trainSize + validSize > data->trainCount())
        throw std::invalid_argument(
            "train_size + valid_size = " + std::to_string(trainSize + validSize) + " exceeds the " +
            std::to_string(data->trainCount()) + " training images");
    if (testSize > data->testCount())
        throw std::invalid_argument("test_size = " + std::to_string(testSize) + " exceeds the " +
                                    std::to_string(data->testCount()) + " test images");

    // Partial Fisher-Yates with our own engine: std::shuffle's algorithm is
    // unspecified, and the split must not change with the standard library.
    std::vector<std::int64_t> order(static_cast<std::size_t>(data->trainCount()));
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = static_cast<std::int64_t>(i);
    Rng rng(mixSeed(seed, 0x5EED5B17));
    std::size_t needed = static_cast<std::size_t>(trainSize + validSize);
    for (std::size_t i = 0; i < needed; ++i) {
        std::size_t j = i + static_cast<std::size_t>(rng() % (order.size() - i));
        std::swap(order[i], order[j]);
    }

    FashionMnistSplit split;
    split.data = std::move(data);
    split.trainIndex.assign(order.begin(), order.begin() + trainSize);
    split.validIndex.assign(order.begin() + trainSize, order.begin() + trainSize + validSize);
    split.testSize = testSize;
    return split;
}

}  // namespace bonsai

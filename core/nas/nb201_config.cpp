// Torch-free parts of the NB201 interface: the cell string parser and the
// analytic MAC count (kept out of nb201_trainer.cpp so they compile in a blink).
#include <algorithm>
#include <stdexcept>
#include <string>

#include "nas/nb201_trainer.h"

namespace bonsai {

namespace {

constexpr std::array<const char*, 5> kOpNames = {"none", "skip_connect", "nor_conv_1x1",
                                                 "nor_conv_3x3", "avg_pool_3x3"};

}  // namespace

std::array<int, 6> cellOpsFromString(std::string_view text) {
    std::array<int, 6> ops{};
    std::string_view rest = text;
    int edge = 0;
    for (int node = 1; node <= 3; ++node) {
        if (node > 1) {
            if (rest.empty() || rest.front() != '+')
                throw std::invalid_argument("nb201 cell '" + std::string(text) +
                                            "': expected '+' before node " + std::to_string(node));
            rest.remove_prefix(1);
        }
        for (int source = 0; source < node; ++source, ++edge) {
            if (rest.empty() || rest.front() != '|')
                throw std::invalid_argument("nb201 cell '" + std::string(text) + "': edge " +
                                            std::to_string(edge) + " (node " +
                                            std::to_string(node) + " <- " + std::to_string(source) +
                                            ") must start with '|'");
            rest.remove_prefix(1);
            auto end = rest.find('|');
            std::string_view token = rest.substr(0, end);
            rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
            std::string suffix(1, '~');
            suffix += std::to_string(source);
            auto tilde = token.rfind('~');
            if (tilde == std::string_view::npos || token.substr(tilde) != suffix)
                throw std::invalid_argument("nb201 cell '" + std::string(text) + "': edge " +
                                            std::to_string(edge) + " (node " +
                                            std::to_string(node) + " <- " + std::to_string(source) +
                                            ") must end in '" + suffix + "'");
            std::string_view name = token.substr(0, tilde);
            auto it = std::find(kOpNames.begin(), kOpNames.end(), name);
            if (it == kOpNames.end())
                throw std::invalid_argument(
                    "nb201 cell '" + std::string(text) + "': edge " + std::to_string(edge) +
                    " (node " + std::to_string(node) + " <- " + std::to_string(source) +
                    "): unknown operation '" + std::string(name) +
                    "' (known: none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3)");
            ops[edge] = static_cast<int>(it - kOpNames.begin());
        }
        if (rest.empty() || rest.front() != '|')
            throw std::invalid_argument("nb201 cell '" + std::string(text) + "': node " +
                                        std::to_string(node) + " must end with '|'");
        rest.remove_prefix(1);
    }
    if (!rest.empty())
        throw std::invalid_argument("nb201 cell '" + std::string(text) +
                                    "': unexpected text after node 3");
    return ops;
}

std::int64_t nb201Macs(const Nb201Config& config) {
    std::int64_t c = config.channels;
    std::int64_t side = FashionMnist::kSide;
    std::int64_t macs = side * side * c * 1 * 9;  // stem
    std::int64_t perCellPerPixel = 0;             // conv MACs per output pixel per width^2
    for (int op : config.ops)
        perCellPerPixel += op == kOpConv3x3 ? 9 : op == kOpConv1x1 ? 1 : 0;
    std::int64_t width = c;
    for (int stage = 0; stage < 3; ++stage) {
        if (stage > 0) {
            std::int64_t out = 2 * width;
            side /= 2;
            std::int64_t pixels = side * side;
            macs += pixels * out * width * 9 + pixels * out * out * 9 + pixels * out * width;
            width = out;
        }
        macs += config.cellsPerStage * side * side * width * width * perCellPerPixel;
    }
    macs += width * config.classes + config.classes;  // classifier incl. bias
    return macs;
}

}  // namespace bonsai

// Torch-free parts of the NB201 interface: the cell string parser and the
// analytic MAC count (kept out of nb201_trainer.cpp so they compile in a blink).
#include <algorithm>
#include <stdexcept>
#include <string>

#include "nas/nb201_trainer.h"
#include "space/nb201_cell.h"

namespace bonsai {

std::array<int, 6> cellOpsFromString(std::string_view text) {
    // Nb201Cell's operation order is the one the trainer's op indices use.
    try {
        return Nb201Cell::parse(text).ops;
    } catch (const std::invalid_argument& error) {
        throw std::invalid_argument("nb201 cell '" + std::string(text) + "': " + error.what());
    }
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

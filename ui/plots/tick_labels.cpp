#include "plots/tick_labels.h"

#include <algorithm>
#include <cmath>

namespace bonsai::ui {

namespace {

// The label format labelRoundTicks last gave an axis.
constexpr const char* kOwnFormat = "bonsaiTickFormat";
constexpr const char* kGeneralFormat = "%.4g";
constexpr int kMaxDecimals = 4;
constexpr double kLargestFixed = 1e6;

// The decimals that print every multiple of `step` exactly (0.25: 2).
std::optional<int> decimalsOf(double step) {
    double scaled = step;
    for (int decimals = 0; decimals <= kMaxDecimals; ++decimals, scaled *= 10)
        if (std::fabs(scaled - std::round(scaled)) <= 1e-9 * scaled)
            return decimals;
    return std::nullopt;
}

// Whether `x` is a multiple of 2^-30 (whole numbers, 0.25, 0.5): sums of
// such values below a million are exact, so their ticks need no raise.
bool sumsExactly(double x) {
    const double scaled = std::ldexp(x, 30);
    return std::fabs(x) < kLargestFixed && scaled == std::round(scaled);
}

}  // namespace

std::optional<TickLabelling> decimalTicks(double min, double max, double step) {
    if (!(step > 0) || !std::isfinite(min) || !std::isfinite(max) ||
        std::max(std::fabs(min), std::fabs(max)) >= kLargestFixed)
        return std::nullopt;
    const auto decimals = decimalsOf(step);
    if (!decimals)
        return std::nullopt;
    const double first = std::ceil(min / step) * step;
    const QString format = QStringLiteral("%.%1f").arg(*decimals);
    if (sumsExactly(step) && sumsExactly(first))
        return TickLabelling{first, format};
    // Each addition rounds by at most half an ulp of the running value, below
    // |first| + step on the way to zero: k additions move zero by less than
    // k * (|first| + step) * 2^-53. Raised by twice that, zero prints as 0.
    const double additions = std::ceil(std::fabs(first) / step) + 1;
    const double raise = 2 * additions * (std::fabs(first) + step) * 0x1p-53;
    return TickLabelling{first + raise, format};
}

void adoptTickLabels(QValueAxis* axis) {
    axis->setLabelFormat(QString::fromLatin1(kGeneralFormat));
    axis->setProperty(kOwnFormat, axis->labelFormat());
}

void labelRoundTicks(QValueAxis* axis) {
    if (axis->tickType() != QValueAxis::TicksDynamic ||
        axis->labelFormat() != axis->property(kOwnFormat).toString())
        return;
    const auto labelling = decimalTicks(axis->min(), axis->max(), axis->tickInterval());
    const QString format = labelling ? labelling->format : QString::fromLatin1(kGeneralFormat);
    const double anchor = labelling ? labelling->anchor : 0.0;
    if (axis->tickAnchor() != anchor)
        axis->setTickAnchor(anchor);
    if (axis->labelFormat() != format) {
        axis->setProperty(kOwnFormat, format);
        axis->setLabelFormat(format);
    }
}

}  // namespace bonsai::ui

#pragma once

#include <optional>

#include <QString>
#include <QValueAxis>

namespace bonsai::ui {

// How a value axis with ticks every `step` labels them. Qt Charts places
// dynamic ticks by adding the interval to the first tick again and again,
// so on a range from -1.4 by 0.2 the tick at zero comes out as -2.776e-16,
// which "%.4g" prints as such and "%.1f" as "-0.0". Fixed notation with
// the step's decimals, and an anchor (the first tick) raised by more than
// the sum's rounding error, print it as "0.0" and every other tick as the
// round number it stands for.
struct TickLabelling {
    double anchor;   // for QValueAxis::setTickAnchor
    QString format;  // for QValueAxis::setLabelFormat, "%.1f"
};

// Nothing where fixed notation would not do: a step finer than 10^-4, or
// values of a million and more (there "%.4g" is the shorter label).
std::optional<TickLabelling> decimalTicks(double min, double max, double step);

// Puts `axis` in this labelling's care: "%.4g" until labelRoundTicks sees
// its ticks. A format the chart sets itself later ("%.3g") takes it back.
void adoptTickLabels(QValueAxis* axis);
// The anchor and format for an adopted dynamic axis's range and interval.
void labelRoundTicks(QValueAxis* axis);

}  // namespace bonsai::ui

#pragma once

#include <chrono>
#include <cstdio>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "study/study.h"

namespace bonsai::cli {

// Shows a running study: on a terminal, one progress line redrawn in place
// (bar, trials done, best so far, elapsed, time left); otherwise one plain
// line per finished trial, for logs and pipes.
class ProgressPrinter final : public StudyEvents {
  public:
    ProgressPrinter(std::FILE* out, const Study& study);
    void trialStarted(const Trial& trial) override;
    void intermediateReported(const Trial& trial, std::int64_t step, double value) override;
    void trialFinished(const Trial& trial) override;
    // Ends the in-place line so later output starts on a fresh one.
    void close();

  private:
    void redraw(const Trial* running);
    double elapsedSeconds() const;

    std::FILE* m_out;
    const Study& m_study;
    const std::vector<std::string> m_paramOrder;
    bool m_terminal;
    bool m_lineOpen = false;
    std::int64_t m_countedAtStart;
    std::chrono::steady_clock::time_point m_started;
};

// Text from a study (its name, errors, parameter values) made safe to print:
// control characters (C0, DEL, C1) become \xNN, so a name holding a terminal
// escape sequence (clear screen, window title) shows as text. Line ends kept.
std::string escapeControls(std::string_view text);
// printf to `out` with every control character but '\n' escaped.
[[gnu::format(printf, 2, 3)]] void printEscaped(std::FILE* out, const char* format, ...);

std::string formatValue(std::optional<double> value);
// "x1=0.5 x2=3": the parameters named in `order` first, in that order (the
// spec's space order, as in exports), then any others by name.
std::string formatParams(const ParamMap& params, std::span<const std::string> order);
// A trial's duration for a table: milliseconds show under ten seconds, whole
// tenths above.
std::string formatSeconds(double seconds);
std::string formatDuration(double seconds);
// "f1=0.2 f2=0.8": a multi-objective trial's values by objective name ("-"
// for a missing one).
std::string formatObjectiveValues(const Trial& trial, const StudySpec& spec);
// "3 trials, hypervolume 10.2 (reference f1=1.1 f2=11)" for a multi-objective
// study's current Pareto set.
std::string formatParetoSummary(std::span<const Trial> trials, const StudySpec& spec);

}  // namespace bonsai::cli

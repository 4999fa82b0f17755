#include "progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdarg>
#include <string>

namespace bonsai::cli {

std::string escapeControls(std::string_view text) {
    static const char* kHex = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    auto escape = [&](unsigned char byte) {
        out += "\\x";
        out += kHex[byte >> 4];
        out += kHex[byte & 15];
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if ((byte < 0x20 && byte != '\n') || byte == 0x7f) {
            escape(byte);
        } else if (byte == 0xc2 && i + 1 < text.size() &&
                   static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
            // U+0080..U+009F in UTF-8: C1 controls (CSI is U+009B).
            escape(byte);
            escape(static_cast<unsigned char>(text[++i]));
        } else {
            out += text[i];
        }
    }
    return out;
}

void printEscaped(std::FILE* out, const char* format, ...) {
    va_list args;
    va_start(args, format);
    va_list copy;
    va_copy(copy, args);
    const int size = std::vsnprintf(nullptr, 0, format, copy);
    va_end(copy);
    std::string text(size > 0 ? static_cast<std::size_t>(size) : 0, '\0');
    if (size > 0)
        std::vsnprintf(text.data(), text.size() + 1, format, args);
    va_end(args);
    std::fputs(escapeControls(text).c_str(), out);
}

std::string formatValue(std::optional<double> value) {
    if (!value)
        return "-";
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", *value);
    return text;
}

std::string formatParams(const ParamMap& params, std::span<const std::string> order) {
    std::string out;
    for (const auto& [name, value] : inDisplayOrder(params, order)) {
        if (!out.empty())
            out += ' ';
        out += name + '=' + toDisplayString(*value);
    }
    return out;
}

std::string formatSeconds(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, seconds < 10 ? "%.3f" : "%.1f", seconds);
    return text;
}

std::string formatDuration(double seconds) {
    char text[32];
    if (seconds < 60)
        std::snprintf(text, sizeof text, "%.1fs", seconds);
    else if (seconds < 3600)
        std::snprintf(text, sizeof text, "%dm%02ds", static_cast<int>(seconds) / 60,
                      static_cast<int>(seconds) % 60);
    else
        std::snprintf(text, sizeof text, "%dh%02dm", static_cast<int>(seconds) / 3600,
                      (static_cast<int>(seconds) % 3600) / 60);
    return text;
}

std::string formatObjectiveValues(const Trial& trial, const StudySpec& spec) {
    std::string out;
    for (std::size_t i = 0; i < spec.objectives.size(); ++i) {
        if (!out.empty())
            out += ' ';
        out += spec.objectives[i].name + '=' +
               formatValue(i < trial.values.size() ? std::optional<double>(trial.values[i])
                                                   : std::nullopt);
    }
    return out;
}

std::string formatParetoSummary(std::span<const Trial> trials, const StudySpec& spec) {
    std::size_t size = paretoTrialIndices(trials, spec).size();
    std::string out = std::to_string(size) + (size == 1 ? " trial" : " trials");
    LossVector reference = hypervolumeReference(trials, spec);
    if (reference.empty())
        return out;
    std::vector<double> user = referenceInUserSense(reference, spec);
    out += ", hypervolume " + formatValue(studyHypervolume(trials, spec)) + " (reference";
    bool derived = false;
    for (std::size_t i = 0; i < user.size(); ++i) {
        out += ' ' + spec.objectives[i].name + '=' + formatValue(user[i]);
        derived = derived || !spec.objectives[i].reference;
    }
    return out + (derived ? ", derived)" : ")");
}

ProgressPrinter::ProgressPrinter(std::FILE* out, const Study& study)
    : m_out(out),
      m_study(study),
      m_paramOrder(study.spec().space.names()),
      m_terminal(isatty(fileno(out)) == 1),
      m_countedAtStart(study.countedTrials()),
      m_started(std::chrono::steady_clock::now()) {}

double ProgressPrinter::elapsedSeconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
}

void ProgressPrinter::trialStarted(const Trial& trial) {
    if (m_terminal)
        redraw(&trial);
}

void ProgressPrinter::intermediateReported(const Trial& trial, std::int64_t step, double value) {
    if (m_terminal) {
        redraw(&trial);
    } else {
        std::fprintf(m_out, "trial %d step %lld: %s\n", trial.number, static_cast<long long>(step),
                     formatValue(value).c_str());
        std::fflush(m_out);
    }
}

void ProgressPrinter::trialFinished(const Trial& trial) {
    if (m_terminal) {
        redraw(nullptr);
        return;
    }
    const StudySpec& spec = m_study.spec();
    const bool multi = !spec.objectives.empty();
    auto best = m_study.best();
    std::string line = "trial " + std::to_string(trial.number) + " " + trialStateName(trial.state);
    if (multi && trial.state == TrialState::Complete)
        line += ' ' + formatObjectiveValues(trial, spec);
    else if (trial.value)
        line += " value=" + formatValue(trial.value);
    if (trial.state == TrialState::Complete && !isFeasible(trial, spec))
        line += " infeasible";
    if (!trial.params.empty())
        line += " [" + formatParams(trial.params, m_paramOrder) + "]";
    if (trial.state == TrialState::Failed)
        line += " error: " + trial.error;
    if (best)
        line +=
            "  best=" + formatValue(best->value) + " (trial " + std::to_string(best->number) + ")";
    if (multi)
        line += "  pareto " + formatParetoSummary(m_study.trials(), spec);
    std::fprintf(m_out, "%s\n", escapeControls(line).c_str());
    std::fflush(m_out);
}

void ProgressPrinter::redraw(const Trial* running) {
    const auto& spec = m_study.spec();
    std::int64_t done = m_study.countedTrials();
    std::optional<double> fraction;
    if (auto budget = m_study.trialBudget(); budget && *budget > 0)
        fraction = static_cast<double>(done) / static_cast<double>(*budget);
    if (spec.budget.seconds) {
        double byTime = elapsedSeconds() / *spec.budget.seconds;
        fraction = fraction ? std::max(*fraction, byTime) : byTime;
    }
    fraction = std::clamp(fraction.value_or(0.0), 0.0, 1.0);

    constexpr int kWidth = 24;
    int filled = static_cast<int>(std::round(*fraction * kWidth));
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, '.');

    std::string line = "[" + bar + "] " + std::to_string(done);
    if (auto budget = m_study.trialBudget())
        line += "/" + std::to_string(*budget);
    line += " trials";
    if (auto best = m_study.best())
        line += "  best " + formatValue(best->value) + " (#" + std::to_string(best->number) + ")";
    if (!spec.objectives.empty())
        line += "  pareto " + std::to_string(paretoTrialIndices(m_study.trials(), spec).size()) +
                "  hv " + formatValue(studyHypervolume(m_study.trials(), spec));
    double elapsed = elapsedSeconds();
    line += "  " + formatDuration(elapsed);
    std::int64_t doneNow = done - m_countedAtStart;
    if (*fraction > 0 && doneNow > 0 && *fraction < 1)
        line += "  ~" + formatDuration(elapsed * (1 - *fraction) / *fraction) + " left";
    if (running && !running->intermediate.empty())
        line += "  #" + std::to_string(running->number) + " step " +
                std::to_string(running->intermediate.back().first) + ": " +
                formatValue(running->intermediate.back().second);
    std::fprintf(m_out, "\r\033[K%s", escapeControls(line).c_str());
    std::fflush(m_out);
    m_lineOpen = true;
}

void ProgressPrinter::close() {
    if (m_lineOpen)
        std::fprintf(m_out, "\n");
    m_lineOpen = false;
}

}  // namespace bonsai::cli

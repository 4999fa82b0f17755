#include "analysis/posterior_slice.h"

#include <algorithm>
#include <unordered_set>

#include "analysis/measure_names.h"
#include "analysis/panel_notes.h"
#include "analysis/study_analysis.h"
#include "analysis/study_counts.h"
#include "analysis/trial_series.h"
#include "helpers/cell_format.h"
#include "insight/gp_insight.h"
#include "study/study.h"

namespace bonsai::ui {

namespace {

// An exact GP costs O(n^3) time and O(n^2) memory: 10,000 trials would take
// minutes and gigabytes. Past this many complete trials the slice is fitted on
// the most recent ones plus the incumbent.
constexpr std::size_t kMaxSliceTrials = 600;

// Which of the observed trials `observed` (trial numbers) break a constraint.
std::vector<bool> observedInfeasibility(const std::vector<Trial>& trials,
                                        const std::vector<int>& observed,
                                        const Feasibility& feasible) {
    const std::unordered_set<int> rejected = infeasibleTrialNumbers(trials, feasible);
    std::vector<bool> out(observed.size(), false);
    for (std::size_t i = 0; i < observed.size(); ++i)
        out[i] = rejected.count(observed[i]) > 0;
    return out;
}

}  // namespace

std::vector<Trial> gpInputTrials(const std::vector<Trial>& trials, Direction direction,
                                 std::optional<int> incumbent) {
    std::vector<const Trial*> complete;
    for (const Trial& trial : trials)
        if (trial.state == TrialState::Complete)
            complete.push_back(&trial);
    if (complete.size() <= kMaxSliceTrials)
        return trials;
    std::optional<Trial> best;
    if (incumbent)
        for (const Trial* trial : complete)
            if (trial->number == *incumbent)
                best = *trial;
    if (!best)
        best = bestTrial(trials, direction);
    std::vector<Trial> out;
    out.reserve(kMaxSliceTrials + 1);
    if (best)
        out.push_back(*best);
    for (std::size_t i = complete.size() - kMaxSliceTrials; i < complete.size(); ++i)
        if (!best || complete[i]->number != best->number)
            out.push_back(*complete[i]);
    std::sort(out.begin(), out.end(),
              [](const Trial& a, const Trial& b) { return a.number < b.number; });
    return out;
}

std::optional<PosteriorSlice> gpPosteriorSliceOf(const StudyRecord& study,
                                                 const std::vector<Trial>& trials,
                                                 const std::string& parameter, int edge,
                                                 std::size_t objective) {
    try {
        const SearchSpace space = SearchSpace::fromJson(study.spec.value("space", Json::array()));
        const Json strategy = study.spec.value("strategy", Json{{"kind", "random"}});
        const StudySpec sections = objectiveSectionsOf(study);
        const GpModelInputs inputs = gpModelInputs(study, trials, objective);
        const ParamSpec* spec = space.find(parameter);
        if (!spec || (spec->type == ParamType::Nb201Cell) != (edge >= 0))
            return std::nullopt;
        // The acquisition the next gp suggestion maximizes (exploit_last).
        const double varianceScale =
            gpNextVarianceScale(space, strategy, studyTrialBudget(study), trials.size());
        auto slice = gpPosteriorSlice(space, strategy, inputs.direction, inputs.trials, parameter,
                                      100, std::max(0, edge), inputs.through, varianceScale);
        if (!slice)
            return std::nullopt;
        PosteriorSlice out;
        out.parameter = QString::fromStdString(slice->param);
        out.x = std::move(slice->x);
        out.median = std::move(slice->median);
        out.lower = std::move(slice->lower);
        out.upper = std::move(slice->upper);
        out.outputWarping = QString::fromStdString(slice->outputWarping);
        out.acquisition = std::move(slice->acquisition);
        out.acquisitionName = acquisitionDisplayName(slice->acquisitionName);
        out.acquisitionVarianceScale = varianceScale;
        out.observedX = std::move(slice->observedX);
        out.observedY = std::move(slice->observedY);
        out.observedPruned = std::move(slice->observedPruned);
        if (sections.objectives.size() > 1) {
            out.valueName = QString::fromStdString(sections.objectives[objective].name);
            out.acquisition.clear();
            out.acquisitionName.clear();
        } else {
            out.valueName = objectiveValueName(study);
        }
        out.observedInfeasible = observedInfeasibility(
            trials, slice->observedTrial, Feasibility{sections.objectives, sections.constraints});
        out.logScale = spec->log;
        out.integer = spec->type == ParamType::Int;
        if (slice->categorical) {
            for (const std::string& label : slice->labels)
                out.categories << QString::fromStdString(label);
            if (edge >= 0) {
                out.parameter = cellFormat::edgeAxisName(parameter, edge, true);
                // The short names the cell drawing uses: the Live tab's panel
                // gives each of the five categories about 30 px at 1024x700,
                // where "conv1x1" and "conv3x3" were both elided to "c...".
                for (int op = 0; op < Nb201Cell::kOperations && op < out.categories.size(); ++op)
                    out.categories[op] = cellFormat::shortOperationLabel(op);
            }
            // Observed trials spread over their category's strip, as in the slices.
            for (std::size_t i = 0; i < out.observedX.size() && i < slice->observedTrial.size();
                 ++i)
                out.observedX[i] += stripJitter(slice->observedTrial[i]);
        }
        for (const Trial& trial : trials) {
            if (trial.number != slice->incumbentTrial)
                continue;
            auto it = trial.params.find(parameter);
            if (it == trial.params.end())
                continue;
            if (edge >= 0) {
                if (auto cell = cellFormat::cellOf(trial, parameter))
                    out.incumbentX = cell->ops[static_cast<std::size_t>(edge)];
            } else if (slice->categorical) {
                for (std::size_t c = 0; c < spec->choices.size(); ++c)
                    if (sameValue(spec->choices[c], it->second))
                        out.incumbentX = static_cast<double>(c);
            } else {
                out.incumbentX = numericValue(it->second);
            }
        }
        return out;
    } catch (const std::exception&) {
        return std::nullopt;  // a damaged spec or a numerical failure: nothing to draw
    }
}

}  // namespace bonsai::ui

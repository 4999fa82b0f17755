#include "analysis/study_counts.h"

#include <algorithm>

#include <QCoreApplication>
#include <QStringList>

#include "analysis/trial_series.h"
#include "helpers/format.h"
#include "multi/pareto.h"
#include "study/multi_objective.h"
#include "study/study.h"

namespace bonsai::ui {

StudySpec objectiveSectionsOf(const StudyRecord& record) {
    StudySpec spec;
    try {
        spec = parseObjectiveSections(record.spec);
    } catch (const std::exception&) {
        spec = StudySpec();  // a damaged spec: single objective, no constraints
    }
    spec.direction = record.direction;
    return spec;
}

bool isMultiObjective(const StudyRecord& record) {
    return objectiveSectionsOf(record).objectives.size() > 1;
}

std::optional<std::int64_t> studyTrialBudget(const StudyRecord& record) {
    try {
        return parseBudgetSection(record.spec).trials;
    } catch (const SpecError&) {
        return std::nullopt;
    }
}

HypervolumeHistory hypervolumeHistory(std::span<const Trial> trials, const StudyRecord& record) {
    const StudySpec spec = objectiveSectionsOf(record);
    HypervolumeHistory out;
    if (spec.objectives.size() < 2)
        return out;
    const LossVector reference = hypervolumeReference(trials, spec);
    if (reference.empty())
        return out;
    out.reference = referenceText(reference, spec);
    out.derivedReference =
        std::any_of(spec.objectives.begin(), spec.objectives.end(),
                    [](const ObjectiveSpec& objective) { return !objective.reference; });
    out.curve = hypervolumeCurve(scoredLosses(trials, spec), reference);
    return out;
}

QString referenceText(const LossVector& reference, const StudySpec& spec) {
    const std::vector<double> user = referenceInUserSense(reference, spec);
    QStringList parts;
    for (std::size_t i = 0; i < user.size() && i < spec.objectives.size(); ++i)
        parts << QStringLiteral("%1 = %2").arg(QString::fromStdString(spec.objectives[i].name),
                                               formatNumber(user[i]));
    return parts.join(QStringLiteral(", "));
}

std::vector<ScoredLosses> scoredLosses(std::span<const Trial> trials, const StudySpec& spec) {
    const RunningTime running(trials);
    std::vector<ScoredLosses> out;
    for (const Trial& trial : trials)
        if (isScored(trial, spec))
            out.push_back(
                {trial.number, objectiveLosses(trial, spec),
                 trial.completedAt ? std::optional(running.at(*trial.completedAt)) : std::nullopt});
    return out;
}

std::vector<QPointF> hypervolumeCurve(std::span<const ScoredLosses> scored,
                                      const LossVector& reference, bool byTime) {
    std::vector<const ScoredLosses*> order;
    for (const ScoredLosses& entry : scored)
        if (!byTime || entry.endSeconds)
            order.push_back(&entry);
    if (byTime)
        std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
            return *a->endSeconds < *b->endSeconds;
        });
    std::vector<QPointF> curve;
    std::vector<LossVector> front;
    double volume = 0.0;
    for (const ScoredLosses* at : order) {
        const ScoredLosses& entry = *at;
        const LossVector& point = entry.losses;
        const bool dominated = std::any_of(front.begin(), front.end(), [&](const LossVector& f) {
            return dominates(f, point) || f == point;
        });
        if (!dominated) {
            // Only a new front point can change the volume.
            std::erase_if(front, [&](const LossVector& f) { return dominates(point, f); });
            front.push_back(point);
            volume = hypervolume(front, reference);
        }
        curve.emplace_back(byTime ? *entry.endSeconds : entry.trial, volume);
    }
    return curve;
}

StudyCounts studyCounts(std::span<const Trial> trials, const StudyRecord& record,
                        const FrontTally* front) {
    StudyCounts counts;
    counts.trials = static_cast<int>(trials.size());
    for (const Trial& trial : trials) {
        if (trial.state == TrialState::Complete)
            ++counts.complete;
        if (trial.finished() && !isInterrupted(trial))
            ++counts.counted;
    }
    const StudySpec spec = objectiveSectionsOf(record);
    counts.multiObjective = spec.objectives.size() > 1;
    if (counts.multiObjective) {
        if (front) {
            counts.paretoIndices = front->paretoIndices();
            counts.hypervolume = front->hypervolume();
        } else {
            StudyFront full = studyFront(trials, spec);
            counts.paretoIndices = std::move(full.paretoIndices);
            counts.hypervolume = full.hypervolume;
        }
        counts.paretoSize = static_cast<int>(counts.paretoIndices.size());
    } else {
        counts.best = bestTrial(trials, spec);
    }
    return counts;
}

namespace {

// The flag texts, translated once: a study's every trial gets one.
struct FlagTexts {
    QString infeasible, feasible, pareto, dominated;
    FlagTexts() {
        auto tr = [](const char* text) { return QCoreApplication::translate("StudyCounts", text); };
        infeasible = tr("infeasible");
        feasible = tr("feasible");
        pareto = tr("Pareto");
        dominated = tr("dominated");
    }
};

QString flagOf(const Trial& trial, const StudySpec& spec, bool onFront, const FlagTexts& texts) {
    if (trial.state != TrialState::Complete)
        return {};
    if (!isFeasible(trial, spec))
        return texts.infeasible;
    if (spec.objectives.size() < 2)
        return texts.feasible;
    return onFront ? texts.pareto : texts.dominated;
}

bool hasFlags(const StudySpec& spec) {
    return spec.objectives.size() > 1 || !spec.constraints.empty();
}

}  // namespace

bool hasTrialFlags(const StudyRecord& record) {
    return hasFlags(objectiveSectionsOf(record));
}

std::vector<QString> trialFlags(std::span<const Trial> trials, const StudyRecord& record,
                                const StudyCounts* counts) {
    const StudySpec spec = objectiveSectionsOf(record);
    std::vector<QString> flags;
    if (!hasFlags(spec))
        return flags;
    std::vector<char> onFront(trials.size(), 0);
    if (spec.objectives.size() > 1)
        for (std::size_t i : counts && counts->multiObjective ? counts->paretoIndices
                                                              : paretoTrialIndices(trials, spec))
            onFront[i] = 1;
    const FlagTexts texts;
    flags.resize(trials.size());
    for (std::size_t i = 0; i < trials.size(); ++i)
        flags[i] = flagOf(trials[i], spec, onFront[i], texts);
    return flags;
}

std::vector<QString> trialFlags(std::span<const Trial> trials, std::span<const std::size_t> rows,
                                const StudyRecord& record, const StudyCounts& counts) {
    const StudySpec spec = objectiveSectionsOf(record);
    std::vector<QString> flags(rows.size());
    if (!hasFlags(spec))
        return flags;
    const FlagTexts texts;
    for (std::size_t k = 0; k < rows.size(); ++k)
        if (rows[k] < trials.size())
            flags[k] = flagOf(trials[rows[k]], spec,
                              std::binary_search(counts.paretoIndices.begin(),
                                                 counts.paretoIndices.end(), rows[k]),
                              texts);
    return flags;
}

std::vector<std::string> reportedAttributeNames(std::span<const Trial> trials,
                                                const StudyRecord& record) {
    const StudySpec spec = objectiveSectionsOf(record);
    std::vector<std::string> names;
    auto add = [&](const std::string& name) {
        if (std::find(names.begin(), names.end(), name) == names.end())
            names.push_back(name);
    };
    if (spec.objectives.size() > 1)
        for (const ObjectiveSpec& objective : spec.objectives)
            add(objective.name);
    for (const ConstraintSpec& constraint : spec.constraints)
        add(constraint.name);
    constexpr std::size_t kMaxColumns = 16;
    for (const Trial& trial : trials)
        for (const auto& [key, value] : trial.attrs.items()) {
            if (names.size() >= kMaxColumns)
                return names;
            if (value.is_number() && !isStrategyAttribute(key))
                add(key);
        }
    return names;
}

QString countsSummary(const StudyCounts& counts) {
    auto tr = [](const char* text) { return QCoreApplication::translate("StudyCounts", text); };
    if (counts.multiObjective)
        return tr("Pareto set %1, hypervolume %2")
            .arg(counts.paretoSize)
            .arg(formatNumber(counts.hypervolume));
    if (counts.best && counts.best->value)
        return tr("best %1 (trial %2)")
            .arg(formatNumber(*counts.best->value))
            .arg(counts.best->number);
    return tr("no complete trial yet");
}

}  // namespace bonsai::ui

#include "analysis/panel_notes.h"

#include <QCoreApplication>

#include "analysis/study_counts.h"
#include "insight/gp_insight.h"
#include "space/search_space.h"
#include "study/spec.h"

namespace bonsai::ui {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("PanelNotes", text);
}

}  // namespace

std::string specString(const StudyRecord& record, const char* section, const char* key) {
    if (!record.spec.is_object())
        return {};
    const Json part = record.spec.value(section, Json::object());
    if (!part.is_object())
        return {};
    const Json value = part.value(key, Json());
    return value.is_string() ? value.get<std::string>() : std::string();
}

std::string strategyKind(const StudyRecord& record) {
    return specString(record, "strategy", "kind");
}

bool scoresSuggestions(const StudyRecord& record) {
    const std::string kind = strategyKind(record);
    return kind == "gp" || kind == "tpe";
}

bool fitsGp(const StudyRecord& record) {
    return strategyKind(record) == "gp";
}

QString acquisitionNote(const StudyRecord& record, std::span<const Trial> trials) {
    const std::string kind = strategyKind(record);
    if (!scoresSuggestions(record))
        return tr("No acquisition function: the %1 strategy does not use one (gp does)")
            .arg(QString::fromStdString(kind.empty() ? std::string("study's") : kind));
    if (!fitsGp(record))
        return tr("Startup trials (random points): TPE scores its suggestions after them");
    // The GP strategy's own rule, so the note names the trial it starts at.
    int initial = 5;
    try {
        const SearchSpace space = SearchSpace::fromJson(record.spec.value("space", Json::array()));
        initial =
            gpInitialDesignSize(space, record.spec.value("strategy", Json::object()),
                                parseBudgetSection(record.spec).trials, isMultiObjective(record));
    } catch (const std::exception&) {
    }
    int scored = 0;
    for (const Trial& trial : trials)
        if (trial.state == TrialState::Complete || trial.state == TrialState::Pruned)
            ++scored;
    if (scored < initial)
        return tr("Initial design (Sobol points): acquisition starts at trial %1").arg(initial);
    return tr("No acquisition values stored yet");
}

QString acquisitionDisplayName(const std::string& name) {
    if (name == "logei")
        return QStringLiteral("LogEI");
    if (name == "pof")
        return tr("Probability of feasibility");
    return QString::fromStdString(name).toUpper();  // EI, PI, UCB, EHVI
}

QString acquisitionLabel(std::span<const Trial> trials) {
    for (auto it = trials.rbegin(); it != trials.rend(); ++it) {
        auto stored = it->attrs.find("acquisition_function");
        if (stored != it->attrs.end() && stored->is_string())
            return acquisitionDisplayName(stored->get<std::string>());
    }
    return tr("Acquisition value");
}

QString posteriorNote(const StudyRecord& record) {
    if (fitsGp(record))
        return {};
    const std::string kind = strategyKind(record);
    return tr("No GP in this study: the %1 strategy fits none (the GP posterior is for gp studies)")
        .arg(QString::fromStdString(kind.empty() ? std::string("study's") : kind));
}

}  // namespace bonsai::ui

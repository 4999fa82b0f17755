#include "setup/warm_start_check.h"

#include "storage/database.h"
#include "study/spec.h"
#include "study/warm_start.h"

namespace bonsai::ui {

WarmStartCheck::WarmStartCheck(std::function<Database*()> database)
    : m_database(std::move(database)) {}

void WarmStartCheck::operator()(const StudySpec& spec) {
    Database* database = m_database ? m_database() : nullptr;
    if (!database || !spec.warmStart.enabled() || spec.warmStart.observations)
        return;
    Json key = Json::object();
    for (const char* section : {"warm_start", "space", "direction", "objectives", "constraints"})
        if (spec.source.contains(section))
            key[section] = spec.source[section];
    // Trials and complete trials of the open database's studies: a trial
    // that completes changes the second.
    std::map<std::int64_t, std::pair<int, int>> counts;
    Json named = Json::object();
    for (const StudySummary& summary : database->listStudies()) {
        counts[summary.study.id] = {summary.trialCount, summary.completeCount};
        named[summary.study.name] = {summary.trialCount, summary.completeCount};
    }
    for (const std::string& name : spec.warmStart.studies)
        key["trials"][name] = named.value(name, Json());
    key["database"] = database->path();
    std::string text = key.dump();
    if (text != m_key) {
        // A study of the open database is read again only when its counts
        // changed; one of another file (warm_start.database) every time.
        auto trialsOf = [this, database, &counts](Database& source, const StudyRecord& study) {
            auto count = counts.find(study.id);
            if (&source != database || count == counts.end())
                return source.loadTrials(study.id);
            KeptTrials& kept = m_trials[source.path() + '\n' + std::to_string(study.id)];
            if (kept.counts != count->second || !kept.trials) {
                kept.trials =
                    std::make_shared<const std::vector<Trial>>(source.loadTrials(study.id));
                kept.counts = count->second;
            }
            return *kept.trials;
        };
        m_error.reset();
        try {
            StudySpec copy = spec;
            resolveWarmStart(copy, *database, trialsOf);
        } catch (const SpecError& error) {
            m_error = error;
        }
        m_key = std::move(text);
    }
    if (m_error)
        throw *m_error;
}

}  // namespace bonsai::ui

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
    Json counts = Json::object();
    for (const StudySummary& summary : database->listStudies())
        counts[summary.study.name] = summary.trialCount;
    for (const std::string& name : spec.warmStart.studies)
        key["trials"][name] = counts.value(name, Json());
    key["database"] = database->path();
    std::string text = key.dump();
    if (text != m_key) {
        m_error.reset();
        try {
            StudySpec copy = spec;
            resolveWarmStart(copy, *database);
        } catch (const SpecError& error) {
            m_error = error;
        }
        m_key = std::move(text);
    }
    if (m_error)
        throw *m_error;
}

}  // namespace bonsai::ui

#include "controller/study_session.h"

#include <algorithm>
#include <iterator>

#include "analysis/measure_names.h"
#include "models/trial_table_model.h"
#include "study/export.h"

namespace bonsai::ui {

StudySession::StudySession(QObject* parent) : QObject(parent), m_model(new TrialTableModel(this)) {}

void StudySession::show(const StudyRecord& record, std::vector<Trial> trials) {
    m_record = record;
    m_hasStudy = true;
    try {
        m_space = SearchSpace::fromJson(record.spec.value("space", Json::array()));
    } catch (const std::exception&) {
        m_space = SearchSpace();  // a damaged spec still shows its trials
    }
    // The CSV export's columns: the space's order, then names only trials carry.
    std::vector<std::string> names = parameterColumns(record, trials);
    m_selected = -1;
    std::vector<std::string> cells;
    for (const ParamSpec& param : m_space.params())
        if (param.type == ParamType::Nb201Cell)
            cells.push_back(param.name);
    m_model->setCellParams(std::move(cells));
    m_model->setTrials(std::move(names), std::move(trials));
    m_model->setFlagColumn(hasTrialFlags(m_record));
    m_model->setValueMeaning(objectiveValueMeaning(m_record));
    m_front.reset();
    if (isMultiObjective(m_record)) {
        m_front.emplace(objectiveSectionsOf(m_record));
        m_front->reset(m_model->trials());
    }
    m_counts = studyCounts(m_model->trials(), m_record, m_front ? &*m_front : nullptr);
    m_model->addAttributeColumns(reportedAttributeNames(m_model->trials(), m_record));
    if (m_model->flagColumn() >= 0)
        m_model->setFlags(trialFlags(m_model->trials(), m_record, &m_counts));
    followClock();
    emit studyChanged();
    emit selectedTrialChanged(-1);
    emit trialsChanged();
}

void StudySession::followClock() {
    m_model->setClockRunning(m_hasStudy && m_record.state == StudyState::Running &&
                             !m_record.runnerGone);
}

void StudySession::clear() {
    m_hasStudy = false;
    m_record = StudyRecord();
    m_space = SearchSpace();
    m_selected = -1;
    m_model->clear();
    m_front.reset();
    m_counts = StudyCounts();
    followClock();
    emit studyChanged();
    emit selectedTrialChanged(-1);
    emit trialsChanged();
}

void StudySession::applyUpdates(const std::vector<Trial>& trials) {
    if (!m_hasStudy || trials.empty())
        return;
    m_model->applyUpdates(trials);
    std::vector<std::size_t> rows;
    for (const Trial& trial : trials)
        rows.push_back(static_cast<std::size_t>(m_model->rowOfTrial(trial.number)));
    if (m_front)
        m_front->update(m_model->trials(), rows);
    const std::vector<std::size_t> frontBefore = std::move(m_counts.paretoIndices);
    m_counts = studyCounts(m_model->trials(), m_record, m_front ? &*m_front : nullptr);
    m_model->addAttributeColumns(reportedAttributeNames(trials, m_record));
    if (m_model->flagColumn() >= 0) {
        // A trial's flag changes when it does or when it joins or leaves
        // the Pareto set: only those rows are flagged again.
        std::set_symmetric_difference(frontBefore.begin(), frontBefore.end(),
                                      m_counts.paretoIndices.begin(), m_counts.paretoIndices.end(),
                                      std::back_inserter(rows));
        m_model->setFlagsOf(rows, trialFlags(m_model->trials(), rows, m_record, m_counts));
    }
    emit trialsChanged();
}

void StudySession::setState(StudyState state) {
    m_record.state = state;
    followClock();
    emit stateChanged();
}

int StudySession::firstOpenTrial() const {
    const std::vector<Trial>& shown = trials();
    int first = shown.empty() ? 0 : shown.back().number + 1;
    for (const Trial& trial : shown)
        if (!trial.finished())
            first = std::min(first, trial.number);
    return first;
}

namespace {

// What a runner changes in a stored trial as it goes.
bool progressed(const Trial& known, const Trial& fresh) {
    return known.state != fresh.state || known.intermediate.size() != fresh.intermediate.size() ||
           known.value != fresh.value || known.values != fresh.values ||
           known.attrs != fresh.attrs || known.error != fresh.error;
}

}  // namespace

void StudySession::applyStored(const StudyRecord& record, std::vector<Trial> fresh) {
    if (!m_hasStudy || record.id != m_record.id)
        return;
    std::vector<Trial> changed;
    for (Trial& trial : fresh) {
        const Trial* known = this->trial(trial.number);
        if (!known || progressed(*known, trial))
            changed.push_back(std::move(trial));
    }
    applyUpdates(changed);
    if (record.state != m_record.state || record.runnerGone != m_record.runnerGone) {
        m_record.state = record.state;
        m_record.runnerGone = record.runnerGone;
        followClock();
        emit stateChanged();
    }
}

const std::vector<Trial>& StudySession::trials() const {
    return m_model->trials();
}

const Trial* StudySession::trial(int number) const {
    return m_model->trialByNumber(number);
}

TrialLookup StudySession::trialLookup() const {
    return TrialLookup(
        [this](int number) { return trial(number); },
        [this]() -> const std::vector<std::string>& { return m_model->paramNames(); });
}

void StudySession::selectTrial(int number) {
    if (number == m_selected)
        return;
    m_selected = number;
    emit selectedTrialChanged(number);
}

}  // namespace bonsai::ui

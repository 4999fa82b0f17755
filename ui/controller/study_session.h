#pragma once

#include <optional>
#include <vector>

#include <QObject>

#include "analysis/study_counts.h"
#include "helpers/trial_lookup.h"
#include "space/search_space.h"
#include "storage/database.h"
#include "study/front_tally.h"

namespace bonsai::ui {

class TrialTableModel;

// The study the window shows: its record, its space and its trials (held by
// the trials model), plus the shared trial selection. Every view draws from
// here, so a stored study looks exactly as it did live.
class StudySession : public QObject {
    Q_OBJECT
  public:
    explicit StudySession(QObject* parent = nullptr);

    void show(const StudyRecord& record, std::vector<Trial> trials);
    void clear();
    // A batch of live changes to the shown study.
    void applyUpdates(const std::vector<Trial>& trials);
    // The stored state changed (e.g. running -> paused): stateChanged, not
    // studyChanged, so views keep what they drew.
    void setState(StudyState state);
    // Following a study another process runs (bonsai-cli, another window):
    // the number from which a fresh read of its trials can differ from the
    // shown ones (the first unfinished trial, else the next number), and
    // the apply of such a read, new or progressed trials only, with the
    // record's state (running, finished, interrupted when its runner died).
    int firstOpenTrial() const;
    void applyStored(const StudyRecord& record, std::vector<Trial> fresh);

    bool hasStudy() const { return m_hasStudy; }
    const StudyRecord& record() const { return m_record; }
    const SearchSpace& space() const { return m_space; }
    Direction direction() const { return m_record.direction; }
    TrialTableModel* model() const { return m_model; }
    const std::vector<Trial>& trials() const;
    const Trial* trial(int number) const;
    // How charts find a shown trial and list its parameters in tooltips (in
    // the Trials table's column order); it follows the shown study.
    TrialLookup trialLookup() const;
    // Counts, best value or Pareto set of the shown trials, updated with them.
    const StudyCounts& counts() const { return m_counts; }

    int selectedTrial() const { return m_selected; }
    // -1 clears the selection.
    void selectTrial(int number);

  signals:
    void studyChanged();
    void stateChanged();
    void trialsChanged();
    void selectedTrialChanged(int number);

  private:
    // Running trials' Seconds count up while the shown study runs.
    void followClock();

    bool m_hasStudy = false;
    StudyRecord m_record;
    SearchSpace m_space;
    TrialTableModel* m_model;
    StudyCounts m_counts;
    // The Pareto set of a multi-objective study, kept up to date per batch.
    std::optional<FrontTally> m_front;
    int m_selected = -1;
};

}  // namespace bonsai::ui

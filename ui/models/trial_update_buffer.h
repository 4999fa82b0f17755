#pragma once

#include <map>
#include <vector>

#include <QObject>
#include <QTimer>

#include "model/trial.h"

namespace bonsai::ui {

// Collects trial changes arriving from the worker and hands them on in one
// batch per tick (latest copy of each trial wins), so views and plots redraw
// a few times a second however fast the study runs.
class TrialUpdateBuffer : public QObject {
    Q_OBJECT
  public:
    explicit TrialUpdateBuffer(int intervalMs = 150, QObject* parent = nullptr);

    void add(const Trial& trial);
    // Hands on whatever is pending now (e.g. when the study ends).
    void flush();
    void discard();
    bool isEmpty() const { return m_pending.empty(); }

  signals:
    void flushed(const std::vector<bonsai::Trial>& trials);

  private:
    std::map<int, Trial> m_pending;  // by trial number, so a batch is in number order
    QTimer m_timer;
};

}  // namespace bonsai::ui

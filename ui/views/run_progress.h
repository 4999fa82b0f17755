#pragma once

#include <map>

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QProgressBar;

namespace bonsai::ui {

// The study's name, trials done of the budget, elapsed time and an estimate
// of the time left, from the pace of this run. The name is there because the
// status bar keeps the last run's progress while other studies are shown.
class RunProgress : public QWidget {
    Q_OBJECT
  public:
    explicit RunProgress(QWidget* parent = nullptr);

    // budget < 0: no trial budget (the bar shows activity only). Elapsed
    // time carries on from earlier runs of the same study in this session.
    void start(qint64 studyId, const QString& studyName, qint64 countedTrials, qint64 budget);
    // Another process (`runner`, e.g. "bonsai-cli") runs the study and this
    // window follows it: the text names the runner instead of an elapsed
    // time this window cannot know, and the time left comes from the pace
    // seen while following.
    void follow(qint64 studyId, const QString& studyName, qint64 countedTrials, qint64 budget,
                const QString& runner);
    qint64 studyId() const { return m_studyId; }
    // The study was renamed; other studies' ids are ignored.
    void renameStudy(qint64 studyId, const QString& newName);
    // The study was deleted: its progress is hidden and its time forgotten.
    void forgetStudy(qint64 studyId);
    // Another database is open: its study ids are not this one's.
    void forgetAll();
    void trialCounted();
    // The count of finished trials that use up the budget, from the trials shown.
    void setDone(qint64 done);
    // A pause was asked for: the running trial finishes; no time-left
    // estimate is shown meanwhile.
    void setPausing(bool pausing);
    void finish(const QString& text);

    double elapsedSeconds() const;
    qint64 done() const { return m_done; }
    QString text() const;

  private:
    // start and follow: `runner` empty for a run here.
    void begin(qint64 studyId, const QString& studyName, qint64 countedTrials, qint64 budget,
               const QString& runner);
    void refresh();

    QProgressBar* m_bar;
    QLabel* m_label;
    QElapsedTimer m_clock;
    QTimer m_tick;
    qint64 m_startCount = 0;
    qint64 m_done = 0;
    qint64 m_budget = -1;
    qint64 m_studyId = -1;
    QString m_studyName;
    QString m_endText;  // why the last run ended; empty while running
    QString m_runner;   // who runs a followed study; empty for a run here
    bool m_pausing = false;
    // Seconds earlier runs of each study took (this session).
    std::map<qint64, double> m_earlierSeconds;
};

}  // namespace bonsai::ui

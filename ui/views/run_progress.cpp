#include "views/run_progress.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>

#include "helpers/format.h"

namespace bonsai::ui {

RunProgress::RunProgress(QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_bar = new QProgressBar(this);
    m_bar->setObjectName(QStringLiteral("runProgress"));
    m_bar->setMaximumWidth(220);
    m_bar->setMinimumWidth(160);
    m_label = new QLabel(this);
    m_label->setObjectName(QStringLiteral("runProgressText"));
    layout->addWidget(m_bar);
    layout->addWidget(m_label);
    m_tick.setInterval(500);
    connect(&m_tick, &QTimer::timeout, this, &RunProgress::refresh);
    hide();
}

void RunProgress::start(qint64 studyId, const QString& studyName, qint64 countedTrials,
                        qint64 budget) {
    begin(studyId, studyName, countedTrials, budget, QString());
}

void RunProgress::follow(qint64 studyId, const QString& studyName, qint64 countedTrials,
                         qint64 budget, const QString& runner) {
    begin(studyId, studyName, countedTrials, budget,
          runner.isEmpty() ? tr("another process") : runner);
}

void RunProgress::begin(qint64 studyId, const QString& studyName, qint64 countedTrials,
                        qint64 budget, const QString& runner) {
    m_studyId = studyId;
    m_runner = runner;
    m_studyName = studyName;
    m_endText.clear();
    m_pausing = false;
    m_startCount = countedTrials;
    m_done = countedTrials;
    m_budget = budget;
    m_clock.start();
    m_tick.start();
    if (budget > 0) {
        m_bar->setRange(0, static_cast<int>(budget));
    } else {
        m_bar->setRange(0, 0);  // busy indicator
    }
    show();
    refresh();
}

void RunProgress::trialCounted() {
    ++m_done;
    // The label too, not only at the next second's tick: the Live header
    // shows the same batch's count at once.
    refresh();
}

void RunProgress::setDone(qint64 done) {
    if (done == m_done)
        return;
    m_done = done;
    refresh();
}

void RunProgress::setPausing(bool pausing) {
    m_pausing = pausing;
    refresh();
}

double RunProgress::elapsedSeconds() const {
    const double earlier = m_earlierSeconds.count(m_studyId) ? m_earlierSeconds.at(m_studyId) : 0;
    return earlier + (m_clock.isValid() ? m_clock.elapsed() / 1000.0 : 0.0);
}

void RunProgress::finish(const QString& text) {
    m_tick.stop();
    m_pausing = false;
    if (m_clock.isValid())
        m_earlierSeconds[m_studyId] = elapsedSeconds();
    m_clock.invalidate();
    m_endText = text;
    refresh();
}

void RunProgress::renameStudy(qint64 studyId, const QString& newName) {
    if (studyId != m_studyId)
        return;
    m_studyName = newName;
    refresh();
}

void RunProgress::forgetStudy(qint64 studyId) {
    m_earlierSeconds.erase(studyId);
    if (studyId != m_studyId)
        return;
    m_tick.stop();
    m_clock.invalidate();
    m_studyId = -1;
    hide();
}

void RunProgress::forgetAll() {
    m_earlierSeconds.clear();
    forgetStudy(m_studyId);
}

QString RunProgress::text() const {
    return m_label->text();
}

void RunProgress::refresh() {
    const double thisRunSeconds = m_clock.isValid() ? m_clock.elapsed() / 1000.0 : 0.0;
    QString text = m_budget > 0
                       ? tr("%1: %2 / %3 trials")
                             .arg(m_studyName, QString::number(m_done), QString::number(m_budget))
                       : tr("%1: %2").arg(m_studyName, countOf(m_done, tr("trial"), tr("trials")));
    if (m_runner.isEmpty())
        text += tr(", %1 elapsed").arg(formatDuration(elapsedSeconds()));
    else
        text += tr(", run by %1").arg(m_runner);
    const qint64 thisRun = m_done - m_startCount;
    if (m_pausing) {
        text += tr(", pausing after the running trial…");
    } else if (m_clock.isValid() && m_budget > 0 && thisRun > 0 && m_done < m_budget) {
        // From this run's pace: earlier runs may have had another machine load.
        const double left =
            thisRunSeconds / static_cast<double>(thisRun) * static_cast<double>(m_budget - m_done);
        text += tr(", about %1 left").arg(formatDuration(left));
    }
    if (m_bar->maximum() > 0)
        m_bar->setValue(static_cast<int>(std::min(m_done, m_budget)));
    if (!m_endText.isEmpty())
        text += QStringLiteral(" — ") + m_endText;
    m_label->setText(text);
}

}  // namespace bonsai::ui

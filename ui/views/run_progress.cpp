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

void RunProgress::start(qint64 countedTrials, qint64 budget) {
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
    if (m_bar->maximum() > 0)
        m_bar->setValue(static_cast<int>(std::min(m_done, m_budget)));
}

void RunProgress::finish(const QString& text) {
    m_tick.stop();
    refresh();
    m_label->setText(m_label->text() + QStringLiteral(" — ") + text);
}

QString RunProgress::text() const {
    return m_label->text();
}

void RunProgress::refresh() {
    const double elapsed = m_clock.isValid() ? m_clock.elapsed() / 1000.0 : 0.0;
    QString text =
        m_budget > 0 ? tr("%1 / %2 trials").arg(m_done).arg(m_budget) : tr("%1 trials").arg(m_done);
    text += tr(", %1 elapsed").arg(formatDuration(elapsed));
    const qint64 thisRun = m_done - m_startCount;
    if (m_budget > 0 && thisRun > 0 && m_done < m_budget) {
        const double left =
            elapsed / static_cast<double>(thisRun) * static_cast<double>(m_budget - m_done);
        text += tr(", about %1 left").arg(formatDuration(left));
    }
    if (m_bar->maximum() > 0)
        m_bar->setValue(static_cast<int>(std::min(m_done, m_budget)));
    m_label->setText(text);
}

}  // namespace bonsai::ui

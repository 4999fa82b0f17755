#pragma once

#include <algorithm>
#include <cstddef>

#include <QElapsedTimer>
#include <QShowEvent>
#include <QTimer>
#include <QWidget>

namespace bonsai::ui {

// From this many trials on, views with several big charts split their live
// redraws into parts (one chart per event-loop turn); smaller studies redraw
// whole, which keeps them simple to test.
inline constexpr std::size_t kStagedLiveTrials = 2000;

// A view that redraws only while visible: changes that arrive while hidden
// mark it stale, and it catches up when shown. Keeps a busy study from
// redrawing tabs nobody looks at.
//
// A view may also cap the share of the GUI thread its redraws take while a
// study runs (setRefreshShare, invalidateLive): after a redraw that cost t,
// the next live one waits until t / share has passed since it began. Cheap
// redraws stay immediate; user actions (invalidate) never wait. A live redraw
// of several big charts runs one chart per event-loop turn (liveParts).
class LazyView : public QWidget {
    Q_OBJECT
  public:
    explicit LazyView(QWidget* parent = nullptr) : QWidget(parent) {
        m_deferred.setSingleShot(true);
        connect(&m_deferred, &QTimer::timeout, this, [this] {
            if (m_stale && isVisible())
                refreshLiveNow();
        });
        m_nextPart.setSingleShot(true);
        connect(&m_nextPart, &QTimer::timeout, this, &LazyView::runPart);
    }

    void invalidate() {
        m_stale = true;
        if (isVisible())
            refreshNow();
    }
    // As invalidate, for changes that stream in (live trials): subject to the
    // refresh share, and split into the view's live parts.
    void invalidateLive() {
        m_stale = true;
        // A staged redraw under way picks the change up when it ends.
        if (!isVisible() || m_nextPart.isActive())
            return;
        // Redraws under 10 ms never wait.
        if (m_share < 1.0 && m_lastCost >= 10 && m_sinceLast.isValid()) {
            const qint64 wait = static_cast<qint64>(m_lastCost / m_share) - m_sinceLast.elapsed();
            if (wait > 0) {
                if (!m_deferred.isActive())
                    m_deferred.start(static_cast<int>(wait));
                return;
            }
        }
        refreshLiveNow();
    }
    // Everything at once (a user action, the view shown): no parts, no wait.
    void refreshNow() {
        m_deferred.stop();
        m_nextPart.stop();
        m_stale = false;
        m_sinceLast.start();
        refresh();
        m_lastCost = m_sinceLast.elapsed();
    }
    // At most this share (0, 1] of the GUI thread for redraws; 1 = no cap.
    void setRefreshShare(double share) { m_share = share; }
    // A staged live redraw has parts still to run.
    bool refreshing() const { return m_nextPart.isActive(); }

  protected:
    virtual void refresh() = 0;
    // A view whose redraw has several heavy parts (a big chart each) splits
    // it: a live redraw then runs one part per event-loop turn, so the loop
    // never waits for all of them. refresh() still runs them all at once.
    virtual int liveParts() const { return 1; }
    virtual void refreshPart(int part) {
        if (part == 0)
            refresh();
    }
    void showEvent(QShowEvent* event) override {
        QWidget::showEvent(event);
        if (m_stale || m_nextPart.isActive())
            refreshNow();
    }

  private:
    void refreshLiveNow() {
        m_deferred.stop();
        m_stale = false;
        m_sinceLast.start();
        m_parts = std::max(1, liveParts());
        m_part = 0;
        m_partsCost = 0;
        runPart();
    }
    void runPart() {
        if (!isVisible()) {
            m_stale = true;  // caught up when shown
            return;
        }
        QElapsedTimer clock;
        clock.start();
        refreshPart(m_part);
        m_partsCost += clock.elapsed();
        if (++m_part < m_parts) {
            m_nextPart.start(0);
            return;
        }
        m_lastCost = m_partsCost;
        if (m_stale)
            invalidateLive();
    }

    bool m_stale = true;
    double m_share = 1.0;
    qint64 m_lastCost = 0;  // ms, of the last whole redraw
    QElapsedTimer m_sinceLast;
    QTimer m_deferred;
    // A staged live redraw: the next part runs at the next event-loop turn.
    QTimer m_nextPart;
    int m_parts = 1;
    int m_part = 0;
    qint64 m_partsCost = 0;
};

}  // namespace bonsai::ui

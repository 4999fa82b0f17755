#pragma once

#include <QElapsedTimer>
#include <QShowEvent>
#include <QTimer>
#include <QWidget>

namespace bonsai::ui {

// A view that redraws only while visible: changes that arrive while hidden
// mark it stale, and it catches up when shown. Keeps a busy study from
// redrawing tabs nobody looks at.
//
// A view may also cap the share of the GUI thread its redraws take while a
// study runs (setRefreshShare, invalidateLive): after a redraw that cost t,
// the next live one waits until t / share has passed since it began. Cheap
// redraws stay immediate; user actions (invalidate) never wait.
class LazyView : public QWidget {
    Q_OBJECT
  public:
    explicit LazyView(QWidget* parent = nullptr) : QWidget(parent) {
        m_deferred.setSingleShot(true);
        connect(&m_deferred, &QTimer::timeout, this, [this] {
            if (m_stale && isVisible())
                refreshNow();
        });
    }

    void invalidate() {
        m_stale = true;
        if (isVisible())
            refreshNow();
    }
    // As invalidate, for changes that stream in (live trials): subject to the
    // refresh share.
    void invalidateLive() {
        m_stale = true;
        if (!isVisible())
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
        refreshNow();
    }
    void refreshNow() {
        m_deferred.stop();
        m_stale = false;
        m_sinceLast.start();
        refresh();
        m_lastCost = m_sinceLast.elapsed();
    }
    // At most this share (0, 1] of the GUI thread for redraws; 1 = no cap.
    void setRefreshShare(double share) { m_share = share; }

  protected:
    virtual void refresh() = 0;
    void showEvent(QShowEvent* event) override {
        QWidget::showEvent(event);
        if (m_stale)
            refreshNow();
    }

  private:
    bool m_stale = true;
    double m_share = 1.0;
    qint64 m_lastCost = 0;  // ms
    QElapsedTimer m_sinceLast;
    QTimer m_deferred;
};

}  // namespace bonsai::ui

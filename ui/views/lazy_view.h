#pragma once

#include <QShowEvent>
#include <QWidget>

namespace bonsai::ui {

// A view that redraws only while visible: changes that arrive while hidden
// mark it stale, and it catches up when shown. Keeps a busy study from
// redrawing tabs nobody looks at.
class LazyView : public QWidget {
    Q_OBJECT
  public:
    using QWidget::QWidget;

    void invalidate() {
        m_stale = true;
        if (isVisible())
            refreshNow();
    }
    void refreshNow() {
        m_stale = false;
        refresh();
    }

  protected:
    virtual void refresh() = 0;
    void showEvent(QShowEvent* event) override {
        QWidget::showEvent(event);
        if (m_stale)
            refreshNow();
    }

  private:
    bool m_stale = true;
};

}  // namespace bonsai::ui

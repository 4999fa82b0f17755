#pragma once

#include <QObject>

class QScrollArea;

namespace bonsai::ui {

// Lets the mouse wheel scroll a long form: inside `area`, combo boxes and
// spin boxes take the wheel only once they have focus (clicked or tabbed
// into). Without it, scrolling the Setup form changed whatever field passed
// under the pointer (a parameter's type turned into nb201-cell). A table's
// horizontal scroll bar in the form takes a vertical wheel turn only while
// the focus is in that table: passing under the pointer, it scrolled the
// table's columns and stopped the form. The guard
// watches the whole application, so rows added later are covered too; it
// lives as long as `area`.
class WheelGuard : public QObject {
  public:
    static void install(QScrollArea* area);

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    explicit WheelGuard(QScrollArea* area);
    QScrollArea* m_area;
};

}  // namespace bonsai::ui

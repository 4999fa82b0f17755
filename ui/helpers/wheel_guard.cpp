#include "helpers/wheel_guard.h"

#include <cstdlib>

#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QWheelEvent>

namespace bonsai::ui {

namespace {

// The combo box or spin box that `widget` is or belongs to (a spin box's
// line edit receives the wheel first), if any.
QWidget* valueField(QWidget* widget) {
    for (QWidget* w = widget; w; w = w->parentWidget())
        if (qobject_cast<QComboBox*>(w) || qobject_cast<QAbstractSpinBox*>(w))
            return w;
    return nullptr;
}

// A horizontal scroll bar of a table inside `form`, if `widget` is one.
// Scrolling down the form, the bar passes under the pointer and took the
// wheel, which then scrolled the table's columns instead of the form.
QScrollBar* tableColumnsBar(QWidget* widget, const QWidget* form) {
    auto* bar = qobject_cast<QScrollBar*>(widget);
    return bar && bar->orientation() == Qt::Horizontal && form && form->isAncestorOf(bar) ? bar
                                                                                          : nullptr;
}

// Whether the focus is in the scroll area that `bar` scrolls: the user is
// working in that table, and the wheel is its own.
bool focusIsWith(const QScrollBar* bar) {
    const QWidget* focus = QApplication::focusWidget();
    for (const QWidget* up = bar->parentWidget(); up; up = up->parentWidget())
        if (auto* area = qobject_cast<const QAbstractScrollArea*>(up))
            return focus && (focus == area || area->isAncestorOf(focus));
    return false;
}

}  // namespace

void WheelGuard::install(QScrollArea* area) {
    qApp->installEventFilter(new WheelGuard(area));
}

WheelGuard::WheelGuard(QScrollArea* area) : QObject(area), m_area(area) {}

bool WheelGuard::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() != QEvent::Polish && event->type() != QEvent::Wheel)
        return false;
    auto* widget = qobject_cast<QWidget*>(watched);
    if (event->type() == QEvent::Wheel) {
        const QPoint turn = static_cast<QWheelEvent*>(event)->angleDelta();
        QScrollBar* bar = tableColumnsBar(widget, m_area->widget());
        if (bar && std::abs(turn.y()) > std::abs(turn.x()) && !focusIsWith(bar)) {
            event->ignore();  // the form's to scroll
            return true;
        }
    }
    QWidget* field = widget ? valueField(widget) : nullptr;
    if (!field || !m_area->isAncestorOf(field))
        return false;
    if (event->type() == QEvent::Polish) {
        // No focus from the wheel, or the next wheel would change the value.
        if (field->focusPolicy() == Qt::WheelFocus)
            field->setFocusPolicy(Qt::StrongFocus);
        return false;
    }
    if (field->hasFocus())
        return false;
    event->ignore();  // handled here, ignored: Qt offers it to the parents, the scroll area last
    return true;
}

}  // namespace bonsai::ui

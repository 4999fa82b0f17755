#include "helpers/wheel_guard.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QEvent>
#include <QScrollArea>

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

}  // namespace

void WheelGuard::install(QScrollArea* area) {
    qApp->installEventFilter(new WheelGuard(area));
}

WheelGuard::WheelGuard(QScrollArea* area) : QObject(area), m_area(area) {}

bool WheelGuard::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() != QEvent::Polish && event->type() != QEvent::Wheel)
        return false;
    auto* widget = qobject_cast<QWidget*>(watched);
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

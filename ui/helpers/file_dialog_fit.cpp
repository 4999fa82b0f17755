#include "helpers/file_dialog_fit.h"

#include <QApplication>
#include <QEvent>
#include <QFileDialog>
#include <QHeaderView>
#include <QScreen>
#include <QTreeView>

namespace bonsai::ui {

namespace {

// The size for a dialog over `owner`: most of the window, never smaller than
// the dialog asks for nor larger than the screen it is on.
QSize sizeOver(const QWidget* owner, const QFileDialog* dialog) {
    const QSize wanted =
        owner ? QSize(owner->width() * 85 / 100, owner->height() * 80 / 100) : dialog->size();
    QSize size = wanted.expandedTo(dialog->minimumSizeHint()).expandedTo(dialog->size());
    if (const QScreen* screen = dialog->screen())
        size = size.boundedTo(screen->availableGeometry().size());
    return size;
}

// The details view: the name column stretches, the others fit their text.
void fitColumns(QTreeView* view) {
    QHeaderView* header = view->header();
    header->setStretchLastSection(false);
    for (int column = 0; column < header->count(); ++column)
        header->setSectionResizeMode(
            column, column == 0 ? QHeaderView::Stretch : QHeaderView::ResizeToContents);
}

}  // namespace

void FileDialogFit::install() {
    static bool installed = false;
    if (installed)
        return;
    installed = true;
    qApp->installEventFilter(new FileDialogFit(qApp));
}

bool FileDialogFit::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() != QEvent::Show)
        return false;
    auto* dialog = qobject_cast<QFileDialog*>(watched);
    // Qt's dialog names its details view "treeView" (its form's name for it);
    // a native dialog has no such widget, and the desktop sizes it.
    auto* details = dialog ? dialog->findChild<QTreeView*>(QStringLiteral("treeView")) : nullptr;
    if (!details)
        return false;
    const QWidget* owner = dialog->parentWidget() ? dialog->parentWidget()->window() : nullptr;
    const QSize size = sizeOver(owner, dialog);
    if (size != dialog->size()) {
        dialog->resize(size);
        if (owner)
            dialog->move(owner->geometry().center() - dialog->rect().center());
    }
    fitColumns(details);
    return false;
}

}  // namespace bonsai::ui

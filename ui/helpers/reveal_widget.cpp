#include "helpers/reveal_widget.h"

#include <QScrollArea>
#include <QTableWidget>

namespace bonsai::ui {

namespace {

// The cell whose widget is `widget` or holds it; scrolled to in `table`.
void scrollTableTo(QTableWidget* table, QWidget* widget) {
    for (int row = 0; row < table->rowCount(); ++row)
        for (int column = 0; column < table->columnCount(); ++column) {
            QWidget* cell = table->cellWidget(row, column);
            if (cell && (cell == widget || cell->isAncestorOf(widget))) {
                table->scrollTo(table->model()->index(row, column));
                return;
            }
        }
}

}  // namespace

void revealWidget(QWidget* widget) {
    if (!widget)
        return;
    // Innermost first: a table's own scrolling moves the cell, and only then
    // does the scroll area around the form know where it is.
    for (QWidget* up = widget->parentWidget(); up; up = up->parentWidget()) {
        if (auto* table = qobject_cast<QTableWidget*>(up))
            scrollTableTo(table, widget);
        else if (auto* area = qobject_cast<QScrollArea*>(up))
            area->ensureWidgetVisible(widget);
    }
}

}  // namespace bonsai::ui

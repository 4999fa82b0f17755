#pragma once

class QWidget;

namespace bonsai::ui {

// Brings a widget into view: scrolls every table holding it in a cell, and
// every scroll area around it, so that a field named by an error or asked
// for next is on screen even in a small window (the space table's Choices
// column starts off to the right at 1024 px). The focus stays where it is.
void revealWidget(QWidget* widget);

}  // namespace bonsai::ui

#pragma once

#include <QPoint>
#include <QString>

#include "model/trial.h"

class QWidget;

namespace bonsai::ui {

// A tooltip that draws the trial's NB201 cell above `summary` (its text
// description), for points of charts in a cell study. Returns false (and
// shows nothing) when the trial holds no cell, so the caller falls back to a
// text tooltip.
bool showCellTooltip(const QPoint& globalPos, const Trial& trial, const QString& summary,
                     QWidget* owner);
void hideCellTooltip();
// The open tooltip window, or nullptr (for tests).
QWidget* cellTooltipWindow();

}  // namespace bonsai::ui

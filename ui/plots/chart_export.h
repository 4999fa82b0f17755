#pragma once

#include <QString>

class QWidget;

namespace bonsai::ui {

// Saves what `widget` shows (a chart view, or any panel of charts) as PNG or
// SVG, chosen by the file's suffix. Returns an empty string on success, else
// one sentence for the user.
QString saveWidgetImage(QWidget* widget, const QString& path);

// The file dialog filter for saveWidgetImage.
QString imageFileFilter();

// Asks for a file name (starting at `suggestedName`) and saves `widget`
// there, warning in a message box titled `title` if that fails.
void saveWidgetImageAs(QWidget* widget, const QString& title, const QString& suggestedName);

}  // namespace bonsai::ui

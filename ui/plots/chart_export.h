#pragma once

#include <QString>

class QWidget;

namespace bonsai::ui {

// Saves what `widget` shows (a chart view, or any panel of charts with its
// choosers) as PNG or SVG, chosen by the file's suffix; PNGs at twice the
// widget's size, sharp on print and high-DPI screens. A `caption` (the study's
// name) is written above. Returns an empty string on success, else one
// sentence for the user.
QString saveWidgetImage(QWidget* widget, const QString& path, const QString& caption = {});
// The caption for images of `widget`: the name of the study its window shows
// (the window's "studyName" property), or "".
QString studyCaptionOf(const QWidget* widget);

// The file dialog filter for saveWidgetImage.
QString imageFileFilter();

// Asks for a file name (starting at `suggestedName`) and saves `widget`
// there, warning in a message box titled `title` if that fails.
void saveWidgetImageAs(QWidget* widget, const QString& title, const QString& suggestedName);

}  // namespace bonsai::ui

#pragma once

#include <QString>
#include <QStringList>

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

// A file name for an image of `what` (a chart's title, a tab) from the
// study `study` (may be empty): "hw-nas-pixel3-objective-per-trial.png".
// Runs of characters other than letters, digits, '_' and '.' become one '-',
// and `what` is lowercased; the study's name keeps its case.
QString imageFileName(const QString& study, const QStringList& what);

// Asks for a file name (starting at imageFileName of the window's study and
// `what`) and saves `widget` there, warning in a message box titled `title`
// if that fails.
void saveWidgetImageAs(QWidget* widget, const QString& title, const QString& what);

}  // namespace bonsai::ui

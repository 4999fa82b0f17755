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

}  // namespace bonsai::ui

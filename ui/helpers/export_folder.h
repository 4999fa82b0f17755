#pragma once

#include <QString>

namespace bonsai::ui {

// Where save dialogs for exports (trials, charts) start: `fileName` in the
// folder something was last exported to, while it exists, else in the
// user's documents folder (not the working directory the studio was started
// from).
QString exportDialogPath(const QString& fileName);
void rememberExportFolder(const QString& exportedPath);

// The user's documents folder where it exists, else home: where save dialogs
// start when nothing better is known.
QString documentsFolder();

}  // namespace bonsai::ui

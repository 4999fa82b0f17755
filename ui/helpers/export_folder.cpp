#include "helpers/export_folder.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

namespace bonsai::ui {

namespace {
const char* kLastExportFolderKey = "exports/lastFolder";
}

QString exportDialogPath(const QString& fileName) {
    QString folder = QSettings().value(kLastExportFolderKey).toString();
    if (folder.isEmpty() || !QFileInfo(folder).isDir())
        folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (folder.isEmpty() || !QFileInfo(folder).isDir())
        folder = QDir::homePath();
    return QDir(folder).filePath(fileName);
}

void rememberExportFolder(const QString& exportedPath) {
    QSettings().setValue(kLastExportFolderKey, QFileInfo(exportedPath).absolutePath());
}

}  // namespace bonsai::ui

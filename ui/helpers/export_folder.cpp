#include "helpers/export_folder.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

namespace bonsai::ui {

namespace {
const char* kLastExportFolderKey = "exports/lastFolder";
}

QString documentsFolder() {
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return !documents.isEmpty() && QFileInfo(documents).isDir() ? documents : QDir::homePath();
}

QString exportDialogPath(const QString& fileName) {
    QString folder = QSettings().value(kLastExportFolderKey).toString();
    if (folder.isEmpty() || !QFileInfo(folder).isDir())
        folder = documentsFolder();
    return QDir(folder).filePath(fileName);
}

void rememberExportFolder(const QString& exportedPath) {
    QSettings().setValue(kLastExportFolderKey, QFileInfo(exportedPath).absolutePath());
}

}  // namespace bonsai::ui

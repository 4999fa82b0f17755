#include "helpers/spec_folders.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSettings>

#include "helpers/export_folder.h"

namespace bonsai::ui {

namespace {
const char* kLastSpecFolderKey = "specs/lastFolder";
}

QString bundledExamplesFolder() {
    const QStringList candidates{
        QCoreApplication::applicationDirPath() + QStringLiteral("/../share/bonsai/examples"),
        QStringLiteral(BONSAI_SOURCE_EXAMPLES)};
    for (const QString& folder : candidates)
        if (QFileInfo(folder).isDir())
            return QDir(folder).canonicalPath();
    return {};
}

QString specDialogFolder() {
    const QString last = QSettings().value(kLastSpecFolderKey).toString();
    if (!last.isEmpty() && QFileInfo(last).isDir())
        return last;
    return bundledExamplesFolder();
}

QString specSavePath(const QString& fileName) {
    QString folder = QSettings().value(kLastSpecFolderKey).toString();
    const QString examples = bundledExamplesFolder();
    if (folder.isEmpty() || !QFileInfo(folder).isDir() ||
        (!examples.isEmpty() && QDir(folder).canonicalPath() == examples))
        folder = documentsFolder();
    return QDir(folder).filePath(fileName);
}

void rememberSpecFolder(const QString& specPath) {
    QSettings().setValue(kLastSpecFolderKey, QFileInfo(specPath).absolutePath());
}

}  // namespace bonsai::ui

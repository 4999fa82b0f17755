#include "helpers/examples_menu.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include "helpers/spec_folders.h"
#include "util/json.h"

namespace bonsai::ui {

ExamplesMenu::ExamplesMenu(const QString& title, QWidget* parent) : QMenu(title, parent) {
    setObjectName(QStringLiteral("examplesMenu"));
    setToolTipsVisible(true);
    connect(this, &QMenu::aboutToShow, this, &ExamplesMenu::refresh);
    refresh();
}

void ExamplesMenu::refresh() {
    clear();
    const QString folder = bundledExamplesFolder();
    const QFileInfoList files =
        folder.isEmpty()
            ? QFileInfoList()
            : QDir(folder).entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QFileInfo& info : files) {
        QFile file(info.absoluteFilePath());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const Json spec = Json::parse(file.readAll().toStdString(), nullptr, false);
        if (!spec.is_object())
            continue;
        const QString name = QString::fromStdString(spec.value("name", std::string()));
        QAction* action = addAction(name.isEmpty() ? info.completeBaseName() : name);
        const QString description =
            QString::fromStdString(spec.value("description", std::string()));
        action->setToolTip(description.isEmpty() ? info.fileName() : description);
        action->setStatusTip(action->toolTip());
        const QString path = info.absoluteFilePath();
        connect(action, &QAction::triggered, this, [this, path] { emit exampleChosen(path); });
    }
    if (actions().isEmpty()) {
        QAction* none = addAction(tr("No bundled examples found"));
        none->setEnabled(false);
    }
}

}  // namespace bonsai::ui

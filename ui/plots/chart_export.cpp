#include "plots/chart_export.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QPainter>
#include <QPixmap>
#include <QSvgGenerator>
#include <QWidget>

namespace bonsai::ui {

QString imageFileFilter() {
    return QObject::tr("PNG image (*.png);;SVG drawing (*.svg)");
}

void saveWidgetImageAs(QWidget* widget, const QString& title, const QString& suggestedName) {
    const QString path =
        QFileDialog::getSaveFileName(widget, title, suggestedName, imageFileFilter());
    if (path.isEmpty())
        return;
    const QString error = saveWidgetImage(widget, path);
    if (!error.isEmpty())
        QMessageBox::warning(widget, title, error);
}

QString saveWidgetImage(QWidget* widget, const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator generator;
        generator.setFileName(path);
        generator.setSize(widget->size());
        generator.setViewBox(widget->rect());
        generator.setTitle(widget->windowTitle());
        generator.setDescription(QObject::tr("Exported from Bonsai"));
        QPainter painter;
        if (!painter.begin(&generator))
            return QObject::tr("Cannot write %1; check the folder exists and is writable.")
                .arg(path);
        widget->render(&painter);
        painter.end();
        return {};
    }
    if (suffix != QLatin1String("png"))
        return QObject::tr("Cannot export to '%1': use a .png or .svg file name.").arg(path);
    if (!widget->grab().save(path, "PNG"))
        return QObject::tr("Cannot write %1; check the folder exists and is writable.").arg(path);
    return {};
}

}  // namespace bonsai::ui

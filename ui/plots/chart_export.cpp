#include "plots/chart_export.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QImage>
#include <QMessageBox>
#include <QPainter>
#include <QPixmap>
#include <QRegularExpression>
#include <QSvgGenerator>
#include <QWidget>

#include "helpers/export_folder.h"

namespace bonsai::ui {

QString imageFileFilter() {
    return QObject::tr("PNG image (*.png);;SVG drawing (*.svg)");
}

namespace {

constexpr double kScale = 2.0;

int captionHeight(const QWidget* widget, const QString& caption) {
    return caption.isEmpty() ? 0 : widget->fontMetrics().height() * 2;
}

// The caption band and the widget itself (children included: choosers too).
void paintWidget(QPainter& painter, QWidget* widget, const QString& caption) {
    const int top = captionHeight(widget, caption);
    const QRect band(0, 0, widget->width(), top);
    painter.fillRect(QRect(0, 0, widget->width(), widget->height() + top),
                     widget->palette().color(QPalette::Window));
    if (top > 0) {
        QFont font = widget->font();
        font.setBold(true);
        painter.setFont(font);
        painter.setPen(widget->palette().color(QPalette::WindowText));
        painter.drawText(band.adjusted(8, 0, -8, 0), Qt::AlignLeft | Qt::AlignVCenter, caption);
    }
    widget->render(&painter, QPoint(0, top), QRegion(),
                   QWidget::DrawWindowBackground | QWidget::DrawChildren);
}

}  // namespace

QString studyCaptionOf(const QWidget* widget) {
    const QWidget* window = widget ? widget->window() : nullptr;
    return window ? window->property("studyName").toString() : QString();
}

QString imageFileName(const QString& study, const QStringList& what) {
    // Letters of any script stay: a study may be named "étude".
    static const QRegularExpression others(QStringLiteral("[^\\w.]+"),
                                           QRegularExpression::UseUnicodePropertiesOption);
    auto slug = [](QString text) {
        text.replace(others, QStringLiteral("-"));
        while (text.startsWith(QLatin1Char('-')))
            text.remove(0, 1);
        while (text.endsWith(QLatin1Char('-')))
            text.chop(1);
        return text;
    };
    QStringList parts;
    if (const QString name = slug(study); !name.isEmpty())
        parts << name;
    for (const QString& part : what)
        if (const QString name = slug(part.toLower()); !name.isEmpty())
            parts << name;
    return (parts.isEmpty() ? QStringLiteral("chart") : parts.join(QLatin1Char('-'))) +
           QStringLiteral(".png");
}

void saveWidgetImageAs(QWidget* widget, const QString& title, const QString& what) {
    const QString path = QFileDialog::getSaveFileName(
        widget, title, exportDialogPath(imageFileName(studyCaptionOf(widget), {what})),
        imageFileFilter());
    if (path.isEmpty())
        return;
    const QString error = saveWidgetImage(widget, path, studyCaptionOf(widget));
    if (!error.isEmpty())
        QMessageBox::warning(widget, title, error);
    else
        rememberExportFolder(path);
}

QString saveWidgetImage(QWidget* widget, const QString& path, const QString& caption) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QSize size(widget->width(), widget->height() + captionHeight(widget, caption));
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator generator;
        generator.setFileName(path);
        generator.setSize(size);
        generator.setViewBox(QRect(QPoint(0, 0), size));
        generator.setTitle(caption.isEmpty() ? widget->windowTitle() : caption);
        generator.setDescription(QObject::tr("Exported from Bonsai"));
        QPainter painter;
        if (!painter.begin(&generator))
            return QObject::tr("Cannot write %1; check the folder exists and is writable.")
                .arg(path);
        paintWidget(painter, widget, caption);
        painter.end();
        return {};
    }
    if (suffix != QLatin1String("png"))
        return QObject::tr("Cannot export to '%1': use a .png or .svg file name.").arg(path);
    QImage image(size * kScale, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(kScale);
    image.fill(Qt::transparent);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        paintWidget(painter, widget, caption);
    }
    if (!image.save(path, "PNG"))
        return QObject::tr("Cannot write %1; check the folder exists and is writable.").arg(path);
    return {};
}

}  // namespace bonsai::ui

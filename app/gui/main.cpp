// bonsai: the desktop studio. Without arguments it opens the database used
// last (or the default one; on the very first start, in a database without
// studies, it also runs a small example study so there is something to look
// at).
//
//   bonsai [--db FILE]
//   bonsai --screenshot DIR [--db FILE] [--study NAME] [--compare A,B,...] [--trial N]
//          [--size WxH]

#include <cstdio>
#include <optional>

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QMessageBox>
#include <QSettings>
#include <QTemporaryDir>

#include "common/objective_kinds.h"
#include "exec/executor.h"
#include "main_window.h"
#include "screenshot_mode.h"
#include "storage/database.h"

int main(int argc, char** argv) {
    // Parallel command trials each hold pipes; the soft default (1024) is low.
    bonsai::raiseOpenFileLimit();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Bonsai"));
    QApplication::setApplicationName(QStringLiteral("Bonsai"));
    QApplication::setApplicationVersion(QStringLiteral(BONSAI_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/bonsai.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Bonsai: a studio for hyperparameter optimization"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption db(QStringLiteral("db"), QStringLiteral("Open this database."),
                          QStringLiteral("FILE"));
    QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Render each tab to DIR/studio-<tab>.png and exit."), QStringLiteral("DIR"));
    QCommandLineOption study(QStringLiteral("study"),
                             QStringLiteral("With --screenshot: the study to show."),
                             QStringLiteral("NAME"));
    QCommandLineOption compare(
        QStringLiteral("compare"),
        QStringLiteral("With --screenshot: studies to compare, comma-separated."),
        QStringLiteral("A,B,..."));
    QCommandLineOption trial(
        QStringLiteral("trial"),
        QStringLiteral("With --screenshot: the trial to select (default: the best)."),
        QStringLiteral("N"));
    QCommandLineOption size(QStringLiteral("size"),
                            QStringLiteral("With --screenshot: window size (default 1400x900)."),
                            QStringLiteral("WxH"));
    parser.addOptions({db, screenshot, study, compare, trial, size});
    parser.process(app);

    const bool screenshots = parser.isSet(screenshot);
    // Only screenshots need it: an interactive run that is killed would leave
    // an empty folder in /tmp behind.
    std::optional<QTemporaryDir> settingsDir;
    if (screenshots) {
        // Screenshots must neither read nor change the user's settings.
        settingsDir.emplace();
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir->path());
    }
    const bool firstStart = !QSettings().contains(QStringLiteral("lastDatabase"));

    bonsai::ui::MainWindow window(bonsai::app::objectiveRegistry());
    const QString path =
        parser.isSet(db) ? parser.value(db) : bonsai::ui::MainWindow::initialDatabasePath();
    QString error = window.openDatabase(path);
    if (!error.isEmpty()) {
        if (screenshots) {
            std::fprintf(stderr, "bonsai: %s\n", qPrintable(error));
            return 1;
        }
        QMessageBox::warning(nullptr, QStringLiteral("Bonsai"), error);
        const QString fallback = QString::fromStdString(bonsai::Database::defaultPath());
        if (QDir::cleanPath(path) != QDir::cleanPath(fallback))
            window.openDatabase(fallback);
    }

    if (screenshots) {
        bonsai::gui::ScreenshotRequest request;
        request.directory = parser.value(screenshot);
        request.study = parser.value(study);
        if (parser.isSet(compare))
            request.compare = parser.value(compare).split(u',', Qt::SkipEmptyParts);
        if (parser.isSet(trial))
            request.trial = parser.value(trial).toInt();
        if (parser.isSet(size)) {
            const QStringList parts = parser.value(size).split(QLatin1Char('x'));
            const int width = parts.value(0).toInt(), height = parts.value(1).toInt();
            if (parts.size() != 2 || width < 320 || height < 240) {
                std::fprintf(stderr, "bonsai: --size takes WIDTHxHEIGHT, e.g. 1024x700 (got %s)\n",
                             qPrintable(parser.value(size)));
                return 2;
            }
            request.size = QSize(width, height);
        }
        return bonsai::gui::takeScreenshots(window, request);
    }

    window.restoreWindowState();
    window.show();
    if (firstStart && !window.databasePath().isEmpty())
        window.startExampleStudy();
    return app.exec();
}

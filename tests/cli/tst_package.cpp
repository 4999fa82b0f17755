// What the installed package promises: the version comes from CMake's
// project(VERSION), the man page (help2man of --help) lists every command,
// and the .desktop file passes desktop-file-validate. scripts/check_package.sh
// checks the built .deb itself in CI.
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

class TestPackage : public QObject {
    Q_OBJECT

    static QByteArray run(const QString& program, const QStringList& args, int* code) {
        QProcess process;
        process.start(program, args);
        process.waitForFinished(60000);
        *code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        return process.readAllStandardOutput() + process.readAllStandardError();
    }

  private slots:
    void versionFromCMake() {
        int code = 0;
        const QByteArray out = run(QStringLiteral(BONSAI_CLI_PATH), {"--version"}, &code);
        QCOMPARE(code, 0);
        QCOMPARE(out.trimmed(), QByteArray("bonsai-cli " BONSAI_PROJECT_VERSION));
    }

    void helpListsEveryCommand() {
        int code = 0;
        const QByteArray out = run(QStringLiteral(BONSAI_CLI_PATH), {"--help"}, &code);
        QCOMPARE(code, 0);
        for (const char* command : {"run", "resume", "list", "show", "export", "import-optuna",
                                    "bench", "--format csv|json|optuna"})
            QVERIFY2(out.contains(command), command);
    }

    void desktopFileValidates() {
        const QString validate = QStandardPaths::findExecutable("desktop-file-validate");
        if (validate.isEmpty())
            QSKIP("desktop-file-validate is missing (apt-get install desktop-file-utils)");
        const QString file = QStringLiteral(BONSAI_SOURCE_DIR "/resources/bonsai.desktop");
        int code = 0;
        const QByteArray out = run(validate, {file}, &code);
        QCOMPARE(code, 0);
        // Hints count too: they mean the entry shows up twice in some menus.
        QVERIFY2(out.trimmed().isEmpty(), out.constData());
    }
};

QTEST_GUILESS_MAIN(TestPackage)
#include "tst_package.moc"

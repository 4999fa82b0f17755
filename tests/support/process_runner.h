#pragma once

// Runs a program (bonsai-cli, a script, squeue) to its end and collects what
// it printed: the one QProcess runner of the CLI tests.

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace bonsai::test {

struct ProcessResult {
    int exitCode = -1;  // -1: crashed, or timed out (then err is "timed out")
    QString out;        // standard output as UTF-8
    QString err;
    QByteArray rawOut;  // standard output byte for byte
};

// Kills the process and returns {-1, "timed out"} after `timeoutMs`.
ProcessResult runProcess(const QString& program, const QStringList& args,
                         const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
                         int timeoutMs = 60000);

#ifdef BONSAI_CLI_PATH
// bonsai-cli of this build (tests/cli only).
inline ProcessResult runCli(
    const QStringList& args, int timeoutMs = 60000,
    const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
    return runProcess(QStringLiteral(BONSAI_CLI_PATH), args, env, timeoutMs);
}
#endif

}  // namespace bonsai::test

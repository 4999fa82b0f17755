#include "setup/test_run_dialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "study/export.h"

namespace bonsai::ui {

namespace {

// In the space's order, as the form and the Trials table list them.
QString describeParams(const ParamMap& params, const Json& spec) {
    QStringList parts;
    for (const auto& [name, value] : inDisplayOrder(params, spaceParameterNames(spec)))
        parts << QStringLiteral("%1 = %2").arg(QString::fromStdString(name),
                                               QString::fromStdString(toDisplayString(*value)));
    return parts.isEmpty() ? QObject::tr("(no parameters)") : parts.join(QStringLiteral(", "));
}

}  // namespace

TestRunDialog::TestRunDialog(const Json& spec, const ObjectiveRegistry& objectives, QWidget* parent)
    : QDialog(parent), m_run(new ObjectiveTestRun(this)) {
    setWindowTitle(tr("Test run of the objective"));
    setObjectName(QStringLiteral("testRun.dialog"));
    resize(640, 480);
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);

    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    m_params = new QLabel(this);
    m_params->setWordWrap(true);
    m_params->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result = new QLabel(tr("Running…"), this);
    m_result->setObjectName(QStringLiteral("testRun.result"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Parameters (centre of the space):"), m_params);
    form->addRow(tr("Result:"), m_result);
    layout->addLayout(form);

    layout->addWidget(new QLabel(tr("Reported values:"), this));
    m_reports = new QPlainTextEdit(this);
    m_reports->setObjectName(QStringLiteral("testRun.reports"));
    m_reports->setReadOnly(true);
    m_reports->setFont(fixed);
    m_reports->setMaximumBlockCount(10000);
    layout->addWidget(m_reports, 1);
    layout->addWidget(new QLabel(tr("Output (last lines of stdout and stderr):"), this));
    m_output = new QPlainTextEdit(this);
    m_output->setObjectName(QStringLiteral("testRun.output"));
    m_output->setReadOnly(true);
    m_output->setFont(fixed);
    m_output->setPlaceholderText(tr("shown when the run ends"));
    layout->addWidget(m_output, 2);

    auto* buttons = new QDialogButtonBox(this);
    m_cancel = buttons->addButton(tr("Cancel run"), QDialogButtonBox::RejectRole);
    m_cancel->setObjectName(QStringLiteral("testRun.cancel"));
    QPushButton* close = buttons->addButton(QDialogButtonBox::Close);
    close->setEnabled(false);
    layout->addWidget(buttons);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_cancel->setEnabled(false);
        m_result->setText(tr("Stopping…"));
        m_run->cancel();
    });
    connect(close, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_run, &ObjectiveTestRun::reported, this, [this](qint64 step, double value) {
        m_reports->appendPlainText(QStringLiteral("step %1: %2").arg(step).arg(value, 0, 'g', 8));
    });
    connect(m_run, &ObjectiveTestRun::finished, this,
            [this, close](const ObjectiveTestRun::Outcome& outcome) {
                showOutcome(outcome);
                m_cancel->setEnabled(false);
                close->setEnabled(true);
                close->setDefault(true);
            });

    try {
        m_params->setText(describeParams(m_run->start(spec, objectives), spec));
    } catch (const std::exception& error) {
        m_result->setText(tr("Cannot start: %1").arg(QString::fromStdString(error.what())));
        m_cancel->setEnabled(false);
        close->setEnabled(true);
    }
}

void TestRunDialog::showOutcome(const ObjectiveTestRun::Outcome& outcome) {
    const QString seconds = QString::number(outcome.seconds, 'f', 2);
    if (outcome.ok)
        m_result->setText(
            tr("value %1 (in %2 s)").arg(QString::number(outcome.value, 'g', 10), seconds));
    else
        m_result->setText(tr("failed after %1 s: %2").arg(seconds, outcome.message));
    m_result->setStyleSheet(outcome.ok ? QStringLiteral("color: #1b5e20;")
                                       : QStringLiteral("color: #8e1b1b;"));
    QString output;
    if (!outcome.stdoutTail.isEmpty())
        output += tr("── stdout ──\n") + outcome.stdoutTail;
    if (!outcome.stderrTail.isEmpty())
        output += (output.isEmpty() || output.endsWith(u'\n') ? QString() : QStringLiteral("\n")) +
                  tr("── stderr ──\n") + outcome.stderrTail;
    m_output->setPlainText(output);
}

QString TestRunDialog::resultText() const {
    return m_result->text();
}
QString TestRunDialog::reportText() const {
    return m_reports->toPlainText();
}
QString TestRunDialog::outputText() const {
    return m_output->toPlainText();
}

}  // namespace bonsai::ui

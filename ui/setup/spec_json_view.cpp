#include "setup/spec_json_view.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "study/spec.h"

namespace bonsai::ui {

SpecJsonView::SpecJsonView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* title =
        new QLabel(tr("<b>Spec as JSON</b> — the same file <tt>bonsai-cli run</tt> reads"), this);
    title->setWordWrap(true);
    layout->addWidget(title);
    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(QStringLiteral("spec.json"));
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // Long lines (a command, a description) wrap rather than hide.
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    layout->addWidget(m_text, 1);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setStyleSheet(QStringLiteral("color: #b71c1c"));
    m_status->hide();
    layout->addWidget(m_status);
    auto* buttons = new QHBoxLayout;
    m_apply = new QPushButton(tr("Apply to form"), this);
    m_apply->setObjectName(QStringLiteral("spec.apply"));
    m_revert = new QPushButton(tr("Revert"), this);
    buttons->addStretch();
    buttons->addWidget(m_revert);
    buttons->addWidget(m_apply);
    layout->addLayout(buttons);

    connect(m_text, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_updating)
            setEdited(true);
    });
    connect(m_apply, &QPushButton::clicked, this, &SpecJsonView::apply);
    connect(m_revert, &QPushButton::clicked, this, [this] {
        setEdited(false);
        showSpec(m_shown);
    });
    setEdited(false);
}

void SpecJsonView::showSpec(const Json& spec) {
    m_shown = spec;
    if (m_edited)
        return;
    m_updating = true;
    m_text->setPlainText(QString::fromStdString(spec.dump(2)));
    m_updating = false;
}

QString SpecJsonView::text() const {
    return m_text->toPlainText();
}

bool SpecJsonView::apply() {
    try {
        Json spec = parseJsonText(m_text->toPlainText().toStdString());
        if (!spec.is_object())
            throw SpecError("", "the spec must be a JSON object { ... }");
        setEdited(false);
        emit applied(spec);
        return true;
    } catch (const SpecError& error) {
        m_status->setText(QString::fromUtf8(error.what()));
        m_status->show();
        return false;
    }
}

void SpecJsonView::setEdited(bool edited) {
    m_edited = edited;
    m_apply->setEnabled(edited);
    m_revert->setEnabled(edited);
    if (!edited)
        m_status->hide();
}

}  // namespace bonsai::ui

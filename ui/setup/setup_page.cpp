#include "setup/setup_page.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QUndoStack>
#include <QVBoxLayout>

#include "setup/setup_form.h"
#include "setup/spec_json_view.h"
#include "setup/test_run_dialog.h"

namespace bonsai::ui {

SetupPage::SetupPage(ObjectiveRegistry objectives, QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("setup.banner"));
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::PlainText);
    m_banner->setStyleSheet(
        QStringLiteral("QLabel { background: #fdecea; color: #8e1b1b; border: 1px solid #e5a3a3; "
                       "border-radius: 3px; padding: 6px; }"));
    layout->addWidget(m_banner);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    auto* scroll = new QScrollArea(splitter);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_form = new SetupForm(std::move(objectives), scroll);
    scroll->setWidget(m_form);
    m_json = new SpecJsonView(splitter);
    splitter->addWidget(scroll);
    splitter->addWidget(m_json);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({760, 300});
    layout->addWidget(splitter, 1);

    auto* buttons = new QHBoxLayout;
    auto* undo = new QPushButton(tr("Undo"), this);
    auto* redo = new QPushButton(tr("Redo"), this);
    QUndoStack* stack = m_form->undoStack();
    undo->setEnabled(false);
    redo->setEnabled(false);
    connect(stack, &QUndoStack::canUndoChanged, undo, &QPushButton::setEnabled);
    connect(stack, &QUndoStack::canRedoChanged, redo, &QPushButton::setEnabled);
    connect(undo, &QPushButton::clicked, this, [this, stack] {
        m_form->commitEdits();
        stack->undo();
    });
    connect(redo, &QPushButton::clicked, stack, &QUndoStack::redo);
    m_testRun = new QPushButton(tr("Test run…"), this);
    m_testRun->setObjectName(QStringLiteral("setup.testRun"));
    m_testRun->setToolTip(
        tr("Evaluate the objective once at the centre of the space, without storing anything"));
    m_start = new QPushButton(tr("Start study"), this);
    m_start->setObjectName(QStringLiteral("setup.start"));
    m_start->setDefault(true);
    m_start->setMinimumWidth(140);
    buttons->addWidget(undo);
    buttons->addWidget(redo);
    buttons->addStretch();
    buttons->addWidget(m_testRun);
    buttons->addWidget(m_start);
    layout->addLayout(buttons);

    connect(m_form, &SetupForm::contentChanged, this, [this] {
        m_json->showSpec(m_form->toJson());
        updateState();
    });
    connect(m_form, &SetupForm::validityChanged, this, &SetupPage::updateState);
    connect(m_json, &SpecJsonView::applied, m_form, &SetupForm::setJson);
    connect(m_start, &QPushButton::clicked, this, [this] {
        if (!canStart())
            return;
        m_form->commitEdits();
        emit startRequested(m_form->toJson());
    });
    connect(m_testRun, &QPushButton::clicked, this, [this] {
        m_form->commitEdits();
        auto* dialog = new TestRunDialog(m_form->toJson(), m_form->objectives(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        emit testRunOpened(dialog);
        dialog->open();
    });
    m_json->showSpec(m_form->toJson());
    updateState();
}

QString SetupPage::bannerText() const {
    return m_banner->isHidden() ? QString() : m_banner->text();
}

void SetupPage::setRunning(bool running) {
    m_running = running;
    updateState();
}

bool SetupPage::canStart() const {
    return m_form->isValid() && !m_running;
}

void SetupPage::updateState() {
    const bool wasEnabled = m_start->isEnabled();
    m_start->setEnabled(canStart());
    m_testRun->setEnabled(m_form->isValid());
    if (const auto& error = m_form->error()) {
        m_banner->setText(error->text());
        m_banner->show();
    } else {
        m_banner->hide();
    }
    m_start->setToolTip(m_form->isValid() ? (m_running ? tr("A study is running") : QString())
                                          : tr("Fix the marked field first"));
    if (wasEnabled != m_start->isEnabled())
        emit canStartChanged(m_start->isEnabled());
}

}  // namespace bonsai::ui

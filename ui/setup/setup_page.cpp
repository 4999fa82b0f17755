#include "setup/setup_page.h"

#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMouseEvent>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QShowEvent>
#include <QSplitter>
#include <QStackedWidget>
#include <QUndoStack>
#include <QVBoxLayout>

#include "helpers/wheel_guard.h"
#include "setup/direction_hint.h"
#include "setup/setup_form.h"
#include "setup/spec_json_view.h"
#include "setup/test_run_dialog.h"
#include "study/spec.h"

namespace bonsai::ui {

namespace {

// Where an imported study came from, as its spec records it: "Optuna
// (optuna.db)".
QString importSource(const Json& spec) {
    const Json& objective = spec["objective"];
    QString tool = QStringLiteral("another tool");
    if (objective.contains("from") && objective["from"].is_string())
        tool = QString::fromStdString(objective["from"].get<std::string>());
    if (tool == QLatin1String("optuna"))
        tool = QStringLiteral("Optuna");
    if (objective.contains("file") && objective["file"].is_string())
        tool += QStringLiteral(" (%1)").arg(
            QFileInfo(QString::fromStdString(objective["file"].get<std::string>())).fileName());
    return tool;
}

// A stored spec is read, not filled in: in the disabled form, hints such as
// "optional" or "a, b, c" would look like the values.
void clearPlaceholders(QWidget* form) {
    for (auto* edit : form->findChildren<QLineEdit*>())
        edit->setPlaceholderText(QString());
    for (auto* edit : form->findChildren<QPlainTextEdit*>())
        edit->setPlaceholderText(QString());
}

}  // namespace

SetupPage::SetupPage(ObjectiveRegistry objectives, QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("setup.banner"));
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::PlainText);
    // Always there, at least two lines high, so the form below does not jump
    // when a short error comes or goes; a longer one grows it, never cut off.
    m_banner->setMinimumHeight(2 * m_banner->fontMetrics().lineSpacing() + 16);
    m_banner->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    m_banner->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_banner->installEventFilter(this);
    layout->addWidget(m_banner);

    m_pages = new QStackedWidget(this);
    auto* splitter = new QSplitter(Qt::Horizontal, m_pages);
    auto* scroll = new QScrollArea(splitter);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    WheelGuard::install(scroll);  // before the form, whose fields polish as they are built
    m_form = new SetupForm(objectives, scroll);
    scroll->setWidget(m_form);
    m_json = new SpecJsonView(splitter);
    splitter->addWidget(scroll);
    splitter->addWidget(m_json);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({640, 420});
    m_pages->addWidget(splitter);

    // A stored study: the same form, read-only, beside its stored JSON.
    auto* stored = new QSplitter(Qt::Horizontal, m_pages);
    stored->setObjectName(QStringLiteral("setup.stored"));
    auto* storedScroll = new QScrollArea(stored);
    storedScroll->setWidgetResizable(true);
    storedScroll->setFrameShape(QFrame::NoFrame);
    WheelGuard::install(storedScroll);
    m_storedForm = new SetupForm(std::move(objectives), storedScroll);
    m_storedForm->setEnabled(false);
    storedScroll->setWidget(m_storedForm);
    m_storedJson = new QPlainTextEdit(stored);
    m_storedJson->setObjectName(QStringLiteral("setup.storedJson"));
    m_storedJson->setReadOnly(true);
    m_storedJson->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    stored->addWidget(storedScroll);
    stored->addWidget(m_storedJson);
    stored->setStretchFactor(0, 3);
    stored->setStretchFactor(1, 2);
    stored->setSizes({640, 420});
    m_pages->addWidget(stored);
    layout->addWidget(m_pages, 1);

    auto* buttons = new QHBoxLayout;
    auto* undo = m_undo = new QPushButton(tr("Undo"), this);
    auto* redo = m_redo = new QPushButton(tr("Redo"), this);
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
    m_backToDraft = new QPushButton(tr("Back to draft"), this);
    m_backToDraft->setObjectName(QStringLiteral("setup.backToDraft"));
    m_backToDraft->setToolTip(tr("Return to the spec you were editing"));
    m_duplicate = new QPushButton(tr("Duplicate && edit"), this);
    m_duplicate->setObjectName(QStringLiteral("setup.duplicate"));
    m_duplicate->setToolTip(tr("Start a new draft from this study's spec, under a new name"));
    buttons->addWidget(undo);
    buttons->addWidget(redo);
    buttons->addStretch();
    buttons->addWidget(m_backToDraft);
    buttons->addWidget(m_duplicate);
    buttons->addWidget(m_testRun);
    buttons->addWidget(m_start);
    layout->addLayout(buttons);
    m_backToDraft->hide();
    m_duplicate->hide();
    connect(m_duplicate, &QPushButton::clicked, this, &SetupPage::duplicateRequested);
    connect(m_backToDraft, &QPushButton::clicked, this, &SetupPage::showDraft);

    connect(m_form, &SetupForm::contentChanged, this, [this] {
        m_json->showSpec(m_form->toJson());
        // A spec loaded into the draft (Open spec, a test) brings it forward.
        if (m_showingStored)
            showDraft();
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
    return !m_showingStored && m_form->error() ? m_banner->text() : QString();
}

void SetupPage::setRunningStudy(const QString& name) {
    m_runningStudy = name;
    updateState();
}

bool SetupPage::canStart() const {
    return !m_showingStored && m_form->isValid() && m_runningStudy.isEmpty();
}

void SetupPage::showStored(const QString& name, const QString& state, const Json& spec) {
    m_storedName = name;
    m_storedState = state;
    m_storedSpec = spec;
    m_storedStale = true;
    m_showingStored = true;
    m_pages->setCurrentIndex(1);
    // Validating a spec can load a table: only when someone looks.
    if (isVisible())
        fillStored();
    updateState();
}

void SetupPage::setStoredState(const QString& state) {
    m_storedState = state;
    updateState();
}

void SetupPage::showDraft() {
    m_showingStored = false;
    m_pages->setCurrentIndex(0);
    updateState();
}

void SetupPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (m_showingStored && m_storedStale)
        fillStored();
}

void SetupPage::fillStored() {
    m_storedStale = false;
    m_storedForm->resetTo(m_storedSpec);
    clearPlaceholders(m_storedForm);
    updateState();
    m_storedJson->setPlainText(QString::fromStdString(m_storedSpec.dump(2)));
}

bool SetupPage::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_banner && event->type() == QEvent::MouseButtonRelease &&
        static_cast<QMouseEvent*>(event)->button() == Qt::LeftButton && !m_showingStored)
        m_form->revealError();
    return QWidget::eventFilter(watched, event);
}

void SetupPage::setBanner(const QString& text, bool error) {
    m_banner->setText(text);
    // An error's field may be scrolled out of sight (a table column off to
    // the right, a setting below the fold): the banner takes the user there.
    const bool leadsToField = error && m_form->widgetForPath(m_form->error()->path);
    m_banner->setToolTip(leadsToField ? tr("%1\nClick to go to the field.").arg(text) : text);
    m_banner->setCursor(leadsToField ? Qt::PointingHandCursor : Qt::ArrowCursor);
    if (error)
        m_banner->setStyleSheet(QStringLiteral(
            "QLabel { background: #fdecea; color: #8e1b1b; border: 1px solid #e5a3a3; "
            "border-radius: 3px; padding: 4px 6px; }"));
    else
        // Palette colours: readable in light and dark mode.
        m_banner->setStyleSheet(QStringLiteral(
            "QLabel { background: palette(alternate-base); color: palette(text); "
            "border: 1px solid palette(mid); border-radius: 3px; padding: 4px 6px; }"));
}

void SetupPage::setImportTarget(const QString& databaseName) {
    m_importTarget = databaseName;
    updateState();
}

void SetupPage::updateState() {
    const bool wasEnabled = m_start->isEnabled();
    m_start->setEnabled(canStart());
    m_testRun->setEnabled(!m_showingStored && m_form->isValid());
    m_testRun->setVisible(!m_showingStored);
    m_start->setVisible(!m_showingStored);
    m_undo->setVisible(!m_showingStored);
    m_redo->setVisible(!m_showingStored);
    m_duplicate->setVisible(m_showingStored);
    m_backToDraft->setVisible(m_showingStored);
    if (m_showingStored && isImportedStudy(m_storedSpec)) {
        QString text = tr("Study '%1' (%2) comes from %3: its spec is read-only, and its "
                          "objective ran there, so it cannot resume here. Duplicate & edit starts "
                          "a new study that warm-starts from its trials; Back to draft returns to "
                          "your draft.")
                           .arg(m_storedName, m_storedState, importSource(m_storedSpec));
        if (!m_importTarget.isEmpty())
            text += QLatin1Char(' ') +
                    tr("This file is open read-only, so Duplicate & edit first imports the study "
                       "into %1 and switches to it.")
                        .arg(m_importTarget);
        setBanner(text, false);
    } else if (m_showingStored) {
        QString text =
            tr("Study '%1' (%2) as stored: its spec is read-only. Duplicate & edit starts "
               "a new study from it, Back to draft returns to your draft, New study starts "
               "afresh.")
                .arg(m_storedName, m_storedState);
        // What has changed since it ran (a table moved, a script deleted)
        // would stop a resume: say so here rather than only at Resume.
        const auto& error = m_storedForm->error();
        if (!m_storedStale && error)
            text += QLatin1Char(' ') + tr("It would not run as it is now: %1").arg(error->text());
        setBanner(text, false);
    } else if (const auto& error = m_form->error()) {
        setBanner(error->text(), true);
    } else {
        QString text =
            m_runningStudy.isEmpty()
                ? tr("The spec is valid: Start study runs it (Test run… tries the objective "
                     "once first).")
                : tr("The spec is valid. Start study is available once '%1' stops running: "
                     "one study runs at a time (Pause or Stop now stops it sooner). Test run… "
                     "can try the objective meanwhile.")
                      .arg(m_runningStudy);
        if (const QString hint = directionHint(m_form->toJson()); !hint.isEmpty())
            text += QLatin1Char(' ') + tr("Check: %1").arg(hint);
        setBanner(text, false);
    }
    m_start->setToolTip(!m_form->isValid()         ? tr("Fix the marked field first")
                        : m_runningStudy.isEmpty() ? QString()
                                                   : tr("'%1' is running").arg(m_runningStudy));
    if (wasEnabled != m_start->isEnabled())
        emit canStartChanged(m_start->isEnabled());
}

}  // namespace bonsai::ui

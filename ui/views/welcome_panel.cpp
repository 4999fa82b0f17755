#include "views/welcome_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace bonsai::ui {

namespace {
const char* kDismissedKey = "welcome/dismissed";
}

bool WelcomePanel::dismissedBefore() {
    return QSettings().value(kDismissedKey, false).toBool();
}

WelcomePanel::WelcomePanel(QWidget* parent) : QFrame(parent) {
    setObjectName(QStringLiteral("welcomePanel"));
    setFrameShape(QFrame::StyledPanel);
    // The palette's highlight, faint: readable in light and dark mode alike.
    setAutoFillBackground(true);
    QPalette shade = palette();
    QColor tint = shade.color(QPalette::Highlight);
    tint.setAlpha(40);
    shade.setColor(QPalette::Window, tint);
    setPalette(shade);

    auto* layout = new QHBoxLayout(this);
    auto* text =
        new QLabel(tr("<b>Welcome to Bonsai.</b> An example study, <i>welcome-branin</i>, "
                      "was started for you: "
                      "watch the <b>Live</b> tab, inspect trials in <b>Trials</b>, and read the "
                      "<b>Analysis</b> once it is done. To search your own problem, choose "
                      "<b>New study</b>, fill in the Setup form and press <b>Start</b>, or "
                      "start from a bundled example with <b>Open spec…</b> or <b>File › Open "
                      "example</b> (a NAS-Bench-201 cell search on Fashion-MNIST, a training "
                      "script, a tabular benchmark); "
                      "<b>Pause</b> lets the running trial finish, <b>Stop now</b> interrupts it."),
                   this);
    text->setWordWrap(true);
    layout->addWidget(text, 1);
    auto* buttons = new QVBoxLayout;
    auto* newStudy = new QPushButton(tr("New study"), this);
    auto* openSpec = new QPushButton(tr("Open spec…"), this);
    m_close = new QPushButton(tr("Got it"), this);
    m_close->setObjectName(QStringLiteral("welcome.close"));
    for (QPushButton* button : {newStudy, openSpec, m_close})
        buttons->addWidget(button);
    layout->addLayout(buttons);
    connect(newStudy, &QPushButton::clicked, this, &WelcomePanel::newStudyRequested);
    connect(openSpec, &QPushButton::clicked, this, &WelcomePanel::openSpecRequested);
    connect(m_close, &QPushButton::clicked, this, [this] {
        QSettings().setValue(kDismissedKey, true);
        hide();
    });
}

}  // namespace bonsai::ui

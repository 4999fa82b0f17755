#include "setup/space_filler.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace bonsai::ui {

SpaceFiller::SpaceFiller(const QString& label, const QString& objectName, QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_button = new QPushButton(label, this);
    m_button->setObjectName(objectName);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_button, 0, Qt::AlignLeft);
    layout->addWidget(m_note);
    connect(m_button, &QPushButton::clicked, this, [this] { fill(); });
    setVisible(false);
}

QString SpaceFiller::note() const {
    return m_note->text();
}

void SpaceFiller::setOffered(bool offered) {
    if (!offered)
        m_note->clear();
    setVisible(offered);
}

void SpaceFiller::setNote(const QString& text) {
    m_note->setText(text);
}

}  // namespace bonsai::ui

#include "setup/nas_space_filler.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace bonsai::ui {

namespace {

// The learning rate's range in the bundled fashion-mnist examples.
constexpr double kLowLr = 0.02;
constexpr double kHighLr = 0.3;

}  // namespace

NasSpaceFiller::NasSpaceFiller(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_button = new QPushButton(tr("Search space for NAS"), this);
    m_button->setObjectName(QStringLiteral("objective.nasSpace"));
    m_button->setToolTip(
        tr("Replaces the search space with a NAS-Bench-201 cell and the learning rate "
           "(%1 to %2, log scale), as the bundled fashion-mnist examples search. Add "
           "momentum, weight_decay, batch_size, epochs, channels or cells_per_stage to search "
           "them too. Undo restores the previous space.")
            .arg(kLowLr)
            .arg(kHighLr));
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_button, 0, Qt::AlignLeft);
    layout->addWidget(m_note);
    connect(m_button, &QPushButton::clicked, this, [this] {
        m_note->setText(tr("Filled: cell (an nb201-cell) and lr (%1 to %2, log scale). Undo "
                           "restores the previous space.")
                            .arg(kLowLr)
                            .arg(kHighLr));
        emit spaceChosen(nasSpace());
    });
    setVisible(false);
}

void NasSpaceFiller::setObjective(const Json& objective) {
    const bool nas = objective.is_object() && objective.value("kind", "") == "fashion-mnist";
    if (!nas)
        m_note->clear();
    setVisible(nas);
}

QString NasSpaceFiller::note() const {
    return m_note->text();
}

Json NasSpaceFiller::nasSpace() {
    return Json::array(
        {{{"name", "cell"}, {"type", "nb201-cell"}},
         {{"name", "lr"}, {"type", "float"}, {"low", kLowLr}, {"high", kHighLr}, {"log", true}}});
}

}  // namespace bonsai::ui

#include "cell/cell_tooltip.h"

#include <QGuiApplication>
#include <QLabel>
#include <QPointer>
#include <QScreen>
#include <QVBoxLayout>

#include "cell/cell_view.h"
#include "helpers/cell_format.h"

namespace bonsai::ui {

namespace {

class CellTooltip : public QFrame {
  public:
    CellTooltip() : QFrame(nullptr, Qt::ToolTip | Qt::FramelessWindowHint) {
        setObjectName(QStringLiteral("cellTooltip"));
        setFrameShape(QFrame::Box);
        setAttribute(Qt::WA_ShowWithoutActivating);
        setAttribute(Qt::WA_TransparentForMouseEvents);
        auto* layout = new QVBoxLayout(this);
        layout->setContentsMargins(6, 6, 6, 6);
        m_cell = new CellView(this);
        m_cell->setLegendVisible(false);
        m_cell->setFixedSize(300, 150);
        m_text = new QLabel(this);
        layout->addWidget(m_cell);
        layout->addWidget(m_text);
    }
    CellView* m_cell;
    QLabel* m_text;
};

QPointer<CellTooltip>& instance() {
    static QPointer<CellTooltip> tooltip;
    return tooltip;
}

}  // namespace

bool showCellTooltip(const QPoint& globalPos, const Trial& trial, const QString& summary,
                     QWidget* owner) {
    auto cell = cellFormat::anyCell(trial);
    if (!cell)
        return false;
    QPointer<CellTooltip>& tip = instance();
    if (!tip)
        tip = new CellTooltip;
    tip->m_cell->setCell(cell->second);
    tip->m_cell->setTitle(
        QObject::tr("Trial %1: %2").arg(trial.number).arg(cellFormat::compact(cell->second)));
    tip->m_text->setText(summary);
    tip->adjustSize();
    // Below right of the pointer, kept on the owner's screen.
    QPoint at = globalPos + QPoint(14, 14);
    if (QScreen* screen = owner ? owner->screen() : QGuiApplication::primaryScreen()) {
        const QRect area = screen->availableGeometry();
        if (at.x() + tip->width() > area.right())
            at.setX(globalPos.x() - tip->width() - 8);
        if (at.y() + tip->height() > area.bottom())
            at.setY(globalPos.y() - tip->height() - 8);
    }
    tip->move(at);
    tip->show();
    tip->raise();
    return true;
}

void hideCellTooltip() {
    if (QPointer<CellTooltip>& tip = instance())
        tip->hide();
}

QWidget* cellTooltipWindow() {
    QPointer<CellTooltip>& tip = instance();
    return tip && tip->isVisible() ? tip.data() : nullptr;
}

}  // namespace bonsai::ui

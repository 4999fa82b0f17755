#include "cell/operation_heatmap.h"

#include <algorithm>
#include <cmath>

#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QMenu>
#include <QPainter>
#include <QToolTip>

#include "helpers/cell_format.h"
#include "helpers/format.h"
#include "plots/chart_export.h"

namespace bonsai::ui {

namespace {

// White to dark blue; text turns white on the darker half.
QColor shade(double share) {
    const double t = std::clamp(share, 0.0, 1.0);
    const QColor light(0xf7, 0xfb, 0xff), dark(0x08, 0x30, 0x6b);
    auto mix = [t](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * t)); };
    return QColor(mix(light.red(), dark.red()), mix(light.green(), dark.green()),
                  mix(light.blue(), dark.blue()));
}

QString percent(double share) {
    return QStringLiteral("%1 %").arg(std::lround(share * 100));
}

}  // namespace

OperationHeatmap::OperationHeatmap(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("analysis.operationHeatmap"));
    setMouseTracking(true);
    clear(tr("No study selected"));
}

void OperationHeatmap::setFrequency(const OperationFrequency& frequency,
                                    const QString& edgePrefix) {
    m_frequency = frequency;
    m_edgePrefix = edgePrefix;
    m_message = frequency.all == 0 ? tr("No complete trial with a cell yet") : QString();
    update();
}

void OperationHeatmap::clear(const QString& reason) {
    m_frequency.reset();
    m_message = reason;
    update();
}

OperationHeatmap::Geometry OperationHeatmap::geometry() const {
    const QFontMetricsF metrics(font());
    Geometry g;
    g.left = metrics.horizontalAdvance(m_edgePrefix + QStringLiteral("3←0  ")) + 12;
    g.top = 2 * metrics.height() + 12;
    g.panelGap = 24;
    const double legend = metrics.height() + 16;
    g.cellWidth =
        std::max(30.0, (width() - g.left - g.panelGap - 12) / (2.0 * Nb201Cell::kOperations));
    g.cellHeight = std::max(16.0, (height() - g.top - legend - 8) / Nb201Cell::kEdges);
    return g;
}

QRectF OperationHeatmap::cellRect(int panel, int edge, int op) const {
    const Geometry g = geometry();
    const double x =
        g.left + panel * (Nb201Cell::kOperations * g.cellWidth + g.panelGap) + op * g.cellWidth;
    return QRectF(x, g.top + edge * g.cellHeight, g.cellWidth, g.cellHeight);
}

QString OperationHeatmap::describe(int panel, int edge, int op) const {
    const OperationFrequency& f = *m_frequency;
    const auto e = static_cast<std::size_t>(edge), o = static_cast<std::size_t>(op);
    const QString name = QString::fromLatin1(Nb201Cell::operationNames()[o]);
    const QString where = m_edgePrefix + cellFormat::edgeName(edge);
    const QString best = f.paretoSet ? tr("%1 of the Pareto set (%2 of %3)")
                                           .arg(percent(f.bestShare(edge, op)))
                                           .arg(f.bestCounts[e][o])
                                           .arg(countOf(f.best, tr("trial"), tr("trials")))
                                     : tr("%1 of the best %2 (%3 of %4)")
                                           .arg(percent(f.bestShare(edge, op)), percent(f.fraction))
                                           .arg(f.bestCounts[e][o])
                                           .arg(countOf(f.best, tr("trial"), tr("trials")));
    const QString all = tr("%1 of all trials (%2 of %3)")
                            .arg(percent(f.allShare(edge, op)))
                            .arg(f.allCounts[e][o])
                            .arg(f.all);
    return tr("%1 on %2: %3; %4")
        .arg(name, where, panel == 0 ? best : all, panel == 0 ? all : best);
}

void OperationHeatmap::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    if (!m_frequency || !m_message.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect().adjusted(16, 0, -16, 0), Qt::AlignCenter | Qt::TextWordWrap,
                         m_message);
        return;
    }
    const OperationFrequency& f = *m_frequency;
    const Geometry g = geometry();
    const QFontMetricsF metrics(font());
    QFont small = font();
    small.setPointSizeF(std::max(6.0, small.pointSizeF() * 0.85));
    const QFontMetricsF smallMetrics(small);
    const QString titles[2] = {
        f.paretoSet ? tr("Pareto set (%1)").arg(countOf(f.best, tr("trial"), tr("trials")))
                    : tr("Best %1 (%2)")
                          .arg(percent(f.fraction), countOf(f.best, tr("trial"), tr("trials"))),
        tr("All complete trials (%1)").arg(f.all)};
    for (int panel = 0; panel < 2; ++panel) {
        const QRectF first = cellRect(panel, 0, 0);
        const double panelWidth = Nb201Cell::kOperations * g.cellWidth;
        QFont bold = font();
        bold.setBold(true);
        painter.setFont(bold);
        painter.setPen(palette().color(QPalette::Text));
        painter.drawText(QRectF(first.left(), 4, panelWidth, metrics.height()), Qt::AlignCenter,
                         titles[panel]);
        painter.setFont(small);
        for (int op = 0; op < Nb201Cell::kOperations; ++op) {
            const QRectF cell = cellRect(panel, 0, op);
            painter.drawText(QRectF(cell.left(), 6 + metrics.height(), cell.width(),
                                    g.top - 8 - metrics.height()),
                             Qt::AlignCenter,
                             smallMetrics.elidedText(cellFormat::operationLabel(op), Qt::ElideRight,
                                                     cell.width() - 2));
        }
        for (int edge = 0; edge < Nb201Cell::kEdges; ++edge)
            for (int op = 0; op < Nb201Cell::kOperations; ++op) {
                const double share = panel == 0 ? f.bestShare(edge, op) : f.allShare(edge, op);
                const QRectF cell = cellRect(panel, edge, op);
                painter.fillRect(cell, shade(share));
                painter.setPen(QPen(palette().color(QPalette::Base), 1));
                painter.drawRect(cell);
                painter.setPen(share > 0.5 ? QColor(Qt::white) : QColor(0x20, 0x20, 0x20));
                painter.drawText(cell, Qt::AlignCenter, percent(share));
            }
    }
    painter.setFont(font());
    painter.setPen(palette().color(QPalette::Text));
    for (int edge = 0; edge < Nb201Cell::kEdges; ++edge) {
        const QRectF cell = cellRect(0, edge, 0);
        painter.drawText(QRectF(0, cell.top(), g.left - 8, cell.height()),
                         Qt::AlignRight | Qt::AlignVCenter,
                         m_edgePrefix + cellFormat::edgeName(edge));
    }
    // Colour scale.
    const double y = cellRect(0, Nb201Cell::kEdges - 1, 0).bottom() + 10;
    const double x = g.left;
    painter.setFont(small);
    for (int step = 0; step <= 10; ++step) {
        const QRectF swatch(x + step * 22, y, 22, smallMetrics.height());
        painter.fillRect(swatch, shade(step / 10.0));
    }
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(QPointF(x + 11 * 22 + 8, y + smallMetrics.ascent()),
                     tr("share of the trials with that operation on that edge (0 to 100 %)"));
}

bool OperationHeatmap::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        if (m_frequency && m_message.isEmpty())
            for (int panel = 0; panel < 2; ++panel)
                for (int edge = 0; edge < Nb201Cell::kEdges; ++edge)
                    for (int op = 0; op < Nb201Cell::kOperations; ++op)
                        if (cellRect(panel, edge, op).contains(help->pos())) {
                            QToolTip::showText(help->globalPos(), describe(panel, edge, op), this);
                            return true;
                        }
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    return QWidget::event(event);
}

void OperationHeatmap::contextMenuEvent(QContextMenuEvent* event) {
    QMenu menu(this);
    menu.addAction(tr("Save heat map as PNG or SVG…"), this,
                   [this] { saveWidgetImageAs(this, tr("Save heat map"), tr("operations")); });
    menu.exec(event->globalPos());
}

}  // namespace bonsai::ui

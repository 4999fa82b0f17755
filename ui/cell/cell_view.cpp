#include "cell/cell_view.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include <QClipboard>
#include <QContextMenuEvent>
#include <QGuiApplication>
#include <QMenu>
#include <QPainter>

#include "helpers/cell_format.h"
#include "plots/chart_export.h"

namespace bonsai::ui {

namespace {

constexpr double kPi = 3.14159265358979323846;

// Row heights of the text around the graph.
double textHeight() {
    return QFontMetricsF(QFont()).height() + 4;
}

QFont labelFont() {
    QFont font;
    font.setPointSizeF(std::max(6.0, font.pointSizeF() * 0.85));
    return font;
}

// The legend's entries (a line sample and the operation's name) left to
// right, wrapped onto as many rows of `rowHeight` as `area`'s width needs:
// one rectangle per operation.
std::vector<QRectF> legendEntries(double left, double top, double width, double rowHeight) {
    const QFontMetricsF metrics(labelFont());
    std::vector<QRectF> entries;
    double x = left, y = top;
    for (int op = 0; op < Nb201Cell::kOperations; ++op) {
        const double entryWidth =
            19 + metrics.horizontalAdvance(cellFormat::operationLabel(op)) + 2;
        if (x > left && x + entryWidth > left + width) {
            x = left;
            y += rowHeight;
        }
        entries.emplace_back(x, y, entryWidth, rowHeight);
        x += entryWidth + 10;
    }
    return entries;
}

}  // namespace

CellDrawing layoutCell(const Nb201Cell& cell, const QRectF& area, bool legend) {
    CellDrawing out;
    const double line = textHeight();
    QRectF graph = area.adjusted(4, 2, -4, -2);
    if (!cell.hasPathToOutput()) {
        // A side card too narrow for the sentence gets its point whole
        // rather than cut ("this cell's ou…"), and keeps its room for the graph.
        out.message = QObject::tr("No input→output path: this cell's output is constant.");
        if (QFontMetricsF(QFont()).horizontalAdvance(out.message) > graph.width())
            out.message = QObject::tr("No input→output path");
        graph.setTop(graph.top() + line * 1.2);
    }
    if (legend) {
        // A narrow side card wraps the legend rather than cutting names off.
        out.legendEntries = legendEntries(graph.left(), 0, graph.width(), line);
        const double rows = out.legendEntries.back().bottom() / line;
        out.legend = QRectF(graph.left(), graph.bottom() - rows * line, graph.width(), rows * line);
        for (QRectF& entry : out.legendEntries)
            entry.translate(0, out.legend.top());
        graph.setBottom(graph.bottom() - rows * line - 2);
    }

    // Nodes left to right; the long edges arch above (2←0, 3←0) or below (3←1)
    // so no edge crosses a node or another edge's label.
    // A tall narrow area (a side card) gets a drawing no taller than it is wide.
    const double maxHeight = std::max(graph.width() * 0.8, 90.0);
    if (graph.height() > maxHeight)
        graph = QRectF(graph.left(), graph.center().y() - maxHeight / 2, graph.width(), maxHeight);
    const double h = std::max(graph.height(), 40.0);
    const QFontMetricsF labelMetrics(labelFont());
    const double labelHalf = labelMetrics.height() / 2 + 2;
    const double radius = std::clamp(std::min(graph.width() / 16, h / 9), 7.0, 16.0);
    // "input" sits centred under node 0, which no edge leaves downwards;
    // "output" starts just left of node 3's centre, so that the 3←1 arch,
    // arriving from the lower left, passes beside it rather than through it.
    const QString inputCaption = QObject::tr("input"), outputCaption = QObject::tr("output");
    const double outputIndent = 0.2 * radius;
    const double leftMargin =
        radius + std::max(6.0, labelMetrics.horizontalAdvance(inputCaption) / 2 - radius + 2);
    const double rightMargin =
        std::max(radius + 6, labelMetrics.horizontalAdvance(outputCaption) - outputIndent + 2);
    const double left = graph.left() + leftMargin, right = graph.right() - rightMargin;
    // Between neighbouring nodes the label must fit; when it does not, the
    // short names ("3x3", "skip", "pool") do.
    const double gap = (right - left) / 3 - 2 * radius - 6;
    const bool shortLabels = labelMetrics.horizontalAdvance(QStringLiteral("conv3x3")) + 8 > gap;
    const double centreY = graph.top() + 0.58 * h;
    const double peakHigh = graph.top() + std::max(labelHalf, 0.09 * h);                  // 3←0
    const double peakMid = graph.top() + 0.31 * h;                                        // 2←0
    const double peakLow = std::min(graph.top() + 0.91 * h, graph.bottom() - labelHalf);  // 3←1
    for (int node = 0; node < 4; ++node) {
        CellDrawing::Node item;
        item.centre = QPointF(left + (right - left) * node / 3.0, centreY);
        item.radius = radius;
        item.label = QString::number(node);
        item.caption = node == 0 ? inputCaption : (node == 3 ? outputCaption : QString());
        if (!item.caption.isEmpty()) {
            const double width = labelMetrics.horizontalAdvance(item.caption) + 2;
            const double captionLeft =
                node == 0 ? item.centre.x() - width / 2 : item.centre.x() - outputIndent;
            item.captionBox =
                QRectF(captionLeft, item.centre.y() + radius + 1, width, labelMetrics.height());
        }
        out.nodes.push_back(item);
    }
    for (int edge = 0; edge < Nb201Cell::kEdges; ++edge) {
        CellDrawing::Edge item;
        item.edge = edge;
        item.op = cell.ops[static_cast<std::size_t>(edge)];
        item.label = shortLabels ? cellFormat::shortOperationLabel(item.op)
                                 : cellFormat::operationLabel(item.op);
        item.color = cellFormat::operationColor(item.op);
        item.dashed = item.op == 0;
        const int from = Nb201Cell::edgeSource(edge), to = Nb201Cell::edgeTarget(edge);
        const QPointF a = out.nodes[static_cast<std::size_t>(from)].centre;
        const QPointF b = out.nodes[static_cast<std::size_t>(to)].centre;
        QPainterPath path(a);
        if (to - from == 1) {
            path.lineTo(b);
            item.labelCentre = (a + b) / 2;
        } else {
            // A quadratic arc whose midpoint (t = 1/2) is at the peak height:
            // its control point lies twice as far from the chord.
            const double peak = from == 1 ? peakLow : (to == 3 ? peakHigh : peakMid);
            const QPointF control((a.x() + b.x()) / 2, 2 * peak - centreY);
            path.quadTo(control, b);
            item.labelCentre = QPointF(control.x(), peak);
        }
        item.path = path;
        out.edges.push_back(item);
    }
    return out;
}

void paintCell(QPainter& painter, const CellDrawing& drawing, const QPalette& palette) {
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    const QFont small = labelFont();
    const QFontMetricsF smallMetrics(small);

    // Edges first, then arrowheads, labels and nodes over them.
    for (const CellDrawing::Edge& edge : drawing.edges) {
        QColor color = edge.color;
        if (edge.dashed)
            color.setAlpha(150);
        QPen pen(color, edge.dashed ? 1.2 : 2.6);
        if (edge.dashed)
            pen.setStyle(Qt::DashLine);
        painter.setPen(pen);
        painter.setBrush(Qt::NoBrush);
        painter.drawPath(edge.path);
        if (edge.dashed)
            continue;
        // The arrowhead sits where the path enters the target node.
        const double radius = drawing.nodes.empty() ? 10 : drawing.nodes.front().radius;
        const double length = edge.path.length();
        const double t = edge.path.percentAtLength(std::max(0.0, length - radius - 1));
        const QPointF tip = edge.path.pointAtPercent(t);
        const double angle = -edge.path.angleAtPercent(t) * kPi / 180;
        const double size = 8;
        QPolygonF head;
        head << tip << tip - QPointF(std::cos(angle - 0.4), std::sin(angle - 0.4)) * size
             << tip - QPointF(std::cos(angle + 0.4), std::sin(angle + 0.4)) * size;
        painter.setPen(Qt::NoPen);
        painter.setBrush(edge.color);
        painter.drawPolygon(head);
    }
    painter.setFont(small);
    for (const CellDrawing::Edge& edge : drawing.edges) {
        const QSizeF size(smallMetrics.horizontalAdvance(edge.label) + 8,
                          smallMetrics.height() + 2);
        const QRectF box(edge.labelCentre - QPointF(size.width() / 2, size.height() / 2), size);
        QColor border = edge.color;
        if (edge.dashed)
            border.setAlpha(150);
        painter.setPen(QPen(border, 1));
        painter.setBrush(palette.color(QPalette::Base));
        painter.drawRoundedRect(box, 3, 3);
        painter.setPen(edge.dashed ? palette.color(QPalette::PlaceholderText)
                                   : edge.color.darker(130));
        painter.drawText(box, Qt::AlignCenter, edge.label);
    }
    painter.setFont(QFont());
    for (const CellDrawing::Node& node : drawing.nodes) {
        const bool end = !node.caption.isEmpty();
        painter.setPen(QPen(palette.color(QPalette::Text), 1.4));
        painter.setBrush(end ? QColor(0xfd, 0xe6, 0xc8) : palette.color(QPalette::Base));
        painter.drawEllipse(node.centre, node.radius, node.radius);
        painter.drawText(QRectF(node.centre - QPointF(node.radius, node.radius),
                                QSizeF(2 * node.radius, 2 * node.radius)),
                         Qt::AlignCenter, node.label);
        if (end) {
            painter.setFont(small);
            painter.setPen(palette.color(QPalette::PlaceholderText));
            painter.drawText(node.captionBox, Qt::AlignHCenter | Qt::AlignTop, node.caption);
            painter.setFont(QFont());
        }
    }
    if (!drawing.legend.isEmpty()) {
        painter.setFont(small);
        for (int op = 0; op < Nb201Cell::kOperations; ++op) {
            const QRectF& entry = drawing.legendEntries[static_cast<std::size_t>(op)];
            QPen pen(cellFormat::operationColor(op), op == 0 ? 1.2 : 2.6);
            if (op == 0)
                pen.setStyle(Qt::DashLine);
            painter.setPen(pen);
            const double y = entry.center().y();
            painter.drawLine(QPointF(entry.left(), y), QPointF(entry.left() + 16, y));
            painter.setPen(palette.color(QPalette::Text));
            painter.drawText(entry.adjusted(19, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                             cellFormat::operationLabel(op));
        }
    }
    painter.restore();
}

CellView::CellView(QWidget* parent) : QWidget(parent) {
    setPlaceholder(tr("No cell to draw"));
    setAttribute(Qt::WA_OpaquePaintEvent, false);
}

void CellView::setCell(const std::optional<Nb201Cell>& cell) {
    m_cell = cell;
    update();
}

void CellView::setCellString(const QString& text) {
    try {
        m_cell = Nb201Cell::parse(text.toStdString());
    } catch (const std::invalid_argument& error) {
        m_cell.reset();
        m_placeholder = tr("Not an NB201 cell: %1").arg(QString::fromUtf8(error.what()));
    }
    update();
}

void CellView::setTitle(const QString& title) {
    m_title = title;
    update();
}

void CellView::setLegendVisible(bool visible) {
    m_legend = visible;
    updateGeometry();
    update();
}

void CellView::setPlaceholder(const QString& text) {
    m_placeholder = text;
    update();
}

CellDrawing CellView::drawing() const {
    CellDrawing out;
    QRectF area = rect();
    if (!m_title.isEmpty())
        area.setTop(area.top() + textHeight());
    if (m_cell)
        out = layoutCell(*m_cell, area, m_legend);
    out.title = m_title;
    return out;
}

QString CellView::saveImage(const QString& path) {
    return saveWidgetImage(this, path);
}

QSize CellView::sizeHint() const {
    return QSize(360, m_legend ? 210 : 180);
}

QSize CellView::minimumSizeHint() const {
    return QSize(240, m_legend ? 150 : 125);
}

void CellView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    const double line = textHeight();
    if (!m_title.isEmpty()) {
        QFont bold;
        bold.setBold(true);
        painter.setFont(bold);
        painter.setPen(palette().color(QPalette::Text));
        painter.drawText(QRectF(6, 0, width() - 12, line), Qt::AlignLeft | Qt::AlignVCenter,
                         painter.fontMetrics().elidedText(m_title, Qt::ElideRight, width() - 12));
        painter.setFont(QFont());
    }
    if (!m_cell) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect().adjusted(8, static_cast<int>(m_title.isEmpty() ? 0 : line), -8, 0),
                         Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }
    const CellDrawing drawing = this->drawing();
    if (!drawing.message.isEmpty()) {
        painter.setPen(QColor(0xb7, 0x1c, 0x1c));
        const double top = m_title.isEmpty() ? 2 : line + 2;
        painter.drawText(
            QRectF(6, top, width() - 12, line), Qt::AlignLeft | Qt::AlignVCenter,
            painter.fontMetrics().elidedText(drawing.message, Qt::ElideRight, width() - 12));
    }
    paintCell(painter, drawing, palette());
}

void CellView::contextMenuEvent(QContextMenuEvent* event) {
    QMenu menu(this);
    menu.addAction(tr("Save cell as PNG or SVG…"), this, [this] {
        saveWidgetImageAs(this, tr("Save cell"), m_title.isEmpty() ? tr("cell") : m_title);
    });
    if (m_cell)
        menu.addAction(tr("Copy cell string"), this, [this] {
            if (auto* clipboard = QGuiApplication::clipboard())
                clipboard->setText(QString::fromStdString(m_cell->toString()));
        });
    menu.exec(event->globalPos());
}

}  // namespace bonsai::ui

#pragma once

#include <optional>
#include <vector>

#include <QPainterPath>
#include <QWidget>

#include "space/nb201_cell.h"

namespace bonsai::ui {

// What a cell drawing is made of, in widget coordinates: computed apart from
// painting so tests can check every node, edge and label without pixels.
struct CellDrawing {
    struct Node {
        QPointF centre;
        double radius = 0;
        QString label;      // "0" .. "3"
        QString caption;    // "input", "output" or empty
        QRectF captionBox;  // where the caption is written, clear of every edge
    };
    struct Edge {
        int edge = 0;  // index in Nb201Cell order
        int op = 0;
        QPainterPath path;  // from source to target
        QPointF labelCentre;
        QString label;  // the operation, e.g. "conv3x3"
        QColor color;
        bool dashed = false;  // `none`: no connection
    };
    std::vector<Node> nodes;
    std::vector<Edge> edges;
    QString title;
    QString message;                    // e.g. no input→output path; empty when all is well
    QRectF legend;                      // empty when no legend is drawn
    std::vector<QRectF> legendEntries;  // one per operation, in operation order
};

// Lays out `cell` as its DAG in `area`: nodes 0 (input) to 3 (output) left to
// right, edges between neighbours straight and the longer ones arched, each
// labelled and coloured by its operation; `none` edges faint and dashed.
CellDrawing layoutCell(const Nb201Cell& cell, const QRectF& area, bool legend);

// Draws one NB201 cell (plain QPainter, no charts). The context menu saves it
// as PNG or SVG like the charts do.
class CellView : public QWidget {
    Q_OBJECT
  public:
    explicit CellView(QWidget* parent = nullptr);

    void setCell(const std::optional<Nb201Cell>& cell);
    // Parses `text`; a string that is not a cell shows why instead.
    void setCellString(const QString& text);
    std::optional<Nb201Cell> cell() const { return m_cell; }
    // A line above the drawing, e.g. "Trial 12: 73.4".
    void setTitle(const QString& title);
    QString title() const { return m_title; }
    void setLegendVisible(bool visible);
    // Shown instead of a drawing when there is no cell.
    void setPlaceholder(const QString& text);

    // The drawing as painted at the current size.
    CellDrawing drawing() const;
    // Saves the widget as PNG or SVG (by suffix); empty on success, else why.
    QString saveImage(const QString& path);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

  protected:
    void paintEvent(QPaintEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

  private:
    std::optional<Nb201Cell> m_cell;
    QString m_title;
    QString m_placeholder;
    bool m_legend = true;
};

// Paints `drawing` (as layoutCell made it) with `painter`.
void paintCell(QPainter& painter, const CellDrawing& drawing, const QPalette& palette);

}  // namespace bonsai::ui

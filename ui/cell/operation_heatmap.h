#pragma once

#include <optional>

#include <QWidget>

#include "analysis/cell_analysis.h"

namespace bonsai::ui {

// Edges × operations as two heat maps side by side: the share of the best
// k % of trials using each operation on each edge, and the same share among
// all trials, on one colour scale (0 white to 100 % dark). Plain QPainter;
// the context menu saves it as PNG or SVG.
class OperationHeatmap : public QWidget {
    Q_OBJECT
  public:
    explicit OperationHeatmap(QWidget* parent = nullptr);

    void setFrequency(const OperationFrequency& frequency, const QString& edgePrefix = {});
    // Nothing to draw, and why (one sentence).
    void clear(const QString& reason);
    const std::optional<OperationFrequency>& frequency() const { return m_frequency; }
    QString message() const { return m_message; }
    // The rectangle of (panel 0 best / 1 all, edge, op) at the current size.
    QRectF cellRect(int panel, int edge, int op) const;
    // The tooltip of that rectangle: both panels' shares and counts.
    QString describe(int panel, int edge, int op) const;

    QSize sizeHint() const override { return {760, 360}; }
    QSize minimumSizeHint() const override { return {420, 240}; }

  protected:
    void paintEvent(QPaintEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    bool event(QEvent* event) override;

  private:
    struct Geometry {
        double left = 0, top = 0, cellWidth = 0, cellHeight = 0, panelGap = 0;
    };
    Geometry geometry() const;

    std::optional<OperationFrequency> m_frequency;
    QString m_edgePrefix;
    QString m_message;
};

}  // namespace bonsai::ui

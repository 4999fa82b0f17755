#pragma once

#include <set>
#include <string>

#include <vector>

#include <QGraphicsPixmapItem>
#include <QImage>
#include <QLineSeries>

#include "analysis/trial_series.h"
#include "insight/gp_insight.h"
#include "plots/chart_view.h"

class QAbstractAxis;

namespace bonsai::ui {

// The GP mean over two parameters as a heat map (an image under the plot
// area, one cell per grid point), a colour bar, and the observed trials on
// top (the incumbent ringed). Hovering the map shows the mean there.
class ContourPlot : public ChartView {
    Q_OBJECT
  public:
    explicit ContourPlot(QWidget* parent = nullptr);

    void setGrid(const PosteriorGrid& grid);
    // Parameters of these names get whole-number ticks.
    void setIntegerParameters(std::set<std::string> names) { m_integer = std::move(names); }
    // Whether the space has one cell parameter: its edges' axes read "1←0",
    // else "cell 1←0".
    void setSingleCell(bool single) { m_singleCell = single; }
    // What the map is of, for its title ("accuracy"); empty: "the objective".
    void setValueName(const QString& name) { m_valueName = name; }
    // An axis's name, as the page's choosers list it: the parameter's, or
    // its cell edge's ("1←0").
    QString axisTitle(const std::string& param, int edge) const;
    void clearGrid(const QString& reason);

    int cellCount() const { return m_grid.columns * m_grid.rows; }
    int observedPointCount() const { return static_cast<int>(m_observed->count()); }
    QAbstractAxis* xAxis() const { return m_x; }
    QAbstractAxis* yAxis() const { return m_y; }
    // The posterior at one pixel per grid point, and as drawn on the plot.
    const QImage& heatImage() const { return m_image; }
    QPixmap shownHeat() const { return m_heat->pixmap(); }
    // Colours on a log scale of the values (positive, over three decades).
    bool logColours() const { return spansDecades(m_low, m_high); }
    // The colour bar's labels, top down: its ends (four digits) and round
    // values between them, as a parallel axis is labelled ("85.2 / 84 / 83 /
    // 82 / 80.84"), joined by " / ".
    QString colourBarLabels() const;
    // Viridis-like colour of t in [0, 1].
    static QColor colorAt(double t);

  protected:
    void mouseMoveEvent(QMouseEvent* event) override;

  private:
    void placeImages();
    void replaceAxes();
    double unitOf(double value, double low, double high, bool log) const;
    // What the tooltip says for a position along an axis: the number, or
    // the choice under it (a cell edge's operation as the cell drawing names it).
    QString positionText(double value, const std::vector<std::string>& labels, bool cellEdge) const;
    // "mean", or "median" for a GP of warped losses (PosteriorGrid::median).
    QString statisticName() const;

    PosteriorGrid m_grid;
    std::set<std::string> m_integer;
    bool m_singleCell = true;
    QString m_valueName;
    QImage m_image;
    double m_low = 0, m_high = 1;
    QGraphicsPixmapItem* m_heat;
    QGraphicsPixmapItem* m_bar;
    // The bar's labels with their places on it (0 bottom, 1 top).
    std::vector<std::pair<double, QGraphicsSimpleTextItem*>> m_barLabels;
    QLineSeries* m_observed;
    QLineSeries* m_incumbent;
    QAbstractAxis* m_x = nullptr;
    QAbstractAxis* m_y = nullptr;
    std::vector<int> m_numbers;
    bool m_pointHovered = false;
};

}  // namespace bonsai::ui

#pragma once

#include <optional>
#include <set>
#include <vector>

#include <QImage>
#include <QWidget>

#include "analysis/study_analysis.h"
#include "helpers/trial_lookup.h"
#include "model/trial.h"

namespace bonsai::ui {

// Parallel coordinates: one vertical axis per parameter and objective, each
// complete trial a polyline coloured by the last objective. Drag along an
// axis to brush a range (drag again to replace it, click the axis to clear
// it): lines outside every brush turn grey and brushChanged reports the
// trials inside. Hover a line for its trial, click it to select it.
//
// Painted by hand rather than with Qt Charts: 10,000 polylines would be
// 10,000 series there. Lines are cached in an image for the screen and drawn
// as vectors when rendered to SVG.
class ParallelCoordinatesPlot : public QWidget {
    Q_OBJECT
  public:
    explicit ParallelCoordinatesPlot(QWidget* parent = nullptr);

    void setTrialLookup(TrialLookup lookup) { m_lookup = std::move(lookup); }
    void setData(ParallelData data);
    void setSelectedTrial(int number);
    void setBrushes(std::vector<AxisBrush> brushes);
    void clearBrushes() { setBrushes({}); }

    const ParallelData& data() const { return m_data; }
    const std::vector<AxisBrush>& brushes() const { return m_brushes; }
    // Trials inside every brush; nullopt when nothing is brushed.
    std::optional<std::set<int>> brushedTrials() const;
    int lineCount() const { return static_cast<int>(m_data.trialNumbers.size()); }
    int axisCount() const { return static_cast<int>(m_data.axes.size()); }
    // The cached image of the lines (empty until first shown).
    const QImage& lineImage() const { return m_cache; }

    // Geometry, public for tests that drag brushes: axis i's x and the y of
    // scaled position t in [0, 1].
    double axisX(std::size_t axis) const;
    double positionY(double t) const;
    // Where axis i's title is written: centred on it, no wider than the room
    // between two axes, inside the widget.
    QRectF titleBox(std::size_t axis, const QString& title) const;
    QString axisTitle(std::size_t axis) const;
    // The title as drawn in its box: elided, but " (log)" kept.
    QString shownTitle(std::size_t axis) const;
    // Axis i's labels (categories, or values at both ends and the middle),
    // each right of the axis with the text it shows.
    struct AxisLabel {
        QRectF box;
        QString text;
    };
    std::vector<AxisLabel> axisLabelBoxes(std::size_t axis) const;

  signals:
    void brushChanged();
    void trialClicked(int number);

  protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

  private:
    // Brushes shown but not yet reported (during a drag).
    void previewBrushes(std::vector<AxisBrush> brushes);
    // Lines of trials [from, end) into `raster` (the painter's own image) by
    // hand when given, else with the painter.
    void drawLines(QPainter& painter, QImage* raster = nullptr, std::size_t from = 0) const;
    static int lineAlpha(std::size_t lines);
    // Above this many lines the cache is drawn by hand, not antialiased.
    static constexpr std::size_t kManyLines = 1500;
    void computeInside();
    void drawAxes(QPainter& painter) const;
    // Room right of the last axis for its labels.
    void fitRightMargin();
    // A title is its head ("▶ accuracy") and its scale (" (log)" or "").
    QString axisTitleHead(std::size_t axis) const;
    QString axisTitleScale(std::size_t axis) const;
    void rebuildCache();
    void updateInside();
    std::optional<std::size_t> axisNear(double x) const;
    std::optional<std::size_t> trialNear(const QPointF& pos) const;
    double positionAt(double y) const;

    ParallelData m_data;
    std::vector<AxisBrush> m_brushes;
    std::vector<char> m_inside;        // per trial: passes every brush
    std::vector<double> m_colorValue;  // per trial: last objective's position, for colour
    int m_selected = -1;
    QImage m_cache;
    bool m_cacheStale = true;
    TrialLookup m_lookup;
    // The brush being dragged.
    std::optional<std::size_t> m_dragAxis;
    double m_dragStart = 0;
    bool m_dragged = false;
    double m_right = 24;  // pixels right of the last axis
};

}  // namespace bonsai::ui

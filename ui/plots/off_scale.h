#pragma once

#include <functional>
#include <initializer_list>
#include <span>

#include <QObject>
#include <QPointF>
#include <QString>

class QAbstractAxis;
class QChart;
class QGraphicsSimpleTextItem;

// Trials far off on an axis's worse side (offScaleLimit: a NAS cell with no
// path from input to output scores ~10 % among 81-85 %) are drawn as arrows
// in a band at the axis's end, with a note saying what they are, so that
// they do not squash the rest. These are the pieces the charts share.
namespace bonsai::ui {

class ChartView;
class PointLayer;

// Widens [low, high] on the worse side (below when maximizing) by a band
// that takes `fraction` of the axis (OffScaleNote::bandFraction).
void widenForArrows(double& low, double& high, bool maximize, double fraction);

// The value at which the arrows sit on an axis over [bottom, top]: just in
// from its worse end, in the axis's scale (log or linear).
double arrowEdge(double bottom, double top, bool log, bool maximize);

// Moves the points of `arrows` to arrowEdge of `axis` (the value or log
// axis a plot's value pair has in use, as fitValueAxis returns it).
void putArrowsAtEdge(const QAbstractAxis* axis, bool maximize,
                     std::initializer_list<PointLayer*> arrows);

// What a note says of `count` off-scale trials over lowest..highest,
// `pruned` of them pruned (their last reports, partial results): in full
// ("▼ 2 far below (9.6–10.7)", "▼ 2 far below, 1 pruned (9.6–10.7)") and
// brief ("▼ 2 (9.6–10.7)"); on a horizontal axis the arrow is ◀ or ▶.
struct OffScaleWords {
    QString full, brief;
};
OffScaleWords offScaleWords(int count, int pruned, double lowest, double highest, bool below,
                            Qt::Orientation axis = Qt::Vertical);

// The note beside the arrows ("▼ 2 far below (9.6–10.7)"), in the band
// between the arrows and the trials kept, at the plot area's right end; in
// a plot too narrow for it, the short form ("▼ 2 (9.6–10.7)"). Owned by
// the chart.
class OffScaleNote : public QObject {
  public:
    explicit OffScaleNote(QChart* chart);

    // `finals` and `pruned` at their real values; none hides the note.
    void show(std::span<const QPointF> finals, std::span<const QPointF> pruned, bool below);
    // The text shown, "" when hidden.
    QString text() const;
    // The share of the plot's height the arrows and the note need: about a
    // tenth of a tall chart, a third of a small slice's. The plot fits its
    // axis with it (widenForArrows); the note remembers the share used.
    double bandFraction();
    // Called, after the event loop turns, when a new layout of the chart
    // (its first, or a resize) needs a band other than the one the axis was
    // fitted with: a plot set before it was laid out guessed the band.
    void setRefit(std::function<void()> refit) { m_refit = std::move(refit); }
    // Hides the note while `view` is zoomed away from the band's end of the
    // value axis (the arrows there are out of view too).
    void followZoom(const ChartView* view);

  private:
    void place();
    void showIfInView();
    double neededFraction() const;

    QChart* m_chart;
    QGraphicsSimpleTextItem* m_item;
    QString m_long, m_short;
    bool m_below = true;
    bool m_hasNote = false;  // trials are off scale
    bool m_bandInView = true;
    double m_fitted = 0;
    std::function<void()> m_refit;
};

}  // namespace bonsai::ui

#pragma once

#include <optional>

#include <QChartView>
#include <QGraphicsTextItem>
#include <QHash>
#include <QLogValueAxis>
#include <QValueAxis>

class QRubberBand;

#include "helpers/trial_lookup.h"

namespace bonsai::ui {

class ChartZoom;

// A chart view with the studio's common behaviour: antialiasing, a message
// when there is nothing to draw, trial tooltips on hover, a trial chosen by
// click, "Save as PNG/SVG" in its context menu and, where a view allows it,
// zoom: drag a rectangle over the plot to zoom into it; double-click or
// "Reset zoom" in the context menu shows everything again.
class ChartView : public QChartView {
    Q_OBJECT
  public:
    explicit ChartView(const QString& title, QWidget* parent = nullptr);

    // How hover tooltips find and describe a trial.
    void setTrialLookup(TrialLookup lookup) { m_lookup = std::move(lookup); }
    // Shown in the middle of the plot area, with the axes hidden; empty hides
    // it and shows the axes again (a view that keeps an axis hidden hides it
    // after this call).
    void setEmptyMessage(const QString& message);
    QString emptyMessage() const { return m_emptyMessage; }
    // The chart's title. Where the chart is too narrow for it on one line
    // (a quarter panel at 1024x700), it goes on two rather than being cut to
    // "Hypervolume of the Paret...". A `detail` follows it in brackets where
    // both fit on two lines, and is left out where they do not.
    void setChartTitle(const QString& title, const QString& detail = QString());
    QString chartTitle() const { return m_title; }
    QString chartTitleDetail() const { return m_titleDetail; }

    // Zoom is for charts of values on value or log axes (not the parallel
    // coordinates, whose drags brush, nor the contour's image).
    void setZoomable(bool zoomable) { m_zoomable = zoomable; }
    bool isZoomed() const;
    // Zooms into `pixels`, a rectangle of the plot area, as a drag over it does.
    void zoomTo(const QRectF& pixels);
    // Every axis back to the range its chart fitted.
    void resetZoom();
    // Resets every chart view in `root` (another study is shown).
    static void resetZoomIn(QWidget* root);
    // Whether the fitted range's low (or high) end along `orientation` is in
    // view: not zoomed that way, or the zoom's end pinned to it.
    bool showsFittedEnd(Qt::Orientation orientation, bool low) const;

  signals:
    void trialClicked(int number);
    void zoomChanged();

  protected:
    void showTrialTooltip(int number, bool show);
    void contextMenuEvent(QContextMenuEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    // Fits the axis to [low, high] with a margin; integer axes keep whole ticks.
    static void fitAxis(QValueAxis* axis, double low, double high, bool integer = false);
    QValueAxis* makeAxis(const QString& title, Qt::Alignment alignment);
    // A base-10 log axis styled as makeAxis's, owned by this view and not on
    // the chart until swapAxis puts it there.
    QLogValueAxis* makeLogAxis(const QString& title);
    // Puts `to` on the chart at `alignment` in place of `from`, with `series`
    // moved over and the chart's point layers following it; `from` stays
    // with this view for the next swap. A zoom along `from` goes, unless
    // `sameValues` (the other scale of the same values: the zoom moves to
    // `to`); a zoom along the other axes stays.
    void swapAxis(QAbstractAxis* from, QAbstractAxis* to, Qt::Alignment alignment,
                  const QList<QAbstractSeries*>& series, bool sameValues = false);
    // Of a value axis pair at `alignment`, puts on the chart the one values in
    // [low, high] call for, with `series` moved over, and fits it: `log`
    // (whole decades, so every tick is a power of ten) for positive values
    // spanning three decades or more, where a linear axis would put all but
    // the largest on zero (EHVI's values, Rosenbrock's losses), else `linear`
    // (fitAxis). Returns the axis in use.
    QAbstractAxis* fitValueAxis(QValueAxis* linear, QLogValueAxis* log, Qt::Alignment alignment,
                                const QList<QAbstractSeries*>& series, double low, double high);
    // The same with the choice made by the caller: `useLog` needs low > 0.
    QAbstractAxis* fitValueAxis(QValueAxis* linear, QLogValueAxis* log, Qt::Alignment alignment,
                                const QList<QAbstractSeries*>& series, double low, double high,
                                bool useLog);

    // Titles a fitValueAxis pair: `title` on the linear axis, "`title` (log
    // scale)" on the log one.
    static void titleAxisPair(QValueAxis* linear, QLogValueAxis* log, const QString& title);
    // Whether `axis` is on the chart (of a fitValueAxis pair, the one in use).
    bool isOnChart(const QAbstractAxis* axis) const;
    // Shows the legend when the chart has room for it: a small chart (a
    // 1024x700 window's quarter panel) gives its plot area the room instead,
    // else the tick labels collapse to "...". Never under an empty message.
    void setLegendShown(bool shown);
    // Too small for a legend and axis titles.
    bool isCompact() const;
    // Shows the titles of the visible axes unless the chart is compact; a
    // view that shows or hides axes itself calls it after.
    void updateAxisTitles();
    // Shows or hides the legend entry of a series drawn only sometimes
    // (pruned or infeasible trials get an entry only when there are some).
    // Tracked here, not read back from the marker, whose isVisible() is false
    // until the chart is first shown.
    void showLegendEntry(QAbstractSeries* series, bool shown);

  private:
    void placeEmptyMessage();
    void layOutTitle();
    void spaceTicks();
    // Fewer ticks on a log axis (a power of ten per tick) until its labels fit.
    void spaceLogTicks(QLogValueAxis* axis);
    // Vertical tick labels closer than this are elided.
    double tickLineSpacing() const;
    // The widest of the axis's tick labels, as its label format prints them.
    static double widestTickLabel(const QValueAxis* axis);
    // Light or dark chart theme after the application palette.
    void followPalette();
    void exportImage();

    TrialLookup m_lookup;
    QString m_title;
    QString m_titleDetail;
    QString m_emptyMessage;
    QGraphicsTextItem* m_emptyItem = nullptr;  // wraps to the plot area, centred
    bool m_themed = false;
    bool m_legendWanted = false;
    QHash<const QAbstractSeries*, bool> m_legendEntries;
    bool m_zoomable = false;
    ChartZoom* m_zoom;
    std::optional<QPoint> m_dragFrom;
    QRubberBand* m_band = nullptr;
};

}  // namespace bonsai::ui

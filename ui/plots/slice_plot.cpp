#include "plots/slice_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>

#include <QCategoryAxis>
#include <QGridLayout>
#include <QLogValueAxis>
#include <QPen>

#include "analysis/trial_series.h"
#include "helpers/cell_format.h"
#include "helpers/format.h"
#include "plots/off_scale.h"
#include "plots/plot_style.h"
#include "plots/tick_labels.h"

namespace bonsai::ui {

SlicePlot::SlicePlot(const ParamSpec& param, QWidget* parent, int edge, const QString& axisName)
    : ChartView(tr("Value vs %1").arg(axisName.isEmpty() ? toQString(param.name) : axisName),
                parent),
      m_param(param),
      m_edge(param.type == ParamType::Nb201Cell ? edge : -1),
      m_axisName(axisName.isEmpty() ? toQString(param.name) : axisName) {
    setZoomable(true);
    const QImage dot = dotMarker(plotColors::complete(), 6);
    m_points = makePointSeries(dot);
    chart()->addSeries(m_points);

    if (m_edge >= 0) {
        auto* axis = new QCategoryAxis;
        axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        // The cell drawing's short names: six of these plots share a row.
        for (int op = 0; op < Nb201Cell::kOperations; ++op)
            axis->append(cellFormat::shortOperationLabel(op), op);
        axis->setRange(-0.5, Nb201Cell::kOperations - 0.5);
        m_x = axis;
    } else if (param.type == ParamType::Categorical) {
        auto* axis = new QCategoryAxis;
        axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        for (std::size_t i = 0; i < param.choices.size(); ++i)
            axis->append(toQString(toDisplayString(param.choices[i])), static_cast<double>(i));
        axis->setRange(-0.5, static_cast<double>(param.choices.size()) - 0.5);
        m_x = axis;
    } else if (param.log) {
        auto* axis = new QLogValueAxis;
        axis->setBase(10);
        axis->setLabelFormat(QStringLiteral("%.3g"));
        axis->setRange(param.low, param.high);
        m_x = axis;
    } else {
        auto* axis = new QValueAxis;
        adoptTickLabels(axis);
        fitAxis(axis, param.low, param.high, param.type == ParamType::Int);
        m_x = axis;
    }
    m_x->setTitleText(m_axisName);
    chart()->addAxis(m_x, Qt::AlignBottom);
    m_y = makeAxis(tr("Value"), Qt::AlignLeft);
    m_yLog = makeLogAxis(tr("Value (log scale)"));
    m_points->attachAxis(m_x);
    m_points->attachAxis(m_y);
    m_dots = new PointLayer(chart(), m_points, dot);
    m_infeasibleDots = new PointLayer(chart(), m_points, ringMarker(plotColors::complete(), 9));
    m_offScaleDots = new PointLayer(chart(), m_points, arrowMarker(plotColors::complete(), true));
    m_selected = new PointLayer(chart(), m_points, ringMarker(plotColors::selected()));
    for (PointLayer* layer : {m_dots, m_infeasibleDots, m_offScaleDots, m_selected})
        layer->followAxes();
    m_offScaleNote = new OffScaleNote(chart());
    m_offScaleNote->followZoom(this);
    m_offScaleNote->setRefit([this] {
        if (pointCount() > 0)
            fitValues();
    });
    fitAxis(m_y, 0, 1);
    setEmptyMessage(tr("No complete trial yet"));
    for (auto [layer, numbers] :
         {std::pair{m_dots, &m_numbers}, std::pair{m_infeasibleDots, &m_infeasibleNumbers},
          std::pair{m_offScaleDots, &m_offScaleNumbers}}) {
        auto numberAt = [numbers](int index) {
            return index >= 0 && index < static_cast<int>(numbers->size())
                       ? (*numbers)[static_cast<std::size_t>(index)]
                       : -1;
        };
        connect(layer, &PointLayer::hovered, this, [this, numberAt](int index, bool state) {
            if (numberAt(index) >= 0)
                showTrialTooltip(numberAt(index), state);
        });
        connect(layer, &PointLayer::clicked, this, [this, numberAt](int index) {
            if (numberAt(index) >= 0)
                emit trialClicked(numberAt(index));
        });
    }
}

void SlicePlot::setTrials(std::span<const Trial> trials, Direction direction,
                          std::span<const ObjectiveSpec> objectives, std::size_t objective,
                          const QString& objectiveName, const Feasibility& feasible) {
    ParameterSlice slice = parameterSlice(trials, m_param, objectives, objective, m_edge);
    const QString valueName = objectiveName.isEmpty() ? tr("Value") : objectiveName;
    titleAxisPair(m_y, m_yLog, valueName);
    // Setting even the same title lays the chart out again.
    const QString title = tr("%1 vs %2").arg(valueName, m_axisName);
    if (chartTitle() != title)
        setChartTitle(title);
    const std::unordered_set<int> rejected = infeasibleTrialNumbers(trials, feasible);
    std::vector<double> values;
    for (const QPointF& p : slice.points)
        values.push_back(p.y());
    m_maximize = direction == Direction::Maximize;
    const FarOffValues offScale = farOffValues(values, direction);
    m_numbers.clear();
    m_infeasibleNumbers.clear();
    m_offScaleNumbers.clear();
    std::vector<QPointF> kept, infeasible, far;
    m_keptLow = std::numeric_limits<double>::infinity();
    m_keptHigh = -m_keptLow;
    for (std::size_t i = 0; i < slice.points.size(); ++i) {
        const QPointF& point = slice.points[i];
        const int number = slice.trialNumbers[i];
        if (offScale.off(point.y())) {
            m_offScaleNumbers.push_back(number);
            far.push_back(point);
            continue;
        }
        const bool ring = rejected.count(number) > 0;
        (ring ? m_infeasibleNumbers : m_numbers).push_back(number);
        (ring ? infeasible : kept).push_back(point);
        m_keptLow = std::min(m_keptLow, point.y());
        m_keptHigh = std::max(m_keptHigh, point.y());
    }
    const bool empty = slice.points.empty();
    m_dots->setPoints(std::move(kept));
    m_infeasibleDots->setPoints(std::move(infeasible));
    m_offScaleDots->setMarker(arrowMarker(plotColors::complete(), m_maximize));
    m_offScaleDots->setPoints(far);
    if (!empty)
        fitValues();
    m_offScaleNote->show(far, {}, m_maximize);
    setEmptyMessage(empty ? tr("No complete trial yet") : QString());
    const int selected = m_selectedTrial;
    m_selectedTrial = -2;
    setSelectedTrial(selected);
}

void SlicePlot::fitValues() {
    double low = m_keptLow, high = m_keptHigh;
    if (m_offScaleDots->count() > 0 && !spansDecades(low, high))
        widenForArrows(low, high, m_maximize, m_offScaleNote->bandFraction());
    putArrowsAtEdge(fitValueAxis(m_y, m_yLog, Qt::AlignLeft, {m_points}, low, high), m_maximize,
                    {m_offScaleDots});
}

QString SlicePlot::offScaleNote() const {
    return m_offScaleNote->text();
}

void SlicePlot::setSelectedTrial(int number) {
    if (number == m_selectedTrial)
        return;
    m_selectedTrial = number;
    m_selected->clear();
    for (auto [layer, numbers] :
         {std::pair{m_dots, &m_numbers}, std::pair{m_infeasibleDots, &m_infeasibleNumbers},
          std::pair{m_offScaleDots, &m_offScaleNumbers}}) {
        auto it = std::find(numbers->begin(), numbers->end(), number);
        if (it != numbers->end())
            m_selected->setPoints(
                {layer->points()[static_cast<std::size_t>(it - numbers->begin())]});
    }
}

SliceGrid::SliceGrid(QWidget* parent) : QWidget(parent) {
    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
}

void SliceGrid::setSpace(const SearchSpace& space, TrialLookup lookup) {
    for (SlicePlot* plot : m_plots)
        delete plot;
    m_plots.clear();
    auto* grid = static_cast<QGridLayout*>(layout());
    int count = 0, cells = 0;
    for (const ParamSpec& param : space.params()) {
        count += param.type == ParamType::Nb201Cell ? Nb201Cell::kEdges : 1;
        cells += param.type == ParamType::Nb201Cell;
    }
    const int columns = count <= 1 ? 1 : (count <= 4 ? 2 : 3);
    auto add = [&](SlicePlot* plot) {
        plot->setTrialLookup(lookup);
        plot->setMinimumHeight(220);
        connect(plot, &SlicePlot::trialClicked, this, &SliceGrid::trialClicked);
        const int index = static_cast<int>(m_plots.size());
        grid->addWidget(plot, index / columns, index % columns);
        m_plots.push_back(plot);
    };
    for (const ParamSpec& param : space.params()) {
        if (param.type != ParamType::Nb201Cell) {
            add(new SlicePlot(param, this));
            continue;
        }
        for (int edge = 0; edge < Nb201Cell::kEdges; ++edge)
            add(new SlicePlot(param, this, edge,
                              cellFormat::edgeAxisName(param.name, edge, cells == 1)));
    }
}

void SliceGrid::setTrials(std::span<const Trial> trials, Direction direction,
                          std::span<const ObjectiveSpec> objectives, std::size_t objective,
                          const QString& objectiveName, const Feasibility& feasible) {
    for (SlicePlot* plot : m_plots)
        plot->setTrials(trials, direction, objectives, objective, objectiveName, feasible);
}

void SliceGrid::setSelectedTrial(int number) {
    for (SlicePlot* plot : m_plots)
        plot->setSelectedTrial(number);
}

SlicePlot* SliceGrid::plotOf(const QString& parameter) const {
    for (SlicePlot* plot : m_plots)
        if (plot->axisName() == parameter)
            return plot;
    return nullptr;
}

}  // namespace bonsai::ui

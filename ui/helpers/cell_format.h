#pragma once

#include <optional>
#include <string>
#include <vector>

#include <QColor>
#include <QObject>
#include <QString>
#include <QStringList>

#include "model/trial.h"
#include "space/nb201_cell.h"
#include "space/search_space.h"

// How the studio names and colours the parts of an NB201 cell: one place, so
// the cell drawing, the trials table, the heat map and the analysis axes agree.
namespace bonsai::ui::cellFormat {

// "1←0": edge e as target←source, the order of Nb201Cell's edges.
QString edgeName(int edge);
// Short operation names for drawings and axes: "none", "skip", "conv1x1",
// "conv3x3", "avgpool".
QString operationLabel(int op);
// Shorter still, for small drawings: "none", "skip", "1x1", "3x3", "pool".
QString shortOperationLabel(int op);
// One character per operation for the compact notation: '-', 's', '1', '3', 'p'.
QChar operationCode(int op);
// A colour per operation (none is a light grey).
QColor operationColor(int op);
// The compact notation: one code per edge, grouped by target node,
// "3|3p|s3s" for |nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|...
QString compact(const Nb201Cell& cell);
// What the codes mean, for tooltips and legends.
QString compactLegend();

// The cell a trial holds for parameter `param`, nullopt when it is inactive
// or not a cell string.
std::optional<Nb201Cell> cellOf(const Trial& trial, const std::string& param);
// The first nb201-cell parameter of a space, or nullptr.
const ParamSpec* firstCellParam(const SearchSpace& space);
// How many nb201-cell parameters a space has (one: edges are named "1←0",
// several: "cell 1←0", see edgeAxisName).
int cellParamCount(const SearchSpace& space);
// The first parameter value of `trial` that is a valid cell string, with its
// name: views that know no space (tooltips) find the cell this way.
std::optional<std::pair<std::string, Nb201Cell>> anyCell(const Trial& trial);

// An axis or bar name for edge `edge` of cell parameter `param`: "1←0" when
// the space has a single cell parameter, else "cell 1←0".
QString edgeAxisName(const std::string& param, int edge, bool singleCell);

// The numeric attributes a trial reported, for cards: name and value, the
// strategies' bookkeeping (isStrategyAttribute) left out.
std::vector<std::pair<QString, double>> reportedNumbers(const Trial& trial);

}  // namespace bonsai::ui::cellFormat

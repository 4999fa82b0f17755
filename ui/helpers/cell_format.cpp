#include "helpers/cell_format.h"

#include <array>
#include <cmath>
#include <stdexcept>
#include <unordered_map>

#include "helpers/format.h"

namespace bonsai::ui::cellFormat {

namespace {

constexpr std::array<const char*, Nb201Cell::kOperations> kLabels{"none", "skip", "conv1x1",
                                                                  "conv3x3", "avgpool"};
constexpr std::array<char, Nb201Cell::kOperations> kCodes{'-', 's', '1', '3', 'p'};

// Parsing a cell string costs microseconds (it builds its error messages as
// it goes), and charts redraw thousands of trials per refresh while a space
// holds at most 5^6 distinct cells: each thread parses a string once. The
// memo is emptied when full, as invalid strings are not bounded in number.
std::optional<Nb201Cell> parsedCell(const std::string& text) {
    constexpr std::size_t kMemoLimit = 1 << 15;
    thread_local std::unordered_map<std::string, std::optional<Nb201Cell>> memo;
    if (auto it = memo.find(text); it != memo.end())
        return it->second;
    std::optional<Nb201Cell> cell;
    try {
        cell = Nb201Cell::parse(text);
    } catch (const std::invalid_argument&) {
    }
    if (memo.size() >= kMemoLimit)
        memo.clear();
    memo.emplace(text, cell);
    return cell;
}

bool validOp(int op) {
    return op >= 0 && op < Nb201Cell::kOperations;
}

}  // namespace

QString edgeName(int edge) {
    return QString::fromStdString(Nb201Cell::edgeName(edge));
}

QString operationLabel(int op) {
    return validOp(op) ? QString::fromLatin1(kLabels[static_cast<std::size_t>(op)])
                       : QStringLiteral("?");
}

QString shortOperationLabel(int op) {
    static constexpr std::array<const char*, Nb201Cell::kOperations> kShort{"none", "skip", "1x1",
                                                                            "3x3", "pool"};
    return validOp(op) ? QString::fromLatin1(kShort[static_cast<std::size_t>(op)])
                       : QStringLiteral("?");
}

QChar operationCode(int op) {
    return validOp(op) ? QChar::fromLatin1(kCodes[static_cast<std::size_t>(op)]) : QLatin1Char('?');
}

QColor operationColor(int op) {
    switch (op) {
        case 0:
            return QColor(0xb0, 0xb0, 0xb0);
        case 1:
            return QColor(0x4e, 0x79, 0xa7);  // skip: blue
        case 2:
            return QColor(0x59, 0xa1, 0x4f);  // conv 1x1: green
        case 3:
            return QColor(0xe1, 0x57, 0x59);  // conv 3x3: red
        case 4:
            return QColor(0xb0, 0x7a, 0xa1);  // avg pool: purple
        default:
            return QColor(Qt::black);
    }
}

QString compact(const Nb201Cell& cell) {
    QString out;
    for (int edge = 0; edge < Nb201Cell::kEdges; ++edge) {
        // Edges are grouped by target: 1, then 2, then 3.
        if (edge == 1 || edge == 3)
            out += QLatin1Char('|');
        out += operationCode(cell.ops[static_cast<std::size_t>(edge)]);
    }
    return out;
}

QString compactLegend() {
    QStringList parts;
    for (int op = 0; op < Nb201Cell::kOperations; ++op)
        parts << QStringLiteral("%1 = %2")
                     .arg(operationCode(op))
                     .arg(QString::fromLatin1(
                         Nb201Cell::operationNames()[static_cast<std::size_t>(op)]));
    return QObject::tr("Edges 1←0 | 2←0 2←1 | 3←0 3←1 3←2; %1")
        .arg(parts.join(QStringLiteral(", ")));
}

std::optional<Nb201Cell> cellOf(const Trial& trial, const std::string& param) {
    auto it = trial.params.find(param);
    if (it == trial.params.end())
        return std::nullopt;
    const auto* text = std::get_if<std::string>(&it->second);
    if (!text)
        return std::nullopt;
    return parsedCell(*text);
}

const ParamSpec* firstCellParam(const SearchSpace& space) {
    for (const ParamSpec& param : space.params())
        if (param.type == ParamType::Nb201Cell)
            return &param;
    return nullptr;
}

int cellParamCount(const SearchSpace& space) {
    int cells = 0;
    for (const ParamSpec& param : space.params())
        cells += param.type == ParamType::Nb201Cell;
    return cells;
}

std::optional<std::pair<std::string, Nb201Cell>> anyCell(const Trial& trial) {
    for (const auto& [name, value] : trial.params) {
        const auto* text = std::get_if<std::string>(&value);
        // A cell string is long and starts with '|': skip the parse for others.
        if (!text || text->size() < 20 || text->front() != '|')
            continue;
        if (auto cell = cellOf(trial, name))
            return std::pair{name, *cell};
    }
    return std::nullopt;
}

QString edgeAxisName(const std::string& param, int edge, bool singleCell) {
    return singleCell ? edgeName(edge)
                      : QStringLiteral("%1 %2").arg(toQString(param), edgeName(edge));
}

std::vector<std::pair<QString, double>> reportedNumbers(const Trial& trial) {
    std::vector<std::pair<QString, double>> out;
    for (const auto& [key, value] : trial.attrs.items()) {
        if (!value.is_number() || isStrategyAttribute(key))
            continue;
        const double number = value.get<double>();
        if (std::isfinite(number))
            out.emplace_back(toQString(key), number);
    }
    return out;
}

}  // namespace bonsai::ui::cellFormat

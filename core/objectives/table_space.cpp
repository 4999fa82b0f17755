#include "objectives/table_space.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include "space/nb201_cell.h"

namespace bonsai {

namespace {

bool isCellString(const std::string& text) {
    try {
        Nb201Cell::parse(text);
        return true;
    } catch (const std::invalid_argument&) {
        return false;
    }
}

bool isCellColumn(const CsvTable& table, std::size_t column) {
    if (table.rowCount() == 0)
        return false;
    for (std::size_t r = 0; r < table.rowCount(); ++r)
        if (!isCellString(table.cell(r, column)))
            return false;
    return true;
}

// Whether no two rows agree on all of `columns`.
bool identifiesRows(const CsvTable& table, const std::vector<std::size_t>& columns) {
    std::set<std::string> seen;
    for (std::size_t r = 0; r < table.rowCount(); ++r) {
        std::string combined;
        for (std::size_t c : columns) {
            combined += table.cell(r, c);
            combined += '\x1f';  // the unit separator: in no cell of a sane table
        }
        if (!seen.insert(std::move(combined)).second)
            return false;
    }
    return true;
}

// The distinct values of one column, in order of first appearance; nullopt
// past `limit` of them or at an empty cell.
std::optional<std::vector<std::string>> distinctValues(const CsvTable& table, std::size_t column,
                                                       std::size_t limit) {
    std::vector<std::string> values;
    std::set<std::string> seen;
    for (std::size_t r = 0; r < table.rowCount(); ++r) {
        const std::string& cell = table.cell(r, column);
        if (cell.empty())
            return std::nullopt;
        if (seen.insert(cell).second) {
            values.push_back(cell);
            if (values.size() > limit)
                return std::nullopt;
        }
    }
    return values;
}

// An int parameter when the values are every integer from the least to the
// greatest (depth 1..8), a categorical otherwise (lr 0.0003, 0.001, ...).
Json numericParameter(const std::string& name, std::vector<double> numbers) {
    std::sort(numbers.begin(), numbers.end());
    numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
    const bool integers =
        std::all_of(numbers.begin(), numbers.end(), [](double x) { return x == std::round(x); });
    if (integers && numbers.size() >= 3 && numbers.back() - numbers.front() + 1 == numbers.size())
        return {{"name", name},
                {"type", "int"},
                {"low", static_cast<std::int64_t>(numbers.front())},
                {"high", static_cast<std::int64_t>(numbers.back())}};
    Json choices = Json::array();
    for (double x : numbers) {
        if (x == std::round(x) && std::fabs(x) < 1e15)
            choices.push_back(static_cast<std::int64_t>(x));
        else
            choices.push_back(x);
    }
    return {{"name", name}, {"type", "categorical"}, {"choices", std::move(choices)}};
}

Json parameterOf(const std::string& name, const std::vector<std::string>& values) {
    std::vector<double> numbers;
    for (const std::string& value : values) {
        const std::optional<double> number = parseCsvNumber(value);
        if (!number || !std::isfinite(*number))
            break;
        numbers.push_back(*number);
    }
    if (numbers.size() == values.size())
        return numericParameter(name, std::move(numbers));
    return {{"name", name}, {"type", "categorical"}, {"choices", values}};
}

}  // namespace

TableSpace spaceFromTable(const CsvTable& table, const std::vector<std::string>& exclude,
                          const std::optional<std::string>& key) {
    TableSpace out;
    if (key) {
        const std::optional<std::size_t> column = table.column(*key);
        if (!column)
            return out;
        if (isCellColumn(table, *column)) {
            out.space.push_back({{"name", "cell"}, {"type", "nb201-cell"}});
            return out;
        }
        // A key names one row per value: as many choices as rows.
        if (auto values = distinctValues(table, *column, table.rowCount()))
            out.space.push_back(parameterOf(*key, *values));
        else
            out.skipped.push_back(*key);
        return out;
    }
    // Candidates: cell columns, and columns of few distinct values.
    std::vector<std::size_t> settings;
    std::vector<Json> parameters;
    for (std::size_t c = 0; c < table.columnCount(); ++c) {
        const std::string& name = table.header()[c];
        if (std::find(exclude.begin(), exclude.end(), name) != exclude.end())
            continue;
        if (isCellColumn(table, c)) {
            settings.push_back(c);
            parameters.push_back({{"name", name}, {"type", "nb201-cell"}});
        } else if (auto values = distinctValues(table, c, kMaxTableChoices)) {
            settings.push_back(c);
            parameters.push_back(parameterOf(name, *values));
        } else {
            out.skipped.push_back(name);
        }
    }
    // A result of few values (tiny-bench's train_seconds) is told apart by
    // the rows: the settings without it still name each row once. Results
    // mostly come last, so the check runs from the right.
    if (identifiesRows(table, settings))
        for (std::size_t i = settings.size(); i-- > 0;) {
            std::vector<std::size_t> rest = settings;
            rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(i));
            if (!rest.empty() && identifiesRows(table, rest)) {
                out.skipped.push_back(table.header()[settings[i]]);
                settings = std::move(rest);
                parameters.erase(parameters.begin() + static_cast<std::ptrdiff_t>(i));
            }
        }
    for (Json& parameter : parameters)
        out.space.push_back(std::move(parameter));
    // Skipped columns in the table's order.
    std::sort(out.skipped.begin(), out.skipped.end(), [&table](const auto& a, const auto& b) {
        return *table.column(a) < *table.column(b);
    });
    return out;
}

}  // namespace bonsai

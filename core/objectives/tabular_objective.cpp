#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <unordered_map>

#include "objectives/builtin_objectives.h"
#include "objectives/csv_table.h"

namespace bonsai {

namespace {

// Numbers match at 12 significant digits, so a stepped float decoded as
// 0.30000000000000004 finds the table's 0.3.
std::string numberKey(double x) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "n:%.12g", x + 0.0);  // + 0.0 folds -0 into 0
    return buffer;
}

std::string valueKey(const ParamValue& value) {
    if (const auto* b = std::get_if<bool>(&value))
        return *b ? "b:true" : "b:false";
    if (auto number = numericValue(value))
        return numberKey(*number);
    return "s:" + std::get<std::string>(value);
}

std::string lowercase(std::string text) {
    for (char& c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// The key of a table cell read as a value of `spec`: the same string as
// valueKey() of the parameter value it stands for. Empty for an empty cell
// (an inactive parameter); a cell no value can match keeps a key nothing
// produces.
std::string cellKey(const std::string& text, const ParamSpec& spec) {
    if (text.empty())
        return "";
    switch (spec.type) {
        case ParamType::Float:
        case ParamType::Int:
            if (auto number = parseCsvNumber(text))
                return numberKey(*number);
            break;
        case ParamType::Nb201Cell:
            return "s:" + text;
        case ParamType::Categorical:
            for (const ParamValue& choice : spec.choices) {
                if (const auto* s = std::get_if<std::string>(&choice)) {
                    if (*s == text)
                        return valueKey(choice);
                } else if (const auto* b = std::get_if<bool>(&choice)) {
                    if (lowercase(text) == (*b ? "true" : "false"))
                        return valueKey(choice);
                } else if (auto number = parseCsvNumber(text)) {
                    if (numberKey(*number) == valueKey(choice))
                        return valueKey(choice);
                }
            }
            break;
    }
    return "?:" + text;
}

// {"kind": "tabular", "file": F, "metric": M, "key": K?, "report": [...]?, "cost": C?}:
// a benchmark stored as a table (NAS-Bench-201, or any CSV of precomputed
// results). A trial looks up its row and returns the `metric` column; the
// `report` columns become trial attributes and the `cost` column (seconds)
// counts against budget.seconds as simulated time.
//
// With `key`, that column holds the value of the space's single parameter
// (e.g. an nb201 cell string); without it, every parameter has a column of its
// own name (empty where the parameter is inactive). Numbers match numerically,
// strings exactly.
class TabularObjective final : public Objective {
  public:
    struct Column {
        std::string name;
        std::size_t index = 0;
    };

    TabularObjective(std::string file, std::shared_ptr<const CsvTable> table,
                     std::vector<std::string> names, std::vector<Column> keyColumns,
                     std::unordered_map<std::string, std::size_t> rows, std::vector<double> metric,
                     std::vector<Column> report, std::vector<double> cost)
        : m_file(std::move(file)),
          m_table(std::move(table)),
          m_names(std::move(names)),
          m_keyColumns(std::move(keyColumns)),
          m_rows(std::move(rows)),
          m_metric(std::move(metric)),
          m_report(std::move(report)),
          m_cost(std::move(cost)) {}

    double evaluate(const ParamMap& params, TrialContext& context) override {
        std::string key;
        for (std::size_t i = 0; i < m_names.size(); ++i) {
            auto it = params.find(m_names[i]);
            if (i)
                key += '\x1f';
            if (it != params.end())
                key += valueKey(it->second);
        }
        auto row = m_rows.find(key);
        if (row == m_rows.end())
            throw std::runtime_error(describeMissing(params));
        const std::size_t r = row->second;
        for (const Column& column : m_report) {
            const std::string& text = m_table->cell(r, column.index);
            if (auto number = parseCsvNumber(text); number && std::isfinite(*number))
                context.setAttribute(column.name, *number);
            else
                context.setAttribute(column.name, text);
        }
        if (!m_cost.empty())
            context.addSimulatedSeconds(m_cost[r]);
        return m_metric[r];
    }

  private:
    std::string describeMissing(const ParamMap& params) const {
        std::string text = "no row for ";
        for (std::size_t i = 0; i < m_names.size(); ++i) {
            auto it = params.find(m_names[i]);
            if (i)
                text += ", ";
            text += m_keyColumns[i].name + " = " +
                    (it == params.end() ? std::string("(inactive)")
                                        : "'" + toDisplayString(it->second) + "'");
        }
        return text + " in " + m_file;
    }

    std::string m_file;
    std::shared_ptr<const CsvTable> m_table;
    std::vector<std::string> m_names;  // space parameters, in key order
    std::vector<Column> m_keyColumns;  // their columns
    std::unordered_map<std::string, std::size_t> m_rows;
    std::vector<double> m_metric;
    std::vector<Column> m_report;
    std::vector<double> m_cost;  // per row; empty without "cost"
};

// Loads the table behind `file`, turning every failure into one sentence at
// objective.file.
std::shared_ptr<const CsvTable> loadTable(JsonReader& settings, const std::string& file) {
    namespace fs = std::filesystem;
    std::error_code error;
    fs::file_status status = fs::status(file, error);
    if (!fs::exists(status)) {
        std::string where;
        if (fs::path(file).is_relative())
            where = " (relative paths start from the current directory, " +
                    fs::current_path(error).string() + ")";
        settings.fail("file", "no such file '" + abbreviate(file, 200) + "'" + where +
                                  "; give the path of a CSV table with a header row");
    }
    if (fs::is_directory(status))
        settings.fail(
            "file", "'" + abbreviate(file, 200) + "' is a directory; give the path of a CSV file");
    try {
        return CsvTable::load(file);
    } catch (const CsvError& bad) {
        settings.fail("file", bad.what());
    } catch (const std::exception& failure) {
        settings.fail("file", failure.what());
    }
}

// The index of column `name`, or a SpecError at `path` with a did-you-mean.
std::size_t requireColumn(JsonReader& settings, const std::string& path, const std::string& name,
                          const CsvTable& table, const std::string& file) {
    if (auto column = table.column(name))
        return *column;
    std::string suggestion = closestMatch(name, table.header());
    throw SpecError(settings.fieldPath(path),
                    "no column '" + abbreviate(name) + "' in " + abbreviate(file, 200) +
                        (suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?") +
                        " (columns: " + joinNames(table.header()) + ")");
}

// A numeric column as doubles; a cell that isn't a number names its line.
std::vector<double> numericColumn(JsonReader& settings, const CsvTable& table, std::size_t column) {
    std::vector<double> out(table.rowCount());
    for (std::size_t r = 0; r < table.rowCount(); ++r) {
        const std::string& text = table.cell(r, column);
        auto number = parseCsvNumber(text);
        if (!number)
            settings.fail("file", "line " + std::to_string(table.line(r)) + ", column '" +
                                      table.header()[column] + "': '" + text + "' is not a number");
        out[r] = *number;
    }
    return out;
}

// Checks, before any trial runs, that each key column can hold values of its
// parameter: a float or int parameter needs numbers in its column, a cell or
// string parameter text, and a finite parameter (int, stepped float,
// categorical) at least one of its values among the column's cells.
// Otherwise every trial would fail with "no row for ..." at run time.
void checkKeyValues(JsonReader& settings, const CsvTable& table,
                    const std::vector<std::pair<const ParamSpec*, std::size_t>>& keyColumns,
                    const std::string& file) {
    constexpr std::int64_t kMaxEnumerated = 100000;
    for (const auto& [param, column] : keyColumns) {
        const std::string& columnName = table.header()[column];
        std::string textSample, numberSample;
        std::unordered_map<std::string, bool> keys;
        for (std::size_t r = 0; r < table.rowCount(); ++r) {
            const std::string& text = table.cell(r, column);
            if (text.empty())
                continue;  // an inactive parameter
            if (parseCsvNumber(text)) {
                if (numberSample.empty())
                    numberSample = text;
            } else if (textSample.empty()) {
                textSample = text;
            }
            keys.emplace(cellKey(text, *param), true);
        }
        if (keys.empty())
            continue;  // an empty column: the duplicate-row check speaks for it
        const std::string where = "column '" + abbreviate(columnName) + "' of " +
                                  abbreviate(file, 200) + " (matched to parameter '" +
                                  abbreviate(param->name) + "')";
        const bool numeric = param->type == ParamType::Float || param->type == ParamType::Int;
        if (numeric && numberSample.empty())
            settings.fail("key", where + " holds text such as '" + abbreviate(textSample) +
                                     "', but '" + param->name + "' is " +
                                     (param->type == ParamType::Int ? "an int" : "a float") +
                                     ", so no trial can find its row; make '" + param->name +
                                     "' categorical" +
                                     (textSample.front() == '|' ? " or nb201-cell" : "") +
                                     ", or key on a numeric column");
        if (param->type == ParamType::Nb201Cell && textSample.empty())
            settings.fail("key", where + " holds numbers such as '" + numberSample + "', but '" +
                                     param->name +
                                     "' is an nb201-cell (strings such as "
                                     "'|nor_conv_3x3~0|+|...'); key on the column of cell "
                                     "strings (e.g. \"arch_str\")");
        // Finite parameters: at least one of their values must have a row.
        std::vector<ParamValue> values;
        if (param->type == ParamType::Categorical) {
            values = param->choices;
        } else if (numeric && (param->step || param->type == ParamType::Int) &&
                   param->levelCount() && *param->levelCount() <= kMaxEnumerated) {
            const double step = param->step.value_or(1.0);
            for (std::int64_t k = 0; k < *param->levelCount(); ++k)
                values.emplace_back(param->low + static_cast<double>(k) * step);
        }
        if (values.empty())
            continue;
        const bool anyFound = std::any_of(values.begin(), values.end(), [&](const ParamValue& v) {
            return keys.count(valueKey(v)) > 0;
        });
        if (!anyFound) {
            std::string shown;
            for (std::size_t i = 0; i < std::min<std::size_t>(values.size(), 4); ++i)
                shown += (i ? ", " : "") + toDisplayString(values[i]);
            if (values.size() > 4)
                shown += ", ...";
            settings.fail("key", "none of the values of '" + param->name + "' (" + shown +
                                     ") occurs in " + where + ", whose cells are such as '" +
                                     abbreviate(numberSample.empty() ? textSample : numberSample) +
                                     "'; give '" + param->name + "' the values the table holds");
        }
    }
}

}  // namespace

std::unique_ptr<Objective> makeTabularObjective(JsonReader& settings, const SearchSpace& space) {
    const std::string file = settings.requireString("file");
    if (file.empty())
        settings.fail("file", "must name a CSV file");
    const std::string metricName = settings.requireString("metric");
    const std::optional<std::string> keyName = settings.optionalString("key");
    const std::optional<std::string> costName = settings.optionalString("cost");
    std::vector<std::string> reportNames;
    if (const Json* report = settings.optionalValue("report")) {
        if (!report->is_array())
            settings.fail("report",
                          "must be a list of column names (got " + describeJson(*report) + ")");
        for (std::size_t i = 0; i < report->size(); ++i) {
            if (!(*report)[i].is_string())
                throw SpecError(settings.fieldPath("report") + "[" + std::to_string(i) + "]",
                                "must be a column name (got " + describeJson((*report)[i]) + ")");
            reportNames.push_back((*report)[i].get<std::string>());
        }
    }

    std::shared_ptr<const CsvTable> table = loadTable(settings, file);
    const std::size_t metricColumn = requireColumn(settings, "metric", metricName, *table, file);
    std::vector<TabularObjective::Column> report;
    for (std::size_t i = 0; i < reportNames.size(); ++i)
        report.push_back(
            {reportNames[i], requireColumn(settings, "report[" + std::to_string(i) + "]",
                                           reportNames[i], *table, file)});

    // Which column holds which parameter.
    const auto& params = space.params();
    std::vector<std::string> names;
    std::vector<TabularObjective::Column> keyColumns;
    if (keyName) {
        std::size_t column = requireColumn(settings, "key", *keyName, *table, file);
        if (params.size() != 1)
            settings.fail("key",
                          "names the column holding the value of the space's single "
                          "parameter, but the space has " +
                              std::to_string(params.size()) +
                              "; drop \"key\" and name one column after each parameter");
        names.push_back(params.front().name);
        keyColumns.push_back({*keyName, column});
    } else {
        for (const ParamSpec& param : params) {
            if (auto column = table->column(param.name)) {
                names.push_back(param.name);
                keyColumns.push_back({param.name, *column});
                continue;
            }
            std::string suggestion = closestMatch(param.name, table->header());
            std::string hint =
                params.size() == 1
                    ? "; give \"key\": the column that holds its values" +
                          std::string(param.type == ParamType::Nb201Cell ? " (e.g. \"arch_str\")"
                                                                         : "")
                    : "; name one column after each parameter";
            settings.fail("key",
                          "required: " + abbreviate(file, 200) + " has no column for parameter '" +
                              abbreviate(param.name) + "'" +
                              (suggestion.empty() ? "" : " (is it '" + suggestion + "'?)") + hint);
        }
    }

    {
        std::vector<std::pair<const ParamSpec*, std::size_t>> checked;
        for (std::size_t i = 0; i < keyColumns.size(); ++i)
            checked.emplace_back(&params[i], keyColumns[i].index);
        checkKeyValues(settings, *table, checked, file);
    }
    std::vector<double> metric = numericColumn(settings, *table, metricColumn);
    std::vector<double> cost;
    if (costName) {
        cost = numericColumn(settings, *table,
                             requireColumn(settings, "cost", *costName, *table, file));
        for (std::size_t r = 0; r < cost.size(); ++r)
            if (!(cost[r] >= 0) || !std::isfinite(cost[r]))
                settings.fail("file", "line " + std::to_string(table->line(r)) + ", column '" +
                                          *costName + "': a cost must be a number of seconds >= 0");
    }

    std::unordered_map<std::string, std::size_t> rows;
    rows.reserve(table->rowCount() * 2);
    for (std::size_t r = 0; r < table->rowCount(); ++r) {
        std::string key;
        for (std::size_t i = 0; i < keyColumns.size(); ++i) {
            if (i)
                key += '\x1f';
            key += cellKey(table->cell(r, keyColumns[i].index), params[i]);
        }
        auto [it, inserted] = rows.emplace(std::move(key), r);
        if (!inserted) {
            std::string where;
            for (std::size_t i = 0; i < keyColumns.size(); ++i)
                where += (i ? ", " : "") + keyColumns[i].name + " = '" +
                         table->cell(r, keyColumns[i].index) + "'";
            settings.fail("file", "line " + std::to_string(table->line(r)) + ": a second row for " +
                                      where + " (the first is on line " +
                                      std::to_string(table->line(it->second)) +
                                      "); keep one row per point, e.g. averaged over seeds");
        }
    }
    return std::make_unique<TabularObjective>(
        file, std::move(table), std::move(names), std::move(keyColumns), std::move(rows),
        std::move(metric), std::move(report), std::move(cost));
}

}  // namespace bonsai

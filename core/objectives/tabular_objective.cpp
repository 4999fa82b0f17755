#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
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
std::shared_ptr<const CsvTable> loadTable(JsonReader& settings, const std::string& file,
                                          const std::string& field = "file") {
    namespace fs = std::filesystem;
    std::error_code error;
    fs::file_status status = fs::status(file, error);
    if (!fs::exists(status)) {
        std::string where;
        if (fs::path(file).is_relative())
            where = " (relative paths start from the current directory, " +
                    fs::current_path(error).string() + ")";
        settings.fail(field, "no such file '" + abbreviate(file, 200) + "'" + where +
                                 "; give the path of a CSV table with a header row");
    }
    if (fs::is_directory(status))
        settings.fail(
            field, "'" + abbreviate(file, 200) + "' is a directory; give the path of a CSV file");
    try {
        return CsvTable::load(file);
    } catch (const CsvError& bad) {
        settings.fail(field, bad.what());
    } catch (const std::exception& failure) {
        settings.fail(field, failure.what());
    }
}

// The table a tabular objective reads: one file, or several joined on the
// key column. A joined table has the first file's rows in its order, each
// extended by the other files' columns from the row with the same key.
struct SourceTable {
    std::shared_ptr<const CsvTable> table;
    std::string file;                      // what messages call it: the file, or "a.csv + b.csv"
    std::vector<std::string> files;        // file names of the joined tables
    std::vector<std::size_t> columnTable;  // per column: which file it came from
    std::vector<std::vector<int>> lines;   // per file after the first, per row: its line there
    // Columns found in several files (the first is kept): naming one is ambiguous.
    std::map<std::string, std::vector<std::string>> shared;

    // "line 12" for one file, "line 12 of b.csv" for a column of a joined one.
    std::string lineOf(std::size_t row, std::size_t column) const {
        const std::size_t source = columnTable.empty() ? 0 : columnTable[column];
        if (files.size() < 2)
            return "line " + std::to_string(table->line(row));
        const int line = source == 0 ? table->line(row) : lines[source - 1][row];
        return "line " + std::to_string(line) + " of " + files[source];
    }
};

// The index of column `name`, or a SpecError at `path` with a did-you-mean.
std::size_t requireColumn(JsonReader& settings, const std::string& path, const std::string& name,
                          const SourceTable& source) {
    const CsvTable& table = *source.table;
    const std::string& file = source.file;
    if (auto both = source.shared.find(name); both != source.shared.end())
        throw SpecError(settings.fieldPath(path),
                        "column '" + abbreviate(name) + "' is in both " + both->second[0] +
                            " and " + both->second[1] +
                            "; rename it in one of them so the name says which table it is from");
    if (auto column = table.column(name))
        return *column;
    std::string suggestion = closestMatch(name, table.header());
    throw SpecError(settings.fieldPath(path),
                    "no column '" + abbreviate(name) + "' in " + abbreviate(file, 200) +
                        (suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?") +
                        " (columns: " + joinNames(table.header()) + ")");
}

// The columns that could hold results (`metric`, `cost`): those whose first
// row is a number, but for the columns of the search space's parameters.
std::vector<std::string> resultColumnNames(const CsvTable& table,
                                           const std::vector<std::size_t>& keyColumns) {
    std::vector<std::string> names;
    if (table.rowCount() == 0)
        return names;
    for (std::size_t c = 0; c < table.header().size(); ++c)
        if (std::find(keyColumns.begin(), keyColumns.end(), c) == keyColumns.end() &&
            parseCsvNumber(table.cell(0, c)))
            names.push_back(table.header()[c]);
    return names;
}

bool columnHoldsANumber(const CsvTable& table, std::size_t column) {
    for (std::size_t r = 0; r < table.rowCount(); ++r)
        if (parseCsvNumber(table.cell(r, column)))
            return true;
    return false;
}

// What `field` could name instead: "; choose a column of numbers: a, b, c".
std::string resultColumnsHint(const std::vector<std::string>& names) {
    constexpr std::size_t kShown = 5;
    if (names.size() <= kShown)
        return "; choose a column of numbers: " + joinNames(names);
    const std::vector<std::string> first(names.begin(), names.begin() + kShown);
    return "; choose a column of numbers: " + joinNames(first) + " or " +
           std::to_string(names.size() - kShown) + " more";
}

// Column `column` as doubles, for `field` (metric or cost). A parameter's
// column, or one with no number in it where others have some (the text of a
// cell's architecture, say), is the wrong column: the message names `field`
// and the columns that could do. A bad cell in a column of numbers is the
// table's fault and names its line.
std::vector<double> numericColumn(JsonReader& settings, const SourceTable& source,
                                  std::size_t column, const std::string& field,
                                  const std::vector<std::size_t>& keyColumns) {
    const CsvTable& table = *source.table;
    const std::string& name = table.header()[column];
    if (std::find(keyColumns.begin(), keyColumns.end(), column) != keyColumns.end()) {
        const std::vector<std::string> candidates = resultColumnNames(table, keyColumns);
        settings.fail(field, "'" + abbreviate(name) +
                                 "' is the column of a search-space parameter, not a result" +
                                 (candidates.empty() ? "" : resultColumnsHint(candidates)));
    }
    std::vector<double> out(table.rowCount());
    for (std::size_t r = 0; r < table.rowCount(); ++r) {
        const std::string& text = table.cell(r, column);
        if (auto number = parseCsvNumber(text)) {
            out[r] = *number;
            continue;
        }
        if (r == 0 && !columnHoldsANumber(table, column)) {
            const std::vector<std::string> candidates = resultColumnNames(table, keyColumns);
            if (!candidates.empty())
                settings.fail(field, "column '" + abbreviate(name) + "' holds no numbers (" +
                                         source.lineOf(r, column) + ": '" + abbreviate(text) +
                                         "')" + resultColumnsHint(candidates));
        }
        settings.fail("file", source.lineOf(r, column) + ", column '" + name + "': '" + text +
                                  "' is not a number");
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

// The file names `files` are called by in messages: their last path component.
std::string displayName(const std::string& file) {
    std::string name = std::filesystem::path(file).filename().string();
    return abbreviate(name.empty() ? file : name, 120);
}

// Joins `tables` (already loaded, `files` their names) on column `key`, whose
// cells match by `keyOf`. Every table must have the key column and a row for
// every key of every other table; a column name in several tables is kept
// once and remembered as ambiguous (requireColumn rejects naming it).
SourceTable joinTables(JsonReader& settings, const std::vector<std::string>& files,
                       const std::vector<std::shared_ptr<const CsvTable>>& tables,
                       const std::string& key,
                       const std::function<std::string(const std::string&)>& keyOf) {
    SourceTable out;
    for (const std::string& file : files)
        out.files.push_back(displayName(file));
    for (std::size_t i = 0; i < files.size(); ++i)
        out.file += (i ? " + " : "") + out.files[i];
    const auto field = [](std::size_t i) { return "file[" + std::to_string(i) + "]"; };

    std::vector<std::size_t> keyColumn;
    for (std::size_t t = 0; t < tables.size(); ++t) {
        auto column = tables[t]->column(key);
        if (!column)
            settings.fail(field(t), out.files[t] + " has no column '" + abbreviate(key) +
                                        "' (its columns: " + joinNames(tables[t]->header()) +
                                        "); every joined table needs the \"key\" column");
        keyColumn.push_back(*column);
    }
    // Row of each key in every table after the first.
    std::vector<std::unordered_map<std::string, std::size_t>> rowOf(tables.size());
    for (std::size_t t = 1; t < tables.size(); ++t) {
        const CsvTable& table = *tables[t];
        rowOf[t].reserve(table.rowCount() * 2);
        for (std::size_t r = 0; r < table.rowCount(); ++r) {
            auto [it, inserted] = rowOf[t].emplace(keyOf(table.cell(r, keyColumn[t])), r);
            if (!inserted)
                settings.fail(field(t), out.files[t] + " line " + std::to_string(table.line(r)) +
                                            ": a second row for " + key + " = '" +
                                            abbreviate(table.cell(r, keyColumn[t]), 200) +
                                            "' (the first is on line " +
                                            std::to_string(table.line(it->second)) +
                                            "); keep one row per key");
        }
    }
    const CsvTable& first = *tables[0];
    std::unordered_map<std::string, std::size_t> firstRows;
    firstRows.reserve(first.rowCount() * 2);
    for (std::size_t r = 0; r < first.rowCount(); ++r)
        firstRows.emplace(keyOf(first.cell(r, keyColumn[0])), r);
    // Keys one table has and another lacks: how many, and the first of them.
    for (std::size_t t = 1; t < tables.size(); ++t) {
        std::size_t missing = 0;
        std::string example;
        for (std::size_t r = 0; r < first.rowCount(); ++r)
            if (!rowOf[t].count(keyOf(first.cell(r, keyColumn[0]))) && missing++ == 0)
                example = first.cell(r, keyColumn[0]);
        if (missing)
            settings.fail(field(t), out.files[t] + " has no row for " + std::to_string(missing) +
                                        " of the " + std::to_string(firstRows.size()) + " " + key +
                                        " values in " + out.files[0] + ", e.g. '" +
                                        abbreviate(example, 200) +
                                        "'; every joined table needs a row for each key");
        const CsvTable& table = *tables[t];
        for (std::size_t r = 0; r < table.rowCount(); ++r)
            if (!firstRows.count(keyOf(table.cell(r, keyColumn[t]))) && missing++ == 0)
                example = table.cell(r, keyColumn[t]);
        if (missing)
            settings.fail(field(t), out.files[t] + " has " + std::to_string(missing) + " " + key +
                                        " values that " + out.files[0] + " lacks, e.g. '" +
                                        abbreviate(example, 200) +
                                        "'; every joined table needs a row for each key");
    }

    // Columns: the first table's, then each other table's except its key.
    std::vector<std::string> header;
    std::vector<std::pair<std::size_t, std::size_t>> origin;  // (table, column)
    std::map<std::string, std::size_t> ownerOf;
    for (std::size_t t = 0; t < tables.size(); ++t)
        for (std::size_t c = 0; c < tables[t]->columnCount(); ++c) {
            const std::string& name = tables[t]->header()[c];
            if (t > 0 && c == keyColumn[t])
                continue;
            auto [it, fresh] = ownerOf.emplace(name, t);
            if (!fresh) {
                auto& names = out.shared[name];
                if (names.empty())
                    names.push_back(out.files[it->second]);
                names.push_back(out.files[t]);
                continue;
            }
            header.push_back(name);
            origin.emplace_back(t, c);
            out.columnTable.push_back(t);
        }
    std::vector<std::string> cells;
    cells.reserve(first.rowCount() * header.size());
    std::vector<int> lines;
    out.lines.assign(tables.size() - 1, std::vector<int>(first.rowCount()));
    for (std::size_t r = 0; r < first.rowCount(); ++r) {
        const std::string k = keyOf(first.cell(r, keyColumn[0]));
        std::vector<std::size_t> rows(tables.size(), r);
        for (std::size_t t = 1; t < tables.size(); ++t) {
            rows[t] = rowOf[t].at(k);
            out.lines[t - 1][r] = tables[t]->line(rows[t]);
        }
        for (const auto& [t, c] : origin)
            cells.push_back(tables[t]->cell(rows[t], c));
        lines.push_back(first.line(r));
    }
    out.table = std::make_shared<const CsvTable>(
        CsvTable::fromParts(std::move(header), std::move(cells), std::move(lines)));
    return out;
}

}  // namespace

std::unique_ptr<Objective> makeTabularObjective(JsonReader& settings, const SearchSpace& space) {
    // "file": one table, or a list of tables joined on "key".
    std::vector<std::string> files;
    const Json& fileValue = settings.requireValue("file");
    if (fileValue.is_array()) {
        if (fileValue.empty())
            settings.fail("file", "must list at least one CSV file");
        for (std::size_t i = 0; i < fileValue.size(); ++i) {
            if (!fileValue[i].is_string() || fileValue[i].get<std::string>().empty())
                throw SpecError(settings.fieldPath("file") + "[" + std::to_string(i) + "]",
                                "must name a CSV file (got " + describeJson(fileValue[i]) + ")");
            files.push_back(fileValue[i].get<std::string>());
        }
    } else if (fileValue.is_string()) {
        files.push_back(fileValue.get<std::string>());
        if (files.front().empty())
            settings.fail("file", "must name a CSV file");
    } else {
        settings.fail("file", "must name a CSV file or list several joined on \"key\" (got " +
                                  describeJson(fileValue) + ")");
    }
    const std::string file = files.front();
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

    const auto& params = space.params();
    if (keyName && params.size() != 1)
        settings.fail("key",
                      "names the column holding the value of the space's single "
                      "parameter, but the space has " +
                          std::to_string(params.size()) +
                          "; drop \"key\" and name one column after each parameter");
    SourceTable source;
    if (files.size() == 1) {
        source.table = loadTable(settings, file);
        source.file = file;
        source.files = {file};
    } else {
        if (!keyName)
            settings.fail("key",
                          "required when \"file\" lists several tables: name the column "
                          "they share, e.g. \"arch_str\"");
        std::vector<std::shared_ptr<const CsvTable>> tables;
        for (std::size_t i = 0; i < files.size(); ++i)
            tables.push_back(loadTable(settings, files[i], "file[" + std::to_string(i) + "]"));
        const ParamSpec& keyParam = params.front();
        source =
            joinTables(settings, files, tables, *keyName,
                       [&keyParam](const std::string& text) { return cellKey(text, keyParam); });
    }
    std::shared_ptr<const CsvTable> table = source.table;
    const std::size_t metricColumn = requireColumn(settings, "metric", metricName, source);
    std::vector<TabularObjective::Column> report;
    for (std::size_t i = 0; i < reportNames.size(); ++i)
        report.push_back(
            {reportNames[i],
             requireColumn(settings, "report[" + std::to_string(i) + "]", reportNames[i], source)});

    // Which column holds which parameter.
    std::vector<std::string> names;
    std::vector<TabularObjective::Column> keyColumns;
    if (keyName) {
        std::size_t column = requireColumn(settings, "key", *keyName, source);
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
        checkKeyValues(settings, *table, checked, source.file);
    }
    std::vector<std::size_t> keyIndices;
    for (const TabularObjective::Column& key : keyColumns)
        keyIndices.push_back(key.index);
    std::vector<double> metric =
        numericColumn(settings, source, metricColumn, "metric", keyIndices);
    std::vector<double> cost;
    if (costName) {
        cost = numericColumn(settings, source, requireColumn(settings, "cost", *costName, source),
                             "cost", keyIndices);
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
        source.file, std::move(table), std::move(names), std::move(keyColumns), std::move(rows),
        std::move(metric), std::move(report), std::move(cost));
}

}  // namespace bonsai

#pragma once

#include <optional>
#include <string>
#include <vector>

#include "objectives/csv_table.h"
#include "util/json.h"

namespace bonsai {

// A search space the tabular objective can look up in `table`: what the
// Setup form's "Search space from the table" fills in.
struct TableSpace {
    Json space = Json::array();  // the spec's "space"
    // Columns left out: results rather than settings (more distinct values
    // than a grid of settings has, or not needed to tell rows apart) or with
    // empty cells (conditional parameters need a "when" the table cannot tell).
    std::vector<std::string> skipped;
};

// With `key`, one parameter for that column: an nb201-cell when every value
// is a cell string, else a categorical of its values. Without, one parameter
// per column not in `exclude` (the metric, report and cost columns): a
// column of cell strings an nb201-cell, consecutive integers an int, other
// columns of at most kMaxTableChoices distinct values a categorical (numbers
// ascending, text in order of appearance). A column the others already tell
// apart every row without (a result of few values, such as a training time
// per width) is left out.
constexpr std::size_t kMaxTableChoices = 64;
TableSpace spaceFromTable(const CsvTable& table, const std::vector<std::string>& exclude,
                          const std::optional<std::string>& key = std::nullopt);

}  // namespace bonsai

#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace bonsai {

// A malformed table: what() reads "line 37: expected 12 fields, got 11".
class CsvError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A CSV file held in memory as text cells: a header row, then rows with
// exactly as many fields (RFC 4180: quoted fields may hold commas, doubled
// quotes and line breaks; CRLF or LF; a UTF-8 BOM and blank lines are skipped).
class CsvTable {
  public:
    // Throws CsvError naming the line of the first bad record.
    static CsvTable parse(std::string_view text);
    // Reads and parses `path`, sharing one copy per file across the process
    // while its size and modification time are unchanged (a study builds its
    // objective twice: once to validate the spec, once to run). Throws
    // CsvError for a bad table and std::runtime_error if the file can't be read.
    static std::shared_ptr<const CsvTable> load(const std::string& path);
    // Only the header of the file at `path`, and its first data record if
    // it has one, read no further than that ends (for column pickers, which
    // tell columns of numbers by the first row). Throws as load() does for a
    // bad header; the first record is as read, of any width.
    struct Head {
        std::vector<std::string> header;
        std::vector<std::string> firstRow;  // empty if the table has no rows
    };
    static Head readHead(const std::string& path);
    static std::vector<std::string> readHeader(const std::string& path) {
        return readHead(path).header;
    }
    // A table built in memory (e.g. several files joined on a key): `cells`
    // row-major with header.size() per row, `lines` one per row.
    static CsvTable fromParts(std::vector<std::string> header, std::vector<std::string> cells,
                              std::vector<int> lines);

    const std::vector<std::string>& header() const { return m_header; }
    std::optional<std::size_t> column(std::string_view name) const;
    std::size_t rowCount() const { return m_lines.size(); }
    std::size_t columnCount() const { return m_header.size(); }
    const std::string& cell(std::size_t row, std::size_t column) const {
        return m_cells[row * m_header.size() + column];
    }
    // The file line on which data row `row` starts (the header is line 1).
    int line(std::size_t row) const { return m_lines[row]; }

  private:
    std::vector<std::string> m_header;
    std::vector<std::string> m_cells;  // row-major
    std::vector<int> m_lines;
};

// The whole text as a finite or infinite double (std::from_chars; surrounding
// blanks and a leading '+' allowed), or nullopt.
std::optional<double> parseCsvNumber(std::string_view text);

}  // namespace bonsai

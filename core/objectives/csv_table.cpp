#include "objectives/csv_table.h"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

namespace bonsai {

namespace {

std::string lineMessage(int line, const std::string& message) {
    return "line " + std::to_string(line) + ": " + message;
}

// Tables kept for reuse, keyed by absolute path; a file that changed on disk
// is read again. Few studies use more than one or two tables.
struct CacheEntry {
    std::filesystem::file_time_type modified;
    std::uintmax_t size = 0;
    std::shared_ptr<const CsvTable> table;
    std::uint64_t used = 0;
};
constexpr std::size_t kCacheEntries = 8;

// Splits RFC 4180 records off a text one at a time, counting file lines
// (a line break inside quotes counts too).
class RecordReader {
  public:
    explicit RecordReader(std::string_view text) : m_text(text) {
        if (m_text.substr(0, 3) == "\xEF\xBB\xBF")
            m_text.remove_prefix(3);
    }

    // The line the next record starts on.
    int line() const { return m_line; }

    // Reads the next record into `record`; false at the end of the text.
    bool next(std::vector<std::string>& record) {
        record.clear();
        if (m_at >= m_text.size())
            return false;
        while (true) {
            record.push_back(readField());
            if (peek(',')) {
                ++m_at;
                continue;
            }
            if (peek('\r'))
                ++m_at;
            if (peek('\n'))
                ++m_at;
            ++m_line;
            return true;
        }
    }

  private:
    bool peek(char c) const { return m_at < m_text.size() && m_text[m_at] == c; }
    bool atFieldEnd() const {
        return m_at >= m_text.size() || peek(',') || peek('\n') || peek('\r');
    }

    std::string readField() {
        std::string field;
        if (!peek('"')) {
            const std::size_t start = m_at;
            while (!atFieldEnd())
                ++m_at;
            return std::string(m_text.substr(start, m_at - start));
        }
        const int opened = m_line;
        ++m_at;
        while (true) {
            if (m_at >= m_text.size())
                throw CsvError(lineMessage(opened, "a quoted field is never closed"));
            const char c = m_text[m_at++];
            if (c == '"') {
                if (!peek('"'))
                    break;
                ++m_at;
            } else if (c == '\n') {
                ++m_line;
            }
            field += c;
        }
        if (!atFieldEnd())
            throw CsvError(lineMessage(
                m_line, "a quoted field must be followed by a comma or the end of the line"));
        return field;
    }

    std::string_view m_text;
    std::size_t m_at = 0;
    int m_line = 1;
};

bool isBlank(const std::vector<std::string>& record) {
    return record.size() == 1 && record.front().empty();
}

// Reads the first record that is not blank into `header`, checking that every
// column has a name and no name repeats; false if the text has none.
bool readHeaderRecord(RecordReader& reader, std::vector<std::string>& header) {
    while (true) {
        const int line = reader.line();
        if (!reader.next(header))
            return false;
        if (isBlank(header))
            continue;
        for (std::size_t a = 0; a < header.size(); ++a) {
            if (header[a].empty())
                throw CsvError(lineMessage(
                    line, "column " + std::to_string(a + 1) + " of the header has no name"));
            for (std::size_t b = 0; b < a; ++b)
                if (header[a] == header[b])
                    throw CsvError(lineMessage(line, "duplicate column '" + header[a] + "'"));
        }
        return true;
    }
}

}  // namespace

std::optional<double> parseCsvNumber(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    if (text.empty())
        return std::nullopt;
    double value = 0.0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

CsvTable CsvTable::parse(std::string_view text) {
    CsvTable table;
    RecordReader reader(text);
    if (!readHeaderRecord(reader, table.m_header))
        throw CsvError("the file is empty; it needs a header row");
    std::vector<std::string> record;
    while (true) {
        const int recordLine = reader.line();
        if (!reader.next(record))
            break;
        if (isBlank(record))
            continue;
        if (record.size() != table.m_header.size())
            throw CsvError(
                lineMessage(recordLine, "expected " + std::to_string(table.m_header.size()) +
                                            " fields, got " + std::to_string(record.size())));
        for (auto& cell : record)
            table.m_cells.push_back(std::move(cell));
        table.m_lines.push_back(recordLine);
    }
    if (table.m_lines.empty())
        throw CsvError("the table has a header but no rows");
    return table;
}

CsvTable::Head CsvTable::readHead(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read '" + path + "'");
    // Reads line by line until the header and the first record are whole
    // (their quotes closed), so a picker of columns does not read a table of
    // millions of rows. At a line end outside quotes every record is whole.
    std::string text;
    std::string line;
    bool quoted = false;
    Head head;
    auto parse = [&] {
        RecordReader reader(text);
        if (!readHeaderRecord(reader, head.header))
            return false;
        try {
            while (reader.next(head.firstRow))
                if (!isBlank(head.firstRow))
                    return true;
        } catch (const CsvError&) {
            head.firstRow.clear();  // a bad first record: the header still stands
            return true;
        }
        head.firstRow.clear();
        return false;
    };
    while (std::getline(in, line)) {
        text += line;
        text += '\n';
        for (char c : line)
            if (c == '"')
                quoted = !quoted;
        if (!quoted && parse())
            return head;
    }
    if (!parse() && head.header.empty())  // names an unclosed quote
        throw CsvError("the file is empty; it needs a header row");
    return head;
}

CsvTable CsvTable::fromParts(std::vector<std::string> header, std::vector<std::string> cells,
                             std::vector<int> lines) {
    CsvTable table;
    table.m_header = std::move(header);
    table.m_cells = std::move(cells);
    table.m_lines = std::move(lines);
    return table;
}

std::optional<std::size_t> CsvTable::column(std::string_view name) const {
    for (std::size_t c = 0; c < m_header.size(); ++c)
        if (m_header[c] == name)
            return c;
    return std::nullopt;
}

std::shared_ptr<const CsvTable> CsvTable::load(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code error;
    fs::path absolute = fs::absolute(path, error);
    if (error)
        absolute = path;
    std::string key = absolute.lexically_normal().string();
    auto modified = fs::last_write_time(absolute, error);
    auto size = error ? 0 : fs::file_size(absolute, error);

    static std::mutex mutex;
    static std::map<std::string, CacheEntry> cache;
    static std::uint64_t clock = 0;
    if (!error) {
        std::lock_guard lock(mutex);
        auto it = cache.find(key);
        if (it != cache.end() && it->second.modified == modified && it->second.size == size) {
            it->second.used = ++clock;
            return it->second.table;
        }
    }

    std::ifstream in(absolute, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read '" + path + "'");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    auto table = std::make_shared<const CsvTable>(parse(buffer.str()));

    if (!error) {
        std::lock_guard lock(mutex);
        if (cache.size() >= kCacheEntries && !cache.count(key)) {
            auto oldest = cache.begin();
            for (auto it = cache.begin(); it != cache.end(); ++it)
                if (it->second.used < oldest->second.used)
                    oldest = it;
            cache.erase(oldest);
        }
        cache[key] = CacheEntry{modified, size, table, ++clock};
    }
    return table;
}

}  // namespace bonsai

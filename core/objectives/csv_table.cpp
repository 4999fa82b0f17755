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
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);
    CsvTable table;
    std::vector<std::string> record;
    std::string field;
    std::size_t i = 0;
    int line = 1;
    const std::size_t n = text.size();

    // Reads one record starting at text[i]; returns false at the end of input.
    auto readRecord = [&]() -> bool {
        record.clear();
        if (i >= n)
            return false;
        while (true) {
            field.clear();
            if (i < n && text[i] == '"') {
                int opened = line;
                ++i;
                while (true) {
                    if (i >= n)
                        throw CsvError(lineMessage(opened, "a quoted field is never closed"));
                    char c = text[i++];
                    if (c == '"') {
                        if (i < n && text[i] == '"') {
                            field += '"';
                            ++i;
                        } else {
                            break;
                        }
                    } else {
                        if (c == '\n')
                            ++line;
                        field += c;
                    }
                }
                if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                    throw CsvError(lineMessage(
                        line, "a quoted field must be followed by a comma or the end of the line"));
            } else {
                std::size_t start = i;
                while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                    ++i;
                field.assign(text.substr(start, i - start));
            }
            record.push_back(field);
            if (i < n && text[i] == ',') {
                ++i;
                continue;
            }
            if (i < n && text[i] == '\r')
                ++i;
            if (i < n && text[i] == '\n')
                ++i;
            return true;
        }
    };

    auto blank = [&] { return record.size() == 1 && record.front().empty(); };
    while (true) {
        const int recordLine = line;
        if (!readRecord())
            break;
        ++line;  // the record's end; line breaks inside quotes were counted as read
        if (blank())
            continue;
        if (table.m_header.empty()) {
            table.m_header = record;
            for (std::size_t a = 0; a < record.size(); ++a) {
                if (record[a].empty())
                    throw CsvError(lineMessage(recordLine, "column " + std::to_string(a + 1) +
                                                               " of the header has no name"));
                for (std::size_t b = 0; b < a; ++b)
                    if (record[a] == record[b])
                        throw CsvError(
                            lineMessage(recordLine, "duplicate column '" + record[a] + "'"));
            }
            continue;
        }
        if (record.size() != table.m_header.size())
            throw CsvError(
                lineMessage(recordLine, "expected " + std::to_string(table.m_header.size()) +
                                            " fields, got " + std::to_string(record.size())));
        for (auto& cell : record)
            table.m_cells.push_back(std::move(cell));
        table.m_lines.push_back(recordLine);
    }
    if (table.m_header.empty())
        throw CsvError("the file is empty; it needs a header row");
    if (table.m_lines.empty())
        throw CsvError("the table has a header but no rows");
    return table;
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

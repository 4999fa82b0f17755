#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// A command's stdout cut into lines, as the line protocol reads it; shared by
// the local executor (bytes from a pipe) and the slurm executor (bytes from
// the job's output file).
namespace bonsai {

// Bytes of a stream kept as its tail (stored with the trial).
constexpr std::size_t kStreamTailBytes = 8192;

// The last kStreamTailBytes of a stream. The kept bytes grow to twice that
// before the oldest are dropped, so an append costs O(1) per byte and not a
// move of the whole tail per line (which held reading at ~70 MB/s).
class StreamTail {
  public:
    void append(const char* data, std::size_t size);
    void append(std::string_view data) { append(data.data(), data.size()); }
    // The last kStreamTailBytes (fewer if the stream was shorter).
    std::string text() const;

  private:
    std::string m_bytes;
};

// Cuts bytes into lines at '\n', '\r' or "\r\n" (a progress bar that redraws
// itself with '\r' makes a line per redraw), also when a line end is split
// between two appends. A line is kept up to `maxLineBytes`; the rest of a
// longer one is dropped (a progress bar without newlines, a binary dump) so
// memory stays bounded, and the tail says so. The tail holds the last bytes
// of what was kept, line ends included.
class LineBuffer {
  public:
    static constexpr std::size_t kDefaultMaxLineBytes = 1 << 20;

    explicit LineBuffer(std::size_t maxLineBytes = kDefaultMaxLineBytes)
        : m_maxLineBytes(maxLineBytes) {}

    void append(const char* data, std::size_t size);
    void append(std::string_view data) { append(data.data(), data.size()); }
    // Ends a last line that has no line end (the stream is over); no-op
    // when nothing is pending.
    void finish();

    // Complete lines not yet taken (without their line ends).
    std::vector<std::string> takeLines() { return std::exchange(m_lines, {}); }
    bool hasLines() const { return !m_lines.empty(); }
    // Bytes after the last line end are waiting (or being dropped).
    bool hasPartial() const { return !m_partial.empty() || m_dropping; }
    std::string tail() const { return m_tail.text(); }

  private:
    void keep(const char* data, std::size_t size);
    void endLine();

    std::size_t m_maxLineBytes;
    std::vector<std::string> m_lines;  // complete lines not yet taken
    std::string m_partial;             // bytes after the last line end
    bool m_dropping = false;           // the current line passed m_maxLineBytes
    std::size_t m_dropped = 0;
    bool m_afterCarriageReturn = false;
    StreamTail m_tail;
};

}  // namespace bonsai

#include "exec/line_buffer.h"

#include <algorithm>

namespace bonsai {

void StreamTail::append(const char* data, std::size_t size) {
    if (size >= kStreamTailBytes) {
        m_bytes.assign(data + size - kStreamTailBytes, kStreamTailBytes);
        return;
    }
    m_bytes.append(data, size);
    if (m_bytes.size() > 2 * kStreamTailBytes)
        m_bytes.erase(0, m_bytes.size() - kStreamTailBytes);
}

std::string StreamTail::text() const {
    const std::size_t from =
        m_bytes.size() > kStreamTailBytes ? m_bytes.size() - kStreamTailBytes : 0;
    return m_bytes.substr(from);
}

void LineBuffer::append(const char* data, std::size_t size) {
    std::size_t start = 0;
    if (m_afterCarriageReturn && size > 0 && data[0] == '\n')
        start = 1;  // the '\n' of a "\r\n" split between two appends
    m_afterCarriageReturn = false;
    for (std::size_t i = start; i < size; ++i) {
        const char c = data[i];
        if (c != '\n' && c != '\r')
            continue;
        keep(data + start, i + 1 - start);
        endLine();
        if (c == '\r') {
            if (i + 1 < size && data[i + 1] == '\n') {
                m_tail.append("\n", 1);
                ++i;
            } else if (i + 1 == size) {
                m_afterCarriageReturn = true;
            }
        }
        start = i + 1;
    }
    keep(data + start, size - start);
}

void LineBuffer::finish() {
    if (hasPartial())
        endLine();
}

// Bytes of the current line (its end character included, for the tail).
void LineBuffer::keep(const char* data, std::size_t size) {
    std::size_t body = size;
    if (body > 0 && (data[body - 1] == '\n' || data[body - 1] == '\r'))
        --body;
    std::size_t room = m_dropping ? 0 : m_maxLineBytes - std::min(m_maxLineBytes, m_partial.size());
    std::size_t kept = std::min(body, room);
    m_partial.append(data, kept);
    m_tail.append(data, kept);
    if (kept < body) {
        m_dropping = true;
        m_dropped += body - kept;
    }
    if (body < size)
        m_tail.append(data + body, 1);
}

void LineBuffer::endLine() {
    if (m_dropping) {
        const std::string note = "\n[bonsai: dropped " + std::to_string(m_dropped) +
                                 " bytes of a stdout line longer than " +
                                 std::to_string(m_maxLineBytes) + " bytes]\n";
        m_tail.append(note);
        m_dropping = false;
        m_dropped = 0;
    }
    m_lines.push_back(std::move(m_partial));
    m_partial.clear();
}

}  // namespace bonsai

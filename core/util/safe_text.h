#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

// Text from outside (a command's output, a stored row) made safe to keep,
// print and parse: JSON needs valid UTF-8, and copying or printing a JSON
// value recurses once per nesting level.
namespace bonsai {

// Follows JSON text (or text that may not be JSON) byte by byte and says
// which bytes are structure, outside string literals (escapes included), so
// a scanner acts on structure only without a parser.
class JsonStringTracker {
  public:
    // Feeds the next byte; true if it is outside every string literal (a
    // string's opening and closing quotes count as inside).
    bool structural(char c) {
        if (m_inString) {
            if (m_escaped)
                m_escaped = false;
            else if (c == '\\')
                m_escaped = true;
            else if (c == '"')
                m_inString = false;
            return false;
        }
        if (c == '"') {
            m_inString = true;
            return false;
        }
        return true;
    }

  private:
    bool m_inString = false;
    bool m_escaped = false;
};

// Deepest nesting of arrays and objects any JSON text may have here (specs,
// protocol lines, stored values). Real ones nest a few levels.
constexpr int kMaxJsonNesting = 100;

// The byte offset of the first '[' or '{' nested deeper than `limit` (outside
// strings), or nullopt. Linear, no recursion, works on text that is not JSON.
std::optional<std::size_t> jsonNestingBeyond(std::string_view text, int limit = kMaxJsonNesting);

// `text` with every byte that is not part of a well-formed UTF-8 character
// replaced by U+FFFD. With `tailCut`, bytes at the front that continue a
// character cut off before the text begins (a tail kept from a longer
// stream) are dropped instead, so the result starts on a character boundary.
std::string validUtf8(std::string_view text, bool tailCut = false);

// `word` as one POSIX shell word, single-quoted: pasted into a shell (a
// printed hint, a batch script) it is that text and nothing else.
std::string shellQuote(std::string_view word);

}  // namespace bonsai

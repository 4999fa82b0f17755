#pragma once

#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>

namespace bonsai {

// `text` made safe to show on one line: control characters become escapes
// (\n, \t, \u001b) and bytes that are not UTF-8 become \xNN. Spec errors quote
// names and JSON fragments straight from the user's file, and a name holding a
// newline or a stray byte must not break the one-line message (or a JSON dump
// of it).
inline std::string printableText(std::string_view text) {
    auto continuation = [&](std::size_t i) {
        return i < text.size() && (static_cast<unsigned char>(text[i]) & 0xc0) == 0x80;
    };
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto byte = static_cast<unsigned char>(text[i]);
        char escape[8];
        if (byte < 0x20 || byte == 0x7f) {
            switch (byte) {
                case '\n':
                    out += "\\n";
                    break;
                case '\r':
                    out += "\\r";
                    break;
                case '\t':
                    out += "\\t";
                    break;
                default:
                    std::snprintf(escape, sizeof escape, "\\u%04x", byte);
                    out += escape;
            }
            ++i;
            continue;
        }
        std::size_t length = byte < 0x80           ? 1
                             : (byte >> 5) == 0x6  ? 2
                             : (byte >> 4) == 0xe  ? 3
                             : (byte >> 3) == 0x1e ? 4
                                                   : 0;
        bool whole = length > 0;
        for (std::size_t k = 1; whole && k < length; ++k)
            whole = continuation(i + k);
        if (!whole) {
            std::snprintf(escape, sizeof escape, "\\x%02x", byte);
            out += escape;
            ++i;
            continue;
        }
        out.append(text.substr(i, length));
        i += length;
    }
    return out;
}

// A user-facing error in a study spec (or a form entry that maps to one).
// `path` is the JSON path of the offending field, e.g. "space[2].low";
// what() reads "space[2].low: must be > 0 when log is true (got 0)". Both are
// passed through printableText, so what() is always one line of UTF-8.
class SpecError : public std::runtime_error {
  public:
    SpecError(const std::string& path, const std::string& message)
        : SpecError(Parts{printableText(path), printableText(message)}) {}

    const std::string& path() const { return m_path; }
    const std::string& message() const { return m_message; }

  private:
    struct Parts {
        std::string path;
        std::string message;
    };
    explicit SpecError(Parts parts)
        : std::runtime_error(parts.path.empty() ? parts.message
                                                : parts.path + ": " + parts.message),
          m_path(std::move(parts.path)),
          m_message(std::move(parts.message)) {}

    std::string m_path;
    std::string m_message;
};

}  // namespace bonsai

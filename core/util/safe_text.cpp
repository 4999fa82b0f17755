#include "util/safe_text.h"

namespace bonsai {

std::optional<std::size_t> jsonNestingBeyond(std::string_view text, int limit) {
    int depth = 0;
    JsonStringTracker strings;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (!strings.structural(c))
            continue;
        if (c == '[' || c == '{') {
            if (++depth > limit)
                return i;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return std::nullopt;
}

namespace {

// Length of the well-formed UTF-8 character at text[i] (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF), or 0.
std::size_t characterLength(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    if (lead < 0x80)
        return 1;
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xbf;  // range of the second byte
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        if (lead == 0xe0)
            low = 0xa0;
        else if (lead == 0xed)
            high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        if (lead == 0xf0)
            low = 0x90;
        else if (lead == 0xf4)
            high = 0x8f;
    } else {
        return 0;
    }
    if (i + length > text.size())
        return 0;
    if (byte(i + 1) < low || byte(i + 1) > high)
        return 0;
    for (std::size_t k = 2; k < length; ++k)
        if ((byte(i + k) & 0xc0) != 0x80)
            return 0;
    return length;
}

}  // namespace

std::string validUtf8(std::string_view text, bool tailCut) {
    std::size_t i = 0;
    if (tailCut)  // at most three bytes can continue a character begun earlier
        while (i < text.size() && i < 3 && (static_cast<unsigned char>(text[i]) & 0xc0) == 0x80)
            ++i;
    std::string out;
    out.reserve(text.size() - i);
    while (i < text.size()) {
        const std::size_t length = characterLength(text, i);
        if (length == 0) {
            out += "\xef\xbf\xbd";  // U+FFFD REPLACEMENT CHARACTER
            ++i;
        } else {
            out.append(text.substr(i, length));
            i += length;
        }
    }
    return out;
}

std::string shellQuote(std::string_view word) {
    std::string out = "'";
    for (char c : word) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

}  // namespace bonsai

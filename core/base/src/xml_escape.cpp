#include "omadm/base/xml_escape.hpp"

#include <algorithm>
#include <utility>

namespace omadm::base {

namespace {

/// At a CDATA section or a comment: its length with its delimiters (npos when it does not end).
std::optional<std::size_t> verbatim_section(std::string_view at) {
    for (const auto& [open, close] : {std::pair{std::string_view("<![CDATA["), std::string_view("]]>")},
                                      std::pair{std::string_view("<!--"), std::string_view("-->")}}) {
        if (!at.starts_with(open)) continue;
        const auto end = at.find(close, open.size());
        return end == std::string_view::npos ? end : end + close.size();
    }
    return std::nullopt;
}

/// At "&#": the character a well-formed reference names (capped above Unicode) and the reference's
/// length; nullopt for text that is not one (pugixml refuses it or keeps it as text).
std::optional<std::pair<std::uint32_t, std::size_t>> char_reference(std::string_view at) {
    const bool hex = at.size() > 2 && (at[2] == 'x' || at[2] == 'X');
    const std::size_t first = hex ? 3 : 2;
    std::uint32_t value = 0;
    std::size_t j = first;
    for (; j < at.size() && at[j] != ';'; ++j) {
        const char c = at[j];
        int digit = -1;
        if (c >= '0' && c <= '9') {
            digit = c - '0';
        } else if (hex && c >= 'a' && c <= 'f') {
            digit = c - 'a' + 10;
        } else if (hex && c >= 'A' && c <= 'F') {
            digit = c - 'A' + 10;
        }
        if (digit < 0) return std::nullopt;
        value =
            std::min<std::uint32_t>(value * (hex ? 16U : 10U) + static_cast<std::uint32_t>(digit), 0x110000U);
    }
    if (j == at.size() || j == first) return std::nullopt;
    return std::pair{value, j + 1};
}

} // namespace

std::optional<std::size_t> find_unrepresentable_char_reference(std::string_view bytes) {
    std::size_t i = 0;
    while ((i = bytes.find_first_of("&<", i)) != std::string_view::npos) {
        const std::string_view at = bytes.substr(i);
        if (const auto section = verbatim_section(at)) {
            if (*section == std::string_view::npos) return std::nullopt; // pugixml refuses it
            i += *section;
        } else if (!at.starts_with("&#")) {
            ++i;
        } else if (const auto ref = char_reference(at)) {
            if (ref->first == 0 || ref->first > 0x10FFFF) return i;
            i += ref->second;
        } else {
            i += 2;
        }
    }
    return std::nullopt;
}

void append_xml_escaped(std::string& out, std::string_view text) {
    for (const char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\t':
        case '\n':
            out += c;
            break;
        default: {
            const auto u = static_cast<unsigned char>(c);
            if (u < 0x20U) {
                out += "&#";
                out += std::to_string(u);
                out += ';';
            } else {
                out += c;
            }
        }
        }
    }
}

std::string xml_escaped(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    append_xml_escaped(out, text);
    return out;
}

void append_xml_element(std::string& out, std::string_view name, std::string_view text) {
    out += '<';
    out += name;
    out += '>';
    append_xml_escaped(out, text);
    out += "</";
    out += name;
    out += '>';
}

} // namespace omadm::base

#pragma once
// Internal XML helpers shared by the DDF and TNDS codecs.

#include <pugixml.hpp>
#include <string>
#include <string_view>

namespace omadm::tree::detail {

/// Text content of an element (PCDATA and CDATA children concatenated).
[[nodiscard]] inline std::string element_text(const pugi::xml_node& e) {
    std::string out;
    for (const pugi::xml_node& c : e.children()) {
        if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
    }
    return out;
}

inline void append_escaped_xml(std::string& out, std::string_view text) {
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
        default:
            out += c;
            break;
        }
    }
}

} // namespace omadm::tree::detail

#include "omadm/base/xml_escape.hpp"

namespace omadm::base {

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

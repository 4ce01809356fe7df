#include "mgmt_tree_reader.hpp"

#include "omadm/base/xml_escape.hpp"

#include <array>
#include <utility>

namespace omadm::tree::detail {
namespace {

/// The member of `header` that the header element `name` fills; null for any other element.
std::optional<std::string>* header_field(MgmtTreeHeader& header, std::string_view name) {
    using Field = std::optional<std::string> MgmtTreeHeader::*;
    constexpr std::array<std::pair<std::string_view, Field>, 3> kFields{{
        {"VerDTD", &MgmtTreeHeader::ver_dtd},
        {"Man", &MgmtTreeHeader::man},
        {"Mod", &MgmtTreeHeader::mod},
    }};
    for (const auto& [element, field] : kFields) {
        if (element == name) return &(header.*field);
    }
    return nullptr;
}

} // namespace

std::string element_text(const pugi::xml_node& e) {
    std::string out;
    for (const pugi::xml_node& c : e.children()) {
        if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
    }
    return out;
}

base::Result<MgmtTreeHeader> read_mgmt_tree(std::string_view text, Errc invalid,
                                            const MgmtTreeNodeReader& on_node) {
    if (const auto ref = base::find_unrepresentable_char_reference(text)) {
        return make_error(Errc::MalformedXml,
                          "reference to NUL or to no character at offset " + std::to_string(*ref));
    }
    pugi::xml_document xml;
    const pugi::xml_parse_result parsed =
        xml.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) {
        return make_error(Errc::MalformedXml,
                          std::string(parsed.description()) + " at offset " + std::to_string(parsed.offset));
    }
    const pugi::xml_node root = xml.document_element();
    if (std::string_view(root.name()) != "MgmtTree")
        return make_error(invalid, "root element is not MgmtTree");
    MgmtTreeHeader header;
    for (const pugi::xml_node& c : root.children()) {
        if (c.type() != pugi::node_element) continue;
        const std::string_view name = c.name();
        if (auto* field = header_field(header, name)) {
            *field = element_text(c);
        } else if (name != "Node") {
            return make_error(invalid, "unknown MgmtTree element '" + std::string(name) + "'");
        } else if (auto r = on_node(c); !r) {
            return r.error();
        }
    }
    return header;
}

} // namespace omadm::tree::detail

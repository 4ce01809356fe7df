// TNDS codec: decode with pugixml (confined to this module's sources), encode by hand so the
// output is deterministic and cheap.
#include "omadm/tree/tnds.hpp"

#include "mgmt_tree_reader.hpp"
#include "omadm/base/xml_escape.hpp"
#include "omadm/tree/errc.hpp"

#include <cstdint>
#include <optional>
#include <pugixml.hpp>
#include <string>

namespace omadm::tree {
namespace {

using base::append_xml_element;
using detail::element_text;

struct Decoder {
    const TndsLimits& limits;
    std::size_t count = 0;

    base::Result<void> rt_properties(const pugi::xml_node& rt, TndsNode& out) const {
        for (const pugi::xml_node& p : rt.children()) {
            if (p.type() != pugi::node_element) continue;
            const std::string_view name = p.name();
            if (name == "ACL") {
                out.acl = element_text(p);
            } else if (name == "Format") {
                const pugi::xml_node f = p.first_child();
                if (f.type() != pugi::node_element)
                    return make_error(Errc::InvalidTnds, "Format without a value element");
                auto fmt = parse_format(f.name());
                if (!fmt) return fmt.error();
                out.format = *fmt;
            } else if (name == "Type") {
                const pugi::xml_node t = p.first_child();
                if (t.type() != pugi::node_element) {
                    out.type = element_text(p);
                } else {
                    const std::string_view tn = t.name();
                    if (tn != "MIME" && tn != "DDFName")
                        return make_error(Errc::InvalidTnds, "Type holds neither MIME nor DDFName");
                    out.type = element_text(t);
                }
            } else if (name == "Title") {
                out.title = element_text(p);
            } else if (name == "TStamp") {
                out.tstamp = element_text(p);
            } else if (name == "VerNo") {
                out.ver_no = element_text(p);
            } else if (name != "Name" && name != "Size") {
                return make_error(Errc::InvalidTnds,
                                  "unknown RTProperties element '" + std::string(name) + "'");
            }
        }
        return {};
    }

    base::Result<TndsNode> node(const pugi::xml_node& x, std::size_t depth) {
        if (depth > limits.max_depth) return make_error(Errc::LimitExceeded, "Node nesting too deep");
        if (++count > limits.max_nodes) return make_error(Errc::LimitExceeded, "too many Node elements");
        TndsNode out;
        bool has_name = false;
        for (const pugi::xml_node& c : x.children()) {
            if (c.type() != pugi::node_element) continue;
            const std::string_view name = c.name();
            if (name == "NodeName") {
                out.name = element_text(c);
                has_name = true;
            } else if (name == "Path") {
                out.path = element_text(c);
            } else if (name == "RTProperties") {
                if (auto ok = rt_properties(c, out); !ok) return ok.error();
            } else if (name == "DFProperties") {
                continue; // a DDF fragment; TNDS consumers use the run-time properties only
            } else if (name == "Value") {
                out.value = element_text(c);
            } else if (name == "Node") {
                auto child = node(c, depth + 1);
                if (!child) return child.error();
                out.children.push_back(std::move(child.value()));
            } else {
                return make_error(Errc::InvalidTnds, "unknown Node element '" + std::string(name) + "'");
            }
        }
        if (!has_name) return make_error(Errc::InvalidTnds, "Node without NodeName");
        if (out.value && !out.children.empty())
            return make_error(Errc::InvalidTnds, "Node with both Value and Node");
        return out;
    }
};

std::string to_base64(std::string_view bytes) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        std::uint32_t group = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16U;
        if (i + 1 < bytes.size())
            group |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8U;
        if (i + 2 < bytes.size()) group |= static_cast<unsigned char>(bytes[i + 2]);
        out += kAlphabet[(group >> 18U) & 0x3FU];
        out += kAlphabet[(group >> 12U) & 0x3FU];
        out += i + 1 < bytes.size() ? kAlphabet[(group >> 6U) & 0x3FU] : '=';
        out += i + 2 < bytes.size() ? kAlphabet[group & 0x3FU] : '=';
    }
    return out;
}

void encode_node(std::string& out, const TndsNode& n, TndsFields f) {
    // A value XML 1.0 cannot carry (a bin value with control bytes) is written as Format b64 with
    // the value base64-encoded, so that the document stays well-formed whatever the tree holds.
    std::optional<Format> format = n.format;
    std::optional<std::string> value = n.value;
    if (value && !is_xml_text(*value)) {
        value = to_base64(*value);
        format = Format::B64;
    }
    out += "<Node>";
    append_xml_element(out, "NodeName", n.name);
    if (n.path) append_xml_element(out, "Path", *n.path);
    std::string rt;
    if (f.has(TndsField::Acl) && n.acl) append_xml_element(rt, "ACL", *n.acl);
    if (f.has(TndsField::Format) && format) {
        rt += "<Format><";
        rt += format_name(*format);
        rt += "/></Format>";
    }
    if (f.has(TndsField::Title) && n.title) append_xml_element(rt, "Title", *n.title);
    if (f.has(TndsField::TStamp) && n.tstamp) append_xml_element(rt, "TStamp", *n.tstamp);
    if (f.has(TndsField::Type) && n.type) {
        rt += "<Type>";
        append_xml_element(rt, n.is_interior() ? "DDFName" : "MIME", *n.type);
        rt += "</Type>";
    }
    if (f.has(TndsField::VerNo) && n.ver_no) append_xml_element(rt, "VerNo", *n.ver_no);
    if (!rt.empty()) {
        out += "<RTProperties>";
        out += rt;
        out += "</RTProperties>";
    }
    for (const auto& c : n.children)
        encode_node(out, c, f);
    if (f.has(TndsField::Value) && value) append_xml_element(out, "Value", *value);
    out += "</Node>";
}

} // namespace

bool TndsNode::is_interior() const noexcept {
    if (format) return *format == Format::Node;
    return !children.empty();
}

base::Result<TndsDocument> decode_tnds(std::string_view text, const TndsLimits& limits) {
    TndsDocument doc;
    Decoder dec{limits};
    auto header =
        detail::read_mgmt_tree(text, Errc::InvalidTnds, [&](const pugi::xml_node& c) -> base::Result<void> {
            auto n = dec.node(c, 1);
            if (!n) return n.error();
            doc.nodes.push_back(std::move(n.value()));
            return {};
        });
    if (!header) return header.error();
    if (header->ver_dtd) doc.ver_dtd = std::move(*header->ver_dtd);
    doc.man = std::move(header->man);
    doc.mod = std::move(header->mod);
    return doc;
}

std::string encode_tnds(const TndsDocument& doc, TndsFields fields) {
    std::string out;
    out.reserve(256);
    out += "<MgmtTree xmlns=\"";
    out += kTndsNamespace;
    out += "\">";
    append_xml_element(out, "VerDTD", doc.ver_dtd);
    if (doc.man) append_xml_element(out, "Man", *doc.man);
    if (doc.mod) append_xml_element(out, "Mod", *doc.mod);
    for (const auto& n : doc.nodes)
        encode_node(out, n, fields);
    out += "</MgmtTree>";
    return out;
}

} // namespace omadm::tree

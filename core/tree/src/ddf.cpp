// DDF loader (MgmtTree DTD 1.2, OMA-TS-DM_TND-V1_2_1 §9) and schema lookups.
#include "omadm/tree/ddf.hpp"

#include "mgmt_tree_reader.hpp"
#include "omadm/tree/errc.hpp"

#include <algorithm>
#include <charconv>
#include <pugixml.hpp>
#include <string>

namespace omadm::tree {
namespace {

using detail::element_text;

constexpr std::size_t kMaxDepth = 64;

base::Error invalid(std::string detail) {
    return make_error(Errc::InvalidDdf, std::move(detail));
}

base::Result<AccessType> parse_access(const pugi::xml_node& x) {
    AccessType a;
    for (const pugi::xml_node& c : x.children()) {
        if (c.type() != pugi::node_element) continue;
        const std::string_view n = c.name();
        if (n == "Add")
            a.allow(Access::Add);
        else if (n == "Copy")
            a.allow(Access::Copy);
        else if (n == "Delete")
            a.allow(Access::Delete);
        else if (n == "Exec")
            a.allow(Access::Exec);
        else if (n == "Get")
            a.allow(Access::Get);
        else if (n == "Replace")
            a.allow(Access::Replace);
        else
            return invalid("unknown AccessType element '" + std::string(n) + "'");
    }
    return a;
}

base::Result<Occurrence> parse_occurrence(const pugi::xml_node& x) {
    const pugi::xml_node c = x.first_child();
    if (c.type() != pugi::node_element) return invalid("empty Occurrence");
    const std::string_view n = c.name();
    Occurrence o;
    if (n == "One")
        o.kind = Occurrence::Kind::One;
    else if (n == "ZeroOrOne")
        o.kind = Occurrence::Kind::ZeroOrOne;
    else if (n == "ZeroOrMore")
        o.kind = Occurrence::Kind::ZeroOrMore;
    else if (n == "OneOrMore")
        o.kind = Occurrence::Kind::OneOrMore;
    else if (n == "ZeroOrN" || n == "OneOrN") {
        o.kind = n == "ZeroOrN" ? Occurrence::Kind::ZeroOrN : Occurrence::Kind::OneOrN;
        const std::string text = element_text(c);
        const auto res = std::from_chars(text.data(), text.data() + text.size(), o.n);
        if (res.ec != std::errc{} || res.ptr != text.data() + text.size() || o.n < 2 || o.n > 65536) {
            return invalid("bad " + std::string(n) + " count '" + text + "'");
        }
    } else {
        return invalid("unknown Occurrence '" + std::string(n) + "'");
    }
    return o;
}

base::Result<void> parse_df_type(const pugi::xml_node& x, DdfNode& out) {
    for (const pugi::xml_node& c : x.children()) {
        if (c.type() != pugi::node_element) continue;
        const std::string_view n = c.name();
        if (n == "MIME")
            out.mime_types.push_back(element_text(c));
        else if (n == "DDFName")
            out.ddf_name = element_text(c);
        else
            return invalid("unknown DFType element '" + std::string(n) + "'");
    }
    return {};
}

base::Result<void> parse_df_properties(const pugi::xml_node& x, DdfNode& out) {
    bool has_format = false;
    for (const pugi::xml_node& c : x.children()) {
        if (c.type() != pugi::node_element) continue;
        const std::string_view n = c.name();
        if (n == "AccessType") {
            auto a = parse_access(c);
            if (!a) return a.error();
            out.access = *a;
        } else if (n == "DFFormat") {
            const pugi::xml_node f = c.first_child();
            if (f.type() != pugi::node_element) return invalid("empty DFFormat");
            auto fmt = parse_format(f.name());
            if (!fmt) return fmt.error();
            out.format = *fmt;
            has_format = true;
        } else if (n == "Occurrence") {
            auto o = parse_occurrence(c);
            if (!o) return o.error();
            out.occurrence = *o;
        } else if (n == "Scope") {
            const std::string_view s = c.first_child().name();
            if (s != "Permanent" && s != "Dynamic") return invalid("bad Scope");
            out.scope = s == "Permanent" ? Scope::Permanent : Scope::Dynamic;
        } else if (n == "DFType") {
            if (auto ok = parse_df_type(c, out); !ok) return ok.error();
        } else if (n == "CaseSense") {
            const std::string_view s = c.first_child().name();
            if (s != "CS" && s != "CIS") return invalid("bad CaseSense");
            out.case_sense = s == "CS" ? CaseSense::Sensitive : CaseSense::Insensitive;
        } else if (n == "DefaultValue") {
            out.default_value = element_text(c);
        } else if (n == "Description") {
            out.description = element_text(c);
        } else if (n == "DFTitle") {
            out.title = element_text(c);
        } else {
            return invalid("unknown DFProperties element '" + std::string(n) + "'");
        }
    }
    if (!has_format) return invalid("DFProperties without DFFormat");
    return {};
}

base::Result<DdfNode> parse_node(const pugi::xml_node& x, std::size_t depth,
                                 std::optional<std::string>* path) {
    if (depth > kMaxDepth) return make_error(Errc::LimitExceeded, "DDF nesting too deep");
    DdfNode out;
    bool has_df = false;
    for (const pugi::xml_node& c : x.children()) {
        if (c.type() != pugi::node_element) continue;
        const std::string_view n = c.name();
        if (n == "NodeName") {
            out.name = element_text(c);
        } else if (n == "Path") {
            if (path != nullptr) *path = element_text(c);
        } else if (n == "DFProperties") {
            if (auto ok = parse_df_properties(c, out); !ok) return ok.error();
            has_df = true;
        } else if (n == "Node") {
            auto child = parse_node(c, depth + 1, nullptr);
            if (!child) return child.error();
            out.children.push_back(std::move(child.value()));
        } else if (n != "RTProperties" && n != "Value") {
            return invalid("unknown Node element '" + std::string(n) + "'");
        }
    }
    if (!has_df) return invalid("Node '" + out.name + "' without DFProperties");
    return out;
}

} // namespace

std::optional<std::uint32_t> Occurrence::max() const noexcept {
    switch (kind) {
    case Kind::One:
    case Kind::ZeroOrOne:
        return 1U;
    case Kind::ZeroOrN:
    case Kind::OneOrN:
        return n;
    case Kind::ZeroOrMore:
    case Kind::OneOrMore:
        return std::nullopt;
    }
    return std::nullopt;
}

bool names_match(CaseSense cs, std::string_view a, std::string_view b) noexcept {
    if (cs == CaseSense::Sensitive) return a == b;
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [&](char x, char y) { return lower(x) == lower(y); });
}

const DdfNode* DdfNode::match_child(std::string_view child_name) const noexcept {
    const DdfNode* placeholder = nullptr;
    const DdfNode* folded = nullptr; // a CIS child matching only up to case
    for (const auto& c : children) {
        if (c.name.empty()) {
            placeholder = &c;
        } else if (c.name == child_name) {
            return &c;
        } else if (folded == nullptr && names_match(c.case_sense, c.name, child_name)) {
            folded = &c;
        }
    }
    return folded != nullptr ? folded : placeholder;
}

NodeUri DdfRoot::mount() const {
    auto m = parent.child(node.name);
    return m ? *m : parent;
}

base::Result<DdfSchema> load_ddf(std::string_view text) {
    DdfSchema schema;
    auto header =
        detail::read_mgmt_tree(text, Errc::InvalidDdf, [&](const pugi::xml_node& c) -> base::Result<void> {
            std::optional<std::string> path;
            auto node = parse_node(c, 1, &path);
            if (!node) return node.error();
            if (node->name.empty()) return invalid("top-level Node without a NodeName");
            DdfRoot r;
            if (path) {
                auto p = NodeUri::parse(*path);
                if (!p) return invalid("bad Path '" + *path + "'");
                r.parent = *p;
            }
            r.node = std::move(node.value());
            schema.roots.push_back(std::move(r));
            return {};
        });
    if (!header) return header.error();
    schema.ver_dtd = header->ver_dtd.value_or("");
    schema.man = header->man.value_or("");
    schema.mod = header->mod.value_or("");
    if (schema.roots.empty()) return invalid("MgmtTree without Node");
    return schema;
}

} // namespace omadm::tree

// Get: node values, interior child lists, ?list= forms and TNDS export.
#include "omadm/tree/tree.hpp"
#include "tree_key.hpp"

namespace omadm::tree {

using base::StatusCode;

GetResult Tree::get(const Principal& who, const TargetUri& requested) const {
    const TargetUri target = resolved(requested);
    const NodeUri& uri = target.node;
    if (const auto* p = target.prop()) return get_property(who, uri, p->property);
    if (const auto* l = target.list()) return get_list(who, uri, *l);
    const Node* n = find(uri);
    if (n == nullptr) return {StatusCode::NotFound, {}};
    if (!access_allows(who, uri, Access::Get)) return {StatusCode::CommandNotAllowed, {}};
    if (!acl_permits(who, uri, AclCommand::Get)) return {StatusCode::PermissionDenied, {}};
    GetResult r;
    if (n->is_interior()) {
        std::string names;
        for (const auto& c : children(uri)) {
            if (!names.empty()) names += '/';
            names += c;
        }
        r.items.push_back(ResultItem{uri.str(), Format::Node, "text/plain", std::move(names)});
    } else {
        r.items.push_back(ResultItem{uri.str(), n->format, n->type, n->value});
    }
    r.items.front().source = requested.node.str(); // Source as the request spelled it (CaseSense CIS)
    return r;
}

GetResult Tree::get_list(const Principal& who, const NodeUri& uri, const ListQuery& q) const {
    if (!exists(uri)) return {StatusCode::NotFound, {}};
    if (!access_allows(who, uri, Access::Get)) return {StatusCode::CommandNotAllowed, {}};
    if (!acl_permits(who, uri, AclCommand::Get)) return {StatusCode::PermissionDenied, {}};
    GetResult r;
    if (q.kind == ListKind::Tnds) {
        const auto doc = export_tnds(who, uri);
        r.items.push_back(
            ResultItem{uri.str(), Format::Xml, std::string(kTndsXmlMime), encode_tnds(*doc, q.fields)});
    } else {
        list_into(who, uri, q.kind, r.items);
    }
    return r;
}

void Tree::list_into(const Principal& who, const NodeUri& uri, ListKind kind,
                     std::vector<ResultItem>& out) const {
    const Node& n = *find(uri);
    // Only nodes readable by the server are returned (OMA-TS-DM_TND-V1_2_1 §8); an unreadable node is
    // left out, but its descendants are still returned when their own ACLs let them be read.
    if (readable(who, uri)) {
        ResultItem item{uri.str(), n.format, n.type, std::nullopt};
        if (kind == ListKind::StructData && !n.is_interior()) item.data = n.value;
        out.push_back(std::move(item));
    }
    if (!n.is_interior()) return;
    for (const auto& c : children(uri)) {
        if (auto child = uri.child(c)) list_into(who, *child, kind, out);
    }
}

std::optional<TndsDocument> Tree::export_tnds(const Principal& who, const NodeUri& requested) const {
    const NodeUri start = resolve(requested);
    if (!exists(start)) return std::nullopt;
    TndsDocument doc;
    if (start.is_root()) {
        for (const auto& c : children(start)) {
            if (auto child = start.child(c)) (void)export_into(who, *child, doc.nodes);
        }
    } else {
        (void)export_into(who, start, doc.nodes);
    }
    return doc;
}

bool Tree::export_into(const Principal& who, const NodeUri& uri, std::vector<TndsNode>& out) const {
    const Node& n = *find(uri);
    TndsNode t;
    t.name = uri.name();
    if (!readable(who, uri)) {
        // Unreadable: no properties and no value, only the name as the path to readable
        // descendants (TNDS nests nodes in their parents); nothing at all when there are none.
        if (!n.is_interior()) return false;
        for (const auto& c : children(uri)) {
            if (auto child = uri.child(c)) (void)export_into(who, *child, t.children);
        }
        if (t.children.empty()) return false;
        out.push_back(std::move(t));
        return true;
    }
    if (!n.acl.empty()) t.acl = n.acl.format();
    t.format = n.format;
    if (!n.type.empty()) t.type = n.type;
    if (!n.title.empty()) t.title = n.title;
    if (n.tstamp) t.tstamp = base::format_tstamp(*n.tstamp);
    t.ver_no = std::to_string(n.ver_no);
    if (n.is_interior()) {
        for (const auto& c : children(uri)) {
            if (auto child = uri.child(c)) (void)export_into(who, *child, t.children);
        }
    } else {
        t.value = n.value;
    }
    out.push_back(std::move(t));
    return true;
}

} // namespace omadm::tree

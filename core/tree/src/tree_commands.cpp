// Add, Replace, Delete, Exec and Copy on plain node targets.
#include "omadm/tree/errc.hpp"
#include "omadm/tree/tree.hpp"
#include "tree_key.hpp"

#include <algorithm>

namespace omadm::tree {

using base::StatusCode;
using detail::key_of;
using detail::uri_of_key;

namespace {

NodeUri prefix_of(const NodeUri& uri, std::size_t depth) {
    const auto& segs = uri.segments();
    auto out = NodeUri::from_segments(
        std::vector<std::string>(segs.begin(), segs.begin() + static_cast<std::ptrdiff_t>(depth)));
    return out ? *out : NodeUri{};
}

Acl creator_acl(const base::ServerId& id) {
    Acl acl;
    for (const AclCommand c : {AclCommand::Add, AclCommand::Delete, AclCommand::Replace})
        acl.grant(c, id.value());
    return acl;
}

} // namespace

StatusCode Tree::add(const Principal& who, const TargetUri& requested, const NodeContent& content,
                     base::TimePoint now) {
    if (requested.query) return StatusCode::CommandNotAllowed; // Add on properties or lists is not allowed
    const TargetUri target = resolved(requested);
    const Savepoint mark = savepoint();
    const StatusCode st = content.type == kTndsXmlMime ? add_tnds(who, target.node, content, now)
                                                       : add_node(who, target.node, content, now);
    return finish(st, mark);
}

StatusCode Tree::replace(const Principal& who, const TargetUri& requested, const NodeContent& content,
                         base::TimePoint now) {
    const TargetUri target = resolved(requested);
    const Savepoint mark = savepoint();
    StatusCode st = StatusCode::CommandNotAllowed; // Replace of a ?list= target
    if (const auto* p = target.prop()) {
        st = replace_property(who, target.node, p->property, content.data);
    } else if (!target.query) {
        st = content.type == kTndsXmlMime ? replace_tnds(who, target.node, content, now)
                                          : replace_node(who, target.node, content, now);
    }
    return finish(st, mark);
}

StatusCode Tree::remove(const Principal& who, const TargetUri& target, base::TimePoint now) {
    if (target.query) return StatusCode::CommandNotAllowed;
    const Savepoint mark = savepoint();
    return finish(remove_node(who, resolve(target.node), now), mark);
}

StatusCode Tree::check_new_nodes(const Principal& who, const NodeUri& uri, std::size_t first_new,
                                 const NodeContent& content, Format& format) const {
    SchemaMatch last;
    for (std::size_t d = first_new + 1; d <= uri.depth(); ++d) {
        const NodeUri u = prefix_of(uri, d);
        const SchemaMatch m = schema_for(u);
        if (m.state == Bound::Unknown) return StatusCode::CommandNotAllowed; // name not in the DDF
        if (m.state != Bound::Known) continue;
        if (!access_allows(who, u, Access::Add)) return StatusCode::CommandNotAllowed;
        if (d < uri.depth() && m.node->format != Format::Node) return StatusCode::CommandNotAllowed;
        const SchemaMatch pm = schema_for(u.parent());
        const auto max = m.node->occurrence.max();
        if (max && pm.state == Bound::Known && who.kind() != Principal::Kind::Bootstrap) {
            const auto siblings = children(u.parent());
            const auto count = std::count_if(siblings.begin(), siblings.end(), [&](const std::string& n) {
                return pm.node->match_child(n) == m.node;
            });
            // 420 Device full: the DDF allows no further instance under this parent.
            if (static_cast<std::uint64_t>(count) >= *max) return StatusCode::DeviceFull;
        }
        if (d == uri.depth()) last = m;
    }
    const bool known = last.state == Bound::Known;
    format = content.format.value_or(known ? last.node->format : Format::Chr);
    // 415 Unsupported media type or format: a Format other than the DDF's, or a value that is not
    // a valid lexical form of its Format (the Add status list of OMA-TS-DM_RepPro-V1_2_1 §6.6.1 has 415,
    // not 400).
    if (known && format != last.node->format) return StatusCode::UnsupportedMediaType;
    if (format != Format::Node && !value_matches_format(format, content.data))
        return StatusCode::UnsupportedMediaType;
    return StatusCode::Ok;
}

StatusCode Tree::add_node(const Principal& who, const NodeUri& uri, const NodeContent& content,
                          base::TimePoint now) {
    if (uri.is_root() || exists(uri)) return StatusCode::AlreadyExists;
    NodeUri anc = uri.parent();
    while (!exists(anc))
        anc = anc.parent();
    if (!find(anc)->is_interior()) return StatusCode::CommandNotAllowed; // child under a leaf
    if (!acl_permits(who, anc, AclCommand::Add)) return StatusCode::PermissionDenied;
    Format format = Format::Chr;
    if (const StatusCode st = check_new_nodes(who, uri, anc.depth(), content, format); st != StatusCode::Ok)
        return st;
    for (std::size_t d = anc.depth() + 1; d <= uri.depth(); ++d) {
        const NodeUri u = prefix_of(uri, d);
        const bool last = d == uri.depth();
        const SchemaMatch m = schema_for(u);
        const DdfNode* ddf = m.state == Bound::Known ? m.node : nullptr;
        Node n;
        n.tstamp = now;
        if (!last || format == Format::Node) {
            n.format = Format::Node;
            n.type = last ? content.type : std::string();
            if (n.type.empty() && ddf != nullptr) n.type = ddf->ddf_name;
            const base::ServerId* sid = who.server_id();
            // Creator exception (OMA-TS-DM_TND-V1_2_1 §7.7.1): an interior node added by a server lacking
            // Replace on the parent gets Add, Delete and Replace for that server.
            if (sid != nullptr && !acl_permits(who, u.parent(), AclCommand::Replace))
                n.acl = creator_acl(*sid);
        } else {
            n.format = format;
            n.value = content.data;
            n.type = content.type;
            if (n.type.empty() && ddf != nullptr && !ddf->mime_types.empty())
                n.type = ddf->mime_types.front();
            if (n.type.empty()) n.type = "text/plain";
        }
        if (ddf != nullptr)
            n.scope = ddf->scope == Scope::Permanent && who.kind() == Principal::Kind::Bootstrap
                          ? Scope::Permanent
                          : Scope::Dynamic;
        put_node(u, std::move(n));
        note(u, ChangeKind::Added, std::nullopt, who);
    }
    return StatusCode::Ok;
}

StatusCode Tree::replace_node(const Principal& who, const NodeUri& uri, const NodeContent& content,
                              base::TimePoint now) {
    const Node* n = find(uri);
    if (n == nullptr) return StatusCode::NotFound;
    if (!access_allows(who, uri, Access::Replace)) return StatusCode::CommandNotAllowed;
    if (!acl_permits(who, uri, AclCommand::Replace)) return StatusCode::PermissionDenied;
    if (n->is_interior()) return StatusCode::CommandNotAllowed; // an interior node has no value
    const Format format = content.format.value_or(n->format);
    const SchemaMatch m = schema_for(uri);
    // 415: see check_new_nodes (Replace guidance list has 415, not 400).
    if (format == Format::Node) return StatusCode::UnsupportedMediaType;
    if (m.state == Bound::Known && format != m.node->format) return StatusCode::UnsupportedMediaType;
    if (!value_matches_format(format, content.data)) return StatusCode::UnsupportedMediaType;
    Node& w = modify(uri);
    w.format = format;
    w.value = content.data;
    if (!content.type.empty()) w.type = content.type;
    w.tstamp = now;
    w.ver_no = static_cast<std::uint16_t>(w.ver_no + 1U);
    note(uri, ChangeKind::Replaced, std::nullopt, who);
    return StatusCode::Ok;
}

StatusCode Tree::remove_node(const Principal& who, const NodeUri& uri, base::TimePoint /*now*/) {
    if (uri.is_root()) return StatusCode::CommandNotAllowed;
    if (!exists(uri)) return StatusCode::NotFound;
    if (who.kind() != Principal::Kind::Bootstrap && is_permanent(uri)) return StatusCode::CommandNotAllowed;
    if (who.kind() != Principal::Kind::Bootstrap && is_last_required_instance(uri)) {
        return StatusCode::CommandNotAllowed;
    }
    if (!access_allows(who, uri, Access::Delete)) return StatusCode::CommandNotAllowed;
    if (!acl_permits(who, uri, AclCommand::Delete)) return StatusCode::PermissionDenied;
    std::vector<std::string> keys = subtree_paths(uri);
    if (who.kind() != Principal::Kind::Bootstrap) {
        const bool has_permanent = std::any_of(keys.begin(), keys.end(), [&](const std::string& k) {
            return nodes_.at(k).scope == Scope::Permanent;
        });
        if (has_permanent) return StatusCode::CommandNotAllowed;
    }
    const auto depth = [](const std::string& k) { return std::count(k.begin(), k.end(), '/'); };
    std::stable_sort(keys.begin(), keys.end(),
                     [&](const auto& a, const auto& b) { return depth(a) > depth(b); });
    for (const auto& k : keys) {
        erase_node(k);
        note(uri_of_key(k), ChangeKind::Deleted, std::nullopt, who);
    }
    return StatusCode::Ok;
}

bool Tree::is_last_required_instance(const NodeUri& uri) const {
    if (uri.is_root()) return false;
    const SchemaMatch m = schema_for(uri);
    const SchemaMatch pm = schema_for(uri.parent());
    if (m.state != Bound::Known || pm.state != Bound::Known) return false;
    using Kind = Occurrence::Kind;
    const Kind kind = m.node->occurrence.kind;
    if (kind != Kind::One && kind != Kind::OneOrMore && kind != Kind::OneOrN) return false;
    const auto siblings = children(uri.parent());
    const auto count = std::count_if(siblings.begin(), siblings.end(),
                                     [&](const std::string& n) { return pm.node->match_child(n) == m.node; });
    return count <= 1;
}

StatusCode Tree::may_exec(const Principal& who, const NodeUri& requested) const {
    const NodeUri target = resolve(requested);
    if (!exists(target)) return StatusCode::NotFound;
    if (!access_allows(who, target, Access::Exec)) return StatusCode::CommandNotAllowed;
    if (!acl_permits(who, target, AclCommand::Exec)) return StatusCode::PermissionDenied;
    return StatusCode::Ok;
}

StatusCode Tree::exec(const Principal& who, const NodeUri& requested, const ExecRequest& request) {
    const NodeUri target = resolve(requested);
    if (const StatusCode allowed = may_exec(who, target); allowed != StatusCode::Ok) return allowed;
    const auto& segs = target.segments();
    for (const auto& route : exec_routes_) {
        if (route.pattern.size() != segs.size()) continue;
        bool match = true;
        for (std::size_t i = 0; i < segs.size() && match; ++i)
            match = route.pattern[i] == "*" || route.pattern[i] == segs[i];
        if (match) return route.handler(ExecContext{who, target, request});
    }
    return StatusCode::CommandNotAllowed; // no handler: the node is not executable
}

StatusCode Tree::copy(const Principal& who, const NodeUri& requested_source, const NodeUri& requested_target,
                      base::TimePoint now) {
    const NodeUri source = resolve(requested_source);
    const NodeUri target = resolve(requested_target);
    const Node* s = find(source);
    if (s == nullptr) return StatusCode::NotFound;
    if (s->is_interior()) return StatusCode::CommandNotAllowed; // leaf to leaf only
    if (!access_allows(who, source, Access::Copy) || !access_allows(who, source, Access::Get)) {
        return StatusCode::CommandNotAllowed;
    }
    if (!acl_permits(who, source, AclCommand::Get)) return StatusCode::PermissionDenied;
    const NodeContent content{s->format, s->type, s->value};
    const Node* t = find(target);
    if (t != nullptr && t->is_interior()) return StatusCode::CommandNotAllowed;
    const Savepoint mark = savepoint();
    StatusCode st =
        t != nullptr ? replace_node(who, target, content, now) : add_node(who, target, content, now);
    // 403 Forbidden: the target cannot take the value (OMA-TS-DM_RepPro-V1_2_1 §6.6.4, Copy).
    if (st == StatusCode::UnsupportedMediaType) st = StatusCode::Forbidden;
    return finish(st, mark);
}

} // namespace omadm::tree

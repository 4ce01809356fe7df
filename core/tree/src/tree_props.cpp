// Replace and Get of run-time properties (?prop=).
#include "omadm/tree/errc.hpp"
#include "omadm/tree/tree.hpp"
#include "tree_key.hpp"

#include <string>

namespace omadm::tree {

using base::StatusCode;
using detail::key_of;

namespace {
constexpr std::size_t kMaxTitle = 255;
}

StatusCode Tree::replace_property(const Principal& who, const NodeUri& uri, Property prop,
                                  const std::string& value) {
    if (!exists(uri)) return StatusCode::NotFound;
    switch (prop) {
    case Property::Acl:
        return replace_acl(who, uri, value);
    case Property::Name:
        return rename(who, uri, value);
    case Property::Title:
        if (!access_allows(who, uri, Access::Replace)) return StatusCode::CommandNotAllowed;
        if (!acl_permits(who, uri, AclCommand::Replace)) return StatusCode::PermissionDenied;
        if (value.size() > kMaxTitle) return StatusCode::RequestEntityTooLarge;
        modify(uri).title = value;
        note(uri, ChangeKind::Property, Property::Title, who);
        return StatusCode::Ok;
    case Property::Format:
    case Property::Size:
    case Property::TStamp:
    case Property::Type:
    case Property::VerNo:
        return StatusCode::CommandNotAllowed; // read-only property
    }
    return StatusCode::CommandNotAllowed;
}

StatusCode Tree::replace_acl(const Principal& who, const NodeUri& uri, const std::string& value) {
    auto acl = Acl::parse(value);
    if (!acl) return StatusCode::BadRequest;
    const Node* n = find(uri);
    // Interior: Replace on the node itself; leaf: Replace on the parent (OMA-TS-DM_TND-V1_2_1 §7.7.1).
    const NodeUri governing = n->is_interior() ? uri : uri.parent();
    if (!acl_permits(who, governing, AclCommand::Replace)) return StatusCode::PermissionDenied;
    // The root keeps an ACL, and its Add stays '*' (OMA-TS-DM_TND-V1_2_1 §7.7.1: the change fails with 405).
    if (uri.is_root() && !acl->grants_everyone(AclCommand::Add)) return StatusCode::CommandNotAllowed;
    modify(uri).acl = std::move(acl.value());
    note(uri, ChangeKind::Property, Property::Acl, who);
    return StatusCode::Ok;
}

StatusCode Tree::rename(const Principal& who, const NodeUri& uri, const std::string& name) {
    if (uri.is_root() || is_permanent(uri)) return StatusCode::CommandNotAllowed;
    if (!access_allows(who, uri, Access::Replace)) return StatusCode::CommandNotAllowed;
    if (!acl_permits(who, uri, AclCommand::Replace)) return StatusCode::PermissionDenied;
    if (name == uri.name()) return StatusCode::Ok;
    auto segs = uri.segments();
    segs.back() = name;
    auto renamed = NodeUri::from_segments(std::move(segs), options_.uri_limits);
    if (!renamed) return status_for(renamed.error());
    if (exists(*renamed)) return StatusCode::AlreadyExists;
    const SchemaMatch m = schema_for(uri);
    if (m.state == Bound::Known && (!m.node->is_placeholder() || schema_for(*renamed).node != m.node)) {
        return StatusCode::CommandNotAllowed; // only run-time named (<x>) nodes can be renamed
    }
    const std::string old_key = key_of(uri);
    const std::string new_key = key_of(*renamed);
    std::vector<std::pair<std::string, Node>> moved;
    for (const auto& k : subtree_paths(uri))
        moved.emplace_back(new_key + k.substr(old_key.size()), nodes_.at(k));
    for (const auto& k : subtree_paths(uri))
        erase_node(k);
    for (auto& [k, node] : moved) {
        undo_.push_back({k, std::nullopt});
        nodes_[k] = std::move(node);
    }
    note(*renamed, ChangeKind::Property, Property::Name, who);
    return StatusCode::Ok;
}

GetResult Tree::get_property(const Principal& who, const NodeUri& uri, Property prop) const {
    const Node* n = find(uri);
    if (n == nullptr) return {StatusCode::NotFound, {}};
    if (!access_allows(who, uri, Access::Get)) return {StatusCode::CommandNotAllowed, {}};
    if (!acl_permits(who, uri, AclCommand::Get)) return {StatusCode::PermissionDenied, {}};
    GetResult r;
    std::string data;
    switch (prop) {
    case Property::Acl:
        if (!n->acl.empty()) {
            data = n->acl.format();
        } else if (options_.inherited_acl_get == InheritedAclGet::InheritedWith217) {
            r.status = StatusCode::OkInheritedAcl;
            data = effective_acl(uri).format();
        }
        break;
    case Property::Format:
        data = format_name(n->format);
        break;
    case Property::Name:
        data = uri.name();
        break;
    case Property::Size:
        if (n->is_interior()) return {StatusCode::OptionalFeatureNotSupported, {}}; // leaf-only property
        data = std::to_string(n->value.size());
        break;
    case Property::Title:
        data = n->title;
        break;
    case Property::TStamp:
        data = n->tstamp ? base::format_tstamp(*n->tstamp) : std::string();
        break;
    case Property::Type:
        data = n->type;
        break;
    case Property::VerNo:
        data = std::to_string(n->ver_no);
        break;
    }
    r.items.push_back(
        ResultItem{TargetUri(uri, PropQuery{prop}).str(), Format::Chr, "text/plain", std::move(data)});
    return r;
}

} // namespace omadm::tree

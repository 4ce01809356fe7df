// Add and Replace of a subtree from TNDS (OMA-TS-DM_TNDS-V1_2 §5): one status, all or nothing.
#include "omadm/tree/errc.hpp"
#include "omadm/tree/tree.hpp"

#include <algorithm>

namespace omadm::tree {

using base::StatusCode;

namespace {

bool contains(const std::vector<NodeUri>& seen, const NodeUri& uri) {
    return std::find(seen.begin(), seen.end(), uri) != seen.end();
}

} // namespace

StatusCode Tree::add_tnds(const Principal& who, const NodeUri& target, const NodeContent& content,
                          base::TimePoint now) {
    auto doc = decode_tnds(content.data);
    if (!doc) return status_for(doc.error());
    if (!exists(target)) {
        const StatusCode st = add_node(who, target, NodeContent{Format::Node, {}, {}}, now);
        if (st != StatusCode::Ok) return st;
    }
    std::vector<NodeUri> seen;
    for (const auto& n : doc.value().nodes) {
        if (const StatusCode st = apply_tnds_node(who, target, n, false, seen, now); st != StatusCode::Ok)
            return st;
    }
    return StatusCode::Ok;
}

StatusCode Tree::replace_tnds(const Principal& who, const NodeUri& target, const NodeContent& content,
                              base::TimePoint now) {
    auto doc = decode_tnds(content.data);
    if (!doc) return status_for(doc.error());
    const Node* t = find(target);
    if (t == nullptr) return StatusCode::NotFound;
    if (!t->is_interior()) return StatusCode::CommandNotAllowed;
    std::vector<NodeUri> seen;
    for (const auto& n : doc.value().nodes) {
        if (const StatusCode st = apply_tnds_node(who, target, n, true, seen, now); st != StatusCode::Ok)
            return st;
    }
    // Replace with TNDS deletes the children not present in the document.
    for (const auto& c : children(target)) {
        auto child = target.child(c);
        if (!child || contains(seen, *child)) continue;
        if (const StatusCode st = remove_node(who, *child, now); st != StatusCode::Ok) return st;
    }
    return StatusCode::Ok;
}

StatusCode Tree::apply_tnds_node(const Principal& who, const NodeUri& parent, const TndsNode& n,
                                 bool replace_mode, std::vector<NodeUri>& seen, base::TimePoint now) {
    // An empty NodeName asks the device to place the node by Type; this tree does not.
    if (n.name.empty()) return StatusCode::UnsupportedMediaType;
    std::vector<std::string> segs = parent.segments();
    if (n.path && *n.path != "." && *n.path != "./") {
        auto rel = NodeUri::parse(*n.path);
        if (!rel) return StatusCode::UnsupportedMediaType;
        for (const auto& s : rel.value().segments()) {
            segs.push_back(s);
            if (auto u = NodeUri::from_segments(segs); u && !contains(seen, *u)) seen.push_back(*u);
        }
    }
    segs.push_back(n.name);
    auto parsed = NodeUri::from_segments(std::move(segs), options_.uri_limits);
    if (!parsed) return status_for(parsed.error());
    const NodeUri* uri = &parsed.value();
    seen.push_back(*uri);
    const bool interior = n.is_interior();
    if (interior && n.value) return StatusCode::UnsupportedMediaType;
    const NodeContent content{interior ? Format::Node : n.format.value_or(Format::Chr), n.type.value_or(""),
                              n.value.value_or("")};
    StatusCode st = StatusCode::Ok;
    if (const Node* existing = find(*uri)) {
        if (!replace_mode) return StatusCode::AlreadyExists;
        if (existing->is_interior() != interior) return StatusCode::CommandNotAllowed;
        if (!interior) st = replace_node(who, *uri, content, now);
    } else {
        st = add_node(who, *uri, content, now);
    }
    if (st == StatusCode::Ok && n.acl) st = replace_acl(who, *uri, *n.acl);
    if (st == StatusCode::Ok && n.title) st = replace_property(who, *uri, Property::Title, *n.title);
    if (st != StatusCode::Ok) return st;
    for (const auto& c : n.children) {
        if (const StatusCode cs = apply_tnds_node(who, *uri, c, replace_mode, seen, now);
            cs != StatusCode::Ok)
            return cs;
    }
    if (replace_mode && interior) {
        for (const auto& c : children(*uri)) {
            auto child = uri->child(c);
            if (!child || contains(seen, *child)) continue;
            if (const StatusCode ds = remove_node(who, *child, now); ds != StatusCode::Ok) return ds;
        }
    }
    return StatusCode::Ok;
}

} // namespace omadm::tree

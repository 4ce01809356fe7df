// Tree infrastructure: storage with undo log, transactions, persistence, observers, schema lookup,
// ACL and AccessType checks.
#include "omadm/tree/tree.hpp"

#include "omadm/tree/errc.hpp"
#include "tree_key.hpp"

#include <algorithm>
#include <set>

namespace omadm::tree {

using base::StatusCode;
using detail::descendant_prefix;
using detail::key_of;
using detail::uri_of_key;

Tree::Tree(TreeOptions options) : options_(std::move(options)) {
    Node root;
    root.format = Format::Node;
    root.acl = options_.root_acl.empty() ? Acl::root_default() : options_.root_acl;
    root.scope = Scope::Permanent;
    nodes_.emplace(".", std::move(root));
    // restore() starts from this root when a snapshot carries none.
}

void Tree::bind_schema(DdfSchema schema) {
    for (auto& r : schema.roots)
        schema_roots_.push_back(std::move(r));
}

base::Result<void> Tree::restore(const TreeSnapshot& snapshot) {
    std::map<std::string, Node> loaded;
    // The root is persisted only once it changes; until then it is the configured default.
    loaded.emplace(".", nodes_.at("."));
    for (const auto& rec : snapshot.nodes) {
        auto uri = NodeUri::parse(rec.path);
        if (!uri) return make_error(Errc::InvalidSnapshot, "bad path '" + rec.path + "'");
        if (!uri->is_root()) {
            const auto parent = loaded.find(key_of(uri->parent()));
            if (parent == loaded.end() || !parent->second.is_interior()) {
                return make_error(Errc::InvalidSnapshot, "orphan node '" + rec.path + "'");
            }
        }
        loaded[key_of(*uri)] = rec.node;
    }
    if (!loaded.contains(".") || !loaded.at(".").is_interior() || loaded.at(".").acl.empty()) {
        return make_error(Errc::InvalidSnapshot, "snapshot without a root carrying an ACL");
    }
    OMADM_CHECK(!explicit_txn_);
    nodes_ = std::move(loaded);
    undo_.clear();
    pending_.clear();
    return {};
}

TreeSnapshot Tree::snapshot() const {
    TreeSnapshot snap;
    // Map order puts "A" before "A/B" but not always before "A-x/..."; sort by depth to keep
    // parents first, then by path for determinism.
    for (const auto& [key, node] : nodes_)
        snap.nodes.push_back({uri_of_key(key).path(), node});
    std::stable_sort(snap.nodes.begin(), snap.nodes.end(), [](const NodeRecord& a, const NodeRecord& b) {
        const auto da = a.path == "." ? 0 : std::count(a.path.begin(), a.path.end(), '/') + 1;
        const auto db = b.path == "." ? 0 : std::count(b.path.begin(), b.path.end(), '/') + 1;
        return da < db;
    });
    return snap;
}

base::Result<void> Tree::register_exec(std::string_view pattern, ExecHandler handler) {
    auto uri = NodeUri::parse(pattern);
    if (!uri) return uri.error();
    exec_routes_.push_back({uri->segments(), std::move(handler)});
    return {};
}

// --- storage with undo -------------------------------------------------------------------------

const Node* Tree::find_exact(const NodeUri& uri) const {
    const auto it = nodes_.find(key_of(uri));
    return it == nodes_.end() ? nullptr : &it->second;
}

const Node* Tree::find(const NodeUri& uri) const {
    if (const Node* n = find_exact(uri)) return n;
    if (schema_roots_.empty()) return nullptr;
    const NodeUri stored = resolve(uri);
    return stored == uri ? nullptr : find_exact(stored);
}

NodeUri Tree::resolve(const NodeUri& uri) const {
    if (schema_roots_.empty() || find_exact(uri) != nullptr) return uri;
    std::vector<std::string> segs;
    segs.reserve(uri.depth());
    NodeUri at;
    for (const auto& s : uri.segments()) {
        auto next = at.child(s);
        if (!next) return uri;
        if (find_exact(*next) == nullptr) {
            const SchemaMatch m = schema_for(*next);
            if (m.state != Bound::Known || m.node->case_sense != CaseSense::Insensitive) break;
            const auto names = children(at);
            const auto it = std::find_if(names.begin(), names.end(), [&](const std::string& n) {
                return names_match(CaseSense::Insensitive, n, s);
            });
            if (it == names.end()) break;
            next = at.child(*it);
            if (!next) return uri;
        }
        at = std::move(*next);
        segs.push_back(at.name());
    }
    for (std::size_t i = segs.size(); i < uri.depth(); ++i)
        segs.push_back(uri.segments()[i]);
    auto out = NodeUri::from_segments(std::move(segs), options_.uri_limits);
    return out ? *out : uri;
}

TargetUri Tree::resolved(const TargetUri& target) const {
    TargetUri out = target;
    out.node = resolve(target.node);
    return out;
}

Node* Tree::find_mut(const std::string& key) {
    const auto it = nodes_.find(key);
    return it == nodes_.end() ? nullptr : &it->second;
}

void Tree::put_node(const NodeUri& uri, Node node) {
    const std::string key = key_of(uri);
    const Node* old = find_mut(key);
    undo_.push_back({key, old ? std::optional<Node>(*old) : std::nullopt});
    nodes_[key] = std::move(node);
}

Node& Tree::modify(const NodeUri& uri) {
    const std::string key = key_of(uri);
    Node* node = find_mut(key);
    OMADM_CHECK(node != nullptr);
    undo_.push_back({key, *node});
    return *node;
}

void Tree::erase_node(const std::string& key) {
    const auto it = nodes_.find(key);
    if (it == nodes_.end()) return;
    undo_.push_back({key, it->second});
    nodes_.erase(it);
}

void Tree::note(const NodeUri& uri, ChangeKind kind, std::optional<Property> prop, const Principal& who) {
    pending_.push_back(Change{uri, kind, prop, who});
}

std::vector<std::string> Tree::subtree_paths(const NodeUri& uri) const {
    std::vector<std::string> out;
    const std::string key = key_of(uri);
    if (!nodes_.contains(key)) return out;
    out.push_back(key);
    const std::string prefix = descendant_prefix(key);
    for (auto it = nodes_.lower_bound(prefix); it != nodes_.end() && it->first.starts_with(prefix); ++it) {
        if (it->first != ".") out.push_back(it->first);
    }
    return out;
}

std::vector<std::string> Tree::children(const NodeUri& uri) const {
    std::vector<std::string> out;
    const std::string prefix = descendant_prefix(key_of(uri));
    auto it = nodes_.lower_bound(prefix);
    while (it != nodes_.end() && it->first.starts_with(prefix)) {
        const std::string_view rest = std::string_view(it->first).substr(prefix.size());
        const auto slash = rest.find('/');
        if (slash == std::string_view::npos) {
            if (rest != ".") out.emplace_back(rest);
            ++it;
            continue;
        }
        // A grandchild: skip the rest of that child's subtree in one search. Its keys all start
        // with "<child>/", and '0' is the character after '/', so none sorts at or after
        // "<child>0". Cost: one search per child, not one step per descendant.
        std::string next = prefix;
        next.append(rest.substr(0, slash));
        next += '0';
        it = nodes_.lower_bound(next);
    }
    return out;
}

// --- transactions ------------------------------------------------------------------------------

void Tree::rollback_to(Savepoint mark) {
    while (undo_.size() > mark.undo) {
        UndoEntry& e = undo_.back();
        if (e.before) {
            nodes_[e.path] = std::move(*e.before);
        } else {
            nodes_.erase(e.path);
        }
        undo_.pop_back();
    }
    pending_.resize(std::min(pending_.size(), mark.changes), Change{});
}

ChangeSet Tree::collect_change_set() const {
    std::set<std::string> touched;
    for (const auto& e : undo_)
        touched.insert(e.path);
    ChangeSet cs;
    for (const auto& key : touched) {
        const auto it = nodes_.find(key);
        if (it != nodes_.end()) {
            cs.upserts.push_back({uri_of_key(key).path(), it->second});
        } else {
            cs.deletes.push_back(uri_of_key(key).path());
        }
    }
    const auto depth = [](const std::string& p) { return std::count(p.begin(), p.end(), '/'); };
    std::stable_sort(cs.upserts.begin(), cs.upserts.end(),
                     [&](const NodeRecord& a, const NodeRecord& b) { return depth(a.path) < depth(b.path); });
    std::stable_sort(cs.deletes.begin(), cs.deletes.end(),
                     [&](const std::string& a, const std::string& b) { return depth(a) > depth(b); });
    return cs;
}

StatusCode Tree::finish(StatusCode status, Savepoint mark) {
    if (!base::is_success(status)) {
        rollback_to(mark);
        return status;
    }
    if (explicit_txn_) return status;
    const StatusCode committed = commit();
    return committed == StatusCode::Ok ? status : committed;
}

void Tree::begin() {
    OMADM_CHECK(!explicit_txn_);
    OMADM_CHECK(undo_.empty());
    explicit_txn_ = true;
}

StatusCode Tree::commit() {
    explicit_txn_ = false;
    if (store_ != nullptr) {
        const ChangeSet cs = collect_change_set();
        if (!cs.empty() && !store_->persist(cs)) {
            rollback_to(Savepoint{});
            return StatusCode::DataStoreFailure;
        }
    }
    undo_.clear();
    std::vector<Change> changes;
    changes.swap(pending_);
    deliver(changes);
    return StatusCode::Ok;
}

void Tree::rollback() {
    rollback_to(Savepoint{});
    explicit_txn_ = false;
}

// --- observers ---------------------------------------------------------------------------------

ObserverId Tree::subscribe(ChangeObserver observer) {
    const ObserverId id{next_observer_++};
    observers_.emplace_back(id, std::move(observer));
    return id;
}

void Tree::unsubscribe(ObserverId id) {
    std::erase_if(observers_, [id](const auto& o) { return o.first == id; });
}

void Tree::deliver(const std::vector<Change>& changes) {
    for (const Change& c : changes) {
        // Copy: an observer may subscribe or unsubscribe while being called.
        const auto observers = observers_;
        for (const auto& [id, fn] : observers)
            fn(c);
    }
}

// --- schema, ACL, AccessType -------------------------------------------------------------------

Tree::SchemaMatch Tree::schema_for(const NodeUri& uri) const {
    for (const auto& root : schema_roots_) {
        const NodeUri mount = root.mount();
        if (!uri.is_within(mount)) continue;
        const DdfNode* node = &root.node;
        for (std::size_t i = mount.depth(); i < uri.depth(); ++i) {
            if (node->children.empty()) return {}; // a branch the DDF leaves open (e.g. Ext)
            node = node->match_child(uri.segments()[i]);
            if (node == nullptr) return {Bound::Unknown, nullptr};
        }
        return {Bound::Known, node};
    }
    return {};
}

bool Tree::access_allows(const Principal& who, const NodeUri& uri, Access a) const {
    if (who.kind() == Principal::Kind::Bootstrap) return true;
    const SchemaMatch m = schema_for(uri);
    return m.state != Bound::Known || m.node->access.allows(a);
}

bool Tree::is_permanent(const NodeUri& uri) const {
    const Node* n = find(uri);
    if (n != nullptr && n->scope == Scope::Permanent) return true;
    const SchemaMatch m = schema_for(uri);
    return m.state == Bound::Known && m.node->scope == Scope::Permanent;
}

Acl Tree::effective_acl(const NodeUri& uri) const {
    NodeUri at = uri;
    while (true) {
        if (const Node* n = find(at); n != nullptr && !n->acl.empty()) return n->acl;
        if (at.is_root()) return {};
        at = at.parent();
    }
}

bool Tree::acl_permits(const Principal& who, const NodeUri& uri, AclCommand c) const {
    switch (who.kind()) {
    case Principal::Kind::Bootstrap:
        return true;
    case Principal::Kind::Device:
        return options_.device_acl == DeviceAcl::Bypass || effective_acl(uri).grants_everyone(c);
    case Principal::Kind::Server:
        return effective_acl(uri).grants(c, *who.server_id());
    }
    return false;
}

bool Tree::readable(const Principal& who, const NodeUri& uri) const {
    return access_allows(who, uri, Access::Get) && acl_permits(who, uri, AclCommand::Get);
}

StatusCode Tree::set_scope(const NodeUri& uri, Scope scope) {
    const Node* node = find(uri);
    if (node == nullptr) return StatusCode::NotFound;
    if (node->scope == scope) return StatusCode::Ok; // nothing to change, nothing to persist
    const Savepoint mark = savepoint();
    modify(uri).scope = scope;
    return finish(StatusCode::Ok, mark);
}

void Tree::revoke_server(const base::ServerId& id, base::TimePoint /*now*/) {
    const Savepoint mark = savepoint();
    const Principal who = Principal::bootstrap();
    for (auto& [key, node] : nodes_) {
        Acl acl = node.acl;
        acl.revoke_everywhere(id.value());
        if (key == ".") {
            for (const AclCommand c : {AclCommand::Add, AclCommand::Delete, AclCommand::Exec, AclCommand::Get,
                                       AclCommand::Replace}) {
                if (!node.acl.ids(c).empty() && acl.ids(c).empty()) acl.grant(c, "*");
            }
        }
        if (acl == node.acl) continue;
        const NodeUri uri = uri_of_key(key);
        undo_.push_back({key, node});
        node.acl = std::move(acl);
        note(uri, ChangeKind::Property, Property::Acl, who);
    }
    (void)finish(StatusCode::Ok, mark);
}

} // namespace omadm::tree

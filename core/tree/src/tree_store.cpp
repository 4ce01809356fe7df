#include "omadm/tree/tree_store.hpp"

#include "omadm/tree/errc.hpp"

#include <algorithm>

namespace omadm::tree {

base::Result<TreeSnapshot> InMemoryTreeStore::load() {
    TreeSnapshot snap;
    snap.nodes = nodes_;
    const auto depth = [](const std::string& p) {
        return p == "." ? -1 : std::count(p.begin(), p.end(), '/');
    };
    std::stable_sort(snap.nodes.begin(), snap.nodes.end(),
                     [&](const NodeRecord& a, const NodeRecord& b) { return depth(a.path) < depth(b.path); });
    return snap;
}

base::Result<void> InMemoryTreeStore::persist(const ChangeSet& changes) {
    if (fail_next_) {
        fail_next_ = false;
        return make_error(Errc::StoreFailure, "persist refused (injected failure)");
    }
    ++persist_count_;
    for (const auto& path : changes.deletes) {
        std::erase_if(nodes_, [&](const NodeRecord& r) { return r.path == path; });
    }
    for (const auto& rec : changes.upserts) {
        const auto it =
            std::lower_bound(nodes_.begin(), nodes_.end(), rec.path,
                             [](const NodeRecord& r, const std::string& p) { return r.path < p; });
        if (it != nodes_.end() && it->path == rec.path) {
            it->node = rec.node;
        } else {
            nodes_.insert(it, rec);
        }
    }
    return {};
}

} // namespace omadm::tree

#pragma once
// Persistence seam: the tree loads a snapshot at start and hands each committed change set to the
// store. The reference client implements it with SQLite; InMemoryTreeStore serves tests.

#include "omadm/base/result.hpp"
#include "omadm/tree/node.hpp"

#include <string>
#include <vector>

namespace omadm::tree {

/// A node and its path in the canonical relative form of NodeUri::path() ("." for the root).
struct NodeRecord {
    std::string path;
    Node node;
    friend bool operator==(const NodeRecord&, const NodeRecord&) = default;
};

/// Every node of a tree, parents before children.
struct TreeSnapshot {
    std::vector<NodeRecord> nodes;
};

/// The final state of every node touched by one committed operation or transaction.
struct ChangeSet {
    std::vector<NodeRecord> upserts;  ///< created or modified nodes, parents before children
    std::vector<std::string> deletes; ///< removed paths, children before parents
    [[nodiscard]] bool empty() const noexcept { return upserts.empty() && deletes.empty(); }
};

class TreeStore {
public:
    virtual ~TreeStore() = default;
    /// The persisted tree; an empty snapshot if nothing was stored yet. Errc::StoreFailure on I/O failure.
    [[nodiscard]] virtual base::Result<TreeSnapshot> load() = 0;
    /// Applies the change set atomically (all of it or none). Errc::StoreFailure on failure.
    [[nodiscard]] virtual base::Result<void> persist(const ChangeSet& changes) = 0;
};

/// Keeps the persisted state in memory; can be told to fail the next persist() (tests).
class InMemoryTreeStore final : public TreeStore {
public:
    [[nodiscard]] base::Result<TreeSnapshot> load() override;
    [[nodiscard]] base::Result<void> persist(const ChangeSet& changes) override;
    void fail_next_persist() noexcept { fail_next_ = true; }
    [[nodiscard]] std::size_t persist_count() const noexcept { return persist_count_; }

private:
    std::vector<NodeRecord> nodes_; ///< sorted by path
    bool fail_next_ = false;
    std::size_t persist_count_ = 0;
};

} // namespace omadm::tree

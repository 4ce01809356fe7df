#pragma once
// Node -> watching policies, as a trie of node names. A change costs the depth of its node plus the
// watchers found: those on the node, on its ancestors (a watch on ./A covers ./A/B) and under it (a
// Delete of ./A affects a watch on ./A/B).

#include "omadm/tree/node_uri.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace omadm::policy {

class ChangeIndex {
public:
    ChangeIndex();
    ~ChangeIndex();
    ChangeIndex(ChangeIndex&&) noexcept;
    ChangeIndex& operator=(ChangeIndex&&) noexcept;

    void watch(const tree::NodeUri& node, const tree::NodeUri& policy);
    /// Removes every watch of `policy` on `node`.
    void unwatch(const tree::NodeUri& node, const tree::NodeUri& policy);
    /// The policies affected by a change of `node`, each once, in first-found order.
    [[nodiscard]] std::vector<tree::NodeUri> affected(const tree::NodeUri& node) const;

private:
    struct Node {
        std::map<std::string, std::unique_ptr<Node>, std::less<>> children;
        std::vector<tree::NodeUri> watchers;
    };
    static void collect_subtree(const Node& node, std::vector<tree::NodeUri>& out);
    std::unique_ptr<Node> root_;
};

} // namespace omadm::policy

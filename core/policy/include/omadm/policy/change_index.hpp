#pragma once
// URI -> watching policies, as a trie of URI segments. A change costs the depth of the URI plus the
// watchers found: those on the URI, on its ancestors (a watch on ./A covers ./A/B) and under it (a
// Delete of ./A affects a watch on ./A/B).

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace omadm::policy {

class ChangeIndex {
public:
    ChangeIndex();
    ~ChangeIndex();
    ChangeIndex(ChangeIndex&&) noexcept;
    ChangeIndex& operator=(ChangeIndex&&) noexcept;

    void watch(std::string_view uri, std::string_view policy);
    /// Removes every watch of `policy` on `uri`.
    void unwatch(std::string_view uri, std::string_view policy);
    /// The policies affected by a change of `uri`, each once, in first-found order.
    [[nodiscard]] std::vector<std::string> affected(std::string_view uri) const;

private:
    struct Node {
        std::map<std::string, std::unique_ptr<Node>, std::less<>> children;
        std::vector<std::string> watchers;
    };
    static void collect_subtree(const Node& node, std::vector<std::string>& out);
    std::unique_ptr<Node> root_;
};

} // namespace omadm::policy

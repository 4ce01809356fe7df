#include "omadm/policy/change_index.hpp"

#include <algorithm>

namespace omadm::policy {
namespace {

// Splits "./A/B" into "." "A" "B" lazily.
class Segments {
public:
    explicit Segments(std::string_view uri) : rest_(uri) {}
    bool next(std::string_view& out) {
        if (done_) return false;
        const auto slash = rest_.find('/');
        out = rest_.substr(0, slash);
        if (slash == std::string_view::npos) {
            done_ = true;
        } else {
            rest_.remove_prefix(slash + 1);
        }
        return true;
    }

private:
    std::string_view rest_;
    bool done_ = false;
};

void add_unique(std::vector<std::string>& out, const std::string& p) {
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
}

} // namespace

ChangeIndex::ChangeIndex() : root_(std::make_unique<Node>()) {}
ChangeIndex::~ChangeIndex() = default;
ChangeIndex::ChangeIndex(ChangeIndex&&) noexcept = default;
ChangeIndex& ChangeIndex::operator=(ChangeIndex&&) noexcept = default;

void ChangeIndex::watch(std::string_view uri, std::string_view policy) {
    Node* node = root_.get();
    Segments segs(uri);
    std::string_view seg;
    while (segs.next(seg)) {
        auto it = node->children.find(seg);
        if (it == node->children.end())
            it = node->children.emplace(std::string(seg), std::make_unique<Node>()).first;
        node = it->second.get();
    }
    node->watchers.emplace_back(policy);
}

void ChangeIndex::unwatch(std::string_view uri, std::string_view policy) {
    std::vector<std::pair<Node*, std::string_view>> path;
    Node* node = root_.get();
    Segments segs(uri);
    std::string_view seg;
    while (segs.next(seg)) {
        const auto it = node->children.find(seg);
        if (it == node->children.end()) return;
        path.emplace_back(node, it->first);
        node = it->second.get();
    }
    std::erase(node->watchers, policy);
    // Prune emptied branches bottom-up.
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
        const auto child = it->first->children.find(it->second);
        if (!child->second->watchers.empty() || !child->second->children.empty()) break;
        it->first->children.erase(child);
    }
}

void ChangeIndex::collect_subtree(const Node& node, std::vector<std::string>& out) {
    for (const auto& w : node.watchers)
        add_unique(out, w);
    for (const auto& [name, child] : node.children)
        collect_subtree(*child, out);
}

std::vector<std::string> ChangeIndex::affected(std::string_view uri) const {
    std::vector<std::string> out;
    const Node* node = root_.get();
    Segments segs(uri);
    std::string_view seg;
    while (segs.next(seg)) {
        for (const auto& w : node->watchers)
            add_unique(out, w); // a watch on an ancestor
        const auto it = node->children.find(seg);
        if (it == node->children.end()) return out;
        node = it->second.get();
    }
    collect_subtree(*node, out); // watches on the node itself and below it
    return out;
}

} // namespace omadm::policy

#include "omadm/policy/change_index.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

namespace omadm::policy {
namespace {

void add_unique(std::vector<tree::NodeUri>& out, const tree::NodeUri& p) {
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
}

} // namespace

ChangeIndex::ChangeIndex() : root_(std::make_unique<Node>()) {}
ChangeIndex::~ChangeIndex() = default;
ChangeIndex::ChangeIndex(ChangeIndex&&) noexcept = default;
ChangeIndex& ChangeIndex::operator=(ChangeIndex&&) noexcept = default;

void ChangeIndex::watch(const tree::NodeUri& node, const tree::NodeUri& policy) {
    Node* at = root_.get();
    for (const auto& seg : node.segments()) {
        auto it = at->children.find(seg);
        if (it == at->children.end()) it = at->children.emplace(seg, std::make_unique<Node>()).first;
        at = it->second.get();
    }
    at->watchers.push_back(policy);
}

void ChangeIndex::unwatch(const tree::NodeUri& node, const tree::NodeUri& policy) {
    std::vector<std::pair<Node*, std::string_view>> path;
    Node* at = root_.get();
    for (const auto& seg : node.segments()) {
        const auto it = at->children.find(seg);
        if (it == at->children.end()) return;
        path.emplace_back(at, it->first);
        at = it->second.get();
    }
    std::erase(at->watchers, policy);
    // Prune emptied branches bottom-up.
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
        const auto child = it->first->children.find(it->second);
        if (!child->second->watchers.empty() || !child->second->children.empty()) break;
        it->first->children.erase(child);
    }
}

void ChangeIndex::collect_subtree(const Node& node, std::vector<tree::NodeUri>& out) {
    for (const auto& w : node.watchers)
        add_unique(out, w);
    for (const auto& [name, child] : node.children)
        collect_subtree(*child, out);
}

std::vector<tree::NodeUri> ChangeIndex::affected(const tree::NodeUri& node) const {
    std::vector<tree::NodeUri> out;
    const Node* at = root_.get();
    for (const auto& seg : node.segments()) {
        for (const auto& w : at->watchers)
            add_unique(out, w); // a watch on an ancestor
        const auto it = at->children.find(seg);
        if (it == at->children.end()) return out;
        at = it->second.get();
    }
    collect_subtree(*at, out); // watches on the node itself and below it
    return out;
}

} // namespace omadm::policy

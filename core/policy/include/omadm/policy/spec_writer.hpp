#pragma once
// Server-side helper: the node writes that download (or update) a PolicySpec, so a server builds
// its Add/Replace/Delete commands without knowing the MO layout.

#include "omadm/policy/node_value.hpp"
#include "omadm/policy/policy_layout.hpp"
#include "omadm/policy/policy_spec.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace omadm::policy {

enum class WriteOp { Add, Replace, Delete };

struct NodeWrite {
    WriteOp op = WriteOp::Add;
    std::string uri;
    tree::Format format = tree::Format::Chr; ///< node for an interior node
    std::string type;                        ///< MIME type of a leaf, MO id of the policy root, else empty
    std::string value;
    bool operator==(const NodeWrite&) const = default;
    [[nodiscard]] bool interior() const noexcept { return format == tree::Format::Node; }
};

/// Adds, parents first, of the whole policy subtree at `policy_uri` (send them in one Atomic).
/// State, Results and Operations are created by the device.
[[nodiscard]] std::vector<NodeWrite> download_writes(const PolicySpec& spec, const PolicyLayout& layout,
                                                     std::string_view policy_uri);

/// Deletes of the Conditions, Actions, Bindings, Trigger and Notify subtrees, Adds of their new
/// contents, Replaces of the policy's own leaves, and the Replace of Version last: the device
/// switches to the new version when Version changes.
[[nodiscard]] std::vector<NodeWrite> update_writes(const PolicySpec& spec, const PolicyLayout& layout,
                                                   std::string_view policy_uri);

} // namespace omadm::policy

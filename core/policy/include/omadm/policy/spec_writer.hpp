#pragma once
// Server-side helper: the node writes that download (or update) a PolicySpec, so a server builds
// its Add/Replace/Delete commands without knowing the MO layout. The spec's node names (condition
// and action names, Ext paths) must be node names, as spec_from_description and read_policy make
// them (tree::is_valid_node_name; OMADM_CHECK otherwise).

#include "omadm/policy/node_value.hpp"
#include "omadm/policy/policy_layout.hpp"
#include "omadm/policy/policy_spec.hpp"
#include "omadm/tree/node_uri.hpp"

#include <string>
#include <vector>

namespace omadm::policy {

enum class WriteOp { Add, Replace, Delete };

struct NodeWrite {
    WriteOp op = WriteOp::Add;
    tree::NodeUri uri;                       ///< the command's Target is uri.str()
    tree::Format format = tree::Format::Chr; ///< node for an interior node
    std::string type;                        ///< MIME type of a leaf, MO id of the policy root, else empty
    std::string value;
    bool operator==(const NodeWrite&) const = default;
    [[nodiscard]] bool interior() const noexcept { return format == tree::Format::Node; }
};

/// Adds, parents first, of the whole policy subtree at `policy_uri` (send them in one Atomic).
/// State, Results and Operations are created by the device.
[[nodiscard]] std::vector<NodeWrite> download_writes(const PolicySpec& spec, const PolicyLayout& layout,
                                                     const tree::NodeUri& policy_uri);

/// Deletes of the Conditions, Actions, Bindings, Trigger and Notify subtrees, Adds of their new
/// contents, Replaces of the policy's own leaves, and the Replace of Version last: the device
/// switches to the new version when Version changes.
[[nodiscard]] std::vector<NodeWrite> update_writes(const PolicySpec& spec, const PolicyLayout& layout,
                                                   const tree::NodeUri& policy_uri);

} // namespace omadm::policy

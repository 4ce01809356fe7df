#pragma once
// The seam between the policy engine and the device's DM tree. The engine never sees the tree
// itself, only node addresses (tree::NodeUri, a value type): the agent adapts its tree to this
// interface (core/agent/src/tree_host.cpp), tests use an in-memory double.

#include "omadm/base/status_code.hpp"
#include "omadm/base/strong_id.hpp"
#include "omadm/policy/node_value.hpp"
#include "omadm/syncml/message.hpp"
#include "omadm/tree/node_uri.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace omadm::policy {

/// The DM commands a policy action may invoke locally (MgmtPolicyMO-Device-02).
enum class CommandKind { Add, Replace, Delete, Get, Exec, Copy };

[[nodiscard]] std::optional<CommandKind> parse_command(std::string_view text) noexcept;
[[nodiscard]] std::string_view command_name(CommandKind k) noexcept;

/// A policy action runs as one DM command on the device's own tree (action_runner.cpp builds it):
/// Add, Replace, Delete, Get, Exec or Copy with one Item that has the Target, the Source of a Copy,
/// the Data and Meta Format (and Type) of an Add or Replace, the Data of an Exec.
/// The Item of such a command (nullptr for a command without one).
[[nodiscard]] const syncml::Item* action_item(const syncml::Command& command) noexcept;
/// The Target URI of its Item ("" without one).
[[nodiscard]] std::string_view action_target(const syncml::Command& command) noexcept;

/// What one command did: its DM status, the value read by a Get, and a short detail.
struct ActionOutcome {
    base::StatusCode status = base::StatusCode::Ok;
    std::optional<NodeValue> value;
    std::string detail;
};

/// What an Atomic did: 200 when every command succeeded, else 507 (Atomic failed, rolled back) or
/// 516 (rollback failed); one item per command in order (216 for a command that was rolled back,
/// 215 for one never reached).
struct AtomicOutcome {
    base::StatusCode status = base::StatusCode::Ok;
    std::vector<ActionOutcome> items;
};

class PolicyHost {
public:
    virtual ~PolicyHost() = default;
    /// The node's value and Format as the device itself sees it (no ACL); interior nodes give an
    /// empty value with Format node; nullopt when the node does not exist.
    [[nodiscard]] virtual std::optional<NodeValue> get(const tree::NodeUri& uri) = 0;
    /// The names of an interior node's children, in tree order; empty for a leaf or a missing node.
    /// Each is a node name (tree::is_valid_node_name): the engine appends it to `uri`.
    [[nodiscard]] virtual std::vector<std::string> children(const tree::NodeUri& uri) = 0;
    /// Runs one DM command (made by dm_command) as `as_server`: the tree's ACLs and access types
    /// apply.
    [[nodiscard]] virtual ActionOutcome execute(const syncml::Command& command,
                                                const base::ServerId& as_server) = 0;
    /// Runs the commands as one DM Atomic as `as_server`: all take effect or none does.
    [[nodiscard]] virtual AtomicOutcome execute_atomic(std::span<const syncml::Command> commands,
                                                       const base::ServerId& as_server) = 0;
    /// Device-owned write (State, Results): creates the leaf and missing interior parents, no ACL.
    [[nodiscard]] virtual base::StatusCode set_internal(const tree::NodeUri& uri, const NodeValue& value) = 0;
    /// Device-owned removal of a node and its subtree (old Results log entries), no ACL.
    [[nodiscard]] virtual base::StatusCode remove_internal(const tree::NodeUri& uri) = 0;
};

} // namespace omadm::policy

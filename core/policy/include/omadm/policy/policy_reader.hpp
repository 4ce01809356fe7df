#pragma once
// Reads and validates a policy subtree from the device tree (download and update time): every
// error a policy can carry is found here, never while it is evaluated.

#include "omadm/base/result.hpp"
#include "omadm/policy/expression.hpp"
#include "omadm/policy/extension_registry.hpp"
#include "omadm/policy/policy_host.hpp"
#include "omadm/policy/policy_layout.hpp"
#include "omadm/policy/policy_spec.hpp"

#include <optional>
#include <vector>

namespace omadm::policy {

/// A validated policy: its node, the spec as read, its compiled expression, its actions sorted by
/// Order, and the node each condition reads.
struct CompiledPolicy {
    tree::NodeUri uri;
    PolicySpec spec;
    Expression expression;
    /// Per condition of spec.conditions: its URI parsed, or nullopt when that names no node (the
    /// condition then reads a missing node).
    std::vector<std::optional<tree::NodeUri>> condition_nodes;
};

/// How strictly read_policy validates. Lenient (a deliberately faulty device, policy::Deviations)
/// installs a policy whose expression does not parse (it then always holds) or that names an unknown
/// operator (that condition is then false); every other error still fails.
enum class Validation { Strict, Lenient };

/// Reads the policy at `policy_uri`. Failures carry an Errc (see status_for) and a reason naming
/// the offending node.
[[nodiscard]] base::Result<CompiledPolicy> read_policy(PolicyHost& host, const PolicyLayout& layout,
                                                       const ExtensionRegistry& extensions,
                                                       const tree::NodeUri& policy_uri,
                                                       Validation validation = Validation::Strict);

/// Validates a spec without a tree (used by read_policy and by the server before it sends one).
[[nodiscard]] base::Result<Expression> validate_spec(const PolicySpec& spec, const PolicyLayout& layout,
                                                     const ExtensionRegistry& extensions);

} // namespace omadm::policy

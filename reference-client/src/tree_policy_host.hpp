#pragma once
// PolicyHost over the device's DM tree: reads as the device itself (no ACL), policy actions run as
// the policy's owning server so that its ACL rights apply (or, with the skip_acl fault, as the
// device bypassing them), device-owned writes (State, Results) as the bootstrap principal.

#include "omadm/base/clock.hpp"
#include "omadm/policy/policy_host.hpp"
#include "omadm/tree/tree.hpp"

namespace omadm::client {

enum class ActionAcl { Enforce, Skip };

class TreePolicyHost final : public policy::PolicyHost {
public:
    TreePolicyHost(tree::Tree& tree, const base::Clock& clock) : tree_(tree), clock_(clock) {}

    void set_action_acl(ActionAcl mode) noexcept { action_acl_ = mode; }

    [[nodiscard]] std::optional<policy::NodeValue> get(std::string_view uri) override;
    [[nodiscard]] std::vector<std::string> children(std::string_view uri) override;
    [[nodiscard]] policy::ActionOutcome execute(const policy::LocalCommand& command,
                                                const base::ServerId& as_server) override;
    [[nodiscard]] policy::AtomicOutcome execute_atomic(std::span<const policy::LocalCommand> commands,
                                                       const base::ServerId& as_server) override;
    [[nodiscard]] base::StatusCode set_internal(std::string_view uri,
                                                const policy::NodeValue& value) override;
    [[nodiscard]] base::StatusCode remove_internal(std::string_view uri) override;

private:
    [[nodiscard]] tree::Principal principal_for(const base::ServerId& server) const;
    [[nodiscard]] policy::ActionOutcome run(const policy::LocalCommand& command, const tree::Principal& who);

    tree::Tree& tree_;
    const base::Clock& clock_;
    ActionAcl action_acl_ = ActionAcl::Enforce;
};

/// Conversions between the policy module's NodeFormat and the tree's Format (same names).
[[nodiscard]] tree::Format to_tree_format(policy::NodeFormat f) noexcept;
[[nodiscard]] policy::NodeFormat to_policy_format(tree::Format f) noexcept;

} // namespace omadm::client

#pragma once
// The policy engine's view of the device's DM tree: reads as the device itself (no ACL); policy
// actions run through the CommandRunner as the policy's owning server, so its ACL rights apply (or,
// with the skip_action_acl deviation, as the device bypassing them); device-owned writes (State,
// Results) as the bootstrap principal.

#include "omadm/agent/command_runner.hpp"
#include "omadm/policy/policy_host.hpp"

namespace omadm::agent {

class TreeHost final : public policy::PolicyHost {
public:
    /// `actions` runs the policy actions; `now` is read for every write (the agent sets it before
    /// each engine input).
    TreeHost(tree::Tree& tree, CommandRunner& actions, const base::TimePoint& now)
        : tree_(tree), actions_(actions), now_(now) {}

    void set_skip_action_acl(bool skip) noexcept { skip_action_acl_ = skip; }

    [[nodiscard]] std::optional<policy::NodeValue> get(const tree::NodeUri& uri) override;
    [[nodiscard]] std::vector<std::string> children(const tree::NodeUri& uri) override;
    [[nodiscard]] policy::ActionOutcome execute(const syncml::Command& command,
                                                const base::ServerId& as_server) override;
    [[nodiscard]] policy::AtomicOutcome execute_atomic(std::span<const syncml::Command> commands,
                                                       const base::ServerId& as_server) override;
    [[nodiscard]] base::StatusCode set_internal(const tree::NodeUri& uri,
                                                const policy::NodeValue& value) override;
    [[nodiscard]] base::StatusCode remove_internal(const tree::NodeUri& uri) override;

private:
    [[nodiscard]] tree::Principal principal_for(const base::ServerId& server) const;

    tree::Tree& tree_;
    CommandRunner& actions_;
    const base::TimePoint& now_;
    bool skip_action_acl_ = false;
};

} // namespace omadm::agent

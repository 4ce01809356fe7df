#pragma once
// Implementation-specific extensions (MgmtPolicyMO-OSR-02): condition operators and action kinds
// that a device adds beside the built-in ones. A policy naming an extension that is not registered
// is rejected when it is read.

#include "omadm/base/strong_id.hpp"
#include "omadm/policy/node_value.hpp"
#include "omadm/policy/policy_host.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace omadm::policy {

/// Decides an extension condition: the node's current value (nullopt if absent) against the
/// condition's Value text.
using ConditionOperatorFn = std::function<bool(const std::optional<NodeValue>& node, std::string_view value)>;

/// What an extension action receives: the target after binding expansion, the action's data, the
/// policy's Ext subtree values, the host, and the server it acts for.
struct ExtensionActionContext {
    std::string_view target;
    std::string_view data;
    PolicyHost& host;
    const base::ServerId& as_server;
};
using ActionKindFn = std::function<ActionOutcome(const ExtensionActionContext& context)>;

class ExtensionRegistry {
public:
    /// Registers an operator; false when the name is built in or already registered.
    bool add_operator(std::string name, ConditionOperatorFn fn);
    /// Registers an action kind; false when the name is a DM command or already registered.
    bool add_action_kind(std::string name, ActionKindFn fn);

    [[nodiscard]] const ConditionOperatorFn* find_operator(std::string_view name) const;
    [[nodiscard]] const ActionKindFn* find_action_kind(std::string_view name) const;

private:
    std::map<std::string, ConditionOperatorFn, std::less<>> operators_;
    std::map<std::string, ActionKindFn, std::less<>> action_kinds_;
};

} // namespace omadm::policy

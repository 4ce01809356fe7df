#pragma once
// Error codes of the policy module: why a policy subtree or an alert could not be used.

#include "omadm/base/status_code.hpp"

#include <system_error>

namespace omadm::policy {

enum class Errc {
    /// A mandatory node of the policy subtree (PolicyID, Version, an action's Command...) is missing.
    MissingNode = 1,
    /// A leaf holds a value that does not parse as its documented format (Priority "high", Period "-1").
    BadValue,
    /// Conditions/Expression is not a well-formed expression (unbalanced parenthesis, dangling operator).
    ExpressionSyntax,
    /// The expression names a condition that the policy does not define.
    UnknownCondition,
    /// A condition's Operator is neither built in nor registered as an extension.
    UnknownOperator,
    /// An action's Command is neither a DM command nor a registered extension action kind.
    UnknownCommand,
    /// An action target uses the binding placeholder but the policy has no Bindings.
    UnboundPlaceholder,
    /// The combination of nodes is inconsistent (no action, Atomic with an extension action, ...).
    Inconsistent,
    /// No policy is installed at the given URI.
    UnknownPolicy,
    /// A policy is already installed at the given URI.
    AlreadyInstalled,
    /// The alert store could not persist or erase an entry.
    StoreFailure,
    /// An acknowledgement named an alert that is not in the outbox.
    UnknownAlert,
};

[[nodiscard]] const std::error_category& policy_category() noexcept;
[[nodiscard]] std::error_code make_error_code(Errc e) noexcept;

/// The DM status a device returns when a policy is rejected for this reason: 406 for a feature the
/// device does not implement (unknown operator or command), 404 for a missing policy, 418 for a
/// duplicate, 400 for every other malformed policy.
[[nodiscard]] base::StatusCode status_for(Errc e) noexcept;

} // namespace omadm::policy

template <> struct std::is_error_code_enum<omadm::policy::Errc> : std::true_type {};

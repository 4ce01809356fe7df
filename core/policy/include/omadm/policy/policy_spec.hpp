#pragma once
// The management policy as a value (MgmtPolicyMO-MP-05, HLF-9): compound condition, compound
// action, priority, trigger, bindings, notification and extension nodes.

#include "omadm/base/clock.hpp"
#include "omadm/policy/node_value.hpp"
#include "omadm/policy/policy_host.hpp"
#include "omadm/policy/simple_condition.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace omadm::policy {

/// Policy State node values, in the FUMO/SCOMO steps of ten.
enum class PolicyState : std::int32_t { Inactive = 10, Active = 20 };

/// When a policy is evaluated: on changes of the nodes its conditions watch (edge-triggered), every
/// Period (level: it fires at each tick where the condition holds), or both.
enum class TriggerMode { OnChange, Periodic, Both };
[[nodiscard]] std::optional<TriggerMode> parse_trigger_mode(std::string_view text) noexcept;
[[nodiscard]] std::string_view trigger_mode_name(TriggerMode m) noexcept;

struct Trigger {
    TriggerMode mode = TriggerMode::OnChange;
    std::chrono::seconds period{0};             ///< > 0 when mode is Periodic or Both
    std::optional<base::TimePoint> valid_from;  ///< inclusive
    std::optional<base::TimePoint> valid_until; ///< exclusive
    bool operator==(const Trigger&) const = default;

    [[nodiscard]] bool on_change() const noexcept { return mode != TriggerMode::Periodic; }
    [[nodiscard]] bool periodic() const noexcept { return mode != TriggerMode::OnChange; }
    [[nodiscard]] bool in_window(base::TimePoint t) const noexcept {
        return (!valid_from || t >= *valid_from) && (!valid_until || t < *valid_until);
    }
};

/// A compound action runs its simple actions by Order: Sequence stops at the first failure,
/// Atomic runs them as one DM Atomic (MgmtPolicyMO-MP-04).
enum class ActionMode { Sequence, Atomic };
[[nodiscard]] std::optional<ActionMode> parse_action_mode(std::string_view text) noexcept;
[[nodiscard]] std::string_view action_mode_name(ActionMode m) noexcept;

/// A simple action (MgmtPolicyMO-MP-02): one local DM command, or a registered extension kind.
struct SimpleAction {
    std::string name; ///< node name under Actions/Simple
    std::uint32_t order = 0;
    std::optional<CommandKind> command; ///< nullopt: extension_kind names a registered kind
    std::string extension_kind;
    std::string target;
    std::string source; ///< Copy only
    std::string data;
    tree::Format format = tree::Format::Chr;
    std::string type;
    bool operator==(const SimpleAction&) const = default;

    [[nodiscard]] std::string command_text() const;
};

/// One node of the policy's Ext subtree, by its path relative to Ext.
struct ExtNode {
    std::string path;
    NodeValue value;
    bool operator==(const ExtNode&) const = default;
};

struct PolicySpec {
    std::string id;
    std::string name;
    std::string version;
    std::int32_t priority = 0;
    std::vector<SimpleCondition> conditions;
    std::string expression;
    std::vector<SimpleAction> actions;
    ActionMode mode = ActionMode::Sequence;
    std::vector<std::string> bindings; ///< URIs of the bound MO instances (MgmtPolicyMO-HLF-6)
    Trigger trigger;
    bool notify = true;
    std::vector<ExtNode> ext;
    bool operator==(const PolicySpec&) const = default;
};

} // namespace omadm::policy

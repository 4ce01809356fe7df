#pragma once
// A simple condition (MgmtPolicyMO-MP-01): one operator applied to one node of the device tree.

#include "omadm/policy/deviations.hpp"
#include "omadm/policy/extension_registry.hpp"
#include "omadm/policy/node_value.hpp"
#include "omadm/policy/value_compare.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace omadm::policy {

enum class Operator {
    Eq,       ///< typed equality
    Ne,       ///< typed inequality (false when the node is absent)
    Lt,       ///< typed order
    Le,       ///< typed order
    Gt,       ///< typed order
    Ge,       ///< typed order
    Exists,   ///< the node exists
    Absent,   ///< the node does not exist
    Contains, ///< the value contains Value as a substring
    Matches,  ///< the value matches the glob Value
    Changed,  ///< the value (or existence) differs from the previous evaluation
    Extension ///< a registered implementation-specific operator
};

/// Built-in operator names are lower case as in the MO ("eq", "matches"); nullopt otherwise.
[[nodiscard]] std::optional<Operator> parse_operator(std::string_view text) noexcept;
[[nodiscard]] std::string_view operator_name(Operator op) noexcept;

struct SimpleCondition {
    std::string name; ///< node name under Conditions/Simple, referenced by the expression
    std::string uri;  ///< the node observed, as the policy's URI leaf holds it (parsed when read)
    Operator op = Operator::Exists;
    std::string extension_operator; ///< the registered name when op is Extension
    std::string value;              ///< the literal compared with
    CompareMode compare = CompareMode::Text;
    bool operator==(const SimpleCondition&) const = default;

    /// The operator's text as written in the MO.
    [[nodiscard]] std::string operator_text() const;
};

/// Evaluates a condition on the node's current value; `previous` is the value seen at the previous
/// evaluation (only `changed` uses it). An extension operator missing from `extensions` is false.
/// `deviations` (boundary_off_by_one, lexical_int_compare) make the order operators deliberately wrong.
[[nodiscard]] bool evaluate(const SimpleCondition& condition, const std::optional<NodeValue>& current,
                            const std::optional<NodeValue>& previous, const ExtensionRegistry& extensions,
                            const Deviations& deviations = {});

} // namespace omadm::policy

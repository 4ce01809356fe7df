#include "omadm/policy/extension_registry.hpp"

#include "omadm/policy/simple_condition.hpp"

#include <utility>

namespace omadm::policy {

bool ExtensionRegistry::add_operator(std::string name, ConditionOperatorFn fn) {
    if (name.empty() || !fn || parse_operator(name)) return false;
    return operators_.emplace(std::move(name), std::move(fn)).second;
}

bool ExtensionRegistry::add_action_kind(std::string name, ActionKindFn fn) {
    if (name.empty() || !fn || parse_command(name)) return false;
    return action_kinds_.emplace(std::move(name), std::move(fn)).second;
}

const ConditionOperatorFn* ExtensionRegistry::find_operator(std::string_view name) const {
    const auto it = operators_.find(name);
    return it == operators_.end() ? nullptr : &it->second;
}

const ActionKindFn* ExtensionRegistry::find_action_kind(std::string_view name) const {
    const auto it = action_kinds_.find(name);
    return it == action_kinds_.end() ? nullptr : &it->second;
}

} // namespace omadm::policy

#include "omadm/policy/policy_layout.hpp"

#include "omadm/policy/policy_spec.hpp"

#include <algorithm>

namespace omadm::policy {

namespace {

constexpr LayoutField kLayoutFields[] = {
    {"policy_id", &PolicyLayout::policy_id},
    {"name", &PolicyLayout::name},
    {"version", &PolicyLayout::version},
    {"priority", &PolicyLayout::priority},
    {"state", &PolicyLayout::state},
    {"owner", &PolicyLayout::owner},
    {"holds", &PolicyLayout::holds},
    {"conditions", &PolicyLayout::conditions},
    {"simple_conditions", &PolicyLayout::simple_conditions},
    {"expression", &PolicyLayout::expression},
    {"condition_uri", &PolicyLayout::condition_uri},
    {"condition_operator", &PolicyLayout::condition_operator},
    {"condition_value", &PolicyLayout::condition_value},
    {"condition_compare", &PolicyLayout::condition_compare},
    {"actions", &PolicyLayout::actions},
    {"simple_actions", &PolicyLayout::simple_actions},
    {"action_mode", &PolicyLayout::action_mode},
    {"action_order", &PolicyLayout::action_order},
    {"action_command", &PolicyLayout::action_command},
    {"action_target", &PolicyLayout::action_target},
    {"action_source", &PolicyLayout::action_source},
    {"action_data", &PolicyLayout::action_data},
    {"action_format", &PolicyLayout::action_format},
    {"action_type", &PolicyLayout::action_type},
    {"bindings", &PolicyLayout::bindings},
    {"binding_uri", &PolicyLayout::binding_uri},
    {"trigger", &PolicyLayout::trigger},
    {"trigger_mode", &PolicyLayout::trigger_mode},
    {"trigger_period", &PolicyLayout::trigger_period},
    {"valid_from", &PolicyLayout::valid_from},
    {"valid_until", &PolicyLayout::valid_until},
    {"operations", &PolicyLayout::operations},
    {"activate", &PolicyLayout::activate},
    {"deactivate", &PolicyLayout::deactivate},
    {"results", &PolicyLayout::results},
    {"last_status", &PolicyLayout::last_status},
    {"last_run", &PolicyLayout::last_run},
    {"run_count", &PolicyLayout::run_count},
    {"log", &PolicyLayout::log},
    {"log_time", &PolicyLayout::log_time},
    {"log_status", &PolicyLayout::log_status},
    {"log_detail", &PolicyLayout::log_detail},
    {"notify", &PolicyLayout::notify},
    {"notify_enabled", &PolicyLayout::notify_enabled},
    {"ext", &PolicyLayout::ext},
};

constexpr SystemPropertyField kSystemPropertyFields[] = {
    {"datetime", &SystemPropertiesLayout::date_time},
    {"location", &SystemPropertiesLayout::location},
    {"device_type", &SystemPropertiesLayout::device_type},
    {"network_type", &SystemPropertiesLayout::network_type},
    {"battery", &SystemPropertiesLayout::battery},
};

bool is_state(std::string_view v) noexcept {
    return v == "10" || v == "20";
}
bool is_operator(std::string_view v) noexcept {
    return parse_operator(v).has_value();
}
bool is_action_mode(std::string_view v) noexcept {
    return parse_action_mode(v).has_value();
}
bool is_trigger_mode(std::string_view v) noexcept {
    return parse_trigger_mode(v).has_value();
}

constexpr ValueEncodingField kValueEncodingFields[] = {
    {"state", &ValueEncodings::state, &is_state},
    {"condition_operator", &ValueEncodings::condition_operator, &is_operator},
    {"action_mode", &ValueEncodings::action_mode, &is_action_mode},
    {"trigger_mode", &ValueEncodings::trigger_mode, &is_trigger_mode},
};

} // namespace

std::string ValueEncoding::encode(std::string_view reference) const {
    const auto it =
        std::find_if(pairs.begin(), pairs.end(), [&](const auto& p) { return p.first == reference; });
    return std::string(it != pairs.end() ? std::string_view(it->second) : reference);
}

std::string ValueEncoding::decode(std::string_view device) const {
    const auto it =
        std::find_if(pairs.begin(), pairs.end(), [&](const auto& p) { return p.second == device; });
    return std::string(it != pairs.end() ? std::string_view(it->first) : device);
}

std::span<const ValueEncodingField> value_encoding_fields() noexcept {
    return kValueEncodingFields;
}

std::span<const LayoutField> layout_fields() noexcept {
    return kLayoutFields;
}

std::vector<std::string_view> PolicyLayout::node_names() const {
    std::vector<std::string_view> out;
    for (const auto& field : kLayoutFields)
        out.emplace_back(this->*field.member);
    return out;
}

tree::NodeUri PolicyLayout::operation_uri(const tree::NodeUri& policy_uri, bool activating) const {
    const auto& exec_node = activating ? activate : deactivate;
    return operations.empty() ? policy_uri / exec_node : policy_uri / operations / exec_node;
}

std::vector<std::string_view> SystemPropertiesLayout::node_names() const {
    std::vector<std::string_view> out;
    for (const auto& field : kSystemPropertyFields)
        out.emplace_back(this->*field.member);
    return out;
}

std::span<const SystemPropertyField> system_property_fields() noexcept {
    return kSystemPropertyFields;
}

} // namespace omadm::policy

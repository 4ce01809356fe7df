#include "omadm/policy/policy_layout.hpp"

namespace omadm::policy {

std::vector<std::string_view> PolicyLayout::node_names() const {
    return {policy_id,
            name,
            version,
            priority,
            state,
            owner,
            holds,
            conditions,
            simple_conditions,
            expression,
            condition_uri,
            condition_operator,
            condition_value,
            condition_compare,
            actions,
            simple_actions,
            action_mode,
            action_order,
            action_command,
            action_target,
            action_source,
            action_data,
            action_format,
            action_type,
            bindings,
            binding_uri,
            trigger,
            trigger_mode,
            trigger_period,
            valid_from,
            valid_until,
            operations,
            activate,
            deactivate,
            results,
            last_status,
            last_run,
            run_count,
            log,
            log_time,
            log_status,
            log_detail,
            notify,
            notify_enabled,
            ext};
}

std::vector<std::string_view> SystemPropertiesLayout::node_names() const {
    return {date_time, location, device_type, network_type, battery};
}

std::string join_uri(std::string_view base, std::string_view name) {
    std::string out;
    out.reserve(base.size() + 1 + name.size());
    out.append(base);
    out.push_back('/');
    out.append(name);
    return out;
}

} // namespace omadm::policy

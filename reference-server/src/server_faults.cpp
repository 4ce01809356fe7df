#include "server_faults.hpp"

#include "omadm/shell/log.hpp"
#include "omadm/shell/shell_errc.hpp"

#include <array>

namespace omadm::server {

namespace {

constexpr std::array kFaults{
    FaultName{"wrong_operator", &ServerFaults::wrong_operator},
    FaultName{"wrong_action_target", &ServerFaults::wrong_action_target},
    FaultName{"download_without_atomic", &ServerFaults::download_without_atomic},
    FaultName{"exec_wrong_node", &ServerFaults::exec_wrong_node},
    FaultName{"drop_correlator", &ServerFaults::drop_correlator},
    FaultName{"never_ack_alert", &ServerFaults::never_ack_alert},
    FaultName{"wrong_alert_ack", &ServerFaults::wrong_alert_ack},
    FaultName{"no_cred", &ServerFaults::no_cred},
    FaultName{"update_only_version", &ServerFaults::update_only_version},
    FaultName{"query_wrong_node", &ServerFaults::query_wrong_node},
    FaultName{"ignore_auth_type", &ServerFaults::ignore_auth_type},
    FaultName{"reuse_cmd_ids", &ServerFaults::reuse_cmd_ids},
    FaultName{"wrong_ver_proto", &ServerFaults::wrong_ver_proto},
    FaultName{"wbxml_version_mismatch", &ServerFaults::wbxml_version_mismatch},
    FaultName{"bad_server_hmac", &ServerFaults::bad_server_hmac},
    FaultName{"basic_challenge", &ServerFaults::basic_challenge},
    FaultName{"bad_pkg0_digest", &ServerFaults::bad_pkg0_digest},
    FaultName{"replay_server_cred", &ServerFaults::replay_server_cred},
};

const FaultName* find_fault(std::string_view name) noexcept {
    for (const auto& f : kFaults) {
        if (f.name == name) return &f;
    }
    return nullptr;
}

} // namespace

std::span<const FaultName> server_fault_names() noexcept {
    return kFaults;
}

boost::json::object faults_json(const ServerFaults& faults) {
    boost::json::object out;
    for (const auto& f : kFaults)
        out[f.name] = faults.*f.member;
    return out;
}

base::Result<ServerFaults> apply_faults(ServerFaults current, const boost::json::object& body) {
    for (const auto& [key, value] : body) {
        const auto* fault = find_fault(key);
        if (fault == nullptr) {
            return base::make_error(shell::ShellErrc::bad_json, "unknown fault '" + std::string(key) + "'");
        }
        if (!value.is_bool()) {
            return base::make_error(shell::ShellErrc::bad_json, std::string(key) + ": must be true or false");
        }
        current.*fault->member = value.as_bool();
    }
    return current;
}

base::Result<ServerFaults> parse_fault_list(std::string_view list) {
    ServerFaults faults;
    while (!list.empty()) {
        const auto comma = list.find(',');
        const auto name = list.substr(0, comma);
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        if (name.empty()) continue;
        const auto* fault = find_fault(name);
        if (fault == nullptr) {
            return base::make_error(shell::ShellErrc::bad_option,
                                    "--faults: unknown fault '" + std::string(name) + "'");
        }
        faults.*fault->member = true;
    }
    return faults;
}

void report_fault(shell::EventBus& events, std::string_view session, std::string_view fault,
                  std::string_view target) {
    log::warn("fault " + std::string(fault) + " applied to " + std::string(target));
    events.publish("fault_applied", std::string(session), {{"fault", fault}, {"target", target}});
}

} // namespace omadm::server

#include "faults.hpp"

#include <array>

namespace omadm::client {
namespace {

const std::array kFaultFields{
    FaultField{"ignore_deactivate", [](Faults& f) -> bool& { return f.ignore_deactivate; }},
    FaultField{"never_alert", [](Faults& f) -> bool& { return f.never_alert; }},
    FaultField{"wrong_result_code", [](Faults& f) -> bool& { return f.wrong_result_code; }},
    FaultField{"skip_acl", [](Faults& f) -> bool& { return f.skip_acl; }},
    FaultField{"ignore_activate", [](Faults& f) -> bool& { return f.ignore_activate; }},
    FaultField{"accept_unauthenticated_server",
               [](Faults& f) -> bool& { return f.accept_unauthenticated_server; }},
    FaultField{"drop_undelivered_alert", [](Faults& f) -> bool& { return f.drop_undelivered_alert; }},
    FaultField{"answer_weaker_challenge", [](Faults& f) -> bool& { return f.answer_weaker_challenge; }},
    FaultField{"accept_bad_pkg0_digest", [](Faults& f) -> bool& { return f.accept_bad_pkg0_digest; }},
    FaultField{"static_server_nonce", [](Faults& f) -> bool& { return f.static_server_nonce; }},
    FaultField{"status_out_of_range", [](Faults& f) -> bool& { return f.status_out_of_range; }},
    FaultField{"repeat_cmd_id", [](Faults& f) -> bool& { return f.repeat_cmd_id; }},
    FaultField{"forget_policies_on_stop", [](Faults& f) -> bool& { return f.forget_policies_on_stop; }},
    FaultField{"speaks_dm12", [](Faults& f) -> bool& { return f.speaks_dm12; }},
    FaultField{"no_mgmt_policy_mo", [](Faults& f) -> bool& { return f.no_mgmt_policy_mo; }},
    FaultField{"ignore_policy_owner", [](Faults& f) -> bool& { return f.ignore_policy_owner; }},
    FaultField{"alerts_to_first_server", [](Faults& f) -> bool& { return f.alerts_to_first_server; }},
    FaultField{"ignore_expression", [](Faults& f) -> bool& { return f.policy.ignore_expression; }},
    FaultField{"not_as_identity", [](Faults& f) -> bool& { return f.policy.not_as_identity; }},
    FaultField{"boundary_off_by_one", [](Faults& f) -> bool& { return f.policy.boundary_off_by_one; }},
    FaultField{"lexical_int_compare", [](Faults& f) -> bool& { return f.policy.lexical_int_compare; }},
    FaultField{"keep_removed_armed", [](Faults& f) -> bool& { return f.policy.keep_removed_armed; }},
    FaultField{"keep_old_conditions", [](Faults& f) -> bool& { return f.policy.keep_old_conditions; }},
    FaultField{"reverse_action_order", [](Faults& f) -> bool& { return f.policy.reverse_action_order; }},
    FaultField{"atomic_without_rollback",
               [](Faults& f) -> bool& { return f.policy.atomic_without_rollback; }},
    FaultField{"success_on_failure", [](Faults& f) -> bool& { return f.policy.success_on_failure; }},
    FaultField{"drop_correlator", [](Faults& f) -> bool& { return f.policy.drop_correlator; }},
    FaultField{"accept_invalid_policy", [](Faults& f) -> bool& { return f.policy.accept_invalid_policy; }},
    FaultField{"stale_results", [](Faults& f) -> bool& { return f.policy.stale_results; }},
    FaultField{"wrong_alert_source", [](Faults& f) -> bool& { return f.policy.wrong_alert_source; }},
};

} // namespace

std::span<const FaultField> fault_fields() noexcept {
    return kFaultFields;
}

boost::json::object faults_json(const Faults& faults) {
    Faults copy = faults;
    boost::json::object out;
    for (const auto& f : kFaultFields)
        out[f.name] = f.field(copy);
    return out;
}

agent::Deviations agent_deviations(const Faults& faults) {
    agent::Deviations d;
    d.ignore_deactivate = faults.ignore_deactivate;
    d.skip_action_acl = faults.skip_acl;
    d.ignore_activate = faults.ignore_activate;
    d.ignore_policy_owner = faults.ignore_policy_owner;
    d.policy = faults.policy;
    return d;
}

} // namespace omadm::client

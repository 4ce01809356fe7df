// Turning the agent's outputs into events and requirement labels.
#include "device.hpp"
#include "omadm/base/overloaded.hpp"
#include "omadm/base/requirements.hpp"

namespace omadm::client {

using base::StatusCode;

namespace {

using base::Overloaded;

std::string_view cause_name(policy::FireCause c) {
    switch (c) {
    case policy::FireCause::Change:
        return "change";
    case policy::FireCause::Periodic:
        return "periodic";
    case policy::FireCause::WindowOpened:
        return "window_opened";
    case policy::FireCause::Activation:
        return "activation";
    }
    return "unknown";
}

std::string_view state_name(policy::PolicyState s) {
    return s == policy::PolicyState::Active ? "active" : "inactive";
}

} // namespace

void Device::publish() {
    for (const auto& event : agent_.take_events()) {
        std::visit(
            Overloaded{
                [&](const policy::PolicyEvent& e) { report(e); },
                [&](const agent::PoliciesRestored& e) {
                    sink_("policies_restored", {{"count", e.count}, {"skipped", e.skipped}});
                },
                [&](const agent::InvalidPolicyRemoved& e) {
                    sink_("policy_removed_invalid",
                          {{"policy", e.policy.str()}, {"code", base::to_int(e.code)}, {"reason", e.reason}});
                },
                [&](const agent::CommandExecuted& e) {
                    boost::json::object f{{"cmd", e.cmd}, {"code", base::to_int(e.code)}};
                    if (e.server) f["server_id"] = e.server->value();
                    sink_("command_executed", std::move(f));
                    if (e.code == StatusCode::PermissionDenied) {
                        exercised(req::MgmtPolicyMO_ATHOR_1.id, "a command was refused with 425");
                    }
                },
                [&](const agent::OwnershipRefused& e) { exercised(req::MgmtPolicyMO_ATHOR_1.id, e.detail); },
                [&](const agent::DeviationApplied& e) {
                    sink_("fault_applied", {{"fault", e.deviation}, {"target", e.target}});
                },
                [&](const agent::DeferredExecDone& e) {
                    sink_("policy_operation_done", {{"target", e.target}, {"code", base::to_int(e.code)}});
                },
            },
            event);
    }
}

void Device::report_fired(const policy::PolicyFired& fired) {
    const std::string uri = fired.policy.str();
    sink_("policy_fired", {{"policy", uri}, {"cause", cause_name(fired.cause)}, {"depth", fired.depth}});
    if (fired.cause != policy::FireCause::Activation) {
        exercised(req::MgmtPolicyMO_Device_03.id, "monitoring trigger fired " + uri);
    }
    const auto* p = agent_.engine().find(fired.policy);
    if (p == nullptr) return;
    const auto& spec = p->spec;
    const bool compound_condition = spec.conditions.size() > 1 || !spec.expression.empty();
    exercised(compound_condition ? req::MgmtPolicyMO_MP_03.id : req::MgmtPolicyMO_MP_01.id,
              "condition evaluated for " + uri);
    for (const auto& c : spec.conditions) {
        if (c.uri.starts_with(props_.root)) {
            exercised(req::MgmtPolicyMO_IOP_01.id, "system property " + c.uri + " read by " + uri);
            break;
        }
    }
    if (!spec.bindings.empty()) exercised(req::MgmtPolicyMO_HLF_6.id, "bindings processed by " + uri);
    const bool extension =
        !spec.ext.empty() || std::any_of(spec.actions.begin(), spec.actions.end(),
                                         [](const auto& a) { return !a.command.has_value(); });
    if (extension) exercised(req::MgmtPolicyMO_OSR_02.id, "extension used by " + uri);
}

void Device::report(const policy::PolicyEvent& event) {
    std::visit(
        Overloaded{
            [&](const policy::PolicyFired& e) { report_fired(e); },
            [&](const policy::ActionsCompleted& e) {
                const std::string uri = e.policy.str();
                boost::json::array actions;
                for (const auto& a : e.actions) {
                    actions.push_back(
                        {{"action", a.action}, {"status", base::to_int(a.status)}, {"detail", a.detail}});
                }
                sink_("policy_executed",
                      {{"policy", uri}, {"result", policy::to_int(e.result)}, {"actions", actions}});
                exercised(req::MgmtPolicyMO_HLF_8.id, "policy executed " + uri);
                exercised(req::MgmtPolicyMO_HLF_5.id, "results written for " + uri);
                exercised(req::MgmtPolicyMO_Device_02.id, "local commands run for " + uri);
                const auto* p = agent_.engine().find(e.policy);
                const bool compound = p != nullptr && (p->spec.actions.size() > 1 ||
                                                       p->spec.mode == policy::ActionMode::Atomic);
                exercised(compound ? req::MgmtPolicyMO_MP_04.id : req::MgmtPolicyMO_MP_02.id,
                          "action run for " + uri);
                if (p != nullptr && compound) exercised(req::MgmtPolicyMO_MP_05.id, "compound policy " + uri);
            },
            [&](const policy::LoopDetected& e) {
                boost::json::array chain;
                for (const auto& c : e.chain)
                    chain.push_back(boost::json::value(c.str()));
                sink_("policy_loop_detected",
                      {{"policy", e.policy.str()}, {"depth", e.depth}, {"chain", chain}});
            },
            [&](const policy::PolicyRejected& e) {
                sink_("policy_rejected", {{"policy", e.policy.str()}, {"reason", e.reason}});
            },
            [&](const policy::StateChanged& e) {
                const std::string uri = e.policy.str();
                sink_("policy_state_changed",
                      {{"policy", uri}, {"from", state_name(e.from)}, {"to", state_name(e.to)}});
                exercised(req::MgmtPolicyMO_HLF_3.id,
                          std::string(e.to == policy::PolicyState::Active ? "activated " : "deactivated ") +
                              uri);
            },
            [&](const policy::PolicyInstalled& e) {
                const std::string uri = e.policy.str();
                const bool update = ever_installed_.contains(e.policy);
                sink_("policy_installed", {{"policy", uri}, {"version", e.version}, {"update", update}});
                exercised(update ? req::MgmtPolicyMO_HLF_2.id : req::MgmtPolicyMO_HLF_1.id,
                          (update ? "updated " : "downloaded ") + uri);
                exercised(req::MgmtPolicyMO_HLF_9.id, "policy defined " + uri);
                ever_installed_.insert(e.policy);
            },
            [&](const policy::PolicyRemoved& e) {
                const std::string uri = e.policy.str();
                sink_("policy_removed", {{"policy", uri}});
                exercised(req::MgmtPolicyMO_HLF_4.id, "removed " + uri);
                ever_installed_.erase(e.policy);
            },
            [&](const policy::AlertQueued& e) {
                sink_("alert_queued", {{"policy", e.policy.str()}, {"alert", e.id.value()}});
                if (alert_queued_ && !faults_.never_alert) alert_queued_();
            },
            [&](const policy::DeviceFault& e) {
                sink_("device_fault", {{"policy", e.policy.str()}, {"detail", e.detail}});
            },
            [&](const policy::DeviationApplied& e) {
                sink_("fault_applied", {{"fault", e.deviation}, {"target", e.target}});
            },
        },
        event);
}

} // namespace omadm::client

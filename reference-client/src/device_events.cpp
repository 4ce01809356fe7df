// Turning the policy engine's outputs into events and requirement labels.
#include "device.hpp"

namespace omadm::client {

namespace {

template <class... Ts> struct Overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;

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

void Device::handle(const policy::Step& step) {
    for (const auto& e : step.events)
        report(e);
}

void Device::report_fired(const policy::PolicyFired& fired) {
    sink_("policy_fired",
          {{"policy", fired.policy}, {"cause", cause_name(fired.cause)}, {"depth", fired.depth}});
    if (fired.cause != policy::FireCause::Activation) {
        exercised("MgmtPolicyMO-Device-03", "monitoring trigger fired " + fired.policy);
    }
    const auto* p = engine_.find(fired.policy);
    if (p == nullptr) return;
    const auto& spec = p->spec;
    const bool compound_condition = spec.conditions.size() > 1 || !spec.expression.empty();
    exercised(compound_condition ? "MgmtPolicyMO-MP-03" : "MgmtPolicyMO-MP-01",
              "condition evaluated for " + fired.policy);
    for (const auto& c : spec.conditions) {
        if (c.uri.starts_with(props_.root)) {
            exercised("MgmtPolicyMO-IOP-01", "system property " + c.uri + " read by " + fired.policy);
            break;
        }
    }
    if (!spec.bindings.empty()) exercised("MgmtPolicyMO-HLF-6", "bindings processed by " + fired.policy);
    const bool extension =
        !spec.ext.empty() || std::any_of(spec.actions.begin(), spec.actions.end(),
                                         [](const auto& a) { return !a.command.has_value(); });
    if (extension) exercised("MgmtPolicyMO-OSR-02", "extension used by " + fired.policy);
}

void Device::report(const policy::PolicyEvent& event) {
    std::visit(
        Overloaded{
            [&](const policy::PolicyFired& e) { report_fired(e); },
            [&](const policy::ActionsCompleted& e) {
                boost::json::array actions;
                for (const auto& a : e.actions) {
                    actions.push_back(
                        {{"action", a.action}, {"status", base::to_int(a.status)}, {"detail", a.detail}});
                }
                sink_("policy_executed",
                      {{"policy", e.policy}, {"result", policy::to_int(e.result)}, {"actions", actions}});
                exercised("MgmtPolicyMO-HLF-8", "policy executed " + e.policy);
                exercised("MgmtPolicyMO-HLF-5", "results written for " + e.policy);
                exercised("MgmtPolicyMO-Device-02", "local commands run for " + e.policy);
                const auto* p = engine_.find(e.policy);
                const bool compound = p != nullptr && (p->spec.actions.size() > 1 ||
                                                       p->spec.mode == policy::ActionMode::Atomic);
                exercised(compound ? "MgmtPolicyMO-MP-04" : "MgmtPolicyMO-MP-02",
                          "action run for " + e.policy);
                if (p != nullptr && compound) exercised("MgmtPolicyMO-MP-05", "compound policy " + e.policy);
            },
            [&](const policy::LoopDetected& e) {
                boost::json::array chain;
                for (const auto& c : e.chain)
                    chain.push_back(boost::json::value(c));
                sink_("policy_loop_detected", {{"policy", e.policy}, {"depth", e.depth}, {"chain", chain}});
            },
            [&](const policy::PolicyRejected& e) {
                sink_("policy_rejected", {{"policy", e.policy}, {"reason", e.reason}});
            },
            [&](const policy::StateChanged& e) {
                sink_("policy_state_changed",
                      {{"policy", e.policy}, {"from", state_name(e.from)}, {"to", state_name(e.to)}});
                exercised("MgmtPolicyMO-HLF-3",
                          std::string(e.to == policy::PolicyState::Active ? "activated " : "deactivated ") +
                              e.policy);
            },
            [&](const policy::PolicyInstalled& e) {
                const bool update = ever_installed_.contains(e.policy);
                sink_("policy_installed", {{"policy", e.policy}, {"version", e.version}, {"update", update}});
                exercised(update ? "MgmtPolicyMO-HLF-2" : "MgmtPolicyMO-HLF-1",
                          (update ? "updated " : "downloaded ") + e.policy);
                exercised("MgmtPolicyMO-HLF-9", "policy defined " + e.policy);
                ever_installed_.insert(e.policy);
            },
            [&](const policy::PolicyRemoved& e) {
                sink_("policy_removed", {{"policy", e.policy}});
                exercised("MgmtPolicyMO-HLF-4", "removed " + e.policy);
                ever_installed_.erase(e.policy);
            },
            [&](const policy::AlertQueued& e) {
                sink_("alert_queued", {{"policy", e.policy}, {"alert", e.id.value()}});
                if (alert_queued_ && !faults_.never_alert) alert_queued_();
            },
            [&](const policy::DeviceFault& e) {
                sink_("device_fault", {{"policy", e.policy}, {"detail", e.detail}});
            },
        },
        event);
}

} // namespace omadm::client

#pragma once
// What the engine reports to its shell, as typed values the shell logs as events. A policy is named
// by its node; the shell writes it out as text (tree::NodeUri::str).

#include "omadm/base/clock.hpp"
#include "omadm/base/status_code.hpp"
#include "omadm/policy/action_runner.hpp"
#include "omadm/policy/errc.hpp"
#include "omadm/policy/outbox.hpp"
#include "omadm/policy/policy_spec.hpp"
#include "omadm/policy/result_code.hpp"
#include "omadm/tree/node_uri.hpp"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace omadm::policy {

/// Why a policy was evaluated.
enum class FireCause { Change, Periodic, WindowOpened, Activation };

struct PolicyFired {
    tree::NodeUri policy;
    FireCause cause = FireCause::Change;
    std::uint32_t depth = 0; ///< 0 for an outside change, n for the n-th cascade step
    base::TimePoint at;
};

struct ActionsCompleted {
    tree::NodeUri policy;
    ResultCode result = ResultCode::Successful;
    std::vector<ActionReport> actions;
};

/// A cascade was cut: `policy` fired again within one chain (Repeat) or the depth bound was hit.
struct LoopDetected {
    enum class Reason { Repeat, DepthLimit };
    tree::NodeUri policy;
    Reason reason = Reason::Repeat;
    std::uint32_t depth = 0;
    std::vector<tree::NodeUri> chain; ///< the policies fired in the cascade, in order
};

/// A download or update was refused; for an update the previous version stays in force.
struct PolicyRejected {
    tree::NodeUri policy;
    Errc reason_code = Errc::BadValue;
    std::string reason;
};

struct StateChanged {
    tree::NodeUri policy;
    PolicyState from = PolicyState::Inactive;
    PolicyState to = PolicyState::Inactive;
};

struct PolicyInstalled {
    tree::NodeUri policy;
    std::string version;
};

struct PolicyRemoved {
    tree::NodeUri policy;
};

struct AlertQueued {
    AlertId id;
    tree::NodeUri policy;
};

/// The engine could not write Results or persist an alert: a device fault, reported, not fatal.
struct DeviceFault {
    tree::NodeUri policy;
    std::string detail;
};

/// A deliberate deviation (policy::Deviations, by its member name) changed what the engine did.
struct DeviationApplied {
    std::string deviation;
    std::string target; ///< the policy, condition node or action target concerned
};

using PolicyEvent = std::variant<PolicyFired, ActionsCompleted, LoopDetected, PolicyRejected, StateChanged,
                                 PolicyInstalled, PolicyRemoved, AlertQueued, DeviceFault, DeviationApplied>;

} // namespace omadm::policy

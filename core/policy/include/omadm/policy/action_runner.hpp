#pragma once
// Runs a policy's compound action through the host, as the owning server (MgmtPolicyMO-Device-02,
// MP-04, HLF-6): bindings expanded, Sequence stopping at the first failure, Atomic all or nothing.

#include "omadm/base/status_code.hpp"
#include "omadm/base/strong_id.hpp"
#include "omadm/policy/deviations.hpp"
#include "omadm/policy/extension_registry.hpp"
#include "omadm/policy/policy_host.hpp"
#include "omadm/policy/policy_layout.hpp"
#include "omadm/policy/policy_spec.hpp"
#include "omadm/policy/result_code.hpp"

#include <string>
#include <vector>

namespace omadm::policy {

/// One simple action's outcome. With bindings, one action covers every bound MO: its status is the
/// first failing command's, or 200.
struct ActionReport {
    std::string action; ///< the action's node name
    base::StatusCode status = base::StatusCode::Ok;
    std::string detail; ///< Get values, failure details
};

struct CompoundReport {
    ResultCode result = ResultCode::Successful;
    std::vector<ActionReport> actions;
    /// The nodes the actions modified (they re-enter evaluation): their targets, parsed; a target
    /// that names no node modified none.
    std::vector<tree::NodeUri> changed;
    std::vector<std::string> deviations; ///< the Deviations members that changed this run
    [[nodiscard]] std::string detail() const;
};

/// Expands the binding placeholder of `text` with `binding`.
[[nodiscard]] std::string expand_binding(std::string_view text, std::string_view placeholder,
                                         std::string_view binding);

/// `deviations` (reverse_action_order, atomic_without_rollback) make the run deliberately wrong.
[[nodiscard]] CompoundReport run_actions(const PolicySpec& spec, PolicyHost& host,
                                         const base::ServerId& owner, const PolicyLayout& layout,
                                         const ExtensionRegistry& extensions,
                                         const Deviations& deviations = {});

} // namespace omadm::policy

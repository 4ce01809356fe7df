#pragma once
// Server-side helper: a policy described as a generic value tree (the server's JSON or YAML body)
// mapped onto a PolicySpec, so that the server knows no node of the MO. The description format is
// documented in docs/mgmtpolicy-mo.md ("Policy descriptions").

#include "omadm/base/result.hpp"
#include "omadm/policy/desc_value.hpp"
#include "omadm/policy/policy_layout.hpp"
#include "omadm/policy/policy_spec.hpp"

#include <string>
#include <vector>

namespace omadm::policy {

struct DescriptionOptions {
    /// Checks Target placeholders and runs validate_spec with this layout.
    PolicyLayout layout;
    /// Operator names accepted beside the built-in ones (the device's registered extensions).
    std::vector<std::string> extension_operators;
    /// Command names accepted beside the DM commands (the device's registered action kinds).
    std::vector<std::string> extension_commands;
};

/// Maps a description onto a validated PolicySpec. A failure carries an Errc and a detail that
/// starts with the field path: "actions[1].command: unknown command 'Foo'". A member that is null
/// counts as absent; an unknown member is an error.
[[nodiscard]] base::Result<PolicySpec> spec_from_description(const DescValue& description,
                                                             const DescriptionOptions& options = {});

} // namespace omadm::policy

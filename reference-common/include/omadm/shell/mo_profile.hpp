#pragma once
// An MO profile (docs/mo-profiles.md): where a device keeps its MgmtPolicy MO and what its nodes are
// called, as a JSON file beside the DDF it describes. Both reference binaries take one with
// --mo-profile; the harness reads the same file to resolve the logical node paths of the cases.

#include "omadm/base/result.hpp"
#include "omadm/policy/policy_layout.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace omadm::shell {

struct MoProfile {
    std::string name;
    policy::PolicyLayout layout;
    /// The DDF of the MO, resolved against the profile's directory.
    std::filesystem::path ddf;
};

/// Parses a profile; `file` names it in errors and anchors its relative `ddf` path. Every key of
/// policy::layout_fields() must be mapped, to a node name (no '/'), `operations` also to "" (the
/// Exec targets directly under the policy); unknown keys are errors.
[[nodiscard]] base::Result<MoProfile> parse_mo_profile(std::string_view json_text,
                                                       const std::filesystem::path& file);

/// Reads and parses the file, then checks it against its DDF: the DDF mounts one node at the
/// profile's root, typed with its MO identifier, and every mapped node name occurs under it.
/// Errors are ShellErrc::bad_config naming the file and the field.
[[nodiscard]] base::Result<MoProfile> load_mo_profile(const std::filesystem::path& file);

} // namespace omadm::shell

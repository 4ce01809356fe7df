#pragma once
// An MO profile (docs/mo-profiles.md): where a device keeps its MgmtPolicy MO and what its nodes are
// called, as a JSON file beside the DDF it describes. Both reference binaries take one with
// --mo-profile; the harness reads the same file to resolve the logical node paths of the cases.

#include "omadm/base/result.hpp"
#include "omadm/policy/policy_layout.hpp"
#include "omadm/tree/ddf.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace omadm::shell {

struct MoProfile {
    std::string name;
    policy::PolicyLayout layout;
    /// Where the device keeps its system properties (`system_properties`; default: the reference
    /// MO's ./DevDetail/Ext/SysProps).
    policy::SystemPropertiesLayout props;
    /// The DDF of the MO, resolved against the profile's directory.
    std::filesystem::path ddf;
    /// That DDF parsed, by load_mo_profile (empty after parse_mo_profile alone).
    tree::DdfSchema schema;
};

/// Reads and parses a DDF file; errors are ShellErrc::bad_config naming the file.
[[nodiscard]] base::Result<tree::DdfSchema> load_ddf_file(const std::filesystem::path& file);

/// Parses a profile; `file` names it in errors and anchors its relative `ddf` path. Every key of
/// policy::layout_fields() must be mapped, to a node name (no '/'), `operations` also to "" (the
/// Exec targets directly under the policy); unknown keys are errors. `system_properties`, when
/// present, gives their root and a node name for each of policy::system_property_fields();
/// `values`, the device's spelling of reference values of the leaves of
/// policy::value_encoding_fields(), one spelling per value.
[[nodiscard]] base::Result<MoProfile> parse_mo_profile(std::string_view json_text,
                                                       const std::filesystem::path& file);

/// Reads and parses the file, then checks it against its DDF: the DDF declares the MO's root node,
/// typed with the MO identifier (the profile's root places it, wherever the DDF's <Path> says), and
/// every mapped node name occurs under it; it
/// mounts a node at the system properties' root (when the profile places them) with every property
/// as a child.
/// Errors are ShellErrc::bad_config naming the file and the field.
[[nodiscard]] base::Result<MoProfile> load_mo_profile(const std::filesystem::path& file);

} // namespace omadm::shell

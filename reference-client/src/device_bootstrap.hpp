#pragma once
// Building the device tree from the configuration: DDF schemas, DevInfo, DevDetail, the DMAcc
// account (OMA-TS-DM_StdObj-V1_2_1 §5.3.1) with the server's ACL rights (OMA-TS-DM_Bootstrap-V1_2_1
// §5.3), the MgmtPolicy root and the system properties. Values the configuration owns are
// re-applied at every start; nonces persist.

#include "client_config.hpp"
#include "omadm/policy/policy_layout.hpp"
#include "omadm/tree/tree.hpp"

#include <filesystem>
#include <vector>

namespace omadm::client {

/// Every *.ddf file of the directory (sorted by name), parsed; the error names the file.
[[nodiscard]] base::Result<std::vector<tree::DdfSchema>> load_ddf_dir(const std::filesystem::path& dir);

/// Where the account lives in the tree: ./DMAcc/<x>.
[[nodiscard]] std::string account_uri(const AccountConfig& account);
[[nodiscard]] std::string client_nonce_uri(const AccountConfig& account);
[[nodiscard]] std::string server_nonce_uri(const AccountConfig& account);

/// Writes the configured nodes (in one transaction). The error names the node that was refused.
[[nodiscard]] base::Result<void> bootstrap_tree(tree::Tree& tree, const ClientFileConfig& config,
                                                const policy::PolicyLayout& layout,
                                                const policy::SystemPropertiesLayout& props,
                                                base::TimePoint now);

/// Converts the configuration's URI limits.
[[nodiscard]] tree::UriLimits uri_limits_of(const DevDetailConfig& detail);

} // namespace omadm::client

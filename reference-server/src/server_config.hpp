#pragma once
// Server settings from --config (JSON, optional): {"server_id": "...", "pkg0_version": 11,
// "dm_max_body_bytes": 1048576, "session_timeout_ms": 60000, "require_account": false}. Unknown fields
// are rejected so that typos do not go unnoticed.

#include "omadm/base/result.hpp"
#include "omadm/policy/policy_layout.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace omadm::server {

struct ServerConfig {
    std::string server_id = "omadm-ref-server";  // ServerID in Package 0 and the SyncHdr Source
    std::uint16_t pkg0_version = 11;             // Package 0 version (OMA-TS-DM_Notification-V1_2_1 §6)
    std::size_t dm_max_body_bytes = 1024 * 1024; // DM requests over this get 413
    /// A session with no client message for this long ends (reason timeout).
    std::chrono::milliseconds session_timeout{60'000};
    /// A device without a DM account is refused before anything is recorded for it (HTTP 403), instead
    /// of being served without authentication.
    bool require_account = false;
    /// The MgmtPolicy MO's layout on devices: from --mo-profile (omadm/shell/mo_profile.hpp), else
    /// the reference MO's.
    policy::PolicyLayout layout;
};

/// Error bad_config with the file and field named.
[[nodiscard]] base::Result<ServerConfig> load_server_config(const std::filesystem::path& path);
[[nodiscard]] base::Result<ServerConfig> parse_server_config(std::string_view json_text,
                                                             std::string_view origin);

} // namespace omadm::server

#pragma once
// The device's JSON configuration (--config): DevInfo, DevDetail, its DMAcc accounts, where the DDFs
// live and the initial system properties. A bad file is an Error whose detail names the file and
// the field; main exits 2 with it.

#include "omadm/base/result.hpp"
#include "omadm/policy/policy_layout.hpp"
#include "omadm/session/types.hpp"
#include "omadm/syncml/message.hpp"
#include "omadm/tree/ddf.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omadm::client {

struct DevInfoConfig {
    std::string dev_id;
    std::string man = "omadm-harness";
    std::string mod = "omadm-ref-client";
    std::string dmv = "1.2"; ///< when the file gives none: "1.2" or "1.3" per the account's ver_proto
    std::string lang = "en-US";
};

struct UriLimitsConfig {
    std::uint32_t max_depth = 0;
    std::uint32_t max_tot_len = 0;
    std::uint32_t max_seg_len = 0;
};

struct DevDetailConfig {
    std::string dev_typ = "phone";
    std::string oem = "omadm-harness";
    std::string fwv = "1.0";
    std::string swv = "1.0";
    std::string hwv = "1.0";
    bool lrg_obj = true;
    UriLimitsConfig uri;
};

struct AccountConfig {
    std::string node_name = "DMAcc1"; ///< the <x> under ./DMAcc
    std::string server_id;
    std::string server_url;
    std::string client_user;
    std::string client_password;
    std::string server_password; ///< SRVCRED secret: server credentials and Package 0 digest
    std::string server_user;     ///< SRVCRED name; defaults to server_id
                                 ///< (docs/protocol-notes.md#package0-server-identifier)
    session::AuthScheme auth = session::AuthScheme::Md5;
    syncml::Encoding encoding = syncml::Encoding::Xml;
    std::string ver_proto = syncml::kVerProtoDm12;
    std::string client_nonce_b64; ///< CLCRED AAuthData: last nonce the server issued
    std::string server_nonce_b64; ///< SRVCRED AAuthData: nonce for the server (and Package 0)
    bool verify_server = true;    ///< check the server's credentials; default: on unless auth is none
};

struct ClientFileConfig {
    DevInfoConfig dev_info;
    DevDetailConfig dev_detail;
    AccountConfig account; ///< the account of the server that bootstrapped the device
    /// Accounts of further DM servers. The bootstrap server's account is the one policies and the
    /// MO's ACL start with; the others' servers have the rights their ACLs give them.
    std::vector<AccountConfig> other_accounts;
    std::optional<std::filesystem::path> ddf_dir; ///< absent: the project's ddf/ if present
    /// The MgmtPolicy MO's layout, its system properties and its DDF, from --mo-profile
    /// (omadm/shell/mo_profile.hpp); the DDF replaces the one in ddf_dir that declares the same MO
    /// identifier.
    policy::PolicyLayout layout;
    policy::SystemPropertiesLayout props;
    std::optional<tree::DdfSchema> mo_schema;
    std::map<std::string, std::string> properties; ///< initial system properties (control API names)
    std::optional<std::string> start_time;         ///< device clock start, RFC 3339 "…Z"
    bool tls_verify = true;
    std::optional<std::filesystem::path> tls_ca;

    /// Every account, `account` first.
    [[nodiscard]] std::vector<const AccountConfig*> accounts() const;
    /// The account whose server id is `server_id`; nullptr when there is none.
    [[nodiscard]] const AccountConfig* account_of(std::string_view server_id) const;
};

/// Parses the configuration text; `source` names the file in error details.
[[nodiscard]] base::Result<ClientFileConfig> parse_client_config(std::string_view text,
                                                                 std::string_view source);
/// Reads and parses the file.
[[nodiscard]] base::Result<ClientFileConfig> load_client_config(const std::filesystem::path& path);

/// "basic" | "md5" | "hmac" | "none" (case-insensitive).
[[nodiscard]] std::optional<session::AuthScheme> parse_auth_name(std::string_view text);

} // namespace omadm::client

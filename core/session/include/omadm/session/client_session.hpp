#pragma once
// Sans-IO client (device) side of a DM session: Package 1, executing Package 2/4 commands through a
// CommandHandler, Package 3, the auth handshake, multi-message packages and large objects.
// The shell runs: start() -> send; http response -> decode -> on_message() -> send ...

#include "omadm/auth/credentials.hpp"
#include "omadm/base/clock.hpp"
#include "omadm/session/command_handler.hpp"
#include "omadm/session/event.hpp"
#include "omadm/session/message_size.hpp"
#include "omadm/syncml/codec.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace omadm::session {

using base::Duration;
using base::TimePoint;

/// The DM account (DMAcc) the client uses for this session.
struct ClientAccount {
    std::string server_uri; // SyncHdr Target/LocURI and where Package 1 goes
    base::ServerId server_id;
    std::string user;                     // AAuthName (CLCRED)
    std::string password;                 // AAuthSecret (CLCRED)
    AuthScheme scheme = AuthScheme::None; // AAuthPref: what Package 1 tries first
    std::string nonce_b64;                // AAuthData (CLCRED): last nonce the server issued to us
    /// Server credentials (SRVCRED). When verify_server is set (the default), the client checks the
    /// server's Cred (basic/md5) or x-syncml-hmac (HMAC) and answers 401 on the server's SyncHdr
    /// otherwise, executing nothing and keeping no nonce the server gave.
    bool verify_server = true;
    std::string server_user;
    std::string server_password;
    std::string server_nonce_b64; // nonce we issued to the server
    /// A fresh nonce for the server's next credentials (OMA-TS-DM_Security-V1_2_1 §5.3): sent in the
    /// Chal of the Status for the server's SyncHdr when its credentials are refused, and once the
    /// server's md5 Cred verified. Empty: no Chal, the server keeps server_nonce_b64.
    std::string next_server_nonce_b64;
};

/// ./DevInfo leaves sent in Package 1.
struct DevInfo {
    std::string dev_id;
    std::string man;
    std::string mod;
    std::string dmv;
    std::string lang = "en-US";
    std::vector<std::pair<std::string, std::string>> extra; // leaf name -> value
};

enum class SessionTrigger : std::uint8_t {
    ClientInitiated, // Alert 1201
    ServerInitiated, // Alert 1200, SessionID taken from Package 0
};

struct ClientConfig {
    ClientAccount account;
    DevInfo dev_info;
    SessionTrigger trigger = SessionTrigger::ClientInitiated;
    SessionId session_id{"1"};
    std::string ver_proto = syncml::kVerProtoDm12;
    /// After a 513 on the SyncHdr of a session opened with another VerProto, Package 1 goes out once
    /// more, as a new session, with this version (docs/protocol-notes.md#version-fallback). Empty: end with
    /// VersionNotSupported instead.
    std::string fallback_ver_proto = syncml::kVerProtoDm12;
    std::uint64_t max_msg_size = 16384;       // advertised in SyncHdr Meta
    std::uint64_t max_obj_size = 1'048'576UL; // advertised in SyncHdr Meta (1 MiB)
    MessageSizer sizer;                       // empty: approximate_size
    Duration response_timeout = std::chrono::seconds(60);
    unsigned max_auth_attempts = 3; // Package 1 sends in all, challenges included
    std::vector<auth::NonceForm> accepted_nonce_forms{auth::NonceForm::Decoded};
    /// A deliberate deviation (fault injection): a challenge for a weaker scheme than the account's
    /// is answered instead of ending the session (OMA-TS-DM_Security 5.1.3 forbids it).
    bool answer_weaker_challenge = false;
    /// WBXML version byte of the client's requests (the codec's default form): a WBXML response in
    /// another version is a finding.
    std::uint8_t wbxml_version = syncml::WbxmlForm{}.version;
};

/// Client engine states, named after the package the client waits for.
enum class ClientState : std::uint8_t {
    Idle,             // start() not called yet
    AwaitingPackage2, // Package 1 sent (again, after a challenge)
    AwaitingPackage4, // Package 3 sent (or a message of a multi-message exchange)
    Ended,
};
[[nodiscard]] std::string_view client_state_name(ClientState s) noexcept;

class ClientSession {
public:
    ClientSession(ClientConfig config, CommandHandler& handler);
    ~ClientSession();
    ClientSession(ClientSession&&) noexcept;
    ClientSession& operator=(ClientSession&&) noexcept;
    ClientSession(const ClientSession&) = delete;
    ClientSession& operator=(const ClientSession&) = delete;

    /// Queues a Generic Alert: it rides in Package 1 when queued before start(), otherwise in the
    /// next client message. The server's answer is reported as event::AlertAcknowledged.
    AlertTicket queue_generic_alert(GenericAlert alert);

    /// Sends Package 1.
    [[nodiscard]] Step start(TimePoint now);
    [[nodiscard]] Step on_message(const Inbound& in, TimePoint now);
    [[nodiscard]] Step on_timeout(TimePoint now);
    /// The exchange failed below the session (connection, HTTP status, undecodable body).
    [[nodiscard]] Step on_transport_error(std::string detail, TimePoint now);
    /// Sends Alert 1223 and ends the session.
    [[nodiscard]] Step abort(TimePoint now);

    [[nodiscard]] std::optional<TimePoint> next_deadline() const;
    [[nodiscard]] ClientState state() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

} // namespace omadm::session

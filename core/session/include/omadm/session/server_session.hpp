#pragma once
// Sans-IO server side of one DM session: authenticates Package 1, sends the queued management
// commands, collects their Status/Results, acknowledges Generic Alerts, multi-message packages and
// large objects both ways. The shell decodes Package 1, picks the device's account, builds a
// ServerSession and feeds it every message of the session.

#include "omadm/auth/credentials.hpp"
#include "omadm/base/clock.hpp"
#include "omadm/base/random.hpp"
#include "omadm/session/event.hpp"
#include "omadm/session/message_size.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace omadm::session {

using base::Duration;
using base::TimePoint;

struct ServerConfig {
    std::string server_uri; // Source/LocURI of server messages
    /// Client authentication required by the server; None accepts anything.
    AuthScheme required_scheme = AuthScheme::None;
    std::string client_user;
    std::string client_password;
    /// Nonce last issued to this client (base64). Empty: a fresh one is made for the first challenge.
    std::string client_nonce_b64;
    /// Nonce of the latest challenge that refused this client (base64; empty: none). Until the client
    /// authenticates it is accepted beside client_nonce_b64: anyone can send a request that is
    /// refused, and such a request must not take away the nonce the client holds.
    std::string challenged_nonce_b64;
    /// Forms of the nonce accepted in md5/HMAC digests (decoded bytes by default; AOSP also uses text).
    std::vector<auth::NonceForm> accepted_nonce_forms{auth::NonceForm::Decoded};
    unsigned max_auth_attempts = 3; // failed attempts before the session ends with AuthFailed
    /// Server credentials toward the client (SRVCRED): Cred in the first server message for basic /
    /// md5, x-syncml-hmac on every message for HMAC. None sends nothing.
    AuthScheme server_scheme = AuthScheme::None;
    std::string server_user;
    std::string server_password;
    std::string server_nonce_b64; // nonce issued by the client for the server's credentials
    /// Sent as SyncHdr RespURI: where the client posts its next message. Once the client has
    /// authenticated with basic or md5, the server adds a session token (query parameter `s`) and
    /// takes a later message without valid credentials only from that URI (OMA-TS-DM_Security 5.1.3:
    /// without transport security every message is authenticated; the token stands for the
    /// credentials the client sends only once). Absent: server_uri is the base.
    std::optional<std::string> resp_uri;
    std::uint64_t max_msg_size = 16384;
    std::uint64_t max_obj_size = std::uint64_t{1024} * 1024;
    MessageSizer sizer; // empty: approximate_size
    Duration response_timeout = std::chrono::seconds(60);
    StatusCode generic_alert_reply = StatusCode::Ok; // 200 or 202
    /// False: a Generic Alert gets no Status at all (a deliberately faulty server, for negative tests).
    bool acknowledge_generic_alerts = true;
    /// False: the NextNonce a client gives for the server's credentials is ignored, and the server
    /// keeps building them on the nonce it had, replaying its earlier Cred (a deliberately faulty
    /// server, for negative tests).
    bool follow_client_nonce = true;
    std::vector<std::string> accepted_versions{syncml::kVerProtoDm12, syncml::kVerProtoDm13};
    /// True: once Package 1 is accepted (the client authenticated), the engine stops with
    /// Step::awaiting_commands before it answers, so that the shell hands it the commands only a
    /// session that authenticated may take (two sessions of one device never both take a command,
    /// and a refused one holds none back). False: what was enqueued before goes out.
    bool claim_at_start = false;
};

enum class ServerState : std::uint8_t {
    AwaitingPackage1, // nothing accepted yet, or a challenge was sent
    AwaitingPackage3, // Package 2/4 (or a message of a multi-message exchange) sent
    Ended,
};
[[nodiscard]] std::string_view server_state_name(ServerState s) noexcept;

class ServerSession {
public:
    ServerSession(ServerConfig config, base::Random& random);
    ~ServerSession();
    ServerSession(ServerSession&&) noexcept;
    ServerSession& operator=(ServerSession&&) noexcept;
    ServerSession(const ServerSession&) = delete;
    ServerSession& operator=(const ServerSession&) = delete;

    /// Queues a management command (Add, Replace, Delete, Copy, Exec, Get, Atomic, Sequence, a UI
    /// Alert). CmdIDs are assigned when sent. Commands go out after authentication, in the next
    /// server package.
    CommandTicket enqueue(syncml::Command command);

    [[nodiscard]] Step on_message(const Inbound& in, TimePoint now);
    /// After a Step with awaiting_commands: the commands are enqueued; Package 2 goes out.
    [[nodiscard]] Step commands_claimed(TimePoint now);
    [[nodiscard]] Step on_timeout(TimePoint now);
    [[nodiscard]] Step on_transport_error(std::string detail, TimePoint now);
    /// True when a request is the authenticated client's in this session even though its body cannot
    /// be decoded: its HTTP target carries the session's RespURI token (basic, md5), or its
    /// x-syncml-hmac verifies over `body` (HMAC).
    [[nodiscard]] bool addressed_by(std::string_view target, std::string_view body,
                                    std::optional<std::string_view> hmac_header) const;
    /// The client's message cannot be decoded and its meaning is not clear (a status code that is
    /// not a number, a character XML does not allow): an OSR-01 finding, and the session ends as a
    /// protocol error with what it recorded; nothing is answered in SyncML.
    [[nodiscard]] Step on_undecodable(std::string detail, TimePoint now);
    /// Sends Alert 1223 in the next reply position and ends the session.
    [[nodiscard]] Step abort(TimePoint now);

    [[nodiscard]] std::optional<TimePoint> next_deadline() const;
    [[nodiscard]] ServerState state() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

} // namespace omadm::session

#pragma once
// What the engines report: typed events, findings about peer misbehaviour, and the session end.
// Engines never log; the shell writes these out (docs/events.md).

#include "omadm/base/requirements.hpp"
#include "omadm/session/types.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace omadm::session {

/// Why a session ended.
enum class EndReason : std::uint8_t {
    Completed,           // a package without management commands closed the session normally
    AbortedByPeer,       // the peer sent Alert 1223
    AbortedLocally,      // abort() was called: this side sent Alert 1223
    AuthFailed,          // authentication failed and no (further) retry is possible
    Timeout,             // no reply before the response deadline
    TransportFailure,    // the shell reported a transport or decode failure
    ProtocolError,       // the peer broke the protocol in a way the session cannot survive
    VersionNotSupported, // VerProto other than DM/1.2 or DM/1.3 (513)
};
[[nodiscard]] std::string_view end_reason_name(EndReason r) noexcept;

struct SessionEnd {
    EndReason reason = EndReason::Completed;
    std::string detail;
    bool operator==(const SessionEnd&) const = default;
};

/// Whose credentials a nonce authenticates: the client's (issued by the server) or the server's
/// (issued by the client). The shell persists it in DMAcc AAuthData (CLCRED / SRVCRED).
enum class NonceRole : std::uint8_t { ClientCredential, ServerCredential };

namespace event {

/// Package 1 accepted (after authentication, if any).
struct SessionStarted {
    SessionId session_id;
    std::string ver_proto;
    std::uint16_t alert_code = 0; // 1200 or 1201
    std::string client_uri;       // device id (client SyncHdr Source)
    std::string server_uri;
    std::vector<syncml::Item> dev_info; // the Package 1 DevInfo Replace items
};
/// The peer accepted our credentials (client side) or we accepted the peer's (server side).
struct Authenticated {
    AuthScheme scheme = AuthScheme::None;
    std::string user;
    StatusCode code = StatusCode::Ok; // 212 (session) or 200 (per message)
};
/// Authentication failed for one attempt; `attempt` counts from 1.
struct AuthFailed {
    AuthScheme scheme = AuthScheme::None; // the scheme requested by the challenge (or tried)
    StatusCode code = StatusCode::InvalidCredentials;
    unsigned attempt = 0;
    std::string detail;
};
/// A nonce to persist for the next message or session.
struct NonceIssued {
    NonceRole role = NonceRole::ClientCredential;
    std::string nonce_b64;
    /// Server side: issued in the Chal of a refusal, so the nonce the client held stays valid too
    /// (ServerConfig::challenged_nonce_b64) until it authenticates.
    bool with_refusal = false;
};
/// Status received for a command we sent. On the server `ticket` names the queued command (and
/// `member` its position inside an Atomic/Sequence); on the client it is empty.
struct CommandStatusReceived {
    std::optional<CommandTicket> ticket;
    std::optional<std::size_t> member;
    MsgId msg_ref;
    CmdId cmd_ref;
    std::string cmd;
    StatusCode code = StatusCode::Ok;
    std::vector<syncml::Item> items;
};
/// Results received (server side), reassembled when they came in chunks.
struct ResultsReceived {
    std::optional<CommandTicket> ticket;
    std::optional<std::size_t> member;
    MsgId msg_ref;
    CmdId cmd_ref;
    std::optional<syncml::Meta> meta;
    std::vector<syncml::Item> items;
};
/// One item of a Generic Alert (1226) received by the server.
struct GenericAlertReceived {
    MsgId msg_id;
    CmdId cmd_id;
    std::optional<std::string> correlator;
    GenericAlertItem item;
    StatusCode answered = StatusCode::Ok;
};
/// The server answered a queued Generic Alert (client side). 200/202 mean the shell may drop it.
struct AlertAcknowledged {
    AlertTicket ticket;
    StatusCode code = StatusCode::Ok;
    [[nodiscard]] bool accepted() const noexcept {
        return code == StatusCode::Ok || code == StatusCode::Accepted;
    }
};
/// The client executed (or refused) a server command through its CommandHandler.
struct CommandExecuted {
    MsgId msg_id;
    CmdId cmd_id;
    std::string cmd;
    StatusCode code = StatusCode::Ok;
};
/// A command was not sent because an object in it exceeds the peer's MaxObjSize (OMA-TS-DM_Protocol-V1_2_1
/// §7). Server: `ticket` names the dropped queued command. Client: the Results of a Get, which is then
/// answered 413 instead.
struct ObjectTooLarge {
    std::optional<CommandTicket> ticket;
    std::string cmd;
    std::uint64_t size = 0;
    std::uint64_t max_obj_size = 0;
};
/// Server: a queued command was not sent because even alone in a message it exceeds the client's
/// MaxMsgSize, and it cannot travel in pieces (only a command with one large object can:
/// OMA-TS-DM_Protocol-V1_2_1 §7, Large Object Handling). `size` is the encoded size of that message.
struct CommandTooLarge {
    CommandTicket ticket;
    std::string cmd;
    std::uint64_t size = 0;
    std::uint64_t max_msg_size = 0;
};
/// The server answered 513 on the SyncHdr; the client sends Package 1 again, once, as a new
/// session in the fallback version (docs/protocol-notes.md#version-fallback).
struct VersionFallback {
    std::string from;
    std::string to;
};
/// Final event of every session; mirrors Step::end.
struct SessionEnded {
    SessionEnd end;
};

} // namespace event

using Event = std::variant<event::SessionStarted, event::Authenticated, event::AuthFailed, event::NonceIssued,
                           event::CommandStatusReceived, event::ResultsReceived, event::GenericAlertReceived,
                           event::AlertAcknowledged, event::CommandExecuted, event::ObjectTooLarge,
                           event::CommandTooLarge, event::VersionFallback, event::SessionEnded>;

/// Where in the conversation a finding was observed.
struct Evidence {
    std::optional<MsgId> msg_id;
    std::optional<CmdId> cmd_id;
    std::string location; // XPath-like, e.g. SyncBody/Status[2]/CmdRef
};

/// How far a finding departs from the protocol: a SHALL broken (Error), a tolerated quirk of
/// deployed peers (Warning), or behaviour worth reporting that breaks nothing (Info).
enum class Severity { Error, Warning, Info };

[[nodiscard]] constexpr std::string_view severity_name(Severity s) noexcept {
    switch (s) {
    case Severity::Error:
        return "error";
    case Severity::Warning:
        return "warning";
    case Severity::Info:
        return "info";
    }
    return "error";
}

/// The peer misbehaved: never an error of this engine.
struct Finding {
    req::Requirement requirement;
    std::string detail;
    Evidence evidence;
    Severity severity = Severity::Error;
};

/// What one engine call produced.
struct Step {
    std::vector<Outbound> send;
    std::vector<Event> events;
    std::vector<Finding> findings;
    std::optional<SessionEnd> end;
    /// Server with ServerConfig::claim_at_start: Package 1 was accepted and its answer waits for the
    /// commands of this session; enqueue them, then call ServerSession::commands_claimed().
    bool awaiting_commands = false;
};

} // namespace omadm::session

#pragma once
// Vocabulary shared by the client and server session engines: auth schemes, tickets that correlate
// queued work with what the peer answered, what the shell hands in (Inbound) and what it sends (Outbound).

#include "omadm/base/result.hpp"
#include "omadm/base/strong_id.hpp"
#include "omadm/syncml/generic_alert.hpp"
#include "omadm/syncml/message.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omadm::session {

using base::CmdId;
using base::MsgId;
using base::SessionId;
using base::StatusCode;

/// Application-level authentication scheme (OMA-TS-DM_Security 5.1), declared from the weakest to
/// the strongest: a peer never gives its password for a weaker scheme than the one it was set up for.
enum class AuthScheme : std::uint8_t {
    None,  // no credentials are sent or required
    Basic, // syncml:auth-basic in SyncHdr Cred
    Md5,   // syncml:auth-md5 in SyncHdr Cred, user in Source/LocName
    Hmac,  // syncml:auth-MAC, x-syncml-hmac HTTP header over the exact body
};
/// The Meta Type value of a scheme ("syncml:auth-md5"); empty for None.
[[nodiscard]] std::string_view auth_type(AuthScheme s) noexcept;
/// Parses a Meta Type value; nullopt for an unknown type.
[[nodiscard]] std::optional<AuthScheme> auth_scheme_from_type(std::string_view type) noexcept;
[[nodiscard]] std::string_view auth_scheme_name(AuthScheme s) noexcept;
/// True when `requested` protects the password less than `configured` (basic after md5, say).
[[nodiscard]] constexpr bool is_downgrade(AuthScheme configured, AuthScheme requested) noexcept {
    return static_cast<std::uint8_t>(requested) < static_cast<std::uint8_t>(configured);
}

struct CommandTicketTag {};
struct AlertTicketTag {};
/// Identifies one management command queued on a ServerSession; events about it carry the ticket.
using CommandTicket = base::StrongId<CommandTicketTag, std::uint64_t>;
/// Identifies one Generic Alert queued on a ClientSession.
using AlertTicket = base::StrongId<AlertTicketTag, std::uint64_t>;

/// What the shell needs to compute the x-syncml-hmac header of an outgoing message: the header is
/// hmac_header_value(key, encoded_body). The nonce is base64 text as it travelled in NextNonce.
struct MacKey {
    std::string user;
    std::string password;
    std::string nonce_b64;
    bool operator==(const MacKey&) const = default;
};
/// The x-syncml-hmac header value for `body` (algorithm=MD5, username="user", mac=...). The nonce
/// takes part as its decoded bytes; an empty nonce is valid (nothing was issued yet).
[[nodiscard]] base::Result<std::string> hmac_header_value(const MacKey& key, std::string_view body);

/// One received message plus what authentication needs from the transport. The views must stay
/// valid for the duration of the on_message call only.
struct Inbound {
    const syncml::Message& message;
    std::string_view body;                       // the exact HTTP body bytes (for HMAC)
    std::optional<std::string_view> hmac_header; // value of x-syncml-hmac, if present
    /// Server side: the URI the message was posted to (absolute, or the HTTP request target): a
    /// session bound by its RespURI recognises its own messages by it. Empty on the client side.
    std::string_view target;
};

/// One message to send. The shell encodes `message`, and when `mac` is set adds the x-syncml-hmac
/// header computed over the encoded bytes.
struct Outbound {
    syncml::Message message;
    std::optional<MacKey> mac;
    std::string destination; // client side: URI to POST to (server URI or RespURI); empty on the server
};

/// The Generic Alert the device sends, one type from the policy engine to this engine.
using syncml::GenericAlert;
using syncml::GenericAlertItem;

} // namespace omadm::session

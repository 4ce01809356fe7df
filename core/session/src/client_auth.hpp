#pragma once
// Client side of the auth handshake (OMA-TS-DM_Protocol-V1_2_1 §9, OMA-TS-DM_Security-V1_2_1 §5.3, §5.4):
// which Cred or MAC key goes out, how the server's SyncHdr Status is read (212/200/401/407 with Chal),
// and the optional check of the server's own credentials.

#include "omadm/session/client_session.hpp"

#include <optional>
#include <string>

namespace omadm::session::detail {

class ClientAuth {
public:
    enum class Verdict : std::uint8_t {
        Proceed,        // go on with the message
        Retry,          // challenged: revert to Package 1 with the requested scheme and nonce
        Fail,           // refused without a usable challenge
        VersionRefused, // 513
        Error,          // another failure code on the SyncHdr
    };

    explicit ClientAuth(const ClientConfig& cfg);

    [[nodiscard]] AuthScheme scheme() const noexcept { return scheme_; }
    /// Counts one Package 1 attempt; false when the configured number is used up.
    [[nodiscard]] bool begin_attempt() noexcept;
    /// Cred for the next SyncHdr (basic / md5 until the server answered 212).
    [[nodiscard]] std::optional<syncml::Cred> cred() const;
    /// Key for the x-syncml-hmac header of the next message (HMAC only).
    [[nodiscard]] std::optional<MacKey> mac_key() const;
    /// Checks the server's credentials when configured; false (with a finding) when they are wrong.
    [[nodiscard]] bool verify_server(const Inbound& in, Step& step);
    [[nodiscard]] Verdict on_header_status(const syncml::Status* status, MsgId msg_id, Step& step);
    /// False while the account asks to verify the server and its credentials have not verified.
    [[nodiscard]] bool server_trusted() const noexcept;
    /// The Chal for the Status of the server's SyncHdr, once per session and only for a message
    /// that is sent: on a refusal of the server's credentials, and after its md5 Cred verified. It
    /// carries the account's next_server_nonce_b64, reported as NonceIssued (ServerCredential) for
    /// the device to keep.
    [[nodiscard]] std::optional<syncml::Chal> server_challenge(bool refused, Step& step);

private:
    void take_nonce(const std::optional<syncml::Chal>& chal, Step& step);

    const ClientConfig* cfg_;
    AuthScheme scheme_;
    std::string nonce_;
    unsigned attempts_ = 0;
    bool authenticated_ = false;
    bool send_cred_ = true;
    bool server_verified_ = false;
    AuthScheme server_scheme_ = AuthScheme::None; // what the server's credentials came in
    bool server_nonce_issued_ = false;
};

} // namespace omadm::session::detail

#pragma once
// Server side of the auth handshake (OMA-TS-DM_Protocol-V1_2_1 §9, OMA-TS-DM_Security-V1_2_1 §5.3, §5.4):
// verifies the client's Cred (basic, md5 against the nonce it issued) or x-syncml-hmac over the raw
// body; decides 212/200 or 401/407 with a Chal and a fresh NextNonce; counts failures; supplies the
// server's own credentials.

#include "omadm/base/random.hpp"
#include "omadm/session/server_session.hpp"

#include <optional>
#include <string>
#include <vector>

namespace omadm::session::detail {

class ServerAuth {
public:
    struct Decision {
        bool accepted = false;
        StatusCode code = StatusCode::Ok; // for the client's SyncHdr
        std::optional<syncml::Chal> chal;
    };

    ServerAuth(const ServerConfig& cfg, base::Random& random);

    /// Checks one client message.
    [[nodiscard]] Decision check(const Inbound& in, Step& step);
    /// True when `in` cannot be a message of this session, authenticated by basic or md5: it was
    /// not posted to the RespURI that carries the session token, and carries no Cred that verifies.
    /// Decided before anything else reads the message.
    [[nodiscard]] bool foreign(const Inbound& in) const;
    /// The answer to a foreign message (407 or 401 with a Chal of the current nonce); the session,
    /// its nonce and its failure count stay as they are.
    [[nodiscard]] Decision refuse_foreign(const Inbound& in, Step& step) const;
    /// True when a request, whatever its body holds, is the authenticated client's in this session:
    /// its HTTP target carries the session token (basic, md5), or its x-syncml-hmac verifies over
    /// the body on the nonce this session issued last (HMAC).
    [[nodiscard]] bool addressed_by(std::string_view target, std::string_view body,
                                    std::optional<std::string_view> hmac_header) const;
    /// SyncHdr RespURI of the next server message: with the session token once it is issued.
    [[nodiscard]] std::optional<std::string> resp_uri() const;
    /// True when no further attempt is allowed.
    [[nodiscard]] bool exhausted() const noexcept { return failures_ >= cfg_->max_auth_attempts; }
    /// Server Cred for the next SyncHdr (first message only, basic / md5).
    [[nodiscard]] std::optional<syncml::Cred> server_cred();
    [[nodiscard]] std::optional<MacKey> mac_key() const;
    /// The client's Status on the server's SyncHdr (OMA-TS-DM_Security 5.1.3): the NextNonce of
    /// its Chal is the nonce of the server's next credentials (kept, NonceIssued); 401 or 407 means
    /// it refused them: they go again, on that nonce, in the next message (AuthFailed and an
    /// ATHEN-1 finding). Returns true for a refusal.
    bool on_client_verdict(const syncml::Status& status, MsgId msg_id, Step& step);
    /// True once the client refused the server's credentials more often than attempts allow.
    [[nodiscard]] bool server_refused_for_good() const noexcept {
        return server_refusals_ > cfg_->max_auth_attempts;
    }

private:
    Decision accept(StatusCode code, bool rotate, Step& step);
    Decision refuse(StatusCode code, const std::string& detail, const Inbound& in, Step& step);
    /// Verifies the Cred / header against `nonce`: nullopt when valid, otherwise the status to
    /// answer, with what was wrong in `detail`.
    [[nodiscard]] std::optional<StatusCode> verify(const Inbound& in, std::string_view nonce,
                                                   std::string& detail) const;
    [[nodiscard]] syncml::Chal challenge() const;

    const ServerConfig* cfg_;
    base::Random* random_;
    std::string nonce_;                       // the nonce the client must use now
    std::string session_nonce_;               // the nonce the client authenticated this session with
    std::vector<std::string> earlier_nonces_; // issued before the session, unspent until it authenticates
    std::string session_token_;               // in the RespURI once the client authenticated by basic or md5
    unsigned failures_ = 0;
    bool authenticated_ = false;
    bool cred_sent_ = false;
    std::string server_nonce_; // the nonce the client gave for the server's credentials
    unsigned server_refusals_ = 0;
};

} // namespace omadm::session::detail

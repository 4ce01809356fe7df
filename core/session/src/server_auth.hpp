#pragma once
// Server side of the auth handshake (PROTOCOL.md 4.3): verifies the client's Cred (basic, md5
// against the nonce it issued) or x-syncml-hmac over the raw body; decides 212/200 or 401/407 with a
// Chal and a fresh NextNonce; counts failures; supplies the server's own credentials.

#include "omadm/base/random.hpp"
#include "omadm/session/server_session.hpp"

#include <optional>
#include <string>

namespace omadm::session::detail {

class ServerAuth {
public:
    struct Decision {
        bool accepted = false;
        StatusCode code = StatusCode::Ok;  // for the client's SyncHdr
        std::optional<syncml::Chal> chal;
    };

    ServerAuth(const ServerConfig& cfg, base::Random& random);

    /// Checks one client message.
    [[nodiscard]] Decision check(const Inbound& in, Step& step);
    /// True when no further attempt is allowed.
    [[nodiscard]] bool exhausted() const noexcept { return failures_ >= cfg_->max_auth_attempts; }
    /// Server Cred for the next SyncHdr (first message only, basic / md5).
    [[nodiscard]] std::optional<syncml::Cred> server_cred();
    [[nodiscard]] std::optional<MacKey> mac_key() const;

private:
    Decision accept(StatusCode code, bool rotate, Step& step);
    Decision refuse(StatusCode code, std::string detail, const Inbound& in, Step& step);
    /// Verifies the Cred / header; empty string when valid, otherwise what was wrong.
    [[nodiscard]] std::optional<StatusCode> verify(const Inbound& in, std::string& detail) const;

    const ServerConfig* cfg_;
    base::Random* random_;
    std::string nonce_;  // the nonce the client must use now
    unsigned failures_ = 0;
    bool authenticated_ = false;
    bool cred_sent_ = false;
};

}  // namespace omadm::session::detail

#pragma once
// Judging a received Package 0 before any session: the digest must verify with the SRVCRED secret
// and nonce, and the server id must be the account's (OMA-TS-DM_Notification-V1_2_1 §6).

#include "client_config.hpp"
#include "omadm/auth/package0.hpp"

#include <optional>
#include <span>

namespace omadm::client {

enum class Package0Verdict {
    Accepted,      ///< digest verified: start a server-initiated session
    Malformed,     ///< too short to decode
    UnknownServer, ///< the server id is not the account's
    BadDigest,     ///< the digest does not verify
    Replayed,      ///< verified, but repeats the SessionID of a recently accepted one (no second session)
};
[[nodiscard]] std::string_view package0_verdict_name(Package0Verdict v) noexcept;
/// The HTTP status POST /pkg0 answers: 202 accepted, 400 malformed, 401 unknown server or bad
/// digest, 409 replayed.
[[nodiscard]] unsigned package0_http_status(Package0Verdict v) noexcept;
/// One sentence for the error body of a refused POST /pkg0.
[[nodiscard]] std::string_view package0_verdict_detail(Package0Verdict v) noexcept;

struct Package0Check {
    Package0Verdict verdict = Package0Verdict::Malformed;
    std::optional<auth::Package0> message;
};

/// `server_nonce_b64` is DMAcc SRVCRED AAuthData as stored; its decoded bytes are the nonce (the
/// text itself when it is not base64).
[[nodiscard]] Package0Check check_package0(std::span<const std::uint8_t> bytes, const AccountConfig& account,
                                           std::string_view server_nonce_b64);

} // namespace omadm::client

#include "package0_check.hpp"

namespace omadm::client {

std::string_view package0_verdict_name(Package0Verdict v) noexcept {
    switch (v) {
    case Package0Verdict::Accepted:
        return "accepted";
    case Package0Verdict::Malformed:
        return "malformed";
    case Package0Verdict::UnknownServer:
        return "unknown_server";
    case Package0Verdict::BadDigest:
        return "bad_digest";
    case Package0Verdict::Replayed:
        return "replayed";
    }
    return "unknown";
}

unsigned package0_http_status(Package0Verdict v) noexcept {
    switch (v) {
    case Package0Verdict::Accepted:
        return 202;
    case Package0Verdict::Malformed:
        return 400;
    case Package0Verdict::UnknownServer:
        return 401;
    case Package0Verdict::BadDigest:
        return 401;
    case Package0Verdict::Replayed:
        return 409;
    }
    return 500;
}

std::string_view package0_verdict_detail(Package0Verdict v) noexcept {
    switch (v) {
    case Package0Verdict::Accepted:
        return "notification accepted; a server-initiated session follows";
    case Package0Verdict::Malformed:
        return "notification too short to decode (OMA-TS-DM_Notification-V1_2_1 §6 layout)";
    case Package0Verdict::UnknownServer:
        return "the notification's server id is not the account's ServerID";
    case Package0Verdict::BadDigest:
        return "the notification digest does not verify with the SRVCRED secret and nonce";
    case Package0Verdict::Replayed:
        return "a notification with this server id and SessionID was already accepted; no second session";
    }
    return "unknown verdict";
}

Package0Check check_package0(std::span<const std::uint8_t> bytes, const AccountConfig& account,
                             std::string_view server_nonce_b64) {
    Package0Check out;
    auto decoded = auth::decode_package0(bytes);
    if (!decoded) return out;
    out.message = *decoded;
    if (decoded->server_id != account.server_id) {
        out.verdict = Package0Verdict::UnknownServer;
        return out;
    }
    auth::Bytes nonce;
    if (auto raw = auth::base64_decode(server_nonce_b64)) {
        nonce = std::move(*raw);
    } else {
        nonce.assign(server_nonce_b64.begin(), server_nonce_b64.end());
    }
    out.verdict = auth::verify_package0(bytes, account.server_password, nonce) ? Package0Verdict::Accepted
                                                                               : Package0Verdict::BadDigest;
    return out;
}

} // namespace omadm::client

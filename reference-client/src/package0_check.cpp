#include "package0_check.hpp"

namespace omadm::client {

std::string_view package0_verdict_name(Package0Verdict v) noexcept {
    switch (v) {
        case Package0Verdict::Accepted: return "accepted";
        case Package0Verdict::Malformed: return "malformed";
        case Package0Verdict::UnknownServer: return "unknown_server";
        case Package0Verdict::BadDigest: return "bad_digest";
    }
    return "unknown";
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

}  // namespace omadm::client

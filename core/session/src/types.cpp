#include "omadm/session/types.hpp"

#include "omadm/auth/credentials.hpp"
#include "omadm/session/event.hpp"

namespace omadm::session {

std::string_view auth_type(AuthScheme s) noexcept {
    switch (s) {
    case AuthScheme::None:
        return {};
    case AuthScheme::Basic:
        return auth::kAuthBasic;
    case AuthScheme::Md5:
        return auth::kAuthMd5;
    case AuthScheme::Hmac:
        return auth::kAuthMac;
    }
    return {};
}

std::string_view auth_scheme_name(AuthScheme s) noexcept {
    switch (s) {
    case AuthScheme::None:
        return "none";
    case AuthScheme::Basic:
        return "basic";
    case AuthScheme::Md5:
        return "md5";
    case AuthScheme::Hmac:
        return "hmac";
    }
    return "unknown";
}

std::optional<AuthScheme> auth_scheme_from_type(std::string_view type) noexcept {
    for (const auto s : {AuthScheme::Basic, AuthScheme::Md5, AuthScheme::Hmac}) {
        if (type == auth_type(s)) return s;
    }
    if (type == "syncml:auth-mac") return AuthScheme::Hmac;
    return std::nullopt;
}

base::Result<std::string> hmac_header_value(const MacKey& key, std::string_view body) {
    auth::Bytes nonce;
    if (!key.nonce_b64.empty()) {
        auto decoded = auth::base64_decode(key.nonce_b64);
        if (!decoded) return decoded.error();
        nonce = std::move(*decoded);
    }
    auth::HmacHeader h;
    h.username = key.user;
    h.mac = auth::hmac_mac(key.user, key.password, nonce, body);
    return auth::format_hmac_header(h);
}

std::string_view end_reason_name(EndReason r) noexcept {
    switch (r) {
    case EndReason::Completed:
        return "completed";
    case EndReason::AbortedByPeer:
        return "aborted_by_peer";
    case EndReason::AbortedLocally:
        return "aborted_locally";
    case EndReason::AuthFailed:
        return "auth_failed";
    case EndReason::Timeout:
        return "timeout";
    case EndReason::TransportFailure:
        return "transport_failure";
    case EndReason::ProtocolError:
        return "protocol_error";
    case EndReason::VersionNotSupported:
        return "version_not_supported";
    }
    return "unknown";
}

} // namespace omadm::session

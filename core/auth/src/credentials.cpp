#include "omadm/auth/credentials.hpp"

#include "digest.hpp"

namespace omadm::auth {
namespace {

constexpr std::string_view kColon = ":";

/// H(B64(H("user:password")) + ":" + nonce).
Md5Digest md5_digest(std::string_view user, std::string_view password, std::span<const std::uint8_t> nonce) {
    const std::string secret = detail::b64_md5_secret(user, password);
    return detail::md5_of({detail::as_bytes(secret), detail::as_bytes(kColon), nonce});
}

/// H(B64(H("user:password")) + ":" + nonce + ":" + B64(H(body))).
Md5Digest mac_digest(std::string_view user, std::string_view password, std::span<const std::uint8_t> nonce,
                     std::span<const std::uint8_t> body) {
    const std::string secret = detail::b64_md5_secret(user, password);
    const std::string body_hash = base64_encode(md5(body));
    return detail::md5_of({detail::as_bytes(secret), detail::as_bytes(kColon), nonce,
                           detail::as_bytes(kColon), detail::as_bytes(body_hash)});
}

/// True when `received` (base64 text) decodes to the digest computed for one of the accepted nonce
/// forms. `compute` maps nonce bytes to the expected digest.
template <class Compute>
bool matches_any_form(std::string_view received, std::string_view nonce_b64,
                      std::span<const NonceForm> accepted_forms, Compute compute) {
    const auto received_bytes = base64_decode(received);
    if (!received_bytes) return false;
    bool matched = false;
    for (const NonceForm form : accepted_forms) {
        switch (form) {
        case NonceForm::Decoded:
            if (const auto nonce = base64_decode(nonce_b64)) {
                matched =
                    detail::digests_equal(*received_bytes, compute(std::span<const std::uint8_t>(*nonce))) ||
                    matched;
            }
            break;
        case NonceForm::Text:
            matched = detail::digests_equal(*received_bytes, compute(detail::as_bytes(nonce_b64))) || matched;
            break;
        }
    }
    return matched;
}

} // namespace

std::string make_nonce_b64(base::Random& random, std::size_t bytes) {
    Bytes nonce(bytes);
    random.fill(std::as_writable_bytes(std::span<std::uint8_t>(nonce)));
    return base64_encode(nonce);
}

std::string basic_credential(std::string_view user, std::string_view password) {
    std::string plain;
    plain.reserve(user.size() + 1 + password.size());
    plain.append(user).append(kColon).append(password);
    return base64_encode(plain);
}

base::Result<BasicIdentity> parse_basic_credential(std::string_view b64) {
    const auto decoded = base64_decode(b64);
    if (!decoded) return base::make_error(AuthErrc::bad_basic_credential, decoded.error().message());
    const std::string_view plain(reinterpret_cast<const char*>(decoded->data()), decoded->size());
    const auto colon = plain.find(':');
    if (colon == std::string_view::npos) {
        return base::make_error(AuthErrc::bad_basic_credential, "no ':' between user and password");
    }
    return BasicIdentity{std::string(plain.substr(0, colon)), std::string(plain.substr(colon + 1))};
}

std::string md5_credential(std::string_view user, std::string_view password,
                           std::span<const std::uint8_t> nonce) {
    return base64_encode(md5_digest(user, password, nonce));
}

bool verify_md5_credential(std::string_view credential, std::string_view user, std::string_view password,
                           std::string_view nonce_b64, std::span<const NonceForm> accepted_forms) {
    return matches_any_form(credential, nonce_b64, accepted_forms, [&](std::span<const std::uint8_t> nonce) {
        return md5_digest(user, password, nonce);
    });
}

std::string hmac_mac(std::string_view user, std::string_view password, std::span<const std::uint8_t> nonce,
                     std::span<const std::uint8_t> body) {
    return base64_encode(mac_digest(user, password, nonce, body));
}

std::string hmac_mac(std::string_view user, std::string_view password, std::span<const std::uint8_t> nonce,
                     std::string_view body) {
    return hmac_mac(user, password, nonce, detail::as_bytes(body));
}

bool verify_hmac_mac(std::string_view mac, std::string_view user, std::string_view password,
                     std::string_view nonce_b64, std::span<const std::uint8_t> body,
                     std::span<const NonceForm> accepted_forms) {
    return matches_any_form(mac, nonce_b64, accepted_forms, [&](std::span<const std::uint8_t> nonce) {
        return mac_digest(user, password, nonce, body);
    });
}

bool verify_hmac_mac(std::string_view mac, std::string_view user, std::string_view password,
                     std::string_view nonce_b64, std::string_view body,
                     std::span<const NonceForm> accepted_forms) {
    return verify_hmac_mac(mac, user, password, nonce_b64, detail::as_bytes(body), accepted_forms);
}

} // namespace omadm::auth

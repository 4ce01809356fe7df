#pragma once
// OMA DM application-level authentication (OMA-TS-DM_Security-V1_2_1 §5.3, §5.4): syncml:auth-basic,
// syncml:auth-md5, and HMAC over the exact transmitted bytes in the x-syncml-hmac HTTP header.
// Pure functions.

#include "omadm/base/random.hpp"
#include "omadm/base/result.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace omadm::auth {

using Bytes = std::vector<std::uint8_t>;
using Md5Digest = std::array<std::uint8_t, 16>;

inline constexpr std::string_view kAuthBasic = "syncml:auth-basic";
inline constexpr std::string_view kAuthMd5 = "syncml:auth-md5";
inline constexpr std::string_view kAuthMac = "syncml:auth-MAC";
inline constexpr std::string_view kHmacHeader = "x-syncml-hmac";

/// Auth error codes (category "omadm.auth").
enum class AuthErrc {
    ok = 0,
    bad_base64,            // input is not valid base64 (bad character, length, padding or pad bits)
    bad_hmac_header,       // x-syncml-hmac does not follow the grammar (detail names the part)
    unsupported_algorithm, // x-syncml-hmac algorithm other than MD5
    bad_basic_credential,  // basic credential is not base64, or its decoded text has no ':'
};
const std::error_category& auth_category() noexcept;
std::error_code make_error_code(AuthErrc e) noexcept;

[[nodiscard]] Md5Digest md5(std::span<const std::uint8_t> data);
[[nodiscard]] Md5Digest md5(std::string_view data);
[[nodiscard]] std::string base64_encode(std::span<const std::uint8_t> data);
[[nodiscard]] std::string base64_encode(std::string_view data);
/// Strict RFC 4648 alphabet with '=' padding; whitespace (SP, HT, CR, LF, FF, VT) anywhere is ignored.
/// Rejects a length that is not a multiple of 4, misplaced padding and non-zero pad bits.
[[nodiscard]] base::Result<Bytes> base64_decode(std::string_view text);
/// Lower-case hexadecimal, two digits a byte (digests and Package 0 bytes in events and logs).
[[nodiscard]] std::string hex_encode(std::span<const std::uint8_t> data);

/// A fresh nonce for a Chal NextNonce or a DMAcc AAuthData: `bytes` random bytes, base64-encoded.
[[nodiscard]] std::string make_nonce_b64(base::Random& random, std::size_t bytes = 16);

/// How a nonce that travelled as base64 text takes part in a digest (docs/protocol-notes.md#nonce-bytes):
/// Decoded = the raw decoded bytes (libdmclient, the default); Text = the base64 text as sent (AOSP
/// fallback).
enum class NonceForm { Decoded, Text };
inline constexpr std::array<NonceForm, 1> kDecodedNonceOnly{NonceForm::Decoded};
inline constexpr std::array<NonceForm, 2> kAnyNonceForm{NonceForm::Decoded, NonceForm::Text};

/// B64("user:password").
[[nodiscard]] std::string basic_credential(std::string_view user, std::string_view password);
struct BasicIdentity {
    std::string user;
    std::string password;
};
[[nodiscard]] base::Result<BasicIdentity> parse_basic_credential(std::string_view b64);

/// B64(H(B64(H("user:password")) + ":" + nonce)); the nonce as raw bytes.
[[nodiscard]] std::string md5_credential(std::string_view user, std::string_view password,
                                         std::span<const std::uint8_t> nonce);
/// Verifies a received md5 credential against the nonce the verifier issued (base64 text as sent),
/// accepting the forms listed (default: decoded only). The credential is compared as 16 decoded
/// bytes, in constant time; a credential that is not base64 of 16 bytes never verifies.
[[nodiscard]] bool verify_md5_credential(std::string_view credential, std::string_view user,
                                         std::string_view password, std::string_view nonce_b64,
                                         std::span<const NonceForm> accepted_forms = kDecodedNonceOnly);

/// mac = B64(H(B64(H("user:password")) + ":" + nonce + ":" + B64(H(body)))).
[[nodiscard]] std::string hmac_mac(std::string_view user, std::string_view password,
                                   std::span<const std::uint8_t> nonce, std::span<const std::uint8_t> body);
[[nodiscard]] std::string hmac_mac(std::string_view user, std::string_view password,
                                   std::span<const std::uint8_t> nonce, std::string_view body);
/// Verifies a received mac over the exact body bytes against the nonce the verifier issued (base64
/// text as sent), accepting the forms listed; same comparison rules as verify_md5_credential.
[[nodiscard]] bool verify_hmac_mac(std::string_view mac, std::string_view user, std::string_view password,
                                   std::string_view nonce_b64, std::span<const std::uint8_t> body,
                                   std::span<const NonceForm> accepted_forms = kDecodedNonceOnly);
[[nodiscard]] bool verify_hmac_mac(std::string_view mac, std::string_view user, std::string_view password,
                                   std::string_view nonce_b64, std::string_view body,
                                   std::span<const NonceForm> accepted_forms = kDecodedNonceOnly);

/// The x-syncml-hmac header value: algorithm=MD5, username="<name>", mac=<base64>.
struct HmacHeader {
    std::string algorithm = "MD5";
    std::string username;
    std::string mac;
    bool operator==(const HmacHeader&) const = default;
};
/// Always writes all three parameters; '"' and '\\' in the username are backslash-escaped.
[[nodiscard]] std::string format_hmac_header(const HmacHeader& h);
/// Lenient on spaces, order, parameter-name case and quoting (any value may be quoted or bare;
/// unknown parameters are skipped); algorithm optional (default MD5, matched case-insensitively and
/// returned as "MD5"); username and mac required and non-empty; a repeated parameter is an error.
[[nodiscard]] base::Result<HmacHeader> parse_hmac_header(std::string_view value);

} // namespace omadm::auth

template <> struct std::is_error_code_enum<omadm::auth::AuthErrc> : std::true_type {};

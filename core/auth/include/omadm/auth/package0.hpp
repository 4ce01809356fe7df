#pragma once
// Package 0: General Notification Initiated Session Alert (OMA-TS-DM_Notification-V1_2_1 §6). Encode,
// decode, digest computation and verification. Big-endian bit layout:
// digest(128) version(10) ui-mode(2) initiator(1) future(27) session-id(16) server-id-len(8)
// server-id(N*8) vendor-specific(rest).

#include "omadm/auth/credentials.hpp"
#include "omadm/base/result.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <system_error>

namespace omadm::auth {

enum class UiMode : std::uint8_t { NotSpecified = 0, Background = 1, Informative = 2, UserInteraction = 3 };
enum class Initiator : std::uint8_t { Client = 0, Server = 1 };

struct Package0 {
    Md5Digest digest{};
    std::uint16_t version = 11; // 10-bit field: DM 1.2.1 says 11; 12/13 seen for newer versions
    UiMode ui_mode = UiMode::NotSpecified;
    Initiator initiator = Initiator::Server;
    std::uint32_t future_use = 0; // 27 bits, must be 0 on send; kept as received
    std::uint16_t session_id = 0;
    std::string server_id;
    Bytes vendor_specific;
    bool operator==(const Package0&) const = default;
};

/// Package 0 error codes (category "omadm.package0").
enum class Package0Errc {
    ok = 0,
    too_short,          // fewer than 24 bytes, or server-id length runs past the end
    bad_version,        // version outside 0..1023 on encode
    server_id_too_long, // more than 255 bytes on encode
    bad_session_id,     // session id 0 on encode (decode keeps it: judging it is the caller's job)
    bad_field,          // ui_mode > 3, initiator > 1 or future_use wider than 27 bits on encode
};
const std::error_category& package0_category() noexcept;
std::error_code make_error_code(Package0Errc e) noexcept;

/// The bytes hashed by the digest: everything after the 16-byte digest.
[[nodiscard]] base::Result<Bytes> encode_trigger(const Package0& p);
/// digest = H(B64(H("server-id:password")) + ":" + nonce + ":" + B64(H(trigger))), 16 raw bytes.
[[nodiscard]] Md5Digest notification_digest(std::string_view server_id, std::string_view password,
                                            std::span<const std::uint8_t> nonce,
                                            std::span<const std::uint8_t> trigger);
/// Encodes with a freshly computed digest (p.digest is ignored).
[[nodiscard]] base::Result<Bytes> encode_package0(const Package0& p, std::string_view password,
                                                  std::span<const std::uint8_t> nonce);
/// Decodes every field as received: any version, any future bits, session id 0 and an empty or
/// non-ASCII server id are kept for the caller to judge. Fails only when the bytes are too short.
/// For a decoded p with p.session_id != 0, digest + encode_trigger(p) reproduces the input bytes.
[[nodiscard]] base::Result<Package0> decode_package0(std::span<const std::uint8_t> bytes);
/// True when the message's digest matches the one computed from the server id it carries, password
/// and nonce (compared in constant time); false for bytes that do not decode.
[[nodiscard]] bool verify_package0(std::span<const std::uint8_t> bytes, std::string_view password,
                                   std::span<const std::uint8_t> nonce);
/// SessionID for the Package 1 SyncHdr: upper-case hex, no leading zeros ("1A2B"; 0 gives "0").
[[nodiscard]] std::string session_id_hex(std::uint16_t id);

} // namespace omadm::auth

template <> struct std::is_error_code_enum<omadm::auth::Package0Errc> : std::true_type {};

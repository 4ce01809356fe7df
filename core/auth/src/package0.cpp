#include "omadm/auth/package0.hpp"

#include "digest.hpp"

#include <algorithm>

namespace omadm::auth {
namespace {

constexpr std::size_t kDigestBytes = 16;
constexpr std::size_t kHeaderBytes = 8; // version .. server-id length
constexpr std::size_t kFixedBytes = kDigestBytes + kHeaderBytes;
constexpr std::uint16_t kMaxVersion = 0x3FF;
constexpr std::uint32_t kMaxFutureUse = 0x7FFFFFF;
constexpr std::size_t kMaxServerId = 0xFF;

base::Error p0_error(Package0Errc e, std::string detail) {
    return base::make_error(e, std::move(detail));
}

base::Result<void> check_encodable(const Package0& p) {
    if (p.version > kMaxVersion) return p0_error(Package0Errc::bad_version, std::to_string(p.version));
    if (p.server_id.size() > kMaxServerId) {
        return p0_error(Package0Errc::server_id_too_long, std::to_string(p.server_id.size()) + " bytes");
    }
    if (p.session_id == 0) return p0_error(Package0Errc::bad_session_id, "session id 0");
    if (static_cast<unsigned>(p.ui_mode) > 3U) return p0_error(Package0Errc::bad_field, "ui-mode");
    if (static_cast<unsigned>(p.initiator) > 1U) return p0_error(Package0Errc::bad_field, "initiator");
    if (p.future_use > kMaxFutureUse)
        return p0_error(Package0Errc::bad_field, "future-use wider than 27 bits");
    return {};
}

/// The 64-bit fixed header: version(10) ui(2) initiator(1) future(27) session(16) server-id length(8).
std::uint64_t pack_header(const Package0& p) {
    std::uint64_t h = p.version;
    h = (h << 2U) | static_cast<std::uint64_t>(p.ui_mode);
    h = (h << 1U) | static_cast<std::uint64_t>(p.initiator);
    h = (h << 27U) | p.future_use;
    h = (h << 16U) | p.session_id;
    h = (h << 8U) | p.server_id.size();
    return h;
}

void unpack_header(std::uint64_t h, Package0& p) {
    p.version = static_cast<std::uint16_t>(h >> 54U);
    p.ui_mode = static_cast<UiMode>((h >> 52U) & 0x3U);
    p.initiator = static_cast<Initiator>((h >> 51U) & 0x1U);
    p.future_use = static_cast<std::uint32_t>((h >> 24U) & kMaxFutureUse);
    p.session_id = static_cast<std::uint16_t>((h >> 8U) & 0xFFFFU);
}

} // namespace

base::Result<Bytes> encode_trigger(const Package0& p) {
    if (auto ok = check_encodable(p); !ok) return ok.error();
    Bytes out;
    out.reserve(kHeaderBytes + p.server_id.size() + p.vendor_specific.size());
    const std::uint64_t h = pack_header(p);
    for (unsigned shift = 56;; shift -= 8) {
        out.push_back(static_cast<std::uint8_t>((h >> shift) & 0xFFU));
        if (shift == 0) break;
    }
    const auto id = detail::as_bytes(p.server_id);
    out.insert(out.end(), id.begin(), id.end());
    out.insert(out.end(), p.vendor_specific.begin(), p.vendor_specific.end());
    return out;
}

Md5Digest notification_digest(std::string_view server_id, std::string_view password,
                              std::span<const std::uint8_t> nonce, std::span<const std::uint8_t> trigger) {
    constexpr std::string_view kColon = ":";
    const std::string secret = detail::b64_md5_secret(server_id, password);
    const std::string trigger_hash = base64_encode(md5(trigger));
    return detail::md5_of({detail::as_bytes(secret), detail::as_bytes(kColon), nonce,
                           detail::as_bytes(kColon), detail::as_bytes(trigger_hash)});
}

base::Result<Bytes> encode_package0(const Package0& p, std::string_view password,
                                    std::span<const std::uint8_t> nonce) {
    auto trigger = encode_trigger(p);
    if (!trigger) return trigger.error();
    const Md5Digest digest = notification_digest(p.server_id, password, nonce, *trigger);
    Bytes out(digest.begin(), digest.end());
    out.insert(out.end(), trigger->begin(), trigger->end());
    return out;
}

base::Result<Package0> decode_package0(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < kFixedBytes) {
        return p0_error(Package0Errc::too_short, std::to_string(bytes.size()) + " bytes, at least 24 needed");
    }
    Package0 p;
    std::copy_n(bytes.begin(), kDigestBytes, p.digest.begin());
    std::uint64_t h = 0;
    for (std::size_t i = kDigestBytes; i < kFixedBytes; ++i)
        h = (h << 8U) | bytes[i];
    unpack_header(h, p);
    const std::size_t id_len = bytes[kFixedBytes - 1];
    if (bytes.size() - kFixedBytes < id_len) {
        return p0_error(Package0Errc::too_short,
                        "server-id length " + std::to_string(id_len) + " runs past the end (" +
                            std::to_string(bytes.size() - kFixedBytes) + " bytes left)");
    }
    const auto id = bytes.subspan(kFixedBytes, id_len);
    p.server_id.assign(id.begin(), id.end());
    const auto vendor = bytes.subspan(kFixedBytes + id_len);
    p.vendor_specific.assign(vendor.begin(), vendor.end());
    return p;
}

bool verify_package0(std::span<const std::uint8_t> bytes, std::string_view password,
                     std::span<const std::uint8_t> nonce) {
    const auto p = decode_package0(bytes);
    if (!p) return false;
    const Md5Digest expected =
        notification_digest(p->server_id, password, nonce, bytes.subspan(kDigestBytes));
    return detail::digests_equal(bytes.first(kDigestBytes), expected);
}

std::string session_id_hex(std::uint16_t id) {
    constexpr std::string_view kHex = "0123456789ABCDEF";
    std::string out;
    for (unsigned shift = 12;; shift -= 4) {
        const auto nibble = static_cast<std::size_t>((id >> shift) & 0xFU);
        if (!out.empty() || nibble != 0 || shift == 0) out.push_back(kHex[nibble]);
        if (shift == 0) break;
    }
    return out;
}

} // namespace omadm::auth

// libFuzzer target: Package 0 decode. Checks that decoding never fails on a well-sized input with a
// consistent server-id length, and that re-encoding a decoded package (digest + trigger) reproduces
// the input bytes exactly whenever the package is encodable (session id not 0).

#include "omadm/auth/package0.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace {

constexpr std::size_t kFixedBytes = 24;

void require(bool condition) {
    if (!condition) __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    const auto decoded = omadm::auth::decode_package0(bytes);
    const bool well_formed = size >= kFixedBytes && size - kFixedBytes >= bytes[kFixedBytes - 1];
    require(decoded.has_value() == well_formed);
    if (!decoded) return 0;

    const auto& p = *decoded;
    require(omadm::auth::session_id_hex(p.session_id).size() <= 4);
    constexpr std::array<std::uint8_t, 4> kZeroNonce{};
    (void)omadm::auth::verify_package0(bytes, "fuzz", kZeroNonce);

    const auto trigger = omadm::auth::encode_trigger(p);
    require(trigger.has_value() == (p.session_id != 0));
    if (!trigger) return 0;
    require(trigger->size() + p.digest.size() == size);
    require(std::equal(p.digest.begin(), p.digest.end(), bytes.begin()));
    require(std::equal(trigger->begin(), trigger->end(),
                       bytes.begin() + static_cast<std::ptrdiff_t>(p.digest.size())));
    return 0;
}

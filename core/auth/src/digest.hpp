#pragma once
// Private to omadm_auth: the digest building blocks shared by the credential and Package 0 formulas.

#include "omadm/auth/credentials.hpp"

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace omadm::auth::detail {

[[nodiscard]] inline std::span<const std::uint8_t> as_bytes(std::string_view s) noexcept {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

/// MD5 over the concatenation of parts, without building the concatenation.
[[nodiscard]] Md5Digest md5_of(std::initializer_list<std::span<const std::uint8_t>> parts);

/// B64(H("name:password")), the stored secret every digest of OMA-TS-DM_Security-V1_2_1 §5.3 and §5.4
/// starts from.
[[nodiscard]] std::string b64_md5_secret(std::string_view name, std::string_view password);

/// Constant-time equality of a received digest with an expected one.
[[nodiscard]] bool digests_equal(std::span<const std::uint8_t> received, const Md5Digest& expected) noexcept;

} // namespace omadm::auth::detail

#pragma once
// Which RTProperties (and the Value) a TNDS document carries: ?list=TNDS+Value+ACL, ?list=TNDS-Format.

#include "omadm/base/result.hpp"

#include <cstdint>
#include <string_view>

namespace omadm::tree {

enum class TndsField : std::uint8_t {
    Acl = 1U << 0U,
    Format = 1U << 1U,
    Type = 1U << 2U,
    Title = 1U << 3U,
    TStamp = 1U << 4U,
    VerNo = 1U << 5U,
    Value = 1U << 6U,
};

class TndsFields {
public:
    constexpr TndsFields() = default;
    [[nodiscard]] static constexpr TndsFields all() noexcept { return TndsFields{0x7FU}; }
    [[nodiscard]] static constexpr TndsFields none() noexcept { return TndsFields{0U}; }
    [[nodiscard]] constexpr bool has(TndsField f) const noexcept {
        return (bits_ & static_cast<std::uint8_t>(f)) != 0U;
    }
    constexpr TndsFields& add(TndsField f) noexcept {
        bits_ = static_cast<std::uint8_t>(bits_ | static_cast<std::uint8_t>(f));
        return *this;
    }
    constexpr TndsFields& remove(TndsField f) noexcept {
        bits_ = static_cast<std::uint8_t>(bits_ & ~static_cast<std::uint8_t>(f));
        return *this;
    }
    /// Parses the part after "TNDS": "" (all), "+Value+ACL" (only these), "-Format" (all but these).
    /// Mixed '+' and '-' or an unknown name: Errc::UnsupportedQuery.
    [[nodiscard]] static base::Result<TndsFields> parse(std::string_view spec);
    friend constexpr bool operator==(TndsFields, TndsFields) = default;

private:
    constexpr explicit TndsFields(std::uint8_t bits) : bits_(bits) {}
    std::uint8_t bits_ = 0x7FU;
};

} // namespace omadm::tree

#pragma once
// Run-time node properties (OMA-TS-DM_TND-V1_2_1 §7).

#include <cstdint>
#include <optional>
#include <string_view>

namespace omadm::tree {

enum class Property : std::uint8_t { Acl, Format, Name, Size, Title, TStamp, Type, VerNo };

/// Spelling as in the spec: "ACL", "Format", "Name", "Size", "Title", "TStamp", "Type", "VerNo".
[[nodiscard]] std::string_view property_name(Property p) noexcept;
/// Case-sensitive inverse of property_name().
[[nodiscard]] std::optional<Property> parse_property(std::string_view name) noexcept;

} // namespace omadm::tree

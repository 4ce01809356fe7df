#pragma once
// Typed comparison of a node value with a condition literal, and the bounded glob of `matches`.

#include "omadm/policy/node_value.hpp"

#include <compare>
#include <cstdint>
#include <optional>
#include <string_view>

namespace omadm::policy {

/// How a chr value compares: as text (byte order) or as a dotted version ("1.10" > "1.9").
enum class CompareMode { Text, Version };

/// Orders `value` (a node's data, typed by `format`) against `literal`: numerically for int and
/// float, chronologically for date and time (ISO 8601), by truth for bool (equality only), by
/// CompareMode for chr and the other formats. Unordered when either side does not parse.
[[nodiscard]] std::partial_ordering compare_typed(tree::Format format, std::string_view value,
                                                  std::string_view literal, CompareMode mode);

/// Dotted version comparison: numeric segments numerically, other segments as text, a missing
/// segment counts as 0 ("1.2" == "1.2.0").
[[nodiscard]] std::strong_ordering compare_versions(std::string_view a, std::string_view b);

/// ISO 8601 in basic or extended form: date ("2025-03-01", "20250301"), date-time with an optional
/// Z or +hh:mm offset, or time of day ("T16:38:17Z", "16:38"). Dates give milliseconds since the
/// epoch (UTC); a time of day gives milliseconds since midnight.
[[nodiscard]] std::optional<std::int64_t> parse_iso8601(std::string_view text);

/// Glob match: '*' any run, '?' one byte, everything else literal. Linear in practice and never
/// worse than |text| x |pattern| steps, so untrusted patterns are safe.
[[nodiscard]] bool glob_match(std::string_view pattern, std::string_view text);

} // namespace omadm::policy
